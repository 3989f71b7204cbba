"""Rolling backups made by the window, and File > Restore Backup… driven on the real window."""

from __future__ import annotations

import sqlite3
import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.services.backups import backup_folder, list_backups
from annotator.store import Store
from annotator.ui import backups as backups_ui
from annotator.ui.backups import RestoreDialog
from tests.ui.conftest import ARTICLE, find, formats_at, open_window, select, spans_by_text

K = Qt.Key


def idle(qtbot, window) -> None:
    """Wait until no backup is running (the one started when the project opened)."""
    qtbot.waitUntil(lambda: not window.tasks.running("backup"))


def labels_in(path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        doc_text = conn.execute("SELECT text FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        return [(doc_text[s:e], label) for s, e, label in conn.execute(
            "SELECT start, end, label FROM spans WHERE status = 'accepted' ORDER BY start")]
    finally:
        conn.close()


def test_opening_a_project_makes_a_backup_off_the_ui_thread(qtbot, project, settings,
                                                           monkeypatch):
    threads = []
    real_job = backups_ui.backup_job

    def recording_job(keep):
        job = real_job(keep)

        def run(store, progress, cancelled):
            threads.append(threading.get_ident())
            return job(store, progress, cancelled)

        return run

    monkeypatch.setattr(backups_ui, "backup_job", recording_job)
    win = open_window(qtbot, project, settings)
    idle(qtbot, win)
    (backup,) = list_backups(project)
    assert backup.parent == backup_folder(project)
    assert threads and threading.get_ident() not in threads
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    finally:
        conn.close()
    assert win.backups.timer.isActive() and win.backups.timer.interval() == 10 * 60_000
    assert not win.cancel_button.isVisible()  # a backup is not a task the user waits for
    win.close()


def test_backups_repeat_on_the_interval_and_roll(qtbot, project, settings):
    settings.setValue("backup/interval_minutes", 0.001)  # 60 ms
    settings.setValue("backup/keep", 2)
    win = open_window(qtbot, project, settings)
    made = []
    win.backups.made.connect(made.append)
    qtbot.waitUntil(lambda: len(made) >= 3)
    win.backups.stop()
    idle(qtbot, win)
    assert len(list_backups(project)) == 2
    assert list_backups(project)[0] == made[-1]
    win.close()


def test_interval_zero_turns_the_timer_off(qtbot, project, settings):
    settings.setValue("backup/interval_minutes", 0)
    win = open_window(qtbot, project, settings)
    idle(qtbot, win)
    assert not win.backups.timer.isActive()
    assert len(list_backups(project)) == 1  # the one at opening
    win.close()


def test_restore_dialog_lists_backups_newest_first_with_date_and_size(qtbot, window, project):
    idle(qtbot, window)
    with qtbot.waitSignal(window.backups.made):
        window.backups.backup_now()
    idle(qtbot, window)
    backups = list_backups(project)
    dialog = RestoreDialog(backups, project, window)
    qtbot.addWidget(dialog)
    items = [dialog.list.item(i) for i in range(dialog.list.count())]
    assert [it.toolTip() for it in items] == [str(b) for b in backups]
    assert backups[0].stat().st_mtime >= backups[1].stat().st_mtime
    stamp = backups_ui.backup_time(backups[0], project)
    assert items[0].text().startswith(f"{stamp:%Y-%m-%d  %H:%M:%S}")
    assert items[0].text().rstrip().endswith(("KB", "bytes", "MB"))
    assert dialog.chosen() == backups[0]
    dialog.list.setCurrentRow(1)
    assert dialog.chosen() == backups[1]


