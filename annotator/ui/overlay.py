"""What is drawn over the article's text, computed for the lines on screen only.

A `Scene` is plain geometry in viewport coordinates: label tags (brat style, in the row the
spaced layout leaves over every line), stacked underlines (one level per nesting depth, so two
labels over the same words show two lines of their own colours), margin bars for spans over
more than one line, frames (selected, linked, link candidate) and arcs from the selected span to
the spans it is linked to, with the role on each. ui/overlay_paint.py draws a Scene; tests read
it to check what an analyst would see.

Which spans are "long" (bar + underline instead of a fill) is decided in `is_long`, shared with
the highlighter so the fill and the overlay agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF, QPainterPath

from annotator.domain import ACCEPTED

if TYPE_CHECKING:
    from annotator.ui.article_view import ArticleView
    from annotator.ui.span_index import Entry

LONG_SPAN = 40  # UTF-16 units: longer spans (quotes, clauses) are drawn as lines, not fills
TAG_GAP = 3.0  # horizontal room between two tags
ARROW_UP, ARROW_DOWN = "\u2191", "\u2193"


def is_long(start: int, end: int) -> bool:
    return end - start > LONG_SPAN


@dataclass(frozen=True)
class Link:
    """How the selected span relates to another: role, direction, suggested or accepted."""

    role: str
    outgoing: bool | None = None  # True: selected -> other; None: unknown / symmetric
    suggested: bool = False


@dataclass
class Segment:
    """One line's piece of a span."""

    rect: QRectF  # the text line's box over the span's characters
    baseline: float
    line: int  # index of the visual line on screen, top to bottom


@dataclass
class Tag:
    span_id: int
    label: str
    text: str  # the label, or its abbreviation where tags crowd
    rect: QRectF
    status: str
    selected: bool = False


@dataclass
class Underline:
    span_id: int
    label: str
    x1: float
    x2: float
    y: float
    level: int
    status: str


@dataclass
class Bar:
    span_id: int
    label: str
    x: float
    top: float
    bottom: float
    status: str


@dataclass
class Frame:
    span_id: int
    kind: str  # "selected", "linked", "candidate"
    rects: list[QRectF]
    label: str = ""


@dataclass
class Arc:
    head_id: int  # the selected span
    tail_id: int
    role: str
    start: QPointF
    end: QPointF
    path: QPainterPath
    label_rect: QRectF
    arrow_at_end: bool | None  # True: arrow at `end`; False: at `start`; None: no arrow
    suggested: bool = False
    edge: int = 0  # -1/+1: the other span is above/below the screen (drawn to the edge)
    text: str = ""  # what the chip says: the role, and for an edge arc where the span is


@dataclass
class Scene:
    segments: dict[int, list[Segment]] = field(default_factory=dict)
    tags: list[Tag] = field(default_factory=list)
    underlines: list[Underline] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    arcs: list[Arc] = field(default_factory=list)

    def tag_of(self, span_id: int) -> Tag | None:
        return next((t for t in self.tags if t.span_id == span_id), None)

    def underlines_of(self, span_id: int) -> list[Underline]:
        return [u for u in self.underlines if u.span_id == span_id]

    def bars_of(self, span_id: int) -> list[Bar]:
        return [b for b in self.bars if b.span_id == span_id]

    def arc_to(self, span_id: int) -> Arc | None:
        return next((a for a in self.arcs if a.tail_id == span_id), None)


@dataclass(frozen=True)
class Metrics:
    """Sizes of the overlay for the view's font (they scale with the text zoom)."""

    tag_height: float
    underline_step: float
    underline_offset: float
    bar_width: float
    bar_step: float

    @classmethod
    def for_font(cls, fm: QFontMetricsF, tag_fm: QFontMetricsF) -> Metrics:
        h = fm.height()
        return cls(tag_height=round(tag_fm.height()) + 1.0,
                   underline_step=max(2.5, round(h * 0.16, 1)),
                   underline_offset=max(1.5, round(fm.descent() * 0.4, 1)),
                   bar_width=max(2.0, round(h * 0.14)), bar_step=max(3.5, round(h * 0.24)))


# --- building the scene ------------------------------------------------------------------------


