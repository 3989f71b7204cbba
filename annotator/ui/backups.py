"""Rolling backups of the open project, and File > Restore Backup….

`Backups` makes a copy (services.backups.make_backup) when a project opens and then every
`backup/interval_minutes` minutes (annotator/settings.py; 0 turns the periodic copies off),
keeping the newest `backup/keep`. Each copy is a background job (TaskRunner) with its own Store,
so the UI never waits for it.

Restoring lists the backups (newest first, date/time and size), asks for confirmation, closes the
project (the `close_project` it was given), calls services.backups.restore_backup (which first
backs up the current state, so a restore can itself be undone) and reopens the project on the
document that was open (`reopen_project`). It never holds the window.
`choose_backup` and `confirm_restore` are module functions so tests can replace the two modal
dialogs.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.services.backups import list_backups, restore_backup
from annotator.settings import Settings
from annotator.store import StoreError
from annotator.ui.feedback import Feedback
from annotator.ui.jobs import BACKUP, backup_job
from annotator.ui.plain import esc
from annotator.ui.session import Session
from annotator.ui.tasks import TaskRunner
from annotator.ui.workers import Worker

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


# --- describing a backup ----------------------------------------------------------------------


def backup_time(backup: Path, db_path: Path) -> datetime:
    """When a backup was made: from its name (`<stem>-YYYYmmdd-HHMMSS-ffffff.db`), else mtime."""
    stamp = backup.stem[len(db_path.stem) + 1:]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return datetime.fromtimestamp(backup.stat().st_mtime)


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # not reached


def describe(backup: Path, db_path: Path) -> str:
    try:
        size = human_size(backup.stat().st_size)
    except OSError:
        size = "?"
    return f"{backup_time(backup, db_path):%Y-%m-%d  %H:%M:%S}    {size}"


# --- the dialogs (replaced in tests) --------------------------------------------------------------


class BackupList(QListWidget):
    """Backups of one project, each named by its date (`describe`), its path in the tooltip: the
    list of the Restore dialog and of the damaged-project dialog."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("backupList")
        self.setAccessibleName("Backups")

    def add(self, backup: Path, db_path: Path, note: str = "", enabled: bool = True) -> None:
        item = QListWidgetItem(f"{describe(backup, db_path)}    {note}" if note else describe(backup, db_path))
        item.setData(PATH_ROLE, str(backup))
        item.setToolTip(str(backup))
        if not enabled:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.addItem(item)

    def chosen(self) -> Path | None:
        item = self.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None


