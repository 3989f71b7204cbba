"""Room between the article's lines for label tags and stacked underlines, and between paragraphs.

QPlainTextDocumentLayout ignores QTextBlockFormat margins and line heights, and QTextEdit's
layout is the slow one for long articles. So this keeps the plain layout (lazy, per block) and
only moves its lines: after the plain layout has laid a block out, each line is put `above`
pixels below the previous one (the tag row), and the block's rectangle grows by `below` under
its last line (the underlines) plus `paragraph` over its first (paragraph spacing). A blank
line gets none of these (nor does the paragraph after it): with them every blank line between
paragraphs became a gap of three lines. A line no span touches (`marked`, any status) gets no tag
row and no underline room either, and a line a span only runs through (a quote's second line)
gets underline room but no tag row: a row on every line doubled the pitch of the text. Spans are
there before the analyst acts (suggestions), so accepting or rejecting one moves no text; only a
first label starting on a line without one opens its row. The text,
its blocks and positions are untouched: offsets still map through annotator/offsets.py, and
hit-testing, the caret and selections follow the lines where they now are (QPlainTextEdit asks
the layout for line positions and block rectangles).

`blockBoundingRect` is the virtual every caller of the layout goes through (painting, scrolling,
hit-testing, the scroll bar range), so moving the lines there keeps every caller consistent.
For the same reason the highlighter formats blocks there (`before_layout`), lazily: only the
blocks something looks at get their formats, just before they are laid out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout


@dataclass(frozen=True)
class Spacing:
    above: float = 0.0  # over every line a span starts in: the row the label tags sit in
    below: float = 0.0  # under every line a span touches: room for stacked underlines
    paragraph: float = 0.0  # extra over each paragraph but the first


class SpacedLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.spacing = Spacing()
        # called with each block before its rectangle is given (the highlighter's `ensure`)
        self.before_layout: Callable[[QTextBlock], None] | None = None
        # for a line's [start, end) (UTF-16 document positions): whether a span starts in it
        # (its tag needs the row) and whether one touches it (underlines); None: every line both
        self.marked: Callable[[int, int], tuple[bool, bool]] | None = None
        # block number -> (marks version, line count, last line's y, room under it) as placed:
        # a block painted again skips asking `marked` for each of its lines
        self._placed: dict[int, tuple[int, int, float, float]] = {}
        self._marks_version = 0

    def marks_changed(self) -> None:
        """The spans changed: which lines have rows is asked again as blocks are laid out."""
        self._marks_version += 1
        self._placed.clear()

    def set_spacing(self, spacing: Spacing) -> None:
        """New room between lines; every block is laid out again (lazily, as it shows)."""
        if spacing == self.spacing:
            return
        self.spacing = spacing
        self._placed.clear()
        doc = self.document()
        doc.markContentsDirty(0, doc.characterCount())

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        if self.before_layout is not None:
            self.before_layout(block)
        rect = super().blockBoundingRect(block)  # lays the block out if it is not yet
        s = self.spacing
        if not (s.above or s.below or s.paragraph) or not block.isVisible():
            return rect
        if _blank(block):
            return rect  # a blank line holds no tag and no underline: one plain line high
        layout = block.layout()
        count = layout.lineCount()
        placed = self._placed.get(block.blockNumber())
        # The plain layout puts lines at their natural places when it lays a block out again;
        # with the same line count the last line is lower only where this layout moved it.
        if placed and placed[:2] == (self._marks_version, count) \
                and layout.lineAt(count - 1).y() == placed[2]:
            rect.setHeight(rect.height() + placed[3])
            return rect
        after_text = block.blockNumber() and not _blank(block.previous())
        y = s.paragraph if after_text else 0.0  # a blank line before is the space
        moved, below = False, 0.0
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            tagged, touched = self._line_marked(block, line)
            below = s.below if touched else 0.0
            y += s.above if tagged else 0.0
            if line.y() != y:
                line.setPosition(QPointF(line.x(), y))
                moved = True
            y += line.height() + below
        if moved:
            rect = super().blockBoundingRect(block)
        if count:
            self._placed[block.blockNumber()] = (self._marks_version, count,
                                                 layout.lineAt(count - 1).y(), below)
        rect.setHeight(rect.height() + below)
        return rect

    def _line_marked(self, block: QTextBlock, line) -> tuple[bool, bool]:
        if self.marked is None:
            return True, True
        start = block.position() + line.textStart()
        return self.marked(start, start + max(1, line.textLength()))


def _blank(block: QTextBlock) -> bool:
    return block.isValid() and block.length() <= 1
