"""Two windows on one project, View > Refresh (F5), and a project another program keeps locked."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.domain import AnnotatedDocument, Document
from annotator.store import Store
from tests.ui.conftest import ARTICLE, SECOND, find, formats_at, open_window, select

K = Qt.Key


def make_settings(tmp_path, name: str) -> QSettings:
    s = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    s.setValue("annotator/name", name)
    return s


def use(qtbot, win) -> None:
    """Bring a window to the front with the article focused, as clicking into it would."""
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win and win.view.hasFocus())


def label(qtbot, win, words: str, key) -> None:
    use(qtbot, win)
    select(win.view, *find(ARTICLE, words))
    qtbot.keyClick(win.view, key)


def refresh(qtbot, win) -> None:
    use(qtbot, win)
    qtbot.keyClick(win, K.Key_F5)


def stored(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT doc_id, start, end, label, status, annotator FROM spans"
                            " ORDER BY doc_id, start, end, label").fetchall()
    finally:
        conn.close()


def shown(win) -> set[tuple]:
    return {(s.doc_id, s.start, s.end, s.label, s.status, s.annotator)
            for s in win.session.spans.values()}


def test_refresh_and_restore_are_in_the_menus(window):
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert window.actions.refresh in menus["&View"].actions()
    assert window.actions.refresh.shortcut().toString() == "F5"
    assert window.actions.restore_backup in menus["&File"].actions()


def test_two_windows_on_one_database(qtbot, project, tmp_path):
    one = open_window(qtbot, project, make_settings(tmp_path, "one"))
    two = open_window(qtbot, project, make_settings(tmp_path, "two"))
    doc = one.session.doc.id
    assert two.session.doc.id == doc
    rebels = find(ARTICLE, "Rebels")

    label(qtbot, one, "Rebels", K.Key_5)  # NORP in the first window
    assert formats_at(one.view, *rebels) == ["accepted:NORP"]
    assert formats_at(two.view, *rebels) == []  # the second has not re-read yet
    refresh(qtbot, two)
    assert formats_at(two.view, *rebels) == ["accepted:NORP"]
    assert two.counts_label.text().startswith("1 accepted")
    assert two.corpus_model.data(two.corpus_model.index(0, 3)) == 1

    # the second accepts a suggestion; the first sees it after its refresh
    use(qtbot, two)
    qtbot.keyClick(two.view, K.Key_Tab)
    velko = two.session.selected_span()
    assert ARTICLE[velko.start:velko.end] == "Amara Velko"
    qtbot.keyClick(two.view, K.Key_Return)
    assert formats_at(one.view, velko.start, velko.end) == ["suggested:PERSON"]
    refresh(qtbot, one)
    assert formats_at(one.view, velko.start, velko.end) == ["accepted:PERSON"]
    assert one.counts_label.text().startswith("2 accepted")

    # both go on labelling, each refreshes: nothing lost, nothing twice
    label(qtbot, one, "the claim", K.Key_C)
    label(qtbot, two, "Port Ilse", K.Key_3)  # a suggestion already: accepted, not duplicated
    label(qtbot, two, "denied", K.Key_E)
    refresh(qtbot, one)
    refresh(qtbot, two)
    rows = stored(project)
    assert len(rows) == len(set((r[:4]) for r in rows))  # no duplicate spans
    assert shown(one) == shown(two) == {r for r in rows if r[0] == doc}
    accepted = {(ARTICLE[s:e], lab, who) for d, s, e, lab, st, who in rows if st == "accepted"}
    assert accepted == {("Rebels", "NORP", "one"), ("Amara Velko", "PERSON", "two"),
                        ("the claim", "CUE", "one"), ("Port Ilse", "GPE", "two"),
                        ("denied", "EVENT", "two")}
    with Store(project) as db:
        assert len(db.actions()) == 5
    for win in (one, two):
        for text, lab, _who in accepted:
            assert formats_at(win.view, *find(ARTICLE, text)) == [f"accepted:{lab}"]
    one.close()
    two.close()


def test_refresh_shows_documents_added_elsewhere(qtbot, window, db):
    db.add_documents([AnnotatedDocument(Document(text="A fourth article from the CLI."))])
    assert window.corpus_model.rowCount() == 3
    refresh(qtbot, window)
    assert window.corpus_model.rowCount() == 4
    assert "of 4" in window.position_label.text()


def test_refresh_after_another_window_undid_a_label(qtbot, project, tmp_path):
    one = open_window(qtbot, project, make_settings(tmp_path, "one"))
    two = open_window(qtbot, project, make_settings(tmp_path, "two"))
    label(qtbot, one, "Rebels", K.Key_5)
    refresh(qtbot, two)
    use(qtbot, one)
    qtbot.keyClick(one, K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(project) and all(r[4] == "suggested" for r in stored(project))
    refresh(qtbot, two)
    assert formats_at(two.view, *find(ARTICLE, "Rebels")) == []
    assert two.session.selected is None and two.details.span is None
    one.close()
    two.close()


# --- a project another program holds the write lock on -----------------------------------------


@pytest.fixture
def locked(request):
    """Hold BEGIN IMMEDIATE on a path from another connection (another program writing)."""
    held = []

    def lock(path):
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.append(conn)
        return conn

    yield lock
    for conn in held:
        conn.execute("ROLLBACK")
        conn.close()


def error_box(win) -> QMessageBox | None:
    return win.findChild(QMessageBox, "errorBox")


@pytest.mark.parametrize("kind", ["project", "new file"])
def test_opening_a_write_locked_project_says_so(qtbot, project, tmp_path, settings, locked,
                                                kind):
    from annotator.ui.main_window import MainWindow

    path = project if kind == "project" else tmp_path / "new.db"
    blocker = locked(path)
    settings.setValue("database/busy_timeout_seconds", 0.2)
    win = MainWindow(path, settings=settings)
    qtbot.addWidget(win)
    box = error_box(win)
    assert box is not None and box.windowTitle() == "Cannot open project"
    assert str(path) in box.text() and "in use by another program" in box.text()
    assert win.session.store is None and win.view.text == ""
    assert not win.tasks.running("backup")
    # once the other program lets go, the same project opens
    blocker.execute("ROLLBACK")
    assert win.open_project(path)
    assert win.session.store is not None
    blocker.execute("BEGIN IMMEDIATE")  # for the fixture's ROLLBACK
    win.close()


def test_a_locked_project_leaves_the_open_one_open(qtbot, window, tmp_path, locked, db):
    other = tmp_path / "other.db"
    with Store(other) as store:
        store.add_documents([AnnotatedDocument(Document(text=SECOND))])
    window.settings.setValue("database/busy_timeout_seconds", 0.2)
    locked(other)
    assert not window.open_project(other, create=False)
    assert "in use by another program" in error_box(window).text()
    assert window.view.text == ARTICLE and window.session.path.name == "project.db"
    # and labelling goes on in the project that stayed open
    select(window.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(window.view, K.Key_5)
    assert [s.label for s in db.spans(window.session.doc.id, ("accepted",))] == ["NORP"]


def test_restore_while_another_program_writes_says_so(qtbot, window, project, locked):
    from annotator.services.backups import list_backups

    qtbot.waitUntil(lambda: not window.tasks.running("backup"))
    (backup,) = list_backups(project)
    window.session.store.db.conn.execute("PRAGMA busy_timeout = 200")
    locked(project)
    assert not window.backups.restore(backup)
    box = error_box(window)
    assert box is not None and "in use by another program" in box.text()
    assert window.session.store is not None and window.view.text == ARTICLE
    assert len(list_backups(project)) == 1
