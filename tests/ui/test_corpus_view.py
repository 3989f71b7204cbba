"""The corpus view driven like an analyst: the tables, the Actors panel and the Corpus Overview
on a project built from the sample articles with their gold labels (imported as accepted).

Each test asserts on what the store holds (plain SQL on a second connection, not the queries
under test) and on what the view shows.
"""

from __future__ import annotations

import csv
import sqlite3

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from annotator.analysis.overview import period_range
from annotator.analysis.table_specs import SPECS, THREATS, csv_header
from annotator.services.samples import gold_paths, import_gold
from annotator.store import Store
from annotator.ui import file_dialogs
from tests.ui.conftest import open_window


@pytest.fixture
def gold_project(tmp_path):
    path = tmp_path / "gold.db"
    with Store(path, annotator="setup") as store:
        report = import_gold(store)
        assert report.ok and report.documents_added == len(gold_paths())
    return path


@pytest.fixture
def gwin(qtbot, gold_project, settings):
    win = open_window(qtbot, gold_project, settings)
    yield win
    win.close()


@pytest.fixture
def sql(gold_project):
    conn = sqlite3.connect(gold_project)
    yield lambda q, *p: conn.execute(q, p).fetchall()
    conn.close()


def settled(qtbot, table) -> None:
    """Wait as the analyst would for the table's query thread: rows shown and counted."""
    qtbot.waitUntil(lambda: not table.model.busy(), timeout=10000)


def cells(table, column: str) -> list[str]:
    i = table.model.column_keys().index(column)
    return [table.model.row(r).cells[i] for r in range(table.model.rowCount())]


