"""The first step, shown over the article area while the project has no documents.

A new user starts on an empty project of their own (the samples live in a separate demo
project), so the empty article area says what to do and offers it: import files or a folder,
drop files, or open the demo. It lies over the article view's viewport instead of replacing
the view, so the keyboard focus and drops stay where they are.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

FIRST_STEP = ("Import articles (Ctrl+I) or drop files here; "
              "or open the demo project (Help).")


class EmptyState(QWidget):
    def __init__(self, host: QWidget, actions: list[QAction]):
        """`host`: the widget to cover (the article view's viewport); `actions`: the buttons."""
        super().__init__(host)
        self.setObjectName("emptyState")
        self.heading = QLabel("This project has no articles yet")
        self.heading.setObjectName("emptyStateHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.text = QLabel(FIRST_STEP)
        self.text.setObjectName("emptyStateText")
        self.text.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.buttons = []
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (self.heading, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.hide()

    def set_shown(self, shown: bool, no_project: bool = False) -> None:
        self.heading.setText("No project is open" if no_project
                             else "This project has no articles yet")
        self.text.setText("Create or open a project (File menu), or open the demo project "
                          "(Help)." if no_project else FIRST_STEP)
        self.setGeometry(self.parentWidget().rect())
        self.setVisible(shown)
        if shown:
            self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self.setGeometry(self.parentWidget().rect())
        return False