def build_scene(view: ArticleView) -> Scene:
    scene = Scene()
    entries = view.visible_entries()
    if not entries:
        _add_arcs(view, scene, {})
        return scene
    segments = _segments(view, entries)
    scene.segments = segments
    on_screen = [e for e in entries if e.id in segments]
    levels = _levels(on_screen)
    m = view.metrics
    stacked = _overlapped(on_screen)
    for e in on_screen:
        long = is_long(e.start, e.end)
        segs = segments[e.id]
        if long or e.id in stacked or e.span.status != ACCEPTED:
            for seg in segs:
                y = seg.baseline + m.underline_offset + levels[e.id] * m.underline_step
                scene.underlines.append(Underline(e.id, e.span.label, seg.rect.left(),
                                                  seg.rect.right(), y, levels[e.id],
                                                  e.span.status))
        if long and len({s.line for s in segs}) > 1:
            scene.bars.append(Bar(e.id, e.span.label, 0.0, segs[0].rect.top(),
                                  segs[-1].rect.bottom(), e.span.status))
    _place_bars(view, scene.bars, levels)
    if view.show_tags:
        scene.tags = _tags(view, on_screen, segments)
    _add_frames(view, scene, segments)
    _add_arcs(view, scene, segments)
    return scene


def _segments(view: ArticleView, entries: list[Entry]) -> dict[int, list[Segment]]:
    """Each visible span's pieces, one per visual line it covers on screen."""
    out: dict[int, list[Segment]] = {}
    offset = view.contentOffset()
    height = view.viewport().height()
    block = view.firstVisibleBlock()
    line_no = 0
    while block.isValid():
        geo = view.blockBoundingGeometry(block).translated(offset)
        if geo.top() > height:
            break
        if block.isVisible() and geo.bottom() >= 0:
            layout = block.layout()
            bpos = block.position()
            here = view.index.overlapping(bpos, bpos + block.length())
            here = [e for e in here if view.visible(e)]
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                ls, le = line.textStart(), line.textStart() + line.textLength()
                top = geo.top() + line.y()
                for e in here:
                    a, b = max(e.start - bpos, ls), min(e.end - bpos, le)
                    if a >= b:
                        continue
                    x1, x2 = _x(line.cursorToX(a)), _x(line.cursorToX(b))
                    rect = QRectF(min(x1, x2) + geo.left(), top, abs(x2 - x1), line.height())
                    out.setdefault(e.id, []).append(
                        Segment(rect, top + line.ascent(), line_no))
                line_no += 1
        block = block.next()
    return out


def _x(value) -> float:
    return value[0] if isinstance(value, tuple) else float(value)


def _levels(entries: list[Entry]) -> dict[int, int]:
    """Underline depth: 0 for a span with nothing inside, else one more than the deepest
    shorter span it overlaps (two spans over the same words: the later id goes deeper)."""
    order = sorted(entries, key=lambda e: (e.end - e.start, e.id))
    levels: dict[int, int] = {}
    placed: list[Entry] = []
    for e in order:
        inner = [levels[f.id] for f in placed if f.start < e.end and e.start < f.end]
        levels[e.id] = 1 + max(inner) if inner else 0
        placed.append(e)
    return levels


def _overlapped(entries: list[Entry]) -> set[int]:
    """Spans that share characters with another span on screen (stacked or nested)."""
    out: set[int] = set()
    by_start = sorted(entries, key=lambda e: e.start)
    for i, e in enumerate(by_start):
        for f in by_start[i + 1:]:
            if f.start >= e.end:
                break
            out.update((e.id, f.id))
    return out


def _place_bars(view: ArticleView, bars: list[Bar], levels: dict[int, int]) -> None:
    """Bars in the left margin, nested ones further in; outermost at the margin's edge."""
    if not bars:
        return
    m = view.metrics
    left = view.document().documentMargin() - m.bar_width - 8.0
    columns: dict[int, int] = {}
    for bar in sorted(bars, key=lambda b: -levels[b.span_id]):
        used = {columns[o.span_id] for o in bars if o.span_id in columns
                and o.top < bar.bottom and bar.top < o.bottom}
        col = next(c for c in range(len(bars) + 1) if c not in used)
        columns[bar.span_id] = col
        bar.x = max(1.0, left - col * m.bar_step)


