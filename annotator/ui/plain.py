"""Strings from articles, files and colleagues shown as text, never interpreted as HTML.

Qt renders a QLabel or a tooltip as rich text when the string merely looks like HTML: an article
containing `<img src="/local.png" width=2000>` drew an image from disk in the details panel.
So a label showing user strings is PlainText, a tooltip with user strings goes through `tip`,
and the few rich lines (bold headings, coloured names) escape every user part with `esc`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def esc(value: object) -> str:
    """A user string inside rich text: shown as written."""
    return html.escape(str(value))


def plain(label: QLabel) -> QLabel:
    """Make a label show its text as written, whatever it looks like."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    return plain(QLabel(text, parent))


def tip(text: str) -> str:
    """A tooltip that shows `text` as written. Qt renders tooltips as rich text when they look
    like HTML, and has no plain-text switch for them: such text is escaped and wrapped (keeping
    its line breaks); any other text is returned as is."""
    if "<" not in text and "&" not in text:
        return text
    return f"<p style='white-space:pre-wrap'>{esc(text)}</p>"
