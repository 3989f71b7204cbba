"""The legend strip above the article: the layers (label groups) with a switch each, every
label's colour and key, and the two styles.

Chips wrap onto more lines when the window is narrow. Clicking a label chip labels the selection
with it (the mouse way to do what the key does); clicking a layer's switch shows or hides its
labels in the article (`layer_clicked`); hovering shows the description. Label chips look like
the tags over accepted spans; a hidden layer's chips are faded.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.schema import LabelSchema, SpanLabel
from annotator.ui.colours import LabelColours
from annotator.ui.plain import esc
from annotator.ui.view_options import layer_title

PAD, GAP, LINE_GAP = 6, 6, 4


class Legend(QWidget):
    label_clicked = Signal(str)
    layer_clicked = Signal(str)  # a layer's switch: the group to show or hide

    def __init__(self, schema: LabelSchema, colours: LabelColours, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("legend")
        self.schema = schema
        self.colours = colours
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._chips: list[tuple[QRectF, str]] = []
        self._switches: list[tuple[QRectF, str]] = []
        self.hidden: frozenset[str] = frozenset()

    def set_hidden(self, groups) -> None:
        self.hidden = frozenset(groups)
        self.update()

    def set_colours(self, colours: LabelColours, schema: LabelSchema | None = None) -> None:
        self.colours = colours
        if schema is not None:
            self.schema = schema
        self.updateGeometry()
        self.update()

    # --- layout -------------------------------------------------------------------------------------

    def _items(self) -> list[tuple[str, str, str]]:
        """(kind, text, key/group) in order: each layer's switch then its label chips, labels
        without a group, then the two style samples."""
        items: list[tuple[str, str, str]] = []
        groups = list(dict.fromkeys(lab.group for lab in self.schema.labels))
        for group in groups:
            if group:
                items.append(("layer", layer_title(group), group))
            items += [("label", lab.name, lab.key) for lab in self.schema.labels
                      if lab.group == group]
        items += [("accepted", "accepted", ""), ("suggested", "suggestion", "")]
        return items

    def _fonts(self) -> tuple[QFont, QFont]:
        small = QFont(self.font())
        key = QFont(self.font())
        key.setPointSizeF(self.font().pointSizeF() * 0.85)
        key.setBold(True)
        return small, key

    def _layout(self, width: int) -> tuple[list[tuple[QRectF, tuple]], int]:
        """Chips in rows; when they need more than three rows, the compact form without the
        layer switches (the View menu has them too), so a narrow window keeps its article."""
        placed, height, rows = self._rows(width, compact=False)
        if rows > 3:
            placed, height, rows = self._rows(width, compact=True)
        return placed, height

    def _rows(self, width: int, compact: bool) -> tuple[list[tuple[QRectF, tuple]], int, int]:
        font, key_font = self._fonts()
        fm, km = QFontMetrics(font), QFontMetrics(key_font)
        h = fm.height() + 6
        x, y = PAD, PAD
        rows = 1
        placed = []
        for item in self._items():
            kind, text, key = item
            w = fm.horizontalAdvance(text) + 12
            if kind == "layer":
                if compact:
                    placed.append((QRectF(), item))  # still starts its group, not drawn
                    continue
                bold = QFont(font)
                bold.setBold(True)
                w = QFontMetrics(bold).horizontalAdvance(text) + 6 + h - 2
                if x > PAD:
                    x += GAP * 2  # a little space before each layer
            elif key:
                w += km.horizontalAdvance(key) + 12
            if kind == "accepted":
                x += GAP * 2  # a little space between labels and the style samples
            if x + w > width - PAD and x > PAD:
                x, y = PAD, y + h + LINE_GAP
                rows += 1
            placed.append((QRectF(x, y, w, h), item))
            x += w + GAP
        return placed, int(y + h + PAD), rows

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(width)[1]

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self.heightForWidth(max(self.width(), 100)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wanted = self.heightForWidth(self.width())
        if wanted != self.height():
            self.setFixedHeight(wanted)

    # --- painting --------------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font, key_font = self._fonts()
        c = self.colours
        placed, _ = self._layout(self.width())
        self._chips, self._switches = [], []
        group = ""
        for rect, (kind, text, key) in placed:
            if kind == "layer":
                group = key
                if not rect.isEmpty():
                    self._paint_switch(painter, rect, text, group not in self.hidden, font)
                    self._switches.append((rect, group))
                continue
            faded = kind == "label" and group in self.hidden
            painter.setOpacity(0.35 if faded else 1.0)
            if kind == "suggested":  # the style samples use a neutral grey
                painter.setBrush(c.tint_of(c.muted))
                pen = QPen(c.muted, 1.3, Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([3.0, 2.0])
                painter.setPen(pen)
                painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
                ink = c.text
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(c.line(text) if kind == "label" else c.muted)
                painter.drawRoundedRect(rect, 3, 3)
                ink = c.on_line(text) if kind == "label" else _on(c.muted)
            self._paint_text(painter, rect, text, key, ink, (font, key_font))
            if kind == "label":
                self._chips.append((rect, text))
        painter.end()

    def _paint_text(self, painter: QPainter, rect: QRectF, text: str, key: str, ink,
                    fonts: tuple[QFont, QFont]) -> None:
        font, key_font = fonts
        c = self.colours
        painter.setPen(ink)
        painter.setFont(font)
        text_rect = QRectF(rect.left() + 6, rect.top(), QFontMetrics(font).horizontalAdvance(text)
                           + 2, rect.height())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         text)
        if key:
            painter.setFont(key_font)
            kw = QFontMetrics(key_font).horizontalAdvance(key) + 8
            key_rect = QRectF(rect.right() - kw - 4, rect.top() + 3, kw, rect.height() - 6)
            painter.setPen(QPen(c.text, 1))
            painter.setBrush(c.base)
            painter.drawRoundedRect(key_rect, 2, 2)
            painter.drawText(key_rect, Qt.AlignmentFlag.AlignCenter, key)

    def _paint_switch(self, painter: QPainter, rect: QRectF, text: str, on: bool,
                      font: QFont) -> None:
        """A layer's switch: a check box and the layer's name, no fill (not a label)."""
        c = self.colours
        painter.setOpacity(1.0)
        box = QRectF(rect.left() + 2, rect.center().y() - 6, 12, 12)
        painter.setPen(QPen(c.text, 1.2))
        painter.setBrush(c.text if on else c.base)
        painter.drawRoundedRect(box, 2, 2)
        if on:
            painter.setPen(QPen(c.base, 1.8))
            painter.drawPolyline([QPointF(box.left() + 2.5, box.center().y()),
                                  QPointF(box.left() + 5, box.bottom() - 3),
                                  QPointF(box.right() - 2.5, box.top() + 3)])
        painter.setPen(c.text if on else c.muted)
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(box.right() + 5, rect.top(), rect.width(), rect.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _chip_at(self, pos) -> str | None:
        for rect, name in self._chips:
            if rect.contains(pos):
                return name
        return None

    def _switch_at(self, pos) -> str | None:
        return next((group for rect, group in self._switches if rect.contains(pos)), None)

    def switch_rect(self, group: str) -> QRectF | None:
        return next((rect for rect, g in self._switches if g == group), None)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        group = self._switch_at(event.position())
        if group:
            self.layer_clicked.emit(group)
            return
        name = self._chip_at(event.position())
        if name:
            self.label_clicked.emit(name)

    def mouseMoveEvent(self, event) -> None:
        hit = self._chip_at(event.position()) or self._switch_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            name = self._chip_at(QPointF(event.pos()))
            group = self._switch_at(QPointF(event.pos()))
            if group:
                state = "hidden" if group in self.hidden else "shown"
                QToolTip.showText(event.globalPos(), f"{layer_title(group)} labels are {state} in "
                                  "the article: click to " + ("show" if state == "hidden"
                                                              else "hide") + " them", self)
            elif name:
                lab = self.schema.label(name)
                QToolTip.showText(event.globalPos(), chip_tip(lab), self)
            else:
                tip = ("Solid tag (and fill or line): accepted label.  Dashed tag and dashed "
                       "underline: a suggestion to accept (Enter) or reject (Delete).")
                QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)


def chip_tip(lab: SpanLabel) -> str:
    """A label chip's tooltip: the schema's words (from whoever wrote the schema) as text."""
    return f"<b>{esc(lab.name)}</b> (key {esc(lab.key)})<br>{esc(lab.description)}"


def _on(colour) -> QColor:
    """Black or white, whichever reads better on `colour`."""
    return QColor("#000000") if colour.lightness() >= 140 else QColor("#ffffff")
