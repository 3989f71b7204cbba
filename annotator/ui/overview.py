"""The Corpus Overview window: charts of the corpus, each bar a way into the tables.

QtCharts (PySide6-Addons) draws them; see README "Corpus view" for why it over pyqtgraph. The
numbers come from annotator/analysis/overview.py on a worker thread (they scan the corpus), so
opening the window never blocks. Clicking a bar asks for a table filtered to it
(`filter_requested(table, filters)`): a period filters on published dates, a speaker or threat
source on its actor, an annotator's day on the annotator.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.analysis import overview as data
from annotator.analysis.query import EVENTS, QUOTES, THREATS
from annotator.ui.jobs import Job

OVERVIEW = Job("overview", "Counting the corpus", user=False)
_GROUP_TABLE = {"speech": QUOTES, "threat": THREATS, "event": EVENTS, "entity": QUOTES}
_STATUS_COLOURS = {"new": "#adb5bd", "in_progress": "#f4a261", "done": "#2a9d8f"}
_PALETTE = ["#3a86ff", "#e4572e", "#2a9d8f", "#f4a261", "#8338ec", "#d62828", "#06a77d",
            "#9c6644", "#b56576", "#8ab17d"]


def _unique(names: list[str]) -> list[str]:
    """Category labels must differ (the axis drops repeats): a second "Askavia" (one with an
    actor, one without) becomes "Askavia (2)"."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def overview_job(include_suggestions: bool):
    def job(store, progress, cancelled):
        return data.collect(store, include_suggestions)
    return job


