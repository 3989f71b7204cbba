"""Window commands' keys keep working while a text field (a table's filter box) has focus.

A QLineEdit claims the keys of its platform's editing bindings before any shortcut sees them;
with the X11 bindings Ctrl+E is "end of line", so Ctrl+E (Export) did nothing while a corpus
table's filter box had focus. The field keeps what editing one line needs (typing, undo, the
clipboard, word moves); a Ctrl or Alt key that is a window command's goes to the command.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget

SK = QKeySequence.StandardKey
KEPT_BY_FIELDS = (SK.Undo, SK.Redo, SK.Copy, SK.Cut, SK.Paste, SK.SelectAll, SK.MoveToNextWord,
                  SK.MoveToPreviousWord, SK.SelectNextWord, SK.SelectPreviousWord,
                  SK.DeleteStartOfWord, SK.DeleteEndOfWord)
COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                     | Qt.KeyboardModifier.MetaModifier)


class WindowKeysInFields(QObject):
    """An application event filter for one window: refuses a text field's claim on the key of
    one of `actions` (window-wide commands), so the command's shortcut fires."""

    def __init__(self, window: QWidget, actions: list[QAction]):
        super().__init__(window)  # deleted with the window, which removes the filter
        self.window = window
        self.actions = actions
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride \
                or not isinstance(watched, QLineEdit | QAbstractSpinBox) \
                or watched.window() is not self.window:
            return False
        if not event.modifiers() & COMMAND_MODIFIERS or any(event.matches(k) for k in KEPT_BY_FIELDS):
            return False
        if self._command_key(QKeySequence(event.keyCombination())):
            event.ignore()  # not overridden: the shortcut map dispatches the command
            return True
        return False

    def _command_key(self, pressed: QKeySequence) -> bool:
        return any(action.isEnabled() and pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch
                   for action in self.actions
                   if action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
                   for seq in action.shortcuts())
