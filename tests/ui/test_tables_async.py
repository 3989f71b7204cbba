"""The analyst tables never query on the UI thread: proven by what happens, not by timing.

A real SQLite progress handler on the table's own query connection makes a sort wait inside
the query until the UI's heartbeat (a QTimer) has ticked twice: were the query on the UI
thread, no tick could come and the handler would give up. A late answer to an older header
click is held back by blocking the UI thread until the worker has sent it, then replaced.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt, QTimer

from annotator.services.samples import gold_paths, import_gold
from annotator.store import Store
from annotator.ui.tables.model import PAGE
from annotator.ui.tables.view import AnalysisTable


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "gold.db"
    with Store(path, annotator="setup") as store:
        assert import_gold(store).documents_added == len(gold_paths())
    with Store(path, annotator="analyst") as store:
        yield store


@pytest.fixture
def table(qtbot, project):
    widget = AnalysisTable("quotes")
    qtbot.addWidget(widget)
    widget.set_store(project)
    qtbot.waitUntil(lambda: not widget.model.busy(), timeout=10000)
    yield widget
    widget.shutdown()


def column(table, key: str) -> list[str]:
    i = table.model.column_keys().index(key)
    return [table.model.row(r).cells[i] for r in range(table.model.rowCount())]


def test_a_sort_runs_in_the_query_thread_while_the_ui_ticks(qtbot, table, project):
    worker = table.model.loader.worker
    assert worker.store.read_only and worker.store.path == project.path  # its own connection
    ticks, seen, proven = [0], set(), []
    cond = threading.Condition()

    def tick():
        with cond:
            ticks[0] += 1
            cond.notify_all()

    def in_query():  # SQLite calls it inside the running statement, on the querying thread
        seen.add(threading.get_ident())
        if not proven:
            with cond:
                start = ticks[0]
                proven.append(cond.wait_for(lambda: ticks[0] >= start + 2, timeout=10))
        return 0

    heartbeat = QTimer(interval=10)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    worker.store.db.conn.set_progress_handler(in_query, 1000)
    try:
        with qtbot.waitSignal(table.model.reloaded, timeout=20000):
            table.model.sort(table.model.column_keys().index("speaker"))
            assert table.count_label.text() == "Sorting\u2026"
            assert table.model.rowCount() == PAGE  # the old rows stay while it runs
    finally:
        heartbeat.stop()
        # Only once the worker is idle: setting a handler waits for the connection's mutex,
        # which a running statement holds while it needs the GIL for the handler.
        qtbot.waitUntil(lambda: not worker.busy, timeout=20000)
        worker.store.db.conn.set_progress_handler(None, 0)
    assert proven == [True]  # the UI ticked twice while the query was inside SQLite
    assert seen == {worker.thread_ident} and threading.get_ident() not in seen
    shown = [c.casefold() for c in column(table, "speaker") if c]
    assert shown and shown == sorted(shown)


def test_a_late_answer_to_an_older_query_is_dropped(qtbot, table, project):
    model = table.model
    sent, received = threading.Event(), []
    model.loader.worker.page.connect(lambda gen, page: sent.set(),
                                     Qt.ConnectionType.DirectConnection)  # in the worker
    model.loader.page.connect(lambda gen, page: received.append(gen))  # in the UI thread
    reloads = []
    model.reloaded.connect(lambda: reloads.append(model.query.sort))
    model.sort(model.column_keys().index("speaker"))
    older = model._gen
    assert sent.wait(10)  # the worker has sent the speaker-sorted rows; the UI has not seen them
    model.sort(model.column_keys().index("quote"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not model.busy(), timeout=10000)
    assert older in received  # the older answer did arrive, late
    assert reloads == ["quote"]  # and only the newer one replaced the rows
    expected = [r[0] for r in sqlite3.connect(project.path).execute(
        "SELECT s.id FROM spans s JOIN documents d ON d.id = s.doc_id WHERE s.label = 'QUOTE'"
        " AND s.status = 'accepted' ORDER BY substr(d.text, s.start + 1, s.end - s.start)"
        " COLLATE NOCASE DESC, s.doc_id, s.start, s.id LIMIT ?", [PAGE])]
    assert [model.row(r).span_id for r in range(model.rowCount())] == expected

def test_no_second_page_is_asked_for_while_one_is_on_its_way(qtbot, table, project):
    model = table.model
    (total,) = sqlite3.connect(project.path).execute(
        "SELECT count(*) FROM spans WHERE label = 'QUOTE' AND status = 'accepted'").fetchone()
    assert model.total() == total > PAGE and model.rowCount() == PAGE
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert not model.canFetchMore(model.index(-1, -1))  # pending
    assert "loading more" in table.count_label.text()
    qtbot.waitUntil(lambda: not model.busy(), timeout=10000)
    assert model.rowCount() == min(total, 2 * PAGE)
    ids = [model.row(r).span_id for r in range(model.rowCount())]
    assert len(set(ids)) == len(ids)  # no page twice
    model.fetch_all()
    qtbot.waitUntil(lambda: not model.busy(), timeout=10000)
    assert model.rowCount() == total and not model.canFetchMore(model.index(-1, -1))
    assert table.count_label.text() == f"{total:,} rows"
