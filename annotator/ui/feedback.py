"""Telling the user something: status-bar messages and error boxes that do not block.

Handed to every controller (tasks, models, backups, project files) instead of the window, so
they can speak without reaching into it. `parent` is the widget their dialogs open over.
A long message (many lines, e.g. every file an import refused) goes into a scrollable list
that can be copied and never grows taller than the screen, not into a message box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

LONG_LINES = 8  # more lines than this: a list dialog instead of a message box
LONG_CHARS = 800


class Feedback:
    def __init__(self, window: QMainWindow):
        self.parent = window

    def message(self, text: str, timeout: int = 6000) -> None:
        self.parent.statusBar().showMessage(text, timeout)

    def ask(self, title: str, text: str, choices: list[tuple[str, str]], default: str = "",
            detail: str = "") -> str | None:
        """A question with named answers: `choices` are (key, button text), the last one the
        cancel answer (also Esc). Returns the key chosen, None if cancelled."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, self.parent)
        box.setObjectName("questionBox")
        box.setTextFormat(Qt.TextFormat.PlainText)  # questions name files, documents, people
        if detail:
            box.setInformativeText(detail)
        buttons = {}
        for i, (key, label) in enumerate(choices):
            last = i == len(choices) - 1
            role = (QMessageBox.ButtonRole.RejectRole if last else
                    QMessageBox.ButtonRole.AcceptRole if i == 0 else
                    QMessageBox.ButtonRole.ActionRole)
            button = box.addButton(label, role)
            button.setObjectName(f"answer_{key}")
            buttons[button] = key
            if key == default:
                box.setDefaultButton(button)
            if last:
                box.setEscapeButton(button)
        box.exec()
        self.parent.activateWindow()  # keys go back to the window (not every platform does it)
        key = buttons.get(box.clickedButton())
        return None if key is None or key == choices[-1][0] else key

    def error(self, title: str, text: str) -> None:
        """In the status bar and in a window-modal box that does not block the caller."""
        lines = text.splitlines()
        if len(lines) > LONG_LINES or len(text) > LONG_CHARS:
            self.error_list(title, "", lines)
            return
        self.message(f"{title}: {text}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("errorBox")
        box.setTextFormat(Qt.TextFormat.PlainText)  # errors quote files and their lines
        box.open()

    def error_list(self, title: str, summary: str, items: list[str]):
        """A summary and every item, in a window-modal list dialog (not blocking)."""
        from annotator.ui.dialogs import ListDialog

        first = summary or (items[0] if items else "")
        self.message(f"{title}: {first}" if first else title, 10000)
        dialog = ListDialog(title, summary, items, self.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        return dialog
