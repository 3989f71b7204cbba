"""The document list's status as a small circle instead of a word.

"in progress" took as much of the Documents dock as the title got at the default window size,
so titles were cut to fifteen characters. The circle (empty: new, half: in progress, full: done)
is drawn rather than typed (no font has to hold the glyphs); the model's text for the cell stays
the status word, so filtering, sorting, tooltips and screen readers still have it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from annotator.domain import DOC_DONE, DOC_IN_PROGRESS

FILL = {DOC_DONE: 1.0, DOC_IN_PROGRESS: 0.5}  # how much of the circle is filled; new: none


class StatusMarkDelegate(QStyledItemDelegate):
    """Paints the row's background as usual, then the status circle centred in the cell."""

    def __init__(self, status_role: int, parent=None):
        super().__init__(parent)
        self.status_role = status_role  # the role that gives the raw status (DOC_NEW, ...)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role)
        d = min(opt.rect.height() * 0.5, opt.fontMetrics.height() * 0.7)
        circle = QRectF(0, 0, d, d)
        circle.moveCenter(QPointF(opt.rect.center()) + QPointF(0.5, 0.5))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle)
        fill = FILL.get(index.data(self.status_role), 0.0)
        if fill:
            path = QPainterPath()
            path.addEllipse(circle)
            if fill < 1.0:  # the left half: reads as "half way"
                half = QPainterPath()
                half.addRect(QRectF(circle.left(), circle.top(), circle.width() * fill,
                                    circle.height()))
                path = path.intersected(half)
            painter.fillPath(path, colour)
        painter.restore()
