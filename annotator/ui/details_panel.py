"""Details of the selected span: label, status, origin, attributes and relations.

Closed attribute lists are combo boxes with the schema's allowed values; free-text attributes are
line edits, saved when editing finishes (Enter or leaving the field); the model's confidence
(`score`) is read-only text. The panel only emits intents; the window passes them to the
session, which saves them at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import ACCEPTED, REJECTED, SCORE, SUGGESTED, Relation, Span
from annotator.schema import LabelSchema
from annotator.services.link_gaps import EXPECTED_ROLES
from annotator.ui.plain import esc, plain_label, tip

STATUS_TEXT = {SUGGESTED: "suggestion (not yet reviewed)", ACCEPTED: "accepted",
               REJECTED: "rejected"}
EXCERPT = 160
ARROWS = {True: "\u2192", False: "\u2190"}  # outgoing, incoming


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class DetailsPanel(QWidget):
    relabel_requested = Signal(int, str)
    attribute_changed = Signal(int, str, object)
    accept_requested = Signal(int)
    reject_requested = Signal(int)
    link_requested = Signal(int)
    jump_requested = Signal(int)
    unlink_requested = Signal(int)  # relation id
    accept_relation_requested = Signal(int)  # relation id
    accept_links_requested = Signal(int)  # span id: accept all its open links

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.schema = schema
        self.span: Span | None = None
        self.attribute_widgets: dict[str, QComboBox | QLineEdit | QLabel] = {}
        self._rel_ids: list[tuple[int, int]] = []  # (relation id, other span id) per list row

        layout = QVBoxLayout(self)
        self.placeholder = QLabel(
            "No span selected.\n\nSelect words and press a label key to label them; "
            "click a highlight or press Tab to review suggestions.")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.placeholder)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        self.quote = plain_label()
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        quote_font = QFont(self.quote.font())
        quote_font.setItalic(True)
        self.quote.setFont(quote_font)
        body.addWidget(self.quote)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label_box = QComboBox()
        self.label_box.setObjectName("labelBox")
        self.label_box.setToolTip("Label of the span (or press the label's key in the article)")
        self.label_box.currentIndexChanged.connect(self._label_chosen)
        form.addRow("&Label", self.label_box)
        self.status = plain_label()
        form.addRow("Status", self.status)
        self.origin = plain_label()
        self.origin.setWordWrap(True)
        form.addRow("Origin", self.origin)
        body.addLayout(form)

        buttons = QHBoxLayout()
        self.accept_button = QPushButton("&Accept")
        self.accept_button.setToolTip("Accept this suggestion (Enter)")
        self.accept_button.clicked.connect(lambda: self._emit_span(self.accept_requested))
        self.reject_button = QPushButton("&Reject")
        self.reject_button.clicked.connect(lambda: self._emit_span(self.reject_requested))
        self.link_button = QPushButton("Lin&k\u2026")
        self.link_button.setToolTip("Link this span to another one: click it next (L)")
        self.link_button.clicked.connect(lambda: self._emit_span(self.link_requested))
        for b in (self.accept_button, self.reject_button, self.link_button):
            buttons.addWidget(b)
        body.addLayout(buttons)

        self.attributes_box = QGroupBox("Attributes")
        self.attributes_form = QFormLayout(self.attributes_box)
        self.attributes_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        body.addWidget(self.attributes_box)

        self.relations_box = QGroupBox("Relations")
        rel_layout = QVBoxLayout(self.relations_box)
        self.open_links = QLabel()  # which links still wait for a decision
        self.open_links.setObjectName("openLinks")
        self.open_links.setTextFormat(Qt.TextFormat.RichText)  # its user parts are escaped
        self.open_links.setWordWrap(True)
        self.open_links.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rel_layout.addWidget(self.open_links)
        self.relations_list = QListWidget()
        self.relations_list.setObjectName("relationsList")
        self.relations_list.setToolTip("Double-click or press Enter to jump to the linked span")
        self.relations_list.itemActivated.connect(self._jump)
        self.relations_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.relations_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.relations_list.setUniformItemSizes(True)
        self.relations_list.setSizePolicy(QSizePolicy.Policy.Expanding,
                                          QSizePolicy.Policy.Expanding)
        rel_layout.addWidget(self.relations_list)
        rel_buttons = QHBoxLayout()
        self.jump_button = QPushButton("&Jump to")
        self.jump_button.clicked.connect(lambda: self._jump(self.relations_list.currentItem()))
        self.accept_rel_button = QPushButton("Acce&pt link")
        self.accept_rel_button.clicked.connect(lambda: self._emit_rel(self.accept_relation_requested))
        self.unlink_button = QPushButton("&Unlink")
        self.unlink_button.clicked.connect(lambda: self._emit_rel(self.unlink_requested))
        self.accept_links_button = QPushButton("Accept a&ll")
        self.accept_links_button.setToolTip("Accept every suggested link of this span and the "
                                            "spans they join (Ctrl+Shift+L)")
        self.accept_links_button.clicked.connect(
            lambda: self._emit_span(self.accept_links_requested))
        for b in (self.jump_button, self.accept_rel_button, self.accept_links_button,
                  self.unlink_button):
            rel_buttons.addWidget(b)
        rel_layout.addLayout(rel_buttons)
        self.roles_hint = plain_label()
        self.roles_hint.setWordWrap(True)
        self.roles_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        rel_layout.addWidget(self.roles_hint)
        body.addWidget(self.relations_box, 1)
        layout.addWidget(self.body, 1)
        self.set_schema(schema)
        self.show_span(None)

    def set_schema(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.label_box.blockSignals(True)
        self.label_box.clear()
        for lab in schema.labels:
            pix = QPixmap(12, 12)
            pix.fill(QColor(lab.colour))
            self.label_box.addItem(pix, f"{lab.name}   ({lab.key})" if lab.key else lab.name,
                                   lab.name)
        self.label_box.blockSignals(False)

    # --- showing ----------------------------------------------------------------------------------

    def show_span(self, span: Span | None, text: str = "",
                  relations: list[tuple[Relation, Span, bool]] = ()) -> None:
        same = (span is not None and self.span is not None and span.id == self.span.id
                and span.label == self.span.label)
        self.span = span
        self.placeholder.setVisible(span is None)
        self.body.setVisible(span is not None)
        if span is None:
            self._clear_attributes()
            return
        self.quote.setText(f"\u201c{excerpt(span.text_in(text))}\u201d")
        self.label_box.blockSignals(True)
        self.label_box.setCurrentIndex(max(0, self.label_box.findData(span.label)))
        self.label_box.blockSignals(False)
        self.status.setText(STATUS_TEXT.get(span.status, span.status))
        source = "labelled by hand" if span.origin == "human" else f"model {span.origin or '?'}"
        self.origin.setText(source + (f"; last change by {span.annotator}"
                                      if span.annotator else ""))
        self.accept_button.setEnabled(span.status != ACCEPTED)
        self.reject_button.setText("&Reject" if span.status == SUGGESTED else "&Delete")
        self.reject_button.setToolTip("Reject this suggestion (Delete)" if span.status == SUGGESTED
                                      else "Delete this label (Delete)")
        if same:
            self._update_attributes(span)
        else:
            self._build_attributes(span)
        self._show_relations(span, text, relations)

    def _clear_attributes(self) -> None:
        while self.attributes_form.rowCount():
            self.attributes_form.removeRow(0)
        self.attribute_widgets = {}

    def _build_attributes(self, span: Span) -> None:
        self._clear_attributes()
        spec = self.schema.label(span.label)
        attrs = spec.attributes if spec else ()
        self.attributes_box.setVisible(bool(attrs))
        for attr in attrs:
            if attr.name == SCORE:  # the model's confidence: shown, not for editing
                widget = plain_label()
                widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                widget.setObjectName(f"attr_{attr.name}")
                widget.setToolTip("How sure the trained model is of this label (0 to 1); "
                                  "set by the model, not editable")
                self.attribute_widgets[attr.name] = widget
                self.attributes_form.addRow("model confidence", widget)
                continue
            if attr.values:
                box = QComboBox()
                box.addItem("\u2014", "")
                for value in attr.values:
                    box.addItem(value, value)
                box.currentIndexChanged.connect(
                    lambda _i, sid=span.id, name=attr.name, w=box:
                    self.attribute_changed.emit(sid, name, w.currentData() or ""))
                widget = box
            else:
                edit = QLineEdit()
                edit.setPlaceholderText("free text")
                edit.setClearButtonEnabled(True)
                edit.editingFinished.connect(
                    lambda sid=span.id, name=attr.name, w=edit:
                    self.attribute_changed.emit(sid, name, w.text().strip()))
                widget = edit
            widget.setObjectName(f"attr_{attr.name}")
            widget.setToolTip(tip(f"{span.label}.{attr.name}"
                                  + (f": one of {', '.join(attr.values)}" if attr.values else "")))
            self.attribute_widgets[attr.name] = widget
            self.attributes_form.addRow(attr.name.replace("_", " "), widget)
        self._update_attributes(span)

    def _update_attributes(self, span: Span) -> None:
        for name, widget in self.attribute_widgets.items():
            value = str(span.attrs.get(name, "") or "")
            if isinstance(widget, QLabel):
                widget.setText(value or "\u2014")
                continue
            widget.blockSignals(True)
            if isinstance(widget, QComboBox):
                idx = widget.findData(value)
                if idx < 0 and value:  # a value outside the list (imported): show it anyway
                    widget.addItem(value, value)
                    idx = widget.count() - 1
                widget.setCurrentIndex(max(0, idx))
            elif widget.text() != value:
                widget.setText(value)
            widget.blockSignals(False)

    def _show_relations(self, span: Span, text: str,
                        relations: list[tuple[Relation, Span, bool]]) -> None:
        current = self.relations_list.currentRow()
        self.relations_list.clear()
        self._rel_ids = []
        for rel, other, outgoing in relations:
            arrow = "\u2192" if outgoing else "\u2190"
            words = excerpt(other.text_in(text), 60)
            state = {SUGGESTED: " (suggested)", REJECTED: " (rejected)"}.get(rel.status, "")
            line = f"{arrow} {rel.role}{state}  {other.label}  \u201c{words}\u201d"
            item = QListWidgetItem(line)
            item.setToolTip(tip(f"{line}\n{'This span' if outgoing else other.label} {rel.role} "
                                f"{other.label if outgoing else 'this span'}; Enter jumps there"))
            if rel.status != ACCEPTED:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.relations_list.addItem(item)
            self._rel_ids.append((rel.id, other.id))
        if self._rel_ids:
            self.relations_list.setCurrentRow(min(max(current, 0), len(self._rel_ids) - 1))
        has = bool(self._rel_ids)
        for b in (self.jump_button, self.unlink_button, self.accept_rel_button):
            b.setEnabled(has)
        self._show_open_links(span, text, relations)
        heads = [r for r in self.schema.relations if span.label in r.heads]
        self.link_button.setEnabled(bool(heads))
        self.roles_hint.setText(
            "Press L, then click a span, to add: " + ", ".join(r.role for r in heads)
            if heads else "")
        self.roles_hint.setVisible(bool(heads))

    def _show_open_links(self, span: Span, text: str,
                         relations: list[tuple[Relation, Span, bool]]) -> None:
        """Say which links are still suggestions (lost from accepted-only exports until
        accepted) and which of the span's main roles it has no link for yet."""
        open_ = [(rel, other, out) for rel, other, out in relations if rel.status == SUGGESTED]
        self.accept_links_button.setEnabled(bool(open_))
        lines = []
        if open_:
            items = esc(", ".join(f"{rel.role} {ARROWS[out]} {other.label} "
                                  f"\u201c{excerpt(other.text_in(text), 30)}\u201d"
                                  for rel, other, out in open_))
            lines.append(f"<b>{len(open_)} link(s) still open</b> (suggested): {items}. "
                         "Accept all: Ctrl+Shift+L.")
        linked = {rel.role for rel, _o, out in relations if out and rel.status != REJECTED}
        missing = [r.role for r in self.schema.relations if span.label in r.heads
                   and (r.key or (span.label, r.role) in EXPECTED_ROLES) and r.role not in linked]
        if span.status == ACCEPTED and missing:
            lines.append(f"No {esc(', '.join(missing))} link yet: press L, then click.")
        self.open_links.setText("<br>".join(lines))
        self.open_links.setVisible(bool(lines))

    # --- intents ----------------------------------------------------------------------------------

    def _emit_span(self, signal) -> None:
        if self.span is not None:
            signal.emit(self.span.id)

    def _label_chosen(self, _index: int) -> None:
        label = self.label_box.currentData()
        if self.span is not None and label and label != self.span.label:
            self.relabel_requested.emit(self.span.id, label)

    def _jump(self, item: QListWidgetItem | None) -> None:
        row = self.relations_list.row(item) if item is not None else -1
        if 0 <= row < len(self._rel_ids):
            self.jump_requested.emit(self._rel_ids[row][1])

    def _emit_rel(self, signal) -> None:
        row = self.relations_list.currentRow()
        if 0 <= row < len(self._rel_ids):
            signal.emit(self._rel_ids[row][0])
