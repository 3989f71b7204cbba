"""Issue 21: the window keeps its locks on the open project, whatever file dialog it shows.

Qt's widget file dialog read every listed file to find its type, which dropped SQLite's POSIX
locks on the project; a CLI run beside the window then deleted the window's write-ahead log and
the two diverged. These tests open every file dialog of the real window on the project's own
folder, make each list it fully (the detail view: icons and the type column), and count this
process's locks on the project in /proc/locks (tests/reliability/checks.py).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QMessageBox, QPushButton

from tests.reliability.checks import integrity, lock_count
from tests.ui.conftest import ARTICLE, find, open_window, select

K = Qt.Key
WRAPPERS = ("ExportDialog", "AssignDialog")  # dialogs whose Browse… button opens a file dialog


class FileDialogWatch:
    """While it runs, each file dialog that opens lists its folder completely, then the locks
    on `project` are counted and the dialog is cancelled; the Export and Assign dialogs get
    their Browse… button clicked once, then are cancelled."""

    def __init__(self, project):
        self.project = project
        self.seen: list[tuple[str, str, int]] = []  # (title, folder, locks while it showed)
        self.browsed: set[int] = set()
        self.timer = QTimer(QApplication.instance())
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            self.list_fully(dialog)
        elif dialog is not None and type(dialog).__name__ in WRAPPERS:
            if id(dialog) in self.browsed:
                dialog.reject()
                return
            self.browsed.add(id(dialog))
            button = next(b for b in dialog.findChildren(QPushButton)
                          if b.text().replace("&", "") in ("Browse\u2026", "Choose\u2026"))
            QTimer.singleShot(0, button.click)

    def list_fully(self, dialog: QFileDialog) -> None:
        model = dialog.findChild(QFileSystemModel)
        root = model.index(dialog.directory().absolutePath())
        if model.rowCount(root) == 0:
            return  # still listing: look again at the next tick
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        for row in range(model.rowCount(root)):
            for column in range(model.columnCount(root)):
                index = model.index(row, column, root)
                model.data(index, Qt.ItemDataRole.DisplayRole)
                model.data(index, Qt.ItemDataRole.DecorationRole)
            model.type(model.index(row, 0, root))  # what the type column shows
        dialog.repaint()
        self.seen.append((dialog.windowTitle(), dialog.directory().absolutePath(),
                          lock_count(self.project)))
        dialog.reject()

    def stop(self) -> None:
        self.timer.stop()
        self.timer.deleteLater()


def open_every_file_dialog(qtbot, window, project) -> list[tuple[str, str, int]]:
    """Every file dialog the window has, each opened as the analyst opens it."""
    watch = FileDialogWatch(project)
    try:
        for name in ("new_project", "open_project", "import_files", "import_folder",
                     "team_merge", "team_assign", "choose_model_folder"):
            window.actions.by_name[name].trigger()
        for fmt in ("jsonl", "brat"):  # Browse… asks for a file, or for a folder
            window.prefs.set("export/format", fmt)
            window.actions.export.trigger()
        table = window.corpus_view.show_table("quotes")
        table.export_button.click()
        window.corpus_view.show_actors().buttons["export"].click()
        window.actions.train_model.trigger()
        train = window.learning.dialog
        next(b for b in train.findChildren(QPushButton) if "wse" in b.text()).click()
        train.close()
        qtbot.waitUntil(lambda: not window.runner.running())  # the train dialog's label counts
    finally:
        watch.stop()
    return watch.seen


@pytest.fixture
def folder(project, monkeypatch, settings):
    """The project's folder, where every dialog opens: the import folder, the working folder
    (where the table and actor exports and the model folder dialog start) and a subfolder, so
    that the folder-only dialogs list something too."""
    (project.parent / "articles").mkdir()
    (project.parent / "articles" / "a.txt").write_text("Talks resumed.", encoding="utf-8")
    settings.setValue("import/folder", str(project.parent))
    monkeypatch.chdir(project.parent)
    return project.parent


def test_no_file_dialog_drops_the_locks_on_the_open_project(qtbot, project, settings, folder):
    window = open_window(qtbot, project, settings)
    assert lock_count(project) == 1
    seen = open_every_file_dialog(qtbot, window, project)
    assert sorted(title for title, _, _ in seen) == sorted([
        "New project", "Open project", "Import articles", "Import a folder", "Export to",
        "Export into folder",
        "Merge packs", "Folder for the packs", "Folder with a trained spaCy pipeline",
        "Export table rows", "Export the actor registry", "Folder for the trained model"])
    assert {where for _, where, _ in seen} <= {str(folder), str(folder / f"{project.stem}-packs")}
    assert [(title, locks) for title, _, locks in seen] == [(title, 1) for title, _, _ in seen]
    assert lock_count(project) == 1
    window.close()


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=True)


def rows_in_another_process(path) -> list[list]:
    code = ("import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(json.dumps("
            "c.execute('SELECT id, doc_id, start, end, label, status FROM spans ORDER BY id')"
            ".fetchall())); c.close()")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         check=True, timeout=60)
    return json.loads(out.stdout)


def label(qtbot, window, words: str, key) -> None:
    """Select `words` of the article and press a label key, as the analyst does."""
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)  # after the dialogs and docks, focus is elsewhere
    select(window.view, *find(ARTICLE, words))
    qtbot.keyClick(window.view, key)


@pytest.mark.slow
def test_window_and_cli_agree_after_every_file_dialog(qtbot, project, settings, folder):
    """The issue's "Done when": labels in the window, every file dialog on the project's folder,
    the CLI reading and writing the project, more labels: one consistent file, seen alike."""
    window = open_window(qtbot, project, settings)
    store = window.session.store
    label(qtbot, window, "Rebels", K.Key_5)  # NORP
    open_every_file_dialog(qtbot, window, project)
    stats = json.loads(cli("stats", "--db", project, "--json").stdout)
    cli("import", folder / "articles" / "a.txt", "--db", project)  # a write beside the window
    label(qtbot, window, "Minister", K.Key_1)  # PERSON
    label(qtbot, window, "Rebels denied", K.Key_2)  # ORG
    window.actions.refresh.trigger()  # F5: the CLI's document shows in the window
    assert window.corpus_model.rowCount() == 4

    mine = [list(r) for r in store.db.execute(
        "SELECT id, doc_id, start, end, label, status FROM spans ORDER BY id").fetchall()]
    assert rows_in_another_process(project) == mine
    assert stats["documents"] == 3
    after = json.loads(cli("stats", "--db", project, "--json").stdout)
    del after["layers"]
    assert after == {k: v for k, v in store.stats().items() if k != "layers"}
    assert {(r[4], r[5]) for r in mine} >= {("NORP", "accepted"), ("PERSON", "accepted"),
                                            ("ORG", "accepted")}
    window.close()
    assert integrity(project) == "ok"
    assert rows_in_another_process(project) == mine  # what the window saw is what was kept


def test_dropping_the_project_file_on_the_window_is_refused_unopened(qtbot, window, project):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(project)), QUrl.fromLocalFile(f"{project}-wal")])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and "open project's own database" in box.text()
    assert str(project) in box.text()
    assert lock_count(project) == 1
    box.close()
    with sqlite3.connect(project) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3


def test_after_a_plugin_dropped_the_locks_the_window_saves_nowhere_else(qtbot, window, project):
    """Defence in depth: something else in the process (a plugin) drops the locks and a CLI run
    deletes the write-ahead log; the window's next label is refused with a message (it would
    have gone into a log nobody reads) and F5 says so too, instead of showing stale labels."""
    label(qtbot, window, "Rebels", K.Key_5)  # NORP
    open(project, "rb").close()  # what a plugin or a shell extension might do
    assert lock_count(project) == 0
    cli("stats", "--db", project)  # believes it is alone: checkpoints and deletes the log
    label(qtbot, window, "Minister", K.Key_1)  # PERSON
    assert "write-ahead log" in window.statusBar().currentMessage()
    window.actions.refresh.trigger()
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and "open it again" in box.text()
    box.close()
    window.close()
    assert integrity(project) == "ok"
    on_disk = {(row[4], row[5]) for row in rows_in_another_process(project)}
    assert ("NORP", "accepted") in on_disk and ("PERSON", "accepted") not in on_disk
