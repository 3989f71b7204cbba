"""Paints spans as character formats, one text block at a time: the fills only.

Accepted short spans (names, dates, phrases): a filled background of the label colour; where
they nest, the inner one's fill wins. Suggestions: a faint tint. Long spans (quotes, clauses:
`overlay.is_long`) get no fill at all, so what is inside them stays readable; the overlay draws
them as underlines and margin bars, and draws every span's tag and the stacked underlines that
tell nested and stacked spans apart (ui/overlay.py). Rejected spans are hidden unless
`show_rejected`, then struck through in a muted colour; spans of a hidden layer are not shown.

Each block finds its spans by binary search in the SpanIndex, and the block is cut at every span
boundary so overlapping spans compose instead of overwriting each other. A change re-highlights
only the blocks its old and new ranges touch.

Lazy: a QSyntaxHighlighter formats every block of the document whenever the text is set (most
of the cost of opening a long article). This one formats a block only when the view's layout
(ui/spacing.py) is about to lay it out, i.e. when it is painted, hit-tested or scrolled to; each
block remembers (in its user state) the generation it was formatted for, and a full
re-highlight (new spans, colours, layers) only starts a new generation and marks the layout
dirty. `formats(block)` formats a block now, for whoever reads formats off screen.
"""

from __future__ import annotations

import heapq
from itertools import pairwise

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
    QTextLayout,
)

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, Span
from annotator.ui.colours import LabelColours
from annotator.ui.overlay import LONG_SPAN, is_long
from annotator.ui.span_index import Entry, SpanIndex

# Format property that names what a run of text shows, e.g. "accepted:PERSON|suggested:QUOTE".
# Tests and accessibility read it; painting does not depend on it.
SPAN_PROPERTY = QTextFormat.Property.UserProperty + 1