def _tags(view: ArticleView, entries: list[Entry], segments: dict[int, list[Segment]]) -> list[Tag]:
    """A tag over the first character of each span whose start is on screen; tags in one row
    never overlap (later ones move right, crowded ones shorten to three letters)."""
    fm = QFontMetricsF(view.tag_font)
    pad = 4.0
    starts = []
    for e in entries:
        first = segments[e.id][0]
        if e.start < view.visible_start:
            continue  # the span starts above the screen: no tag to show
        starts.append((first.line, first.rect.left(), -(e.end - e.start), e.id, e, first))
    starts.sort(key=lambda t: t[:4])
    tags: list[Tag] = []
    h = view.metrics.tag_height
    right_edge = view.viewport().width() - 2.0
    for i, (line, x, _neg, _id, e, seg) in enumerate(starts):
        label = e.span.label
        text = label
        nxt = starts[i + 1] if i + 1 < len(starts) and starts[i + 1][0] == line else None
        full = fm.horizontalAdvance(label) + 2 * pad
        prev = tags[-1] if tags and starts[i - 1][0] == line else None
        left = max(x, prev.rect.right() + TAG_GAP) if prev is not None else x
        if nxt is not None and full > seg.rect.width() + 2:
            # Cut only when the next tag, moved right, would leave its own words: a full tag
            # that merely pushes the next one along a longer span stays whole.
            nxt_min = fm.horizontalAdvance(nxt[4].span.label[:3]) + 2 * pad
            if left + full + TAG_GAP > nxt[5].rect.right() - nxt_min:
                text = label[:3]
        w = fm.horizontalAdvance(text) + 2 * pad
        left = min(left, right_edge - w)
        top = seg.rect.top() - h - 1.0
        tags.append(Tag(e.id, label, text, QRectF(left, top, w, h), e.span.status,
                        e.id == view.selected_id))
    return tags


def _add_frames(view: ArticleView, scene: Scene, segments: dict[int, list[Segment]]) -> None:
    def rects(span_id: int) -> list[QRectF]:
        return [s.rect for s in segments.get(span_id, [])]

    for span_id in view.related:
        entry = view.index.get(span_id)
        if entry is not None and span_id in segments:
            scene.frames.append(Frame(span_id, "linked", rects(span_id), entry.span.label))
    if view.selected_id in segments:
        scene.frames.append(Frame(view.selected_id, "selected", rects(view.selected_id)))
    if view.link_candidate in segments:
        scene.frames.append(Frame(view.link_candidate, "candidate", rects(view.link_candidate)))


def _anchor(scene: Scene, segments: dict[int, list[Segment]], span_id: int) -> QPointF | None:
    tag = scene.tag_of(span_id)
    if tag is not None:
        return QPointF(tag.rect.center().x(), tag.rect.top())
    segs = segments.get(span_id)
    if not segs:
        return None
    return QPointF(segs[0].rect.center().x(), segs[0].rect.top())


def _add_arcs(view: ArticleView, scene: Scene, segments: dict[int, list[Segment]]) -> None:
    """One arc per span linked to the selected one: from tag to tag, bowed upwards, the role
    in a chip at its middle; a span off screen gets an arc to the screen's edge instead."""
    head = view.selected_id
    if head is None or not view.related or head not in segments:
        return
    start = _anchor(scene, segments, head)
    fm = QFontMetricsF(view.tag_font)
    pitch = view.line_pitch()
    height, width = view.viewport().height(), view.viewport().width()
    ends = []
    for tail, link in view.links().items():
        entry = view.index.get(tail)
        if entry is None or not view.visible(entry):
            continue
        end = _anchor(scene, segments, tail)
        edge = 0
        if end is None:
            edge = -1 if entry.start < view.visible_start else 1
        ends.append((edge, abs(end.x() - start.x()) if end is not None else 0.0, tail, link,
                     entry, end))
    ends.sort(key=lambda t: t[:3])
    low = view.metrics.tag_height * 0.55  # the arc's top stays in the gap over the tags
    h = view.metrics.tag_height
    n_edge = 0
    chips: list[QRectF] = []
    lines = _text_lines(view)
    for n, (edge, _dx, tail, link, entry, end) in enumerate(ends):
        lift = low + n * 3.0
        if edge:
            n_edge += 1
            end = QPointF(min(start.x() + 28.0 * n_edge, width - 40.0),
                          2.0 if edge < 0 else height - 2.0)
        path = QPainterPath(start)
        if edge:  # up (or down) to the screen's edge, towards where the other span is
            path.cubicTo(QPointF(start.x(), start.y() - pitch),
                         QPointF(end.x(), end.y() + pitch * -edge), end)
        else:
            top = min(start.y(), end.y()) - lift * 4 / 3  # a cubic peaks at 3/4 of its lift
            path.cubicTo(QPointF(start.x(), top), QPointF(end.x(), top), end)
        text = link.role
        if edge:
            words = view.text[entry.span.start:entry.span.end].split()
            edge_text = " ".join(words[:4]) + (" \u2026" if len(words) > 4 else "")
            text = f"{link.role} {ARROW_UP if edge < 0 else ARROW_DOWN} {edge_text}"
        w = fm.horizontalAdvance(text) + 8.0
        if edge:
            label = QRectF(min(end.x() + 4.0, width - w - 2.0),
                           2.0 if edge < 0 else height - h - 2.0, w, h)
        else:
            in_row = _chip_in_row(start, end, text, fm, h=h, scene=scene, taken=chips + lines)
            if in_row is None:
                in_row = _chip_off_text(path, text, fm, h=h, scene=scene, taken=chips,
                                        lines=lines, width=width)
            label, text = in_row if in_row is not None else (_chip(path, w, h, chips), text)
        chips.append(label)
        scene.arcs.append(Arc(head, tail, link.role, start, end, path, label, link.outgoing,
                              link.suggested, edge, text))


