"""The article: stored text, read-only, with spans painted by the highlighter.

This widget is the ONE place where widget positions (UTF-16 units) and stored offsets (code
points) meet: everything going out (`selection_range`, clicked spans) is in code points or span
ids, everything coming in is spans with code-point offsets. The stored string is never read back
from the widget (toPlainText() would rewrite U+00A0 and U+2028/9).

Fills come from the highlighter (character formats). Everything else is drawn over the text in
paintEvent, for the lines on screen only (ui/overlay.py computes a Scene, ui/overlay_paint.py
draws it): a label tag over each span's start in the row the spaced layout (ui/spacing.py) leaves
over every line, stacked underlines, margin bars for long spans, frames and the arcs from the
selected span to its linked spans. View options: text zoom, label tags on/off, layers (the
schema's label groups) shown or hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from annotator.domain import REJECTED, SUGGESTED, Span
from annotator.gc_pause import gc_paused
from annotator.offsets import OffsetMap, snap_to_tokens, widget_text
from annotator.schema import LabelSchema
from annotator.ui.colours import LabelColours
from annotator.ui.highlighter import SpanHighlighter
from annotator.ui.overlay import Link, Metrics, Scene, build_scene
from annotator.ui.overlay_paint import paint_over, paint_under
from annotator.ui.plain import esc
from annotator.ui.spacing import SpacedLayout, Spacing
from annotator.ui.span_index import Entry, SpanIndex

ZOOM_MIN, ZOOM_MAX = -5, 10
ZOOM_STEP = 1.1  # each zoom step scales the text by this
TAG_SCALE = 0.62  # tag text size relative to the article's


class ArticleView(QPlainTextEdit):
    # span id (or None: clicked outside any span) and the global position of the click
    span_clicked = Signal(object, QPoint)
    zoom_changed = Signal(int)  # Ctrl + wheel changed the zoom (steps)

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleView")
        document = QTextDocument(self)
        self.spaced = SpacedLayout(document)
        document.setDocumentLayout(self.spaced)
        self.setDocument(document)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.document().setDocumentMargin(22)  # the left one holds the margin bars
        self.base_point_size = max(self.font().pointSizeF(), 9.0) * 1.2
        self.zoom = 0
        self.show_tags = True
        self.hidden_groups: frozenset[str] = frozenset()
        self.tag_font = QFont(self.font())
        self.metrics = Metrics(10.0, 3.0, 2.0, 2.0, 4.0)
        self.schema = schema
        self.text = ""
        self.offsets = OffsetMap("")
        self.index = SpanIndex(self.offsets)
        self.highlighter = SpanHighlighter(self.document(), self._colours())
        self.highlighter.index = self.index
        self.spaced.before_layout = self.highlighter.ensure  # blocks are formatted lazily
        self.spaced.marked = lambda start, end: (self.index.starts_in(start, end),
                                                 self.index.touches(start, end))
        self.snap = True  # snap selections to word boundaries
        self.selected_id: int | None = None
        self.related: dict[int, str] = {}  # span id -> role, framed while the selected is shown
        self.link_head: int | None = None
        self.link_candidate: int | None = None
        # (relation, other span, selected is head) of a span: gives the arcs their direction
        # and status; without it arcs come from `related` and the schema
        self.relation_source: Callable[[int], list] | None = None
        self._links: dict[int, Link] = {}
        self.scene = Scene()  # what the last paint drew (tests and tooltips read it)
        self.visible_start = 0  # UTF-16 position of the first block on screen
        self._press = QPoint()
        self._alt_drag = False
        self._last_click: tuple[int, int] | None = None  # (position, span id) to cycle overlaps
        self.clicked_ids: list[int] = []  # every span under the last click, innermost first
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._apply_font()

    # --- content ------------------------------------------------------------------------------

    def _colours(self) -> LabelColours:
        return LabelColours(self.palette(), {lab.name: lab.colour for lab in self.schema.labels})

    @property
    def colours(self) -> LabelColours:
        return self.highlighter.colours

    def set_schema(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.highlighter.hidden = self._hidden_labels()
        self.refresh_colours()  # re-highlights

    def set_document(self, text: str, spans: list[Span]) -> None:
        """Show a stored text with its spans: the blocks are laid out and highlighted lazily,
        as they come on screen."""
        self.text = text
        with gc_paused():  # thousands of index entries at once
            self.offsets = OffsetMap(text)
            self.index = SpanIndex(self.offsets, spans)
        self.highlighter.index = self.index
        self.spaced.marks_changed()
        self.selected_id, self.related, self._links = None, {}, {}
        self.link_head = self.link_candidate = None
        self._last_click = None
        # Blocks Qt lays out while it replaces the text (some twice, half-built) are formatted
        # when they are next laid out for showing, not now.
        self.spaced.before_layout = None
        try:
            self.setPlainText(widget_text(text))
        finally:
            self.spaced.before_layout = self.highlighter.ensure
        self.highlighter.invalidate()
        if self.document().characterCount() - 1 != self.offsets.utf16_len:
            # Never expected (see offsets.widget_text); if it happens, spans would be misplaced.
            raise RuntimeError("the text widget changed the length of the stored text")
        self.format_visible()

    def format_visible(self) -> None:
        """Lay out (and so highlight) the blocks on screen now rather than at the next paint,
        so their formats are right as soon as the view changed; the rest waits until shown."""
        offset, height = self.contentOffset(), self.viewport().height()
        block = self.firstVisibleBlock()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() \
                <= height:
            block = block.next()

    def _rehighlight(self) -> None:
        self.highlighter.rehighlight()
        self.format_visible()
        self.viewport().update()

    def clear_document(self) -> None:
        self.set_document("", [])

    def reset_spans(self, spans: list[Span]) -> None:
        """Replace every span (after a pre-annotation run): keeps the scroll position."""
        self.index = SpanIndex(self.offsets, spans)
        self.highlighter.index = self.index
        self.spaced.marks_changed()
        self._rehighlight()

    def update_spans(self, changed: list[Span], removed: list[int]) -> None:
        """Apply changed rows; re-highlight only the blocks their old and new ranges touch."""
        ranges = []
        for span in changed:
            old, new = self.index.put(span)
            ranges.append((new.start, new.end))
            if old is not None and (old.start, old.end) != (new.start, new.end):
                ranges.append((old.start, old.end))
        for span_id in removed:
            old = self.index.remove(span_id)
            if old is not None:
                ranges.append((old.start, old.end))
        self.spaced.marks_changed()
        for start, end in _merge(ranges):
            self.highlighter.rehighlight_range(start, end)
        self.viewport().update()

    def set_show_rejected(self, show: bool) -> None:
        if self.highlighter.show_rejected != show:
            self.highlighter.show_rejected = show
            self._rehighlight()

    def refresh_colours(self) -> None:
        self.highlighter.set_colours(self._colours())
        self._rehighlight()

    def visible(self, entry: Entry) -> bool:
        return (self.highlighter.show_rejected or entry.span.status != REJECTED) \
            and entry.span.label not in self.highlighter.hidden

    # --- view options: layers, tags, zoom --------------------------------------------------------

    def groups(self) -> list[str]:
        """The schema's label groups (layers), in schema order."""
        return list(dict.fromkeys(lab.group for lab in self.schema.labels if lab.group))

    def _hidden_labels(self) -> frozenset[str]:
        return frozenset(lab.name for lab in self.schema.labels if lab.group in self.hidden_groups)

    def set_layer_visible(self, group: str, visible: bool) -> None:
        """Show or hide every label of one group (entity, speech, threat, event)."""
        hidden = self.hidden_groups - {group} if visible else self.hidden_groups | {group}
        if hidden == self.hidden_groups:
            return
        self.hidden_groups = frozenset(hidden)
        self.highlighter.hidden = self._hidden_labels()
        self._rehighlight()

    def set_show_tags(self, show: bool) -> None:
        if show != self.show_tags:
            self.show_tags = show
            self._apply_font()

    def set_zoom(self, steps: int) -> int:
        """Text size in steps of 10% from the default; returns the step kept (clamped)."""
        steps = max(ZOOM_MIN, min(ZOOM_MAX, int(steps)))
        if steps != self.zoom:
            self.zoom = steps
            self._apply_font()
        return steps

    def point_size(self) -> float:
        return self.font().pointSizeF()

    def _apply_font(self) -> None:
        """The article font for the zoom, and the tag font, overlay sizes and line spacing that
        follow from it."""
        font = QFont(self.font())
        font.setPointSizeF(round(self.base_point_size * ZOOM_STEP ** self.zoom, 2))
        self.setFont(font)
        self.tag_font = QFont(font)
        self.tag_font.setPointSizeF(font.pointSizeF() * TAG_SCALE)
        self.tag_font.setWeight(QFont.Weight.DemiBold)
        fm, tag_fm = QFontMetricsF(font), QFontMetricsF(self.tag_font)
        self.metrics = Metrics.for_font(fm, tag_fm)
        m = self.metrics
        above = (m.tag_height + 2.0) if self.show_tags else 2.0
        self.spaced.set_spacing(Spacing(above=above, below=round(m.underline_step * 1.2, 1),
                                        paragraph=round(fm.height() * 0.9)))
        self.viewport().update()

    def line_pitch(self) -> float:
        s = self.spaced.spacing
        return QFontMetricsF(self.font()).height() + s.above + s.below

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if step:
                self.zoom_changed.emit(self.set_zoom(self.zoom + step))
            event.accept()
            return
        super().wheelEvent(event)

    # --- selection in and out -------------------------------------------------------------------

    def selection_range(self, snap: bool | None = None) -> tuple[int, int] | None:
        """The selected text as stored code-point offsets, snapped to words unless snapping is
        off (setting, or the selection was made with Alt held). None: nothing to label."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.offsets.range_to_codepoints(cursor.selectionStart(), cursor.selectionEnd())
        if snap is None:
            snap = self.snap and not self._alt_drag
        if snap:
            return snap_to_tokens(self.text, start, end)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def select_text(self, start: int, end: int) -> None:
        """Select stored code points [start, end) in the widget, as a user would."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._alt_drag = False

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def show_selected(self, span_id: int | None, related: dict[int, str] | None = None,
                      scroll: bool = True) -> None:
        self.selected_id = span_id
        self.related = related or {}
        self._links = self._links_of(span_id)
        entry = self.index.get(span_id) if span_id is not None else None
        if entry is not None and scroll:
            self.scroll_to(entry)
        self.viewport().update()

    def links(self) -> dict[int, Link]:
        """The selected span's links: other span id -> Link (role, direction, status)."""
        return self._links

    def _links_of(self, span_id: int | None) -> dict[int, Link]:
        if span_id is None or not self.related:
            return {}
        if self.relation_source is not None:
            out = {other.id: Link(rel.role, outgoing, rel.status == SUGGESTED)
                   for rel, other, outgoing in self.relation_source(span_id)
                   if rel.status != REJECTED and other.id in self.related}
            if out:
                return out
        selected = self.index.get(span_id)
        links = {}
        for other_id, role_name in self.related.items():
            role, other = self.schema.role(role_name), self.index.get(other_id)
            outgoing = None
            if role is not None and selected is not None and other is not None:
                if role.joins(selected.span.label, other.span.label) \
                        and not role.joins(other.span.label, selected.span.label):
                    outgoing = True
                elif role.joins(other.span.label, selected.span.label) \
                        and not role.joins(selected.span.label, other.span.label):
                    outgoing = False
            links[other_id] = Link(role_name, outgoing)
        return links

    def scroll_to(self, entry: Entry) -> None:
        """Bring the span's start on screen. A span whose paragraph is on screen is left alone:
        moving the text cursor costs about a millisecond of every label key press."""
        block = self.document().findBlock(entry.start)
        if block.isValid() and block.isVisible():
            rect = self.blockBoundingGeometry(block).translated(self.contentOffset())
            if self.viewport().rect().contains(rect.toAlignedRect()):
                return
        cursor = QTextCursor(self.document())
        cursor.setPosition(entry.start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def spans_exactly(self, start: int, end: int) -> list[Entry]:
        """The spans over exactly the stored code points [start, end)."""
        s16, e16 = self.offsets.to_utf16(start), self.offsets.to_utf16(end)
        return [e for e in self.index.overlapping(s16, e16) if (e.start, e.end) == (s16, e16)]

    def set_link_mode(self, head: int | None, candidate: int | None = None) -> None:
        self.link_head, self.link_candidate = head, candidate
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if head is not None
                                  else Qt.CursorShape.IBeamCursor)
        if candidate is not None and (entry := self.index.get(candidate)):
            self.scroll_to(entry)
        self.viewport().update()

    # --- mouse ------------------------------------------------------------------------------------

    def char_at(self, point: QPoint) -> int | None:
        """UTF-16 position of the character under a viewport point, None off the text."""
        block = self.cursorForPosition(point).block()
        if not block.isValid():
            return None
        geo = self.blockBoundingGeometry(block).translated(self.contentOffset())
        layout = block.layout()
        x, y = point.x() - geo.left(), point.y() - geo.top()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if line.y() <= y < line.y() + line.height():
                if x < line.x() or x > line.x() + line.naturalTextWidth():
                    return None
                rel = line.xToCursor(x, line.CursorPosition.CursorOnCharacter)
                if rel >= line.textStart() + line.textLength():
                    return None
                return block.position() + rel
        return None

    def spans_at(self, pos: int) -> list[Entry]:
        return [e for e in self.index.at(pos) if self.visible(e)]

    def mousePressEvent(self, event) -> None:
        self._press = event.position().toPoint()
        if event.button() == Qt.MouseButton.LeftButton:
            self._alt_drag = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if self.link_head is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # in link mode a click picks a span; it does not move the caret
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        point = event.position().toPoint()
        if self.link_head is None:
            super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if (point - self._press).manhattanLength() >= QApplication.startDragDistance():
            return
        if self.link_head is None and self.textCursor().hasSelection():
            return
        tagged = self.tag_at(point)
        if tagged is not None:  # a click on a tag picks its span, however deeply it is nested
            self._last_click = None
            self.clicked_ids = [tagged]  # in link mode too: the tag names the span
            self.span_clicked.emit(tagged, event.globalPosition().toPoint())
            return
        pos = self.char_at(point)
        hits = self.spans_at(pos) if pos is not None else []
        chosen = None
        self.clicked_ids = [e.id for e in hits]  # link mode picks among them (link_targets)
        if hits:
            ids = [e.id for e in hits]
            chosen = ids[0]
            # A second click on the same spot walks outwards through overlapping spans.
            if self._last_click and self._last_click[0] == pos and self.selected_id in ids:
                chosen = ids[(ids.index(self.selected_id) + 1) % len(ids)]
        self._last_click = (pos, chosen) if pos is not None else None
        self.span_clicked.emit(chosen, event.globalPosition().toPoint())

    def keyPressEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._alt_drag = False  # a keyboard selection snaps as the setting says
        super().keyPressEvent(event)

    # --- painting the frames -----------------------------------------------------------------------

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.refresh_colours()
        super().changeEvent(event)

    def range_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles, one per visible line, covering UTF-16 range [start, end)."""
        rects: list[QRectF] = []
        doc = self.document()
        offset = self.contentOffset()
        height = self.viewport().height()
        block = doc.findBlock(start)
        while block.isValid() and block.position() < end:
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > height:
                break
            if geo.bottom() >= 0 and block.isVisible():
                layout = block.layout()
                bpos = block.position()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    ls = line.textStart()
                    le = ls + line.textLength()
                    a, b = max(start - bpos, ls), min(end - bpos, le)
                    if a >= b:
                        continue
                    x1, x2 = _x(line.cursorToX(a)), _x(line.cursorToX(b))
                    rects.append(QRectF(min(x1, x2), line.y(), abs(x2 - x1), line.height())
                                 .translated(geo.topLeft()))
            block = block.next()
        return rects

    def visible_entries(self) -> list[Entry]:
        """Shown spans that overlap the blocks on screen (sets `visible_start`)."""
        offset = self.contentOffset()
        height = self.viewport().height()
        block = self.firstVisibleBlock()
        first = last = None
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > height:
                break
            if first is None:
                first = block.position()
            last = block.position() + block.length()
            block = block.next()
        if first is None:
            return []
        self.visible_start = first
        return [e for e in self.index.overlapping(first, last) if self.visible(e)]

    def build_scene(self) -> Scene:
        """Compute what the overlay shows for the lines on screen now."""
        self.scene = build_scene(self)
        return self.scene

    def paintEvent(self, event) -> None:
        """The arcs' lines, the text over them (with the highlighter's fills), then the rest
        of the overlay: underlines, margin bars, frames, tags, the arcs' arrows and chips."""
        scene = self.build_scene()
        if scene.arcs:
            painter = QPainter(self.viewport())
            painter.setClipRegion(event.region())
            paint_under(painter, scene, self.colours)
            painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setClipRegion(event.region())
        accent = self.palette().color(self.palette().ColorRole.Highlight)
        paint_over(painter, scene, self.colours, self.metrics, self.tag_font, accent)
        painter.end()

    def _scrolled(self) -> None:
        # Arcs and their chips depend on what is on screen: repaint all, not the scrolled strip.
        if self.scene.arcs:
            self.viewport().update()

    def tag_at(self, point: QPoint | QPointF) -> int | None:
        """The span whose tag is under a viewport point."""
        p = QPointF(point)
        for tag in reversed(self.scene.tags):
            if tag.rect.contains(p):
                return tag.span_id
        return None

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            chip = next((a for a in self.scene.arcs if a.label_rect.contains(QPointF(event.pos()))),
                        None)
            if chip is not None:  # a role chip, whole (it may show three letters)
                QToolTip.showText(event.globalPos(), f"<b>{chip.role}</b>", self.viewport())
                return True
            tagged = self.tag_at(event.pos())
            pos = self.char_at(event.pos())
            hits = self.spans_at(pos) if pos is not None else []
            if tagged is not None and (entry := self.index.get(tagged)):
                hits = [entry]
            if hits:
                QToolTip.showText(event.globalPos(), self._tooltip(hits), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, hits: list[Entry]) -> str:
        lines = []
        for e in hits:
            span = e.span
            role = self.related.get(e.id)
            extra = f" — {role} of the selected span" if role else ""
            who = span.origin if span.origin != "human" else (span.annotator or "human")
            lines.append(f"<b>{esc(span.label)}</b> {esc(span.status)} ({esc(who)}){esc(extra)}")
        return "<br>".join(lines)


def _x(value) -> float:
    return value[0] if isinstance(value, tuple) else float(value)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
