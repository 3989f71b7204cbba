"""The link-mode banner over the article: which span is being linked, to what, and the keys.

A status-bar hint vanishes after a few seconds, and an analyst who pressed L by mistake could
not tell why clicks stop selecting: the banner stays while link mode lasts. It floats over the
bottom edge of the article instead of taking a row above it: a row would push the text down as
link mode starts, and the click aimed at a name would land a line off.
Its text comes from `link_targets.prompt` through `Review.link_prompt`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel


class LinkBanner(QLabel):
    def __init__(self, view: QAbstractScrollArea):
        super().__init__(view)  # a child of the scroll area, over its viewport: no layout row
        self.view = view
        self.setObjectName("linkBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # the prompt quotes the article
        self.setAccessibleName("Link mode")
        self.setStyleSheet("QLabel#linkBanner { background: palette(highlight);"
                           " color: palette(highlighted-text); padding: 5px 10px;"
                           " font-weight: bold; }")
        self.hide()
        view.installEventFilter(self)

    def show_prompt(self, text: str) -> None:
        """Show `text`; an empty text hides the banner (link mode ended)."""
        self.setText(text)
        if text:
            self._place()
            self.raise_()
        self.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        """Along the bottom edge of the viewport, its full width."""
        area = self.view.viewport().geometry()
        height = self.heightForWidth(area.width())
        height = height if height > 0 else self.sizeHint().height()
        self.setGeometry(area.left(), area.bottom() + 1 - height, area.width(), height)