class Overview(QWidget):
    filter_requested = Signal(str, object)  # table name, dict of TableQuery filters

    def __init__(self, runner, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("corpusOverview")
        self.setWindowTitle("Corpus Overview \u2014 News Annotator")
        self.runner = runner
        self.data: data.Overview | None = None
        self.charts: dict[str, QChartView] = {}
        self.bar_sets: dict[str, list[QBarSet]] = {}
        self.suggestions = QCheckBox("Include suggestions")
        self.suggestions.toggled.connect(lambda _on: self.refresh())
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        self.status = QLabel("Click a bar to see its rows in a table.")
        top = QHBoxLayout()
        for w in (self.suggestions, refresh):
            top.addWidget(w)
        top.addWidget(self.status, 1)
        grid = QGridLayout()
        titles = (("documents", "Documents by status (published date)"),
                  ("labels", "Labels by group (published date)"),
                  ("events", "Events by type (published date)"),
                  ("speakers", "Top speakers (quotes)"),
                  ("sources", "Top threat sources (threats)"),
                  ("progress", "Labels decided per annotator per day"))
        for i, (key, title) in enumerate(titles):
            chart = QChart()
            chart.setTitle(title)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            view = QChartView(chart)
            view.setObjectName(f"chart_{key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(360, 240)
            self.charts[key] = view
            grid.addWidget(view, i // 3, i % 3)
        outer = QGridLayout(self)
        outer.addLayout(top, 0, 0)
        outer.addLayout(grid, 1, 0)
        self.resize(1500, 900)

    # --- data -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.status.setText("Counting\u2026")
        self.runner.start(OVERVIEW, overview_job(self.suggestions.isChecked()),
                          on_done=self.show_data)

    def show_data(self, ov: data.Overview) -> None:
        self.data = ov
        self.status.setText(f"Per {ov.period}; click a bar to see its rows in a table.")
        periods = ov.periods
        self._stacked("documents", periods, ov.documents,
                      lambda name, i: self._period_filter(QUOTES, periods[i], doc_status=name),
                      colours=_STATUS_COLOURS)
        self._stacked("labels", periods, ov.labels, lambda name, i: self._period_filter(
            _GROUP_TABLE.get(name, QUOTES), periods[i]))
        self._stacked("events", periods, ov.events, lambda name, i: self._period_filter(
            EVENTS, periods[i], category="" if name in ("other", "(no type)") else name))
        self._top("speakers", ov.speakers, QUOTES)
        self._top("sources", ov.sources, THREATS)
        self._stacked("progress", ov.days, ov.progress,
                      lambda name, i: self.filter_requested.emit(QUOTES, {"annotator": name}))

    def _period_filter(self, table: str, key: str, **extra) -> None:
        first, last = data.period_range(self.data.period, key)
        self.filter_requested.emit(table, {"date_from": first, "date_to": last, **extra})

    # --- charts ---------------------------------------------------------------------------------

    def _reset(self, key: str) -> QChart:
        chart = self.charts[key].chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.bar_sets[key] = []
        return chart

    def _stacked(self, key: str, categories: list[str], series: dict[str, dict[str, int]],
                 on_click, colours: dict[str, str] | None = None) -> None:
        chart = self._reset(key)
        bars = QStackedBarSeries()
        peak = 0
        for n, (name, values) in enumerate(sorted(series.items())):
            bar_set = QBarSet(name.replace("_", " "))
            bar_set.setColor(QColor((colours or {}).get(name, _PALETTE[n % len(_PALETTE)])))
            bar_set.append([float(values.get(c, 0)) for c in categories])
            bar_set.clicked.connect(lambda i, nm=name: on_click(nm, i))
            bars.append(bar_set)
            self.bar_sets[key].append(bar_set)
        for i in range(len(categories)):
            peak = max(peak, sum(values.get(categories[i], 0) for values in series.values()))
        chart.addSeries(bars)
        self._axes(chart, bars, categories, peak, Qt.Orientation.Vertical)

    def _top(self, key: str, rows: list[dict], table: str) -> None:
        chart = self._reset(key)
        rows = list(reversed(rows))  # the largest at the top
        bar_set = QBarSet("mentions")
        bar_set.setColor(QColor(_PALETTE[0 if table == QUOTES else 5]))
        bar_set.append([float(r["count"]) for r in rows])

        def clicked(i: int) -> None:
            row = rows[i]
            self.filter_requested.emit(table, {"actor_id": row["actor_id"]}
                                       if row["actor_id"] is not None else {"text": row["name"]})
        bar_set.clicked.connect(clicked)
        bars = QHorizontalBarSeries()
        bars.append(bar_set)
        self.bar_sets[key].append(bar_set)
        chart.addSeries(bars)
        chart.legend().hide()
        self._axes(chart, bars, [r["name"] or "?" for r in rows],
                   max((r["count"] for r in rows), default=0), Qt.Orientation.Horizontal)

    def _axes(self, chart: QChart, series, categories: list[str], peak: float, orient) -> None:
        cats = QBarCategoryAxis()
        cats.append(_unique(categories) or [""])
        values = QValueAxis()
        values.setRange(0, max(peak, 1) * 1.05)
        values.applyNiceNumbers()
        values.setLabelFormat("%d")
        small = QFont(chart.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        chart.legend().setFont(small)
        cats.setLabelsFont(small)
        if orient == Qt.Orientation.Vertical:
            if len(categories) > 4:
                cats.setLabelsAngle(-60)  # dates side by side would be cut to "202..."
            chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        else:
            chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(cats)
        series.attachAxis(values)

    def bar_point(self, key: str, set_index: int, category: int):
        """Where on the chart's view a bar is (its middle), for a click: viewport coordinates."""
        view = self.charts[key]
        chart = view.chart()
        series = chart.series()[0]
        bar_sets = self.bar_sets[key]
        below = sum(bar_sets[j].at(category) for j in range(set_index)) \
            if isinstance(series, QStackedBarSeries) else 0.0
        middle = below + bar_sets[set_index].at(category) / 2
        point = QPointF(category, middle) if isinstance(series, QStackedBarSeries) \
            else QPointF(middle, category)
        scene = chart.mapToScene(chart.mapToPosition(point, series))
        return view.mapFromScene(scene)