def test_restore_brings_back_the_earlier_labels(qtbot, window, project, monkeypatch):
    view = window.view
    doc = window.session.doc.id
    idle(qtbot, window)
    (opening,) = list_backups(project)
    select(view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(view, K.Key_5)  # NORP
    with qtbot.waitSignal(window.backups.made) as made:
        window.backups.backup_now()
    earlier = made.args[0]
    idle(qtbot, window)
    # later: the label is deleted and another one made
    qtbot.keyClick(view, K.Key_Delete)
    select(view, *find(ARTICLE, "the claim"))
    qtbot.keyClick(view, K.Key_C)
    assert labels_in(project) == [("the claim", "CUE")]

    offered = []
    monkeypatch.setattr(backups_ui, "choose_backup",
                        lambda parent, backups, db_path: offered.append(backups) or earlier)
    monkeypatch.setattr(backups_ui, "confirm_restore", lambda parent, backup, db_path: True)
    window.actions.restore_backup.trigger()

    assert offered == [[earlier, opening]]  # newest first
    assert labels_in(project) == [("Rebels", "NORP")]
    with Store(project) as db:
        (span,) = spans_by_text(db, doc, "Rebels")
        assert not spans_by_text(db, doc, "the claim")
    # the window reopened the project on the same document and shows the restored labels
    assert window.session.store is not None and window.session.doc.id == doc
    assert formats_at(view, *find(ARTICLE, "Rebels")) == ["accepted:NORP"]
    assert formats_at(view, *find(ARTICLE, "the claim")) == []
    assert window.counts_label.text().startswith("1 accepted")
    assert window.corpus_model.data(window.corpus_model.index(0, 3)) == 1
    # the state just before the restore was kept: restoring can be undone
    idle(qtbot, window)
    assert any(labels_in(b) == [("the claim", "CUE")] for b in list_backups(project))
    # labelling goes on in the restored project
    select(view, *find(ARTICLE, "Norland"))
    qtbot.keyClick(view, K.Key_3)
    assert ("Norland", "GPE") in labels_in(project)


def test_restore_is_cancelled_at_the_confirmation(qtbot, window, project, monkeypatch):
    idle(qtbot, window)
    (backup,) = list_backups(project)
    select(window.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(window.view, K.Key_5)
    monkeypatch.setattr(backups_ui, "choose_backup", lambda *a: backup)
    monkeypatch.setattr(backups_ui, "confirm_restore", lambda *a: False)
    window.actions.restore_backup.trigger()
    assert labels_in(project) == [("Rebels", "NORP")]
    assert len(list_backups(project)) == 1


def test_restoring_a_damaged_backup_is_a_clear_message(qtbot, window, project, monkeypatch):
    idle(qtbot, window)
    select(window.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(window.view, K.Key_5)
    junk = backup_folder(project) / f"{project.stem}-29991231-235959-000000.db"
    junk.write_bytes(b"not a database " * 500)
    monkeypatch.setattr(backups_ui, "choose_backup", lambda parent, backups, db_path: backups[0])
    monkeypatch.setattr(backups_ui, "confirm_restore", lambda *a: True)
    window.actions.restore_backup.trigger()
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.windowTitle() == "Cannot restore the backup"
    assert str(junk) in box.text()
    # nothing changed, and the project is open again
    assert labels_in(project) == [("Rebels", "NORP")]
    assert window.session.store is not None
    assert formats_at(window.view, *find(ARTICLE, "Rebels")) == ["accepted:NORP"]


def test_restore_waits_for_a_running_task(qtbot, window, project, monkeypatch):
    idle(qtbot, window)
    (backup,) = list_backups(project)
    release = threading.Event()
    from annotator.ui.workers import Worker

    worker = Worker(lambda store, progress, cancelled: release.wait(30), db_path=project,
                    name="import")
    window.tasks.start(worker)
    try:
        assert not window.backups.restore(backup)
        box = window.findChild(QMessageBox, "errorBox")
        assert box is not None and "import" in box.text()
        assert window.session.store is not None
    finally:
        release.set()
        window.tasks.wait()


def test_no_backups_is_said(qtbot, project, settings, monkeypatch):
    settings.setValue("backup/interval_minutes", 0)
    win = open_window(qtbot, project, settings)
    idle(qtbot, win)
    for b in list_backups(project):
        b.unlink()
    monkeypatch.setattr(backups_ui, "choose_backup",
                        lambda *a: (_ for _ in ()).throw(AssertionError("no dialog")))
    win.actions.restore_backup.trigger()
    box = win.findChild(QMessageBox, "errorBox")
    assert box is not None and box.windowTitle() == "No backups yet"
    win.close()
