"""Telling the user something: status-bar messages and error boxes that do not block.

Handed to every controller (tasks, models, backups, project files) instead of the window, so
they can speak without reaching into it. `parent` is the widget their dialogs open over.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox


class Feedback:
    def __init__(self, window: QMainWindow):
        self.parent = window

    def message(self, text: str, timeout: int = 6000) -> None:
        self.parent.statusBar().showMessage(text, timeout)

    def error(self, title: str, text: str) -> None:
        """In the status bar and in a window-modal box that does not block the caller."""
        self.message(f"{title}: {text}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("errorBox")
        box.open()