class RestoreDialog(QDialog):
    """The project's backups, newest first; Restore takes the selected one."""

    def __init__(self, backups: list[Path], db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore Backup")
        self.setObjectName("restoreDialog")
        layout = QVBoxLayout(self)
        note = QLabel(f"Backups of <b>{esc(db_path.name)}</b>, newest first. The project as it is now "
                      "is backed up before it is replaced, so a restore can be undone.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = BackupList()
        for backup in backups:
            self.list.add(backup, db_path)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Restore\u2026")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 340)

    def chosen(self) -> Path | None:
        return self.list.chosen()


def choose_backup(parent: QWidget, backups: list[Path], db_path: Path) -> Path | None:
    dialog = RestoreDialog(backups, db_path, parent)
    return dialog.chosen() if dialog.exec() else None


def confirm_restore(parent: QWidget, backup: Path, db_path: Path) -> bool:
    when = f"{backup_time(backup, db_path):%Y-%m-%d %H:%M:%S}"
    answer = QMessageBox.question(
        parent, "Restore backup",
        f"Replace {db_path.name} with the backup of {when}?"
        "\n\nLabels made since then are replaced too; the project as it is now is backed up "
        "first, so you can restore it again from the same list.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


# --- the window's backups -------------------------------------------------------------------------


class Backups(QObject):
    made = Signal(object)  # Path of a new backup
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, prefs: Settings, feedback: Feedback, session: Session,
                 *, close_project: Callable[[], None],
                 reopen_project: Callable[[Path, int | None], bool],
                 parent: QObject | None = None):
        """`reopen_project(path, doc_id)` opens the project again on that document (False if it
        could not, having said why)."""
        super().__init__(parent)
        self.runner = runner
        self.prefs = prefs
        self.feedback = feedback
        self.session = session
        self.close_project = close_project
        self.reopen_project = reopen_project
        self.timer = QTimer(self)
        self.timer.setObjectName("backupTimer")
        self.timer.timeout.connect(self.backup_now)
        self._last_error = ""

    # settings

    def interval_ms(self) -> int:
        """0 = no periodic backups. Minutes may be fractional (tests use a fraction)."""
        minutes = self.prefs.get("backup/interval_minutes")
        return max(1, int(minutes * 60_000)) if minutes > 0 else 0

    def keep(self) -> int:
        return self.prefs.get("backup/keep")

    # rolling backups

    def project_opened(self) -> None:
        self.backup_now()
        interval = self.interval_ms()
        if interval:
            self.timer.start(interval)
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()

    @Slot()
    def backup_now(self) -> Worker | None:
        """Start a backup on a worker thread (not while one of this project runs, nor for a
        read-only file)."""
        store = self.session.store
        if store is None or store.read_only:
            return None
        if any(w.db_path == store.path for w in self.runner.running(BACKUP.name)):
            return None
        return self.runner.start(BACKUP, backup_job(self.keep()), on_done=self._made,
                                 on_failed=self._failed)

    @Slot(object)
    def _made(self, path) -> None:
        self._last_error = ""
        self.made.emit(path)

    @Slot(str)
    def _failed(self, message: str) -> None:
        if message != self._last_error:  # one box per new problem, not one every few minutes
            self.feedback.error("Backup failed",
                                f"{message}\n\nYour labels are saved in the project; only the "
                                "safety copy could not be made.")
        else:
            self.feedback.message(f"Backup failed again: {message}", 10000)
        self._last_error = message
        self.failed.emit(message)

    # restoring

    def _busy_tasks(self) -> list[Worker]:
        """Tasks reading or writing the project (pre-annotation, import, export)."""
        return [w for w in self.runner.running() if w.db_path is not None
                and w.name != BACKUP.name]

    def choose_and_restore(self) -> bool:
        """File > Restore Backup…: pick, confirm, restore."""
        path = self.session.path
        parent = self.feedback.parent
        if path is None:
            self.feedback.message("Open a project first.")
            return False
        backups = list_backups(path)
        if not backups:
            self.feedback.error("No backups yet", f"There are no backups of {path.name} yet.")
            return False
        backup = choose_backup(parent, backups, path)
        if backup is None or not confirm_restore(parent, backup, path):
            return False
        return self.restore(backup)

    def restore(self, backup: Path) -> bool:
        path, session = self.session.path, self.session
        if path is None:
            return False
        busy = self._busy_tasks()
        if busy:
            self.feedback.error("Cannot restore now",
                                f"Wait for the running task ({busy[0].name}) to finish, or cancel "
                                "it (Ctrl+.), then restore.")
            return False
        try:
            session.store.check_writable()  # locked by another program: say so, change nothing
        except StoreError as exc:
            self.feedback.error("Cannot restore the backup", str(exc))
            return False
        doc_id = session.doc.id if session.doc else None
        self.stop()
        self.runner.tasks.wait(BACKUP.name)  # a backup in flight has its own connection
        self.close_project()
        error = ""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            restore_backup(backup, path, timeout=self.prefs.get("database/busy_timeout_seconds"))
        except (StoreError, OSError, sqlite3.Error) as exc:
            error = str(exc) or type(exc).__name__
        except Exception as exc:  # noqa: BLE001 -- shown to the user; the project is reopened
            log.error("restore failed:\n%s", traceback.format_exc())
            error = f"{type(exc).__name__}: {exc}"
        finally:
            QApplication.restoreOverrideCursor()
        if not self.reopen_project(path, doc_id):
            return False  # it has said why
        if error:
            self.feedback.error("Cannot restore the backup", error)
            return False
        self.feedback.message(f"Restored the backup of "
                              f"{backup_time(backup, path):%Y-%m-%d %H:%M:%S}; "
                              "the previous state was backed up first.", 10000)
        return True