class SpanHighlighter(QObject):
    def __init__(self, document: QTextDocument, colours: LabelColours):
        super().__init__(document)
        self._document = document
        self.index: SpanIndex | None = None
        self.colours = colours
        self.show_rejected = False
        self.hidden: frozenset[str] = frozenset()  # labels of the hidden layers
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._generation = 0  # blocks whose user state differs are formatted again
        self._block = QTextBlock()
        self._ranges: list[QTextLayout.FormatRange] = []
        self.invalidate()
        # New text (the view is read-only: only setPlainText) makes every block stale, also
        # blocks laid out while the text was being replaced (they keep their user state).
        document.contentsChange.connect(self.invalidate)

    def set_colours(self, colours: LabelColours) -> None:
        self.colours = colours
        self._formats.clear()

    def document(self) -> QTextDocument:
        return self._document

    # --- lazy formatting --------------------------------------------------------------------------

    def invalidate(self, *_change) -> None:
        """Every block is stale: each is formatted again when it is next laid out."""
        self._generation = self._generation % 1_000_000_000 + 1  # block states start at -1

    def ensure(self, block: QTextBlock) -> None:
        """Format the block if it is stale (the layout calls this before laying a block out)."""
        if block.userState() != self._generation and block.isValid():
            self._format(block)

    def formats(self, block: QTextBlock) -> list[QTextLayout.FormatRange]:
        """The block's format ranges, formatting it first if it is stale."""
        self.ensure(block)
        return block.layout().formats()

    def _format(self, block: QTextBlock) -> None:
        self._block, self._ranges = block, []
        self.highlightBlock(block.text())
        block.setUserState(self._generation)
        block.layout().setFormats(self._ranges)  # drops the block's lines: laid out afresh
        self._block, self._ranges = QTextBlock(), []

    def currentBlock(self) -> QTextBlock:
        """The block being formatted (inside highlightBlock)."""
        return self._block

    def setFormat(self, start: int, length: int, fmt: QTextCharFormat) -> None:
        r = QTextLayout.FormatRange()
        r.start, r.length, r.format = start, length, fmt
        self._ranges.append(r)

    def rehighlight(self) -> None:
        """Re-highlight everything, lazily: what is on screen is formatted as it is painted."""
        self.invalidate()
        doc = self._document
        doc.markContentsDirty(0, doc.characterCount())

    def rehighlightBlock(self, block: QTextBlock) -> None:
        """Format one block now and lay it out again."""
        if block.isValid():
            self._format(block)
            self._document.markContentsDirty(block.position(), block.length())

    # --- painting one block ---------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:
        if self.index is None or not len(self.index):
            return
        block = self.currentBlock()
        bstart = block.position()
        bend = bstart + block.length() - 1  # UTF-16 units, separator excluded
        entries = self.index.overlapping(bstart, bend)
        if self.hidden or not self.show_rejected:
            hidden, rejected_too = self.hidden, self.show_rejected
            entries = [e for e in entries if (rejected_too or e.span.status != REJECTED)
                       and e.span.label not in hidden]
        if not entries:
            return
        # Fast path, the usual case: no two spans of the block overlap.
        reach = bstart
        for e in entries:
            if e.start < reach:
                break
            reach = e.end
        else:
            formats, single = self._formats, self._single
            for e in entries:
                a, b = max(e.start, bstart), min(e.end, bend)
                key = (e.span.label, e.span.status, e.end - e.start > LONG_SPAN)
                self.setFormat(a - bstart, b - a, formats.get(key) or single(*key))
            return
        cuts = sorted({max(e.start, bstart) for e in entries} | {min(e.end, bend) for e in entries})
        active: dict[int, Entry] = {}
        ends: list[tuple[int, int]] = []
        i = 0
        for a, b in pairwise(cuts):
            while i < len(entries) and max(entries[i].start, bstart) <= a:
                e = entries[i]
                active[e.id] = e
                heapq.heappush(ends, (e.end, e.id))
                i += 1
            while ends and ends[0][0] <= a:
                active.pop(heapq.heappop(ends)[1], None)
            if active:
                self.setFormat(a - bstart, b - a, self._format_for(active.values()))

    def _single(self, label: str, status: str, long: bool) -> QTextCharFormat:
        fmt = self._formats.get((label, status, long))
        if fmt is None:
            end = 2 * LONG_SPAN if long else 1
            fmt = self._formats[(label, status, long)] = self._format_for(
                [Entry(0, end, Span(None, 0, end, label, status))])
        return fmt

    def _format_for(self, cover) -> QTextCharFormat:
        by_len = sorted(cover, key=lambda e: (e.end - e.start, e.start))
        short = [e for e in by_len if not is_long(e.start, e.end)]
        acc = [e.span.label for e in by_len if e.span.status == ACCEPTED]
        sug = [e.span.label for e in by_len if e.span.status == SUGGESTED]
        rej = [e.span.label for e in by_len if e.span.status == REJECTED]
        fill = next((e.span.label for e in short if e.span.status == ACCEPTED), None)
        tint = next((e.span.label for e in short if e.span.status == SUGGESTED), None)
        key = (fill, tint if fill is None else None, bool(rej) and not acc and not sug,
               tuple(f"accepted:{x}" for x in acc) + tuple(f"suggested:{x}" for x in sug)
               + tuple(f"rejected:{x}" for x in rej))
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._make_format(*key)
        return fmt

    def _make_format(self, fill: str | None, tint: str | None, rejected_only: bool,
                     names: tuple[str, ...]) -> QTextCharFormat:
        c = self.colours
        fmt = QTextCharFormat()
        fmt.setProperty(SPAN_PROPERTY, "|".join(names))
        if fill:
            fmt.setBackground(c.fill(fill))
        elif tint:
            fmt.setBackground(c.tint(tint))
        if rejected_only:
            fmt.setFontStrikeOut(True)
            fmt.setForeground(c.muted)
        return fmt

    # --- targeted updates ------------------------------------------------------------------------

    def rehighlight_range(self, start: int, end: int) -> None:
        """Re-highlight the blocks that [start, end) (UTF-16) touches."""
        doc = self.document()
        block = doc.findBlock(start)
        last = doc.findBlock(max(start, end - 1))
        while block.isValid():
            self.rehighlightBlock(block)
            if block == last:
                break
            block = block.next()