def click_header(qtbot, table, column: str) -> None:
    header = table.view.horizontalHeader()
    i = table.model.column_keys().index(column)
    x = header.sectionViewportPosition(i) + header.sectionSize(i) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().center().__class__(x, header.height() // 2))


def click_row(qtbot, table, row: int) -> None:
    rect = table.view.visualRect(table.model.index(row, 1))
    qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_speakers_table_sorts_filters_and_opens_the_quote(qtbot, gwin, sql):
    gwin.actions.show_speakers.trigger()
    table = gwin.corpus_view.tables["quotes"]
    assert gwin.corpus_view.tables_dock.isVisible()
    settled(qtbot, table)
    (quotes,) = sql("SELECT count(*) FROM spans WHERE label = 'QUOTE' AND status = 'accepted'")[0]
    assert table.model.total() == quotes > 256
    assert table.model.rowCount() == 256  # one page; the rest as the view scrolls
    assert f"256 of {quotes}" in table.count_label.text()
    newest = sql("SELECT max(published) FROM documents")[0][0]
    assert cells(table, "published")[0] == newest  # newest documents first

    click_header(qtbot, table, "speaker")
    assert table.model.query.sort == "speaker" and not table.model.query.descending
    assert table.count_label.text() == "Sorting\u2026"  # the old rows stay while it runs
    settled(qtbot, table)
    shown = [c.casefold() for c in cells(table, "speaker") if c]
    assert shown == sorted(shown)
    click_header(qtbot, table, "speaker")  # again: descending
    assert table.model.query.descending
    settled(qtbot, table)
    shown = [c.casefold() for c in cells(table, "speaker") if c]
    assert shown == sorted(shown, reverse=True)

    qtbot.keyClicks(table.search, "Velko")
    qtbot.waitUntil(lambda: table.model.query.text == "Velko")
    settled(qtbot, table)
    rows = [table.model.row(r) for r in range(table.model.rowCount())]
    assert rows and all("Velko" in r.cells[0] or "Velko" in r.cells[3] for r in rows)
    # every quote said by a span whose text is Velko's name, or its pronouns' antecedent
    velko = sql("SELECT count(DISTINCT q.id) FROM spans q JOIN relations r ON r.head_id = q.id"
                " AND r.role = 'SAID_BY' JOIN spans sp ON sp.id = r.tail_id JOIN documents d"
                " ON d.id = q.doc_id LEFT JOIN relations sa ON sa.head_id = sp.id AND"
                " sa.role = 'SAME_AS' LEFT JOIN spans ante ON ante.id = sa.tail_id"
                " WHERE substr(d.text, sp.start + 1, sp.end - sp.start) LIKE '%Velko%'"
                " OR substr(d.text, ante.start + 1, ante.end - ante.start) LIKE '%Velko%'")[0][0]
    assert len(rows) >= velko > 0

    click_row(qtbot, table, 0)
    target = rows[0]
    assert gwin.session.doc.id == target.doc_id
    assert gwin.session.selected == target.span_id
    span = gwin.session.spans[target.span_id]
    assert span.label == "QUOTE"
    assert gwin.session.doc.text[span.start:span.end] == target.cells[3]
    assert gwin.details.span.id == target.span_id  # the details panel shows it
    assert gwin.corpus.current_doc_id() == target.doc_id


def test_threats_filtered_by_mode_sorted_and_exported(qtbot, gwin, sql, tmp_path, monkeypatch):
    gwin.actions.show_threats.trigger()
    table = gwin.corpus_view.tables["threats"]
    # the filter lists fill from a background job (listing them reads every span)
    qtbot.waitUntil(lambda: table.category_box.findData("violence") > 0)
    i = table.category_box.findData("violence")
    table.category_box.setCurrentIndex(i)
    settled(qtbot, table)
    (n,) = sql("SELECT count(*) FROM spans WHERE label = 'THREAT' AND status = 'accepted'"
               " AND json_extract(attrs, '$.mode') = 'violence'")[0]
    assert table.model.rowCount() == table.model.total() == n > 0
    assert set(cells(table, "mode")) == {"violence"}
    assert set(cells(table, "cameo")) == {"138"}  # the schema's code for the mode
    click_header(qtbot, table, "source")
    settled(qtbot, table)
    shown = [c.casefold() for c in cells(table, "source") if c]
    assert shown == sorted(shown)

    out = tmp_path / "threats.csv"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(gwin.task_done, timeout=10000):
        qtbot.mouseClick(table.export_button, Qt.MouseButton.LeftButton)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    THREAT_COLUMNS = csv_header(SPECS[THREATS])
    assert written[0] == THREAT_COLUMNS
    assert len(written) - 1 == n
    assert [r[THREAT_COLUMNS.index("threat")] for r in written[1:]] == cells(table, "threat")
    assert {r[THREAT_COLUMNS.index("mode")] for r in written[1:]} == {"violence"}


def test_copy_rows_as_tsv(qtbot, gwin):
    table = gwin.corpus_view.show_table("events")
    settled(qtbot, table)
    table.view.setFocus()
    sel = table.view.selectionModel()
    for r in (0, 2):
        sel.select(table.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.keyClick(table.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == table.model.headers()
    assert [line.split("\t") for line in lines[1:]] == [table.model.row(0).cells,
                                                         table.model.row(2).cells]


def test_events_place_time_and_date_range(qtbot, gwin, sql):
    gwin.actions.show_events.trigger()
    table = gwin.corpus_view.tables["events"]
    settled(qtbot, table)
    table.model.fetch_all()
    settled(qtbot, table)
    assert table.model.rowCount() == table.model.total()
    triggers = cells(table, "trigger")
    row = table.model.row(triggers.index("opened fire"))
    keys = table.model.column_keys()
    # PLACE link "Haddar"; TIME link "on Saturday" resolved against Wednesday 2026-11-25
    assert row.cells[keys.index("place")] == "Haddar"
    assert row.cells[keys.index("time")] == "2026-11-21"
    # a dateline gives an event without a place link its place
    datelined = [table.model.row(r) for r in range(table.model.rowCount())
                 if table.model.row(r).tips[keys.index("place")].endswith("(the dateline)")]
    assert datelined and all(r.cells[keys.index("place")] for r in datelined)

    qtbot.keyClicks(table.date_from, "2026-11-25")
    qtbot.keyClicks(table.date_to, "2026-11-25")
    qtbot.waitUntil(lambda: table.model.query.date_to == "2026-11-25")
    settled(qtbot, table)
    (n,) = sql("SELECT count(*) FROM spans s JOIN documents d ON d.id = s.doc_id WHERE"
               " s.label = 'EVENT' AND s.status = 'accepted' AND d.published = '2026-11-25'")[0]
    assert table.model.total() == n > 0
    assert set(cells(table, "published")) == {"2026-11-25"}


def actor_row(panel, name: str) -> int:
    return next(i for i, a in enumerate(panel.list_model.actors) if a.name == name)


def test_actors_seeded_linked_merged_and_tables_regroup(qtbot, gwin, sql):
    panel = gwin.corpus_view.show_actors()
    qtbot.mouseClick(panel.buttons["seed"], Qt.MouseButton.LeftButton)
    (actors,) = sql("SELECT count(*) FROM actors")[0]
    assert actors == panel.list_model.rowCount() > 100
    velko_id = sql("SELECT id FROM actors WHERE name = 'Amara Velko'")[0][0]
    assert "Velko" in sql("SELECT aliases FROM actors WHERE id = ?", velko_id)[0][0]
    qtbot.mouseClick(panel.buttons["propose"], Qt.MouseButton.LeftButton)
    # pronouns joined by SAME_AS to Velko's name now stand for the actor too
    he = sql("SELECT count(*) FROM spans s JOIN documents d ON d.id = s.doc_id WHERE"
             " s.actor_id = ? AND lower(substr(d.text, s.start + 1, s.end - s.start)) = 'he'",
             velko_id)[0][0]
    assert he >= 3

    table = gwin.corpus_view.show_table("quotes")
    table.by_actor.setChecked(True)
    settled(qtbot, table)
    groups = {table.model.row(r).name: table.model.row(r) for r in range(table.model.rowCount())}
    velko_quotes = int(groups["Amara Velko"].cells[1])
    quell_quotes = int(groups["Dara Quell"].cells[1])
    said = ("SELECT count(DISTINCT q.id) FROM spans q JOIN relations r ON r.head_id = q.id"
            " AND r.role = 'SAID_BY' JOIN spans sp ON sp.id = r.tail_id WHERE sp.actor_id = ?")
    assert velko_quotes == sql(said, velko_id)[0][0] > 0

    # merge Dara Quell into Amara Velko: select both, Velko current
    panel.search.clear()
    sel = panel.table.selectionModel()
    quell_id = sql("SELECT id FROM actors WHERE name = 'Dara Quell'")[0][0]
    panel.table.selectRow(actor_row(panel, "Dara Quell"))
    sel.setCurrentIndex(panel.list_model.index(actor_row(panel, "Amara Velko"), 0),
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows)
    assert set(panel.selected_actor_ids()) == {velko_id, quell_id}
    qtbot.mouseClick(panel.buttons["merge"], Qt.MouseButton.LeftButton)
    assert sql("SELECT count(*) FROM actors WHERE id = ?", quell_id)[0][0] == 0
    assert "Dara Quell" in sql("SELECT aliases FROM actors WHERE id = ?", velko_id)[0][0]
    assert sql(said, velko_id)[0][0] == velko_quotes + quell_quotes
    qtbot.waitUntil(lambda: "Dara Quell" not in {table.model.row(r).name
                                                 for r in range(table.model.rowCount())})
    settled(qtbot, table)
    groups = {table.model.row(r).name: table.model.row(r) for r in range(table.model.rowCount())}
    assert int(groups["Amara Velko"].cells[1]) == velko_quotes + quell_quotes

    # a click on the group lists that actor's quotes
    click_row(qtbot, table, [table.model.row(r).name for r in range(table.model.rowCount())]
              .index("Amara Velko"))
    assert not table.model.query.by_actor and table.model.query.actor_id == velko_id
    settled(qtbot, table)
    assert table.model.total() == velko_quotes + quell_quotes

    # one undo step brings Dara Quell back with her mentions
    gwin.view.setFocus()
    gwin.actions.undo.trigger()
    assert sql("SELECT name FROM actors WHERE id = ?", quell_id) == [("Dara Quell",)]
    assert sql(said, velko_id)[0][0] == velko_quotes
    assert sql(said, quell_id)[0][0] == quell_quotes
    qtbot.waitUntil(lambda: table.model.total() == velko_quotes)


def test_split_and_edit_an_actor(qtbot, gwin, sql):
    panel = gwin.corpus_view.show_actors()
    panel.create_from_names()
    panel.search.setText("Amara Velko")
    panel.table.selectRow(0)
    assert panel.name.text() == "Amara Velko"
    n = panel.mentions.rowCount()
    assert n >= 2
    panel.mentions.selectRow(0)
    panel.split_mentions(name="Velko (other)")
    new_id = sql("SELECT id FROM actors WHERE name = 'Velko (other)'")[0][0]
    assert sql("SELECT count(*) FROM spans WHERE actor_id = ?", new_id)[0][0] == 1
    assert panel.name.text() == "Velko (other)"
    panel.role.setText("defence minister")
    panel.external_id.setText("Q42")
    qtbot.mouseClick(panel.buttons["save"], Qt.MouseButton.LeftButton)
    assert sql("SELECT role, external_id FROM actors WHERE id = ?", new_id) == [
        ("defence minister", "Q42")]


def test_overview_charts_and_a_click_filters_the_table(qtbot, gwin, sql):
    gwin.corpus_view.show_actors().create_from_names()
    overview = gwin.corpus_view.show_overview()
    qtbot.waitUntil(lambda: overview.data is not None, timeout=10000)
    ov = overview.data
    (docs,) = sql("SELECT count(*) FROM documents")[0]
    assert sum(sum(s.values()) for s in ov.documents.values()) == docs
    (events,) = sql("SELECT count(*) FROM spans WHERE label = 'EVENT' AND status = 'accepted'")[0]
    assert sum(sum(s.values()) for s in ov.events.values()) == events
    sources = overview.charts["sources"]
    assert list(sources.bars) == ["mentions"]
    assert len(overview.charts["speakers"].bars) == 1
    qtbot.waitUntil(lambda: sources.plotItem.vb.width() > 100)  # laid out

    # click the top threat source's bar (the largest is drawn on top): the Threats table shows
    # that actor's threats
    top = ov.sources[0]
    point = sources.bar_point(("mentions", len(ov.sources) - 1))
    assert sources.viewport().rect().contains(point)
    qtbot.mouseClick(sources.viewport(), Qt.MouseButton.LeftButton, pos=point)
    table = gwin.corpus_view.tables["threats"]
    assert gwin.corpus_view.tabs.currentWidget() is table
    assert table.model.query.actor_id == top["actor_id"]
    settled(qtbot, table)
    source_threats = sql("SELECT count(DISTINCT t.id) FROM spans t JOIN relations r ON"
                         " r.head_id = t.id AND r.role IN ('SOURCE', 'TARGET') JOIN spans x ON"
                         " x.id = r.tail_id WHERE t.label = 'THREAT' AND x.actor_id = ?",
                         top["actor_id"])[0][0]
    assert table.model.total() == source_threats >= top["count"]
    (name,) = sql("SELECT name FROM actors WHERE id = ?", top["actor_id"])[0]
    assert table.model.rowCount() > 0
    assert all(name in (s, t) for s, t in zip(cells(table, "source"), cells(table, "target")))

    # a click beside the bars (the empty right end of the plot) filters nothing
    box = sources.plotItem.vb.sceneBoundingRect()
    beside = sources.mapFromScene(box.right() - 3, box.top() + 3)
    qtbot.mouseClick(sources.viewport(), Qt.MouseButton.LeftButton, pos=beside)
    assert table.model.query.actor_id == top["actor_id"]
    assert gwin.corpus_view.tables["events"].model.query.category in ("", None)

    # an events-by-type bar (stacked): the Events table of that type in that period
    etype = next(t for t in ov.events if t not in ("other", "(no type)"))
    period = next(i for i, key in enumerate(ov.periods) if ov.events[etype].get(key))
    events = overview.charts["events"]
    point = events.bar_point((etype.replace("_", " "), period))
    qtbot.mouseClick(events.viewport(), Qt.MouseButton.LeftButton, pos=point)
    events_table = gwin.corpus_view.tables["events"]
    assert gwin.corpus_view.tabs.currentWidget() is events_table
    assert events_table.model.query.category == etype
    settled(qtbot, events_table)
    assert events_table.model.total() == ov.events[etype][ov.periods[period]]
    assert set(cells(events_table, "type")) == {etype}
    first, last = period_range(ov.period, ov.periods[period])
    assert all(first <= day <= last for day in cells(events_table, "published"))


def test_filter_lists_fill_from_a_background_job(qtbot, gwin, sql):
    """Listing actors and categories reads every span: the window runs it as a job and fills
    the lists when it ends; a filter set from code before that shows what it filters on."""
    gwin.actions.show_speakers.trigger()
    table = gwin.corpus_view.tables["quotes"]
    qtbot.waitUntil(lambda: not gwin.runner.running("table_choices"))
    gwin.session.store.create_actor("Dara Quell")  # the analyst adds an actor to the registry
    (actor_id, name), = sql("SELECT id, name FROM actors ORDER BY id LIMIT 1")
    table.fill_choices()
    assert gwin.runner.running("table_choices"), "listed on the UI thread"
    table.set_filters(actor_id=actor_id)  # before the lists came back
    assert table.actor_box.currentText() == name and table.model.query.actor_id == actor_id
    qtbot.waitUntil(lambda: not gwin.runner.running("table_choices"))
    acts = {table.actor_box.itemData(i) for i in range(table.actor_box.count())}
    (n,) = sql("SELECT count(*) FROM actors")[0]
    assert len(acts) == min(n, 2000) + 1  # "Any actor" and every listed actor, once
    assert table.actor_box.currentData() == actor_id  # the filter survived the refill
    cats = {table.category_box.itemData(i) for i in range(1, table.category_box.count())}
    assert cats == {r[0] for r in sql("SELECT DISTINCT json_extract(attrs, '$.speech_act')"
                                      " FROM spans WHERE label = 'QUOTE'"
                                      " AND json_extract(attrs, '$.speech_act') IS NOT NULL")}
