"""The link-mode banner above the article: which span is being linked, to what, and the keys.

Link mode used to be a status-bar hint that vanished after six seconds; an analyst pressing L
by mistake could not tell why clicks stopped selecting. The banner stays while link mode lasts.
Its text comes from `link_targets.prompt` through `Review.link_prompt`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class LinkBanner(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("linkBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # the prompt quotes the article
        self.setAccessibleName("Link mode")
        self.setStyleSheet("QLabel#linkBanner { background: palette(highlight);"
                           " color: palette(highlighted-text); padding: 5px 10px;"
                           " font-weight: bold; }")
        self.hide()

    def show_prompt(self, text: str) -> None:
        """Show `text`; an empty text hides the banner (link mode ended)."""
        self.setText(text)
        self.setVisible(bool(text))
