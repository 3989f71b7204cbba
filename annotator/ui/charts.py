"""Bar charts for the Corpus Overview and the Agreement window, on pyqtgraph, with clickable bars.

pyqtgraph (MIT, 2 MB of Python over numpy, which spaCy already brings), not QtCharts: QtCharts
comes only in PySide6-Addons (a 175 MB wheel, 438 MB installed) and Qt Charts is GPL-3 or
commercial, never LGPL like the rest of the Qt we ship. pyqtgraph imports Qt's OpenGL modules
unconditionally (~10 MB in the executable): the two imports below name them so
build/annotator.spec (which keeps only the Qt modules named in annotator/) ships them. Its SVG
and Test imports are optional and stay out (tests/team/test_gui.py draws a chart without them).

pyqtgraph's bars have no click signal: every bar drawn is kept as a rectangle in data
coordinates with a key, and a click on the scene is mapped into the plot and tested against
them (`bar_clicked(key)`). Colours of axes, text and background follow the palette, so a chart
reads in light and dark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyqtgraph as pg
import PySide6.QtOpenGL  # noqa: F401 -- pyqtgraph needs it (see above)
import PySide6.QtOpenGLWidgets  # noqa: F401
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPalette
from PySide6.QtWidgets import QWidget

LEGEND_COLUMNS = 4


@dataclass(frozen=True)
class Bar:
    rect: QRectF  # data coordinates
    key: object   # what bar_clicked carries


class CategoryAxis(pg.AxisItem):
    """An axis of named categories at 0, 1, 2...; labels that would overlap are thinned out
    (every second, third... one shown), as the chart's width allows."""

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.categories: list[str] = []

    def set_categories(self, names: list[str]) -> None:
        self.categories = list(names)
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 -- pyqtgraph's name
        if not self.categories:
            return []
        metrics = QFontMetricsF(self.font())
        if self.orientation in ("left", "right"):
            need = metrics.height() * 1.1
        else:
            need = max(metrics.horizontalAdvance(c) for c in self.categories) + metrics.averageCharWidth() * 2
        span = max(maxVal - minVal, 1e-9)
        step = max(1, math.ceil(need / max(size / span, 1e-9)))
        return [(step, [float(i) for i in range(0, len(self.categories), step)])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 -- pyqtgraph's name
        return [self.categories[int(round(v))] if 0 <= round(v) < len(self.categories) else ""
                for v in values]


class BarChart(pg.PlotWidget):
    """Bars over categories: grouped, stacked or horizontal; a click on a bar emits its key."""

    bar_clicked = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None, horizontal: bool = False,
                 title: str = ""):
        self.horizontal = horizontal
        self.category_axis = CategoryAxis("left" if horizontal else "bottom")
        super().__init__(parent, axisItems={self.category_axis.orientation: self.category_axis})
        self.setObjectName(name)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        self.showGrid(x=horizontal, y=not horizontal, alpha=0.25)
        if title:
            self.setTitle(title, color=text.name(), size=f"{self.font().pointSizeF():.0f}pt")
        self.legend = pg.LegendItem(colCount=LEGEND_COLUMNS, labelTextColor=text,
                                    labelTextSize=f"{max(6.0, self.font().pointSizeF() * 0.85):.1f}pt")
        self.plotItem.layout.addItem(self.legend, 4, 1)  # below the plot, never over a bar
        self.bars: dict[str, pg.BarGraphItem] = {}  # series name -> its item
        self.hits: list[Bar] = []
        self.scene().sigMouseClicked.connect(self._clicked)

    # --- drawing --------------------------------------------------------------------------------

    def reset(self, categories: list[str]) -> None:
        self.clear()
        self.legend.clear()
        self.bars = {}
        self.hits = []
        self.category_axis.set_categories(categories)

    def add_bars(self, name: str, colour: str, spans: list[tuple[float, float, float, object]],
                 width: float, legend: bool = True) -> None:
        """spans: (category position, start, length, key) per bar; length 0 draws nothing."""
        spans = [s for s in spans if s[2]]
        pos = [s[0] for s in spans]
        start = [s[1] for s in spans]
        length = [s[2] for s in spans]
        if self.horizontal:
            item = pg.BarGraphItem(y=pos, x0=start, width=length, height=width, brush=colour,
                                   pen=pg.mkPen(colour), name=name)
        else:
            item = pg.BarGraphItem(x=pos, y0=start, height=length, width=width, brush=colour,
                                   pen=pg.mkPen(colour), name=name)
        self.addItem(item)
        if legend:
            self.legend.addItem(item, name)
        self.bars[name] = item
        for p, s, n, key in spans:
            lo, hi = sorted((s, s + n))
            rect = QRectF(lo, p - width / 2, hi - lo, width) if self.horizontal \
                else QRectF(p - width / 2, lo, width, hi - lo)
            self.hits.append(Bar(rect, key))

    def set_value_range(self, low: float, high: float, count: int) -> None:
        """Values from low to high over `count` categories (whole bars, with a margin)."""
        last = max(count - 0.4, 0.6)
        step = nice_ceiling((high - low) / 6, margin=1.0, steps=(1, 2, 5, 10))  # ~5, no minor
        self.getAxis("bottom" if self.horizontal else "left").setTickSpacing(step, step)
        if self.horizontal:
            self.setXRange(low, high, padding=0)
            self.setYRange(-0.6, last, padding=0)
        else:
            self.setYRange(low, high, padding=0)
            self.setXRange(-0.6, last, padding=0)

    def plot_groups(self, categories: list[str], series: list[tuple[str, str, list]]) -> None:
        """Grouped bars, one group per category, one bar per series (name, colour, values per
        category; None = no bar); values in [-1, 1]. A bar's key is (series name, category)."""
        self.reset(categories)
        width = 0.8 / max(1, len(series))
        for k, (name, colour, values) in enumerate(series):
            self.add_bars(name, colour, [(i - 0.4 + width * (k + 0.5), 0.0, v, (name, i))
                                         for i, v in enumerate(values) if v is not None],
                          width * 0.92)
        low = min([0.0] + [v for _n, _c, vs in series for v in vs if v is not None])
        self.set_value_range(low, 1.05, len(categories))

    def plot_stacked(self, categories: list[str], series: list[tuple[str, str, list[float]]],
                     legend: bool = True) -> None:
        """Stacked bars (or one plain series): a bar's key is (series name, category index)."""
        self.reset(categories)
        below = [0.0] * len(categories)
        for name, colour, values in series:
            self.add_bars(name, colour, [(i, below[i], v, (name, i)) for i, v in enumerate(values)],
                          0.6, legend)
            below = [b + v for b, v in zip(below, values)]
        self.set_value_range(0, nice_ceiling(max(below, default=0)), len(categories))

    # --- clicks ---------------------------------------------------------------------------------

    def bar_at(self, scene_pos: QPointF) -> Bar | None:
        box = self.plotItem.vb
        if not box.sceneBoundingRect().contains(scene_pos):
            return None
        point = box.mapSceneToView(scene_pos)
        return next((b for b in self.hits if b.rect.contains(point)), None)

    def bar_point(self, key) -> QPoint:
        """The middle of the bar with this key, in viewport coordinates (where to click it)."""
        bar = next(b for b in self.hits if b.key == key)
        return self.mapFromScene(self.plotItem.vb.mapViewToScene(bar.rect.center()))

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        bar = self.bar_at(event.scenePos())
        if bar is not None:
            event.accept()
            self.bar_clicked.emit(bar.key)


def nice_ceiling(peak: float, margin: float = 1.05,
                 steps: tuple[float, ...] = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)) -> float:
    """A round number above peak: the top of a value axis (15 for 11, 200 for 147), a step."""
    peak = max(peak, 1 if margin > 1 else 1e-9) * margin
    magnitude = 10 ** math.floor(math.log10(peak))
    return next(m * magnitude for m in steps if m * magnitude >= peak)
