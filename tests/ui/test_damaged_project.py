"""A damaged project is never a dead end: the window says so and restores a backup; the CLI
names the file and the command; a failed save stops the window's writes and says what was lost."""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from annotator.domain import AnnotatedDocument, Document
from annotator.services.backups import list_backups, make_backup
from annotator.store import Store
from annotator.ui import recovery
from annotator.ui.main_window import MainWindow
from annotator.ui.recovery import DamagedDialog
from tests.reliability.checks import integrity
from tests.ui.conftest import ARTICLE, find, open_window, select

K = Qt.Key


def accepted(path) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT start, end, label FROM spans WHERE status = 'accepted' "
                            "ORDER BY start").fetchall()
    finally:
        conn.close()


def wreck(path, name: str = "spans", keep_header: int = 8) -> bytes:
    """Overwrite the root page of a table's or index's b-tree in a closed project (after its
    first `keep_header` bytes); the file's new bytes."""
    with Store(path) as store:
        store.to_single_file()
        root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                [name]).fetchone()[0]
        page = store.db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(root - 1) * page + keep_header:root * page] = b"\xa5" * (page - keep_header)
    path.write_bytes(bytes(data))
    return bytes(data)


@contextmanager
def disk_full(path):
    """Files of this process may not grow past the project's write-ahead log as it is now: the
    next commit's frames cannot be appended (EFBIG, what SQLite reports as a full disk)."""
    limit = Path(f"{path}-wal").stat().st_size
    old_limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limits[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limits)
        signal.signal(signal.SIGXFSZ, old_handler)


def labelled_project(path) -> None:
    with Store(path, annotator="tester") as store:
        doc = store.document_ids()[0]
        store.add_span(doc, *find(ARTICLE, "Rebels"), "NORP")
        make_backup(store)
        store.add_span(doc, *find(ARTICLE, "Norland"), "GPE")  # after the backup: lost


def test_opening_a_damaged_project_offers_the_newest_good_backup(qtbot, project, settings):
    labelled_project(project)
    (older,) = list_backups(project)
    newest = project.parent / "project.backups" / "project-29991231-235959-000000.db"
    newest.write_bytes(b"not a database at all " * 300)  # the newest backup is damaged too
    damaged = wreck(project)

    win = open_window(qtbot, project, settings)
    dialog = win.findChild(DamagedDialog, "damagedDialog")
    assert dialog is not None and dialog.isVisible()
    assert str(project) in dialog.findChild(QLabel, "damagedNote").text()
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(rows) == 2 and "damaged" in rows[0] and "passes the check" in rows[1]
    assert dialog.chosen() == older  # the newest that passes
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert win.session.store is not None and win.session.store.path == project
    assert accepted(project) == [(*find(ARTICLE, "Rebels"), "NORP")]
    assert integrity(project) == "ok"
    (aside,) = project.parent.glob("project.db.damaged-*")
    assert aside.read_bytes() == damaged  # kept, untouched
    # labelling goes on in the restored project
    select(win.view, *find(ARTICLE, "Norland"))
    qtbot.keyClick(win.view, K.Key_3)
    assert (*find(ARTICLE, "Norland"), "GPE") in accepted(project)


def test_damage_opening_does_not_read_is_found_in_the_background(qtbot, project, settings,
                                                                 monkeypatch):
    monkeypatch.setattr(recovery, "CHECK_BEFORE_OPENING_BYTES", 0)  # as for a big project
    labelled_project(project)
    wreck(project, "idx_spans_label", keep_header=0)  # an index the window does not read at once
    win = MainWindow(project, settings=settings, data_dir=project.parent / "data")
    qtbot.addWidget(win)
    win.show()  # (the dialog may take the focus before the window is ready for keys)
    qtbot.waitUntil(lambda: win.findChild(DamagedDialog, "damagedDialog") is not None)
    dialog = win.findChild(DamagedDialog, "damagedDialog")
    assert win.session.store is None  # closed before anything more was written
    assert "passes the check" in dialog.list.currentItem().text()
    assert len(list_backups(project)) == 1  # no backup was made of the damaged file
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert win.session.store is not None
    assert accepted(project) == [(*find(ARTICLE, "Rebels"), "NORP")]
    assert integrity(project) == "ok"
    assert len(list(project.parent.glob("project.db.damaged-*"))) == 1


