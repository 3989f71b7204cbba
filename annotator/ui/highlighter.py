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
"""

from __future__ import annotations

import heapq
from itertools import pairwise

from PySide6.QtGui import (
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, Span
from annotator.ui.colours import LabelColours
from annotator.ui.overlay import LONG_SPAN, is_long
from annotator.ui.span_index import Entry, SpanIndex

# Format property that names what a run of text shows, e.g. "accepted:PERSON|suggested:QUOTE".
# Tests and accessibility read it; painting does not depend on it.
SPAN_PROPERTY = QTextFormat.Property.UserProperty + 1


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, colours: LabelColours):
        self.index: SpanIndex | None = None
        self.colours = colours
        self.show_rejected = False
        self.hidden: frozenset[str] = frozenset()  # labels of the hidden layers
        self._formats: dict[tuple, QTextCharFormat] = {}
        super().__init__(document)

    def set_colours(self, colours: LabelColours) -> None:
        self.colours = colours
        self._formats.clear()

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
