"""Opening a damaged project: say so in a window and offer the backups (services.recovery).

Damage is found before anything is written when the file is small enough for SQLite's
quick_check to be quick (up to CHECK_BEFORE_OPENING_BYTES: about half a second). A bigger project
opens at once and is checked on a worker thread (on 100,000 documents with 2 million labels,
917 MB, quick_check takes 4-8 s: too long to hold the window); until then, damage met reading
what opening needs (schema, history, the first document) is caught as it happens. Either way the
project is closed and the dialog offered.

The dialog is window-modal but not blocking (`open()`), so the window stays alive behind it and
tests drive it like a user. Restoring sets the damaged file aside and reopens the project.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.services.recovery import BackupState, as_damaged, check_backups, recover
from annotator.store import StoreError
from annotator.store.integrity import file_problem, is_corruption
from annotator.ui.backups import BackupList
from annotator.ui.feedback import Feedback
from annotator.ui.jobs import CHECK
from annotator.ui.session import Session
from annotator.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CHECK_BEFORE_OPENING_BYTES = 64 * 2**20


def check_before_opening(path: Path) -> bool:
    """Whether the window runs quick_check before it opens `path` (else in the background)."""
    try:
        return path.stat().st_size <= CHECK_BEFORE_OPENING_BYTES
    except OSError:
        return True  # a new project: nothing to read


def _state_text(state: BackupState) -> str:
    if state.problem is None:
        return "not checked"
    return "passes the check" if state.good else f"damaged: {state.problem}"


class DamagedDialog(QDialog):
    """The damaged file, what is wrong, and the backups (the newest that passes selected)."""

    def __init__(self, path: Path, problem: str, states: list[BackupState],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("damagedDialog")
        self.setWindowTitle("Project damaged")
        layout = QVBoxLayout(self)
        good = next((s for s in states if s.good), None)
        advice = ("Restore the newest backup that passes the check (selected below)? The damaged "
                  "file is kept aside, renamed, untouched." if good else
                  "No backup passes the check; you can try an unchecked one or close.")
        if not states:
            advice = "There are no backups of this project."
        note = QLabel(f"{path} is damaged and cannot be opened safely.\n\nSQLite says: "
                      f"{problem}\n\n{advice}")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setObjectName("damagedNote")
        layout.addWidget(note)
        self.list = BackupList()
        for state in states:  # one checked and failed cannot be chosen
            self.list.add(state.path, path, _state_text(state), enabled=not state.problem)
        if good is not None:
            self.list.setCurrentRow(states.index(good))
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("&Restore Selected Backup")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(bool(states))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def chosen(self) -> Path | None:
        return self.list.chosen()


class Recovery(QObject):
    """Checks the open project in the background; offers the backups of a damaged project and
    restores the one chosen."""

    passed = Signal()  # the open project's background check passed

    def __init__(self, feedback: Feedback, runner: TaskRunner, session: Session, *,
                 close: Callable[[], None], reopen: Callable[[Path], bool],
                 parent: QObject | None = None):
        """`close()` closes the open project and empties the window."""
        super().__init__(parent)
        self.feedback = feedback
        self.runner = runner
        self.session = session
        self.close = close
        self.reopen = reopen
        self.dialog: DamagedDialog | None = None
        self.banner = storage_banner()

    def offer_if_damaged(self, exc: StoreError, path: Path) -> bool:
        """Offer the backups if opening `path` failed because it is damaged; else False."""
        damaged = as_damaged(exc, path)
        if damaged is not None:
            self.offer(damaged.path, damaged.problem)
        return damaged is not None

    def damage_met(self, exc: sqlite3.DatabaseError) -> None:
        """SQLite met damage while the window read the open project (opening it, or a
        document): close it, offer the backups. Any other database error is raised again."""
        if not is_corruption(exc):
            raise exc
        path = self.close_damaged()
        if path is not None:
            self.offer(path, str(exc))

    def close_damaged(self) -> Path | None:
        """Close the open project, writing nothing more to it; its path (None if none)."""
        path = self.session.path
        if self.session.store is not None:
            self.session.store.read_only = True
        self.close()
        return path

    @Slot(str)
    def storage_failed(self, text: str) -> None:
        """A save failed (Session.storage_failed): a box now, and a banner that stays until the
        project is reopened (the window hides it on every opening)."""
        self.banner.setText(f"Not saved: {text.splitlines()[0]} This window no longer saves "
                            "changes; reopen the project once the problem is fixed.")
        self.banner.show()
        self.feedback.error("Not saved", text)

    def check_in_background(self, path: Path) -> None:
        self.runner.start(CHECK, lambda _progress, _cancelled: (path, file_problem(path)),
                          on_done=self._checked, on_failed=self._check_failed)

    @Slot(object)
    def _checked(self, outcome: tuple[Path, str]) -> None:
        """On the UI thread (a slot of this QObject, so the worker's signal is queued)."""
        path, problem = outcome
        if self.session.path != path:
            return  # closed or another project opened meanwhile
        if not problem:
            self.passed.emit()
        else:  # close it before the file is set aside
            self.close_damaged()
            self.offer(path, problem)

    @Slot(str)
    def _check_failed(self, message: str) -> None:
        log.error("checking the project failed: %s", message)

    def offer(self, path: Path, problem: str) -> DamagedDialog:
        log.error("%s is damaged: %s", path, problem)
        states = check_backups(path)
        dialog = DamagedDialog(path, problem, states, self.feedback.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._restore(path, dialog.chosen()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _restore(self, path: Path, backup: Path | None) -> None:
        if backup is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            damaged = recover(path, backup)
        except (StoreError, OSError) as exc:
            self.feedback.error("Cannot restore the backup", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        if self.reopen(path):
            self.feedback.message(f"Restored {backup.name}; the damaged file is kept as "
                                  f"{damaged.name}.", 15000)


def storage_banner() -> QLabel:
    """The window's persistent notice that a save failed (hidden until one does)."""
    banner = QLabel()
    banner.setObjectName("storageBanner")
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setWordWrap(True)
    banner.setStyleSheet("QLabel { background: #b3261e; color: white; padding: 6px; }")
    banner.hide()
    return banner