def test_the_cli_names_the_damaged_file_and_the_way_out(project):
    labelled_project(project)
    damaged = wreck(project)
    out = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(project)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert str(project) in out.stderr and f"annotator recover {project}" in out.stderr
    damaged = project.read_bytes()  # (opening it may have switched it to WAL mode)

    out = subprocess.run([sys.executable, "-m", "annotator", "recover", str(project)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    aside, *side = sorted(project.parent.glob("project.db.damaged-*"))
    assert aside.read_bytes() == damaged
    assert all(f.name.startswith(aside.name) and f.name.endswith(("-wal", "-shm")) for f in side)
    assert accepted(project) == [(*find(ARTICLE, "Rebels"), "NORP")]


def test_a_failed_save_is_shown_names_the_label_and_stops_writes(qtbot, project, settings):
    win = open_window(qtbot, project, settings)
    doc = win.session.doc
    select(win.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(win.view, K.Key_5)  # saved
    before = accepted(project)
    select(win.view, *find(ARTICLE, "Amara Velko"))
    with disk_full(project):
        qtbot.keyClick(win.view, K.Key_1)  # PERSON
    box = win.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "PERSON" in box.text() and "Amara Velko" in box.text() and doc.title in box.text()
    assert "not saved" in box.text()
    assert win.storage_banner.isVisible()
    assert accepted(project) == before
    # further writes are refused until the project is reopened, even once space is back
    select(win.view, *find(ARTICLE, "Norland"))
    qtbot.keyClick(win.view, K.Key_3)
    assert accepted(project) == before
    assert win.session.store.read_only


def test_a_big_project_is_backed_up_once_its_background_check_passes(qtbot, project, settings,
                                                                     monkeypatch):
    monkeypatch.setattr(recovery, "CHECK_BEFORE_OPENING_BYTES", 0)
    win = open_window(qtbot, project, settings)
    qtbot.waitUntil(lambda: len(list_backups(project)) == 1)
    qtbot.waitUntil(lambda: not win.tasks.running())
    assert win.session.store is not None and win.findChild(DamagedDialog) is None


def test_a_project_file_deleted_under_the_window_stops_its_writes(qtbot, project, settings):
    win = open_window(qtbot, project, settings)
    qtbot.waitUntil(lambda: not win.tasks.running())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{project}{suffix}").unlink(missing_ok=True)  # e.g. a sync tool or a cleanup
    select(win.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(win.view, K.Key_5)
    box = win.findChild(QMessageBox, "errorBox")
    assert box is not None and "The label NORP on 'Rebels'" in box.text()
    assert "moved or deleted" in box.text()
    assert win.storage_banner.isVisible() and win.session.store.read_only
    assert not project.exists()  # nothing wrote a new, partial project in its place


def test_damage_met_opening_a_document_offers_the_backups(qtbot, project, settings):
    labelled_project(project)
    with Store(project) as store:  # a long third article: its text fills overflow pages
        doc = store.add_documents([AnnotatedDocument(Document(text="Talks went on. " * 2000,
                                                              title="Long talks"))])[0]
        store.to_single_file()
        pages = [n for (n,) in store.db.execute(
            "SELECT pageno FROM dbstat WHERE name = 'documents' AND pagetype = 'overflow'")]
        size = store.db.execute("PRAGMA page_size").fetchone()[0]
    win = open_window(qtbot, project, settings)  # checked and opened on the first document
    qtbot.waitUntil(lambda: not win.tasks.running())
    with open(project, "r+b") as disk:  # the disk goes bad under the open window
        for n in pages:
            disk.seek((n - 1) * size)
            disk.write(b"\xa5" * size)
    other = sqlite3.connect(project, isolation_level=None)  # a write elsewhere: the window's
    other.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('x', 'y')")  # page cache
    other.close()  # is stale now, so its next read goes to the disk
    win.open_document(doc)
    qtbot.waitUntil(lambda: win.findChild(DamagedDialog, "damagedDialog") is not None)
    assert win.session.store is None
    assert "malformed" in win.findChild(QLabel, "damagedNote").text()
