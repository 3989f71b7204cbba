"""Draws a Scene (ui/overlay.py) over the article's text.

Accepted spans are drawn solid (underline, bar, a tag filled with the label colour); suggestions
dashed and light (a dashed underline, a dashed bar, a pale tag with a dashed border), rejected
ones muted and struck through. Arcs get a halo of the base colour under them so the text they
cross stays readable.
"""

from __future__ import annotations

from math import atan2, cos, sin

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED
from annotator.ui.colours import LabelColours
from annotator.ui.overlay import Metrics, Scene

DASH = [3.0, 2.0]


def _pen(colour: QColor, width: float, dashed: bool = False) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern(DASH)
    return pen


def paint_under(painter: QPainter, scene: Scene, colours: LabelColours) -> None:
    """Before the text: the arcs' lines, so the text drawn over them stays readable."""
    if not scene.arcs:
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for arc in scene.arcs:
        pen = _pen(colours.text, 1.6, dashed=arc.suggested)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPath(arc.path)


def paint_over(painter: QPainter, scene: Scene, colours: LabelColours, metrics: Metrics,
               tag_font: QFont, accent: QColor) -> None:
    """After the text: frames, underlines (over the frames' edges, which they share the line's
    bottom with), bars, tags, and the arcs' arrows and role chips."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _frames(painter, scene, colours, accent)
    _underlines(painter, scene, colours, metrics)
    _bars(painter, scene, colours, metrics)
    _tags(painter, scene, colours, tag_font)
    _arc_marks(painter, scene, colours, tag_font)


def _status_colour(colours: LabelColours, label: str, status: str) -> QColor:
    return colours.muted if status == REJECTED else colours.line(label)


def _underlines(painter: QPainter, scene: Scene, colours: LabelColours, m: Metrics) -> None:
    width = max(1.2, m.underline_step * 0.6)
    for u in scene.underlines:
        painter.setPen(_pen(_status_colour(colours, u.label, u.status), width,
                            dashed=u.status != ACCEPTED))
        painter.drawLine(QLineF(u.x1, u.y, u.x2, u.y))


def _bars(painter: QPainter, scene: Scene, colours: LabelColours, m: Metrics) -> None:
    for b in scene.bars:
        colour = _status_colour(colours, b.label, b.status)
        x = b.x + m.bar_width / 2
        painter.setPen(_pen(colour, m.bar_width, dashed=b.status != ACCEPTED))
        painter.drawLine(QLineF(x, b.top + 1, x, b.bottom - 1))


def _frames(painter: QPainter, scene: Scene, colours: LabelColours, accent: QColor) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for frame in scene.frames:
        if frame.kind == "selected":
            pen, inset = QPen(colours.text, 2.0), 0.5
        elif frame.kind == "linked":
            pen, inset = QPen(colours.line(frame.label), 2.0), 1.0
        else:
            pen, inset = QPen(accent, 2.4, Qt.PenStyle.DotLine), 0.0
        painter.setPen(pen)
        for rect in frame.rects:
            painter.drawRoundedRect(rect.adjusted(-1.0, inset, 1.0, -inset), 3, 3)


def _tags(painter: QPainter, scene: Scene, colours: LabelColours, font: QFont) -> None:
    painter.setFont(font)
    fonts: dict[tuple[bool, bool], QFont] = {}  # (struck out, italic): made once per paint
    for tag in scene.tags:
        rect = tag.rect
        if tag.status == ACCEPTED:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.line(tag.label))
            text = colours.on_line(tag.label)
        else:
            painter.setPen(_pen(_status_colour(colours, tag.label, tag.status), 1.0, dashed=True))
            painter.setBrush(colours.tint(tag.label) if tag.status == SUGGESTED else colours.base)
            text = colours.text if tag.status == SUGGESTED else colours.muted
            rect = rect.adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(rect, 3, 3)
        if tag.selected:
            painter.setPen(QPen(colours.text, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tag.rect.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4)
        painter.setPen(text)
        style = (tag.status == REJECTED, tag.status != ACCEPTED)
        f = fonts.get(style)
        if f is None:
            f = fonts[style] = QFont(font)
            f.setStrikeOut(style[0])
            f.setItalic(style[1])
        painter.setFont(f)
        painter.drawText(tag.rect, Qt.AlignmentFlag.AlignCenter, tag.text)


def _arrow(painter: QPainter, path: QPainterPath, at_end: bool, size: float) -> None:
    t = 1.0 if at_end else 0.0
    tip = path.pointAtPercent(t)
    near = path.pointAtPercent(0.97 if at_end else 0.03)
    angle = atan2(tip.y() - near.y(), tip.x() - near.x())
    left = QPointF(tip.x() - size * cos(angle - 0.45), tip.y() - size * sin(angle - 0.45))
    right = QPointF(tip.x() - size * cos(angle + 0.45), tip.y() - size * sin(angle + 0.45))
    painter.drawPolygon(QPolygonF([tip, left, right]))


def _arc_marks(painter: QPainter, scene: Scene, colours: LabelColours, font: QFont) -> None:
    ink = QColor(colours.text)
    painter.setFont(font)
    for arc in scene.arcs:
        if arc.arrow_at_end is not None and not arc.edge:
            painter.setPen(QPen(ink, 1.0))
            painter.setBrush(ink)
            _arrow(painter, arc.path, arc.arrow_at_end, 7.0)
        painter.setPen(_pen(ink, 1.0, dashed=arc.suggested))
        painter.setBrush(colours.base)
        painter.drawRoundedRect(arc.label_rect, 3, 3)
        painter.setPen(ink)
        painter.drawText(arc.label_rect, Qt.AlignmentFlag.AlignCenter, arc.text)
