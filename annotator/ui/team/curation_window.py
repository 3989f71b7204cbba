"""The curation view: one document, several annotators' layers, the curated layer being built.

The text shows the curated layer as the article view shows labels (accepted filled, rejected
hidden); each annotator's version of every open disagreement is underlined in that annotator's
colour with their number and initials, and the current disagreement is framed. The list beside
it holds every disagreement (open or resolved, with what was chosen). Keys, while the window has
the focus (`KEYS`): 1-9 take that annotator's version, U the union, 0 none of them, Tab /
Shift+Tab move between disagreements (open ones first), E adds the selected words as a curated
span with the label chosen below, Delete rejects the curated span clicked, Ctrl+Z undoes.

What to write comes from team/curation.py (Qt-free); every decision is one `Store.curate`
action (undoable), after which the view re-reads the document and moves to the next open one.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPen, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import ACCEPTED, REJECTED
from annotator.schema import LabelSchema
from annotator.team import curation as cur
from annotator.team.identity import CURATED, initials
from annotator.ui.article_view import ArticleView
from annotator.ui.colours import LabelColours
from annotator.ui.plain import esc, plain_label

# Okabe-Ito: told apart with the common colour-vision deficiencies
ANNOTATOR_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00",
                     "#F0E442", "#999999", "#882255")


class CurationView(ArticleView):
    """The article view plus each annotator's marks over the open disagreements."""

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None):
        super().__init__(schema, parent)
        self.setObjectName("curationView")
        self.marks: list[tuple[int, int, int, str]] = []  # start, end (code points), who, badge
        self.current: tuple[int, int] | None = None
        self.annotator_colours: LabelColours | None = None

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.marks and self.current is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.55))
        small.setBold(True)
        painter.setFont(small)
        for start, end, who, badge in self.marks:
            colour = self.annotator_colours.line(str(who)) if self.annotator_colours \
                else QColor(ANNOTATOR_COLOURS[who % len(ANNOTATOR_COLOURS)])
            rects = self.range_rects(self.offsets.to_utf16(start), self.offsets.to_utf16(end))
            painter.setPen(QPen(colour, 2.0))
            for rect in rects:
                y = rect.bottom() - 1.5 - 3.0 * who
                painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            if rects:
                first = rects[0]
                box = QRectF(first.left() + 1 + 18 * (who % 3), first.top() - 1, 17, 10)
                painter.fillRect(box, colour)
                painter.setPen(QPen(self.palette().color(self.palette().ColorRole.Base)))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)
        if self.current is not None:
            pen = QPen(self.palette().color(self.palette().ColorRole.Highlight), 2.0,
                       Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in self.range_rects(self.offsets.to_utf16(self.current[0]),
                                         self.offsets.to_utf16(self.current[1])):
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)
        painter.end()

    def scroll_to_range(self, start: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()


class CurationWindow(QWidget):
    curated = Signal(int)  # a decision on this document was saved

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("curationWindow")
        self.resize(1100, 720)
        self.schema = schema
        self.store = None
        self.doc_id: int | None = None
        self.text = ""
        self.state: cur.CurationState | None = None
        self.layers: dict = {}
        self.index = 0
        self.view = CurationView(schema)
        self.view.span_clicked.connect(lambda span_id, _pos: self.view.show_selected(span_id))
        self.items = QListWidget()
        self.items.setObjectName("disagreements")
        self.items.setAccessibleName("Disagreements")
        self.items.currentRowChanged.connect(self._row_changed)
        self.legend = QLabel()
        self.legend.setObjectName("curationLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.status = plain_label()
        self.status.setObjectName("curationStatus")
        self.label_box = QComboBox()
        self.label_box.setObjectName("curationLabel")
        self.label_box.addItems(schema.label_names())
        hint = QLabel("1-9: take that version \u00b7 U: union \u00b7 0: none \u00b7 Tab / "
                      "Shift+Tab: next / previous \u00b7 E: add the selection as \u00b7 Delete: "
                      "reject the clicked curated span \u00b7 Ctrl+Z: undo")
        hint.setWordWrap(True)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.items)
        split.setSizes([700, 400])
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(QLabel("Label for E:"))
        bottom.addWidget(self.label_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.legend)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self._actions()

    def _actions(self) -> None:
        def add(name: str, keys: list[str], slot) -> None:
            action = QAction(name, self)
            action.setObjectName(name)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        for i in range(1, 10):
            add(f"take_{i}", [str(i)], lambda _c=False, i=i: self.take(i))
        add("take_union", ["U"], lambda: self.choose(cur.UNION))
        add("take_none", ["0"], lambda: self.choose(cur.NONE))
        add("next_disagreement", ["Tab"], lambda: self.step(1))
        add("prev_disagreement", ["Shift+Tab", "Shift+Backtab"], lambda: self.step(-1))
        add("add_selection", ["E"], self.add_selection)
        add("reject_curated", ["Delete", "Backspace"], self.reject_selected)
        add("undo_curation", ["Ctrl+Z"], self.undo)

    # --- a document -----------------------------------------------------------------------------

    def open_document(self, store, doc_id: int) -> None:
        """Show a document's curation; what everyone agrees on is merged (one action)."""
        self.store, self.doc_id = store, doc_id
        doc = store.document(doc_id)
        self.text = doc.text
        self.setWindowTitle(f"Curate \u2014 {doc.title or f'document {doc_id}'}")
        self.view.set_document(self.text, [])
        self.index = 0
        self.reload(first_open=True)
        self.view.setFocus()

    def reload(self, first_open: bool = False) -> None:
        self.state, self.layers, change = cur.open_document(self.store, self.doc_id)
        if change is not None:
            self.curated.emit(self.doc_id)
        names = self.state.annotators
        self.view.annotator_colours = LabelColours(
            self.palette(), {str(i): ANNOTATOR_COLOURS[i % len(ANNOTATOR_COLOURS)]
                             for i in range(len(names))})
        self.view.reset_spans(self.store.layer_spans(self.doc_id, [CURATED]))
        self.legend.setText(" &nbsp; ".join(
            f"<b style='color:{ANNOTATOR_COLOURS[i % len(ANNOTATOR_COLOURS)]}'>{i + 1} "
            f"{esc(initials(n))}</b> {esc(n)}" for i, n in enumerate(names))
            or "No annotator has labelled this document.")
        self.items.blockSignals(True)
        self.items.clear()
        for item in self.state.disagreements:
            self.items.addItem(QListWidgetItem(self._describe(item)))
        self.items.blockSignals(False)
        if first_open or self.index >= len(self.state.disagreements) \
                or self.state.disagreements[self.index].resolved:
            self.index = self._next_open(self.index if not first_open else -1, 1)
        self._show_current()

    def _describe(self, item: cur.Disagreement) -> str:
        parts = []
        for i, name in enumerate(self.state.annotators):
            version = item.versions.get(name, ())
            if item.kind == "relation":
                said = "yes" if version else "\u2014"
            else:
                said = ", ".join(f"{k[2]} {self.text[k[0]:k[1]]!r}" for k in version) or "\u2014"
            parts.append(f"{i + 1} {initials(name)}: {said}")
        mark = f"\u2713 {item.choice}" if item.resolved else "open"
        kind = "link" if item.kind == "relation" else "span"
        return f"[{mark}] {kind} {item.describe(self.text)}\n    " + "  |  ".join(parts)

    def _next_open(self, start: int, step: int) -> int:
        items = self.state.disagreements
        n = len(items)
        for k in range(1, n + 1):
            i = (start + step * k) % n
            if not items[i].resolved:
                return i
        return max(0, min(start + step, n - 1)) if n else 0

    def _show_current(self) -> None:
        items = self.state.disagreements
        open_count = len(self.state.open)
        self.status.setText(f"{len(items)} disagreement(s), {open_count} open"
                            + ("" if open_count else " \u2014 this document is curated."))
        self.view.marks = []
        for item in self.state.open:
            if item.kind != "span":
                continue
            for who, name in enumerate(self.state.annotators):
                for key in item.versions.get(name, ()):
                    self.view.marks.append((key[0], key[1], who, f"{who + 1}{initials(name)[:1]}"))
        if items:
            current = items[self.index]
            self.view.current = (current.start, current.end)
            self.items.blockSignals(True)
            self.items.setCurrentRow(self.index)
            self.items.blockSignals(False)
            self.view.scroll_to_range(current.start)
        else:
            self.view.current = None
        self.view.viewport().update()

    def _row_changed(self, row: int) -> None:
        if self.state and 0 <= row < len(self.state.disagreements):
            self.index = row
            self._show_current()

    # --- decisions ------------------------------------------------------------------------------

    def current_item(self) -> cur.Disagreement | None:
        items = self.state.disagreements if self.state else []
        return items[self.index] if 0 <= self.index < len(items) else None

    def step(self, direction: int) -> None:
        if self.state and self.state.disagreements:
            if self.state.open:
                self.index = self._next_open(self.index, direction)
            else:
                self.index = (self.index + direction) % len(self.state.disagreements)
            self._show_current()

    def take(self, number: int) -> None:
        if self.state and 1 <= number <= len(self.state.annotators):
            self.choose(self.state.annotators[number - 1])
        else:
            self.status.setText(f"There is no annotator {number} here.")

    def choose(self, choice: str) -> None:
        item = self.current_item()
        if item is None:
            return
        spans, relations = cur.decide(item, choice, self.layers)
        self._write(spans, relations)

    def add_selection(self) -> None:
        rng = self.view.selection_range()
        if rng is None:
            self.status.setText("Select some words first, then press E.")
            return
        label = self.label_box.currentText()
        self.view.clear_text_selection()
        self._write([cur.SpanOp((rng[0], rng[1], label), ACCEPTED, {}, "curation:edit")], [])

    def reject_selected(self) -> None:
        entry = self.view.index.get(self.view.selected_id) if self.view.selected_id else None
        if entry is None or entry.span.status != ACCEPTED:
            self.status.setText("Click a curated span first, then press Delete.")
            return
        span = entry.span
        self._write([cur.SpanOp((span.start, span.end, span.label), REJECTED, {},
                                "curation:edit")], [])

    def _write(self, spans: list, relations: list) -> None:
        from annotator.domain import ValidationError
        from annotator.store import StoreError

        try:
            self.store.curate(self.doc_id, spans, relations)
        except (ValidationError, StoreError) as exc:
            self.status.setText(str(exc))
            return
        self.curated.emit(self.doc_id)
        self.reload()

    def undo(self) -> None:
        change = self.store.undo() if self.store else None
        if change is not None:
            self.curated.emit(change.doc_id)
            if change.doc_id == self.doc_id:
                self.reload()
