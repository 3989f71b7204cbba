"""The legend strip above the article: every label's colour and key, and the two styles.

Chips wrap onto more lines when the window is narrow. Clicking a chip labels the selection with
it (the mouse way to do what the key does); hovering shows the label's description.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.schema import LabelSchema
from annotator.ui.colours import LabelColours

PAD, GAP, LINE_GAP = 6, 6, 4


class Legend(QWidget):
    label_clicked = Signal(str)

    def __init__(self, schema: LabelSchema, colours: LabelColours, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("legend")
        self.schema = schema
        self.colours = colours
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._chips: list[tuple[QRectF, str]] = []

    def set_colours(self, colours: LabelColours, schema: LabelSchema | None = None) -> None:
        self.colours = colours
        if schema is not None:
            self.schema = schema
        self.updateGeometry()
        self.update()

    # --- layout -------------------------------------------------------------------------------------

    def _items(self) -> list[tuple[str, str, str]]:
        """(kind, text, key/label) in order: the label chips, then the two style samples."""
        items = [("label", lab.name, lab.key) for lab in self.schema.labels]
        items += [("accepted", "accepted", ""), ("suggested", "suggestion", "")]
        return items

    def _fonts(self) -> tuple[QFont, QFont]:
        small = QFont(self.font())
        key = QFont(self.font())
        key.setPointSizeF(self.font().pointSizeF() * 0.85)
        key.setBold(True)
        return small, key

    def _layout(self, width: int) -> tuple[list[tuple[QRectF, tuple]], int]:
        font, key_font = self._fonts()
        fm, km = QFontMetrics(font), QFontMetrics(key_font)
        h = fm.height() + 6
        x, y = PAD, PAD
        placed = []
        for item in self._items():
            kind, text, key = item
            w = fm.horizontalAdvance(text) + 12
            if key:
                w += km.horizontalAdvance(key) + 12
            if kind == "accepted":
                x += GAP * 2  # a little space between labels and the style samples
            if x + w > width - PAD and x > PAD:
                x, y = PAD, y + h + LINE_GAP
            placed.append((QRectF(x, y, w, h), item))
            x += w + GAP
        return placed, int(y + h + PAD)

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
        fm = QFontMetrics(font)
        c = self.colours
        placed, _ = self._layout(self.width())
        self._chips = []
        for rect, (kind, text, key) in placed:
            if kind == "suggested":  # the style samples use a neutral grey
                painter.setBrush(c.tint_of(c.muted))
                pen = QPen(c.muted, 1.3, Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([3.0, 2.0])
                painter.setPen(pen)
                painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(c.fill(text) if kind == "label" else c.fill_of(c.muted))
                painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(c.text)
            painter.setFont(font)
            text_rect = QRectF(rect.left() + 6, rect.top(), fm.horizontalAdvance(text) + 2,
                               rect.height())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             text)
            if key:
                painter.setFont(key_font)
                km = QFontMetrics(key_font)
                kw = km.horizontalAdvance(key) + 8
                key_rect = QRectF(rect.right() - kw - 4, rect.top() + 3, kw, rect.height() - 6)
                painter.setPen(QPen(c.text, 1))
                painter.setBrush(c.base)
                painter.drawRoundedRect(key_rect, 2, 2)
                painter.drawText(key_rect, Qt.AlignmentFlag.AlignCenter, key)
            if kind == "label":
                self._chips.append((rect, text))
        painter.end()

    def _chip_at(self, pos) -> str | None:
        for rect, name in self._chips:
            if rect.contains(pos):
                return name
        return None

    def mouseReleaseEvent(self, event) -> None:
        name = self._chip_at(event.position())
        if name and event.button() == Qt.MouseButton.LeftButton:
            self.label_clicked.emit(name)

    def mouseMoveEvent(self, event) -> None:
        name = self._chip_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if name else Qt.CursorShape.ArrowCursor)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            name = self._chip_at(QPointF(event.pos()))
            if name:
                lab = self.schema.label(name)
                QToolTip.showText(event.globalPos(),
                                  f"<b>{lab.name}</b> (key {lab.key})<br>{lab.description}", self)
            else:
                tip = ("Filled: accepted label.  Tinted with a dashed underline: a suggestion "
                       "to accept (Enter) or reject (Delete).")
                QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)
