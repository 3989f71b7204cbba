"""The Corpus Overview window: charts of the corpus, each bar a way into the tables.

ui/charts.py draws them with pyqtgraph (MIT; see there for why not QtCharts). The numbers come
from annotator/analysis/overview.py on a worker thread (they scan the corpus), so opening the
window never blocks. Clicking a bar asks for a table filtered to it (`filter_requested(table,
filters)`): a period filters on published dates, a speaker or threat source on its actor, an
annotator's day on the annotator.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.analysis import overview as data
from annotator.analysis.query import EVENTS, QUOTES, THREATS
from annotator.ui.charts import BarChart
from annotator.ui.jobs import Job

OVERVIEW = Job("overview", "Counting the corpus", user=False)
_GROUP_TABLE = {"speech": QUOTES, "threat": THREATS, "event": EVENTS, "entity": QUOTES}
_STATUS_COLOURS = {"new": "#adb5bd", "in_progress": "#f4a261", "done": "#2a9d8f"}
_PALETTE = ["#3a86ff", "#e4572e", "#2a9d8f", "#f4a261", "#8338ec", "#d62828", "#06a77d",
            "#9c6644", "#b56576", "#8ab17d"]


def _unique(names: list[str]) -> list[str]:
    """Category labels tell bars apart: a second "Askavia" (one with an actor, one without)
    becomes "Askavia (2)"."""
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
        self.charts: dict[str, BarChart] = {}
        self.clicks: dict[str, object] = {}  # chart -> what a click on (series, index) does
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
            chart = BarChart(f"chart_{key}", horizontal=key in ("speakers", "sources"),
                             title=title)
            chart.setMinimumSize(360, 240)
            chart.bar_clicked.connect(lambda bar, k=key: self.clicks[k](*bar))
            self.charts[key] = chart
            grid.addWidget(chart, i // 3, i % 3)
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

    def _stacked(self, key: str, categories: list[str], series: dict[str, dict[str, int]],
                 on_click, colours: dict[str, str] | None = None) -> None:
        """on_click(series name, category index); the legend names a series without "_"."""
        names = sorted(series)
        shown = {name.replace("_", " "): name for name in names}
        self.clicks[key] = lambda label, i: on_click(shown[label], i)
        self.charts[key].plot_stacked(
            categories, [(label, (colours or {}).get(name, _PALETTE[n % len(_PALETTE)]),
                          [float(series[name].get(c, 0)) for c in categories])
                         for n, (label, name) in enumerate(shown.items())])

    def _top(self, key: str, rows: list[dict], table: str) -> None:
        rows = list(reversed(rows))  # the largest at the top

        def clicked(_series: str, i: int) -> None:
            row = rows[i]
            self.filter_requested.emit(table, {"actor_id": row["actor_id"]}
                                       if row["actor_id"] is not None else {"text": row["name"]})
        self.clicks[key] = clicked
        self.charts[key].plot_stacked(
            _unique([r["name"] or "?" for r in rows]),
            [("mentions", _PALETTE[0 if table == QUOTES else 5], [float(r["count"]) for r in rows])],
            legend=False)
