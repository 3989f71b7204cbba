"""Opening a damaged project: say so in a window and offer the backups (services.recovery).

The dialog is window-modal but not blocking (`open()`), so the window stays alive behind it and
tests drive it like a user. Restoring sets the damaged file aside and reopens the project.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services.recovery import BackupState, check_backups, recover
from annotator.store import StoreError
from annotator.ui.backups import PATH_ROLE, describe
from annotator.ui.feedback import Feedback

log = logging.getLogger(__name__)


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
        self.list = QListWidget()
        self.list.setObjectName("backupList")
        self.list.setAccessibleName("Backups")
        for state in states:
            item = QListWidgetItem(f"{describe(state.path, path)}    {_state_text(state)}")
            item.setData(PATH_ROLE, str(state.path))
            item.setToolTip(str(state.path))
            if state.problem:  # checked and failed: cannot be chosen
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
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
        item = self.list.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None


class Recovery:
    """Offers the backups of a damaged project and restores the one chosen."""

    def __init__(self, feedback: Feedback, reopen: Callable[[Path], bool]):
        self.feedback = feedback
        self.reopen = reopen
        self.dialog: DamagedDialog | None = None

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
