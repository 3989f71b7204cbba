"""The article: stored text, read-only, with spans painted by the highlighter.

This widget is the ONE place where widget positions (UTF-16 units) and stored offsets (code
points) meet: everything going out (`selection_range`, clicked spans) is in code points or span
ids, everything coming in is spans with code-point offsets. The stored string is never read back
from the widget (toPlainText() would rewrite U+00A0 and U+2028/9).

Outlines (suggestions, the selected span, the spans linked to it, the link-mode candidate) are
drawn over the text in paintEvent, for the visible lines only; the text formats stay untouched.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPen, QTextCursor, QTextOption
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from annotator.domain import REJECTED, SUGGESTED, Span
from annotator.offsets import OffsetMap, snap_to_tokens, widget_text
from annotator.schema import LabelSchema
from annotator.ui.colours import LabelColours
from annotator.ui.highlighter import SpanHighlighter
from annotator.ui.span_index import Entry, SpanIndex


class ArticleView(QPlainTextEdit):
    # span id (or None: clicked outside any span) and the global position of the click
    span_clicked = Signal(object, QPoint)

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.document().setDocumentMargin(14)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.2)
        self.setFont(font)
        self.schema = schema
        self.text = ""
        self.offsets = OffsetMap("")
        self.index = SpanIndex(self.offsets)
        self.highlighter = SpanHighlighter(self.document(), self._colours())
        self.highlighter.index = self.index
        self.snap = True  # snap selections to word boundaries
        self.selected_id: int | None = None
        self.related: dict[int, str] = {}  # span id -> role, framed while the selected is shown
        self.link_head: int | None = None
        self.link_candidate: int | None = None
        self._press = QPoint()
        self._alt_drag = False
        self._last_click: tuple[int, int] | None = None  # (position, span id) to cycle overlaps
        self.clicked_ids: list[int] = []  # every span under the last click, innermost first

    # --- content ------------------------------------------------------------------------------

    def _colours(self) -> LabelColours:
        return LabelColours(self.palette(), {lab.name: lab.colour for lab in self.schema.labels})

    @property
    def colours(self) -> LabelColours:
        return self.highlighter.colours

    def set_schema(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.refresh_colours()

    def set_document(self, text: str, spans: list[Span]) -> None:
        """Show a stored text with its spans: one layout, one highlighting pass."""
        self.text = text
        self.offsets = OffsetMap(text)
        self.index = SpanIndex(self.offsets, spans)
        self.highlighter.index = self.index
        self.selected_id, self.related = None, {}
        self.link_head = self.link_candidate = None
        self._last_click = None
        self.setPlainText(widget_text(text))
        if self.document().characterCount() - 1 != self.offsets.utf16_len:
            # Never expected (see offsets.widget_text); if it happens, spans would be misplaced.
            raise RuntimeError("the text widget changed the length of the stored text")

    def clear_document(self) -> None:
        self.set_document("", [])

    def reset_spans(self, spans: list[Span]) -> None:
        """Replace every span (after a pre-annotation run): keeps the scroll position."""
        self.index = SpanIndex(self.offsets, spans)
        self.highlighter.index = self.index
        self.highlighter.rehighlight()
        self.viewport().update()

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
        for start, end in _merge(ranges):
            self.highlighter.rehighlight_range(start, end)
        self.viewport().update()

    def set_show_rejected(self, show: bool) -> None:
        if self.highlighter.show_rejected != show:
            self.highlighter.show_rejected = show
            self.highlighter.rehighlight()

    def refresh_colours(self) -> None:
        self.highlighter.set_colours(self._colours())
        self.highlighter.rehighlight()
        self.viewport().update()

    def visible(self, entry: Entry) -> bool:
        return self.highlighter.show_rejected or entry.span.status != REJECTED

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
        entry = self.index.get(span_id) if span_id is not None else None
        if entry is not None and scroll:
            self.scroll_to(entry)
        self.viewport().update()

    def scroll_to(self, entry: Entry) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(entry.start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

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
        """Spans that overlap the blocks on screen."""
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
        return [e for e in self.index.overlapping(first, last) if self.visible(e)]

    def paintEvent(self, event) -> None:
        """Frames over the text, visible lines only: suggestions get a thin dashed outline in
        their label colour, spans linked to the selected one a solid frame in theirs, the
        selected span a frame in the text colour, the link candidate a dotted accent frame."""
        super().paintEvent(event)
        frames: list[tuple[int, QPen, float]] = []
        colours = self.colours
        for entry in self.visible_entries():
            if entry.span.status == SUGGESTED and entry.id not in self.related \
                    and entry.id != self.selected_id:
                pen = QPen(colours.line(entry.span.label), 1.2, Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([3.0, 2.0])
                frames.append((entry.id, pen, 1.5))
        for span_id in self.related:
            entry = self.index.get(span_id)
            if entry is not None and self.visible(entry):
                frames.append((span_id, QPen(colours.line(entry.span.label), 2.0), 1.0))
        selected = self.index.get(self.selected_id) if self.selected_id is not None else None
        if selected is not None and self.visible(selected):
            frames.append((self.selected_id, QPen(colours.text, 2.0), 0.5))
        if self.link_candidate is not None:
            pen = QPen(self.palette().color(self.palette().ColorRole.Highlight), 2.4,
                       Qt.PenStyle.DotLine)
            frames.append((self.link_candidate, pen, 0.0))
        if not frames:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for span_id, pen, inset in frames:
            entry = self.index.get(span_id)
            if entry is None:
                continue
            painter.setPen(pen)
            for rect in self.range_rects(entry.start, entry.end):
                painter.drawRoundedRect(rect.adjusted(-1.0, inset, 1.0, -inset), 3, 3)
        painter.end()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.char_at(event.pos())
            hits = self.spans_at(pos) if pos is not None else []
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
            lines.append(f"<b>{span.label}</b> {span.status} ({who}){extra}")
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