def _chip_in_row(start: QPointF, end: QPointF, text: str, fm: QFontMetricsF, *, h: float,
                 scene: Scene, taken: list[QRectF]) -> tuple[QRectF, str] | None:
    """A link between two spans of one line: its chip (and text) in that line's tag row, under
    the arc and between the two tags, shortened to three letters as crowded tags are when the
    role does not fit (brat does the same). At the arc's peak it would cover the text of the
    line above. None: the row has no room there either."""
    if abs(start.y() - end.y()) >= 1.0:
        return None
    for shown in (text, text[:3]):
        w = fm.horizontalAdvance(shown) + 8.0
        rect = QRectF((start.x() + end.x() - w) / 2, start.y(), w, h)
        if not any(rect.intersects(t.rect) for t in scene.tags) \
                and not any(rect.intersects(o) for o in taken):
            return rect, shown
    return None


def _text_lines(view: ArticleView) -> list[QRectF]:
    """The box of every visual line's text on screen: what a role chip must not cover."""
    out = []
    offset, height = view.contentOffset(), view.viewport().height()
    block = view.firstVisibleBlock()
    while block.isValid():
        geo = view.blockBoundingGeometry(block).translated(offset)
        if geo.top() > height:
            break
        layout = block.layout()
        for i in range(layout.lineCount()):
            rect = layout.lineAt(i).naturalTextRect().translated(geo.topLeft())
            if rect.width() > 0:
                out.append(rect)
        block = block.next()
    return out


def _chip_off_text(path: QPainterPath, text: str, fm: QFontMetricsF, *, h: float, scene: Scene,
                   taken: list[QRectF], lines: list[QRectF], width: float
                   ) -> tuple[QRectF, str] | None:
    """A link between lines: its chip on the arc where that crosses no text, else in a tag row
    between the two ends (nearest the arc's middle), never over words, tags or another chip:
    at the arc's middle "TARGET" sat on "Khawaja". Shortened to three letters (the tooltip
    names it) only where the whole role fits nowhere. None: nowhere free."""
    def free(rect: QRectF) -> bool:
        return 0.0 <= rect.left() and rect.right() <= width \
            and not any(rect.intersects(r) for r in lines) \
            and not any(rect.intersects(t.rect) for t in scene.tags) \
            and not any(rect.intersects(o) for o in taken)

    a, b, mid = path.pointAtPercent(0.0), path.pointAtPercent(1.0), path.pointAtPercent(0.5)
    low, high = min(a.y(), b.y()) - h - 1.5, max(a.y(), b.y()) + 0.5  # an end without a tag
    rows = {r.top() - h - 1.0 for r in lines} | {a.y(), b.y()}  # starts at its line's top
    rows = sorted(rows, key=lambda r: (not low <= r <= high, abs(r - mid.y())))
    rows = rows[:sum(low <= r <= high for r in rows) + 4]  # and the nearest four others
    for shown in (text, text[:3]):
        w = fm.horizontalAdvance(shown) + 8.0
        for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
            p = path.pointAtPercent(t)
            rect = QRectF(p.x() - w / 2, p.y() - h / 2, w, h)
            if free(rect):
                return rect, shown
        for top in rows:
            for k in range(int(width // (w / 2)) + 1):
                dx = (k + 1) // 2 * (w / 2) * (1 if k % 2 else -1)
                rect = QRectF(mid.x() - w / 2 + dx, top, w, h)
                if free(rect):
                    return rect, shown
    return None


def _chip(path: QPainterPath, w: float, h: float, taken: list[QRectF]) -> QRectF:
    """The role chip on its arc: at the middle, or further along where it would cover
    another arc's chip."""
    rect = QRectF()
    for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
        p = path.pointAtPercent(t)
        rect = QRectF(p.x() - w / 2, p.y() - h / 2, w, h)
        if not any(rect.intersects(o) for o in taken):
            return rect
    return rect
