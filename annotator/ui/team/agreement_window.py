"""The Agreement window: the figures of `annotator agreement` as tables and bar charts.

Tabs: per label (table + chart of span F1 exact / overlap and alpha), per pair (table + chart of
F1 and kappa), structure, and the documents from the lowest agreement up: double-click one (or
Enter) to curate it. The report is computed by a background job (ui/team/jobs.py); this window
only shows it.

Charts are pyqtgraph's BarGraphItem (MIT, 2 MB of Python over numpy, which spaCy already
brings), not QtCharts: QtCharts comes only in PySide6-Addons (a 175 MB wheel, 438 MB installed,
pinned to the Essentials version, in every developer's and the build's environment) and Qt
Charts is GPL-3 or commercial, never LGPL like the rest of the Qt we ship. In the executable
QtCharts would add ~4 MB; pyqtgraph adds its Python (~3 MB) and Qt's OpenGL modules, which it
imports unconditionally (~10 MB): the two imports below name them so build/annotator.spec (which
keeps only the Qt modules named in annotator/) ships them. Its SVG and Test imports are optional
and stay out (tests/team/test_gui.py draws a chart without them).
"""

from __future__ import annotations

import pyqtgraph as pg
import PySide6.QtOpenGL  # noqa: F401 -- pyqtgraph needs it (see above)
import PySide6.QtOpenGLWidgets  # noqa: F401
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.team.report import num

SERIES = (("span_f1_exact", "F1 exact", "#0072B2"), ("span_f1_overlap", "F1 overlap", "#56B4E9"),
          ("alpha", "alpha", "#E69F00"), ("kappa", "kappa", "#009E73"))


def table(headers: list[str], rows: list[list], name: str) -> QTableWidget:
    widget = QTableWidget(len(rows), len(headers))
    widget.setObjectName(name)
    widget.setHorizontalHeaderLabels(headers)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.verticalHeader().hide()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = num(value) if isinstance(value, float) or value is None else str(value)
            cell = QTableWidgetItem(text)
            if isinstance(value, float | int) or value is None:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, cell)
    widget.resizeColumnsToContents()
    return widget


class BarChart(pg.PlotWidget):
    """Grouped bars, one group per category, one bar per series; values in [-1, 1]."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.setBackground(self.palette().color(QPalette.ColorRole.Base))
        self.showGrid(y=True, alpha=0.25)
        self.addLegend(offset=(10, 5))
        self.bars: dict[str, pg.BarGraphItem] = {}

    def plot_groups(self, categories: list[str], series: list[tuple[str, str, list]]) -> None:
        """series: (name, colour, values per category; None = no bar)."""
        self.clear()
        self.bars = {}
        width = 0.8 / max(1, len(series))
        for k, (name, colour, values) in enumerate(series):
            xs = [i - 0.4 + width * (k + 0.5) for i, v in enumerate(values) if v is not None]
            ys = [v for v in values if v is not None]
            bar = pg.BarGraphItem(x=xs, height=ys, width=width * 0.92, brush=colour,
                                  pen=pg.mkPen(colour), name=name)
            self.addItem(bar)
            self.bars[name] = bar
        self.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(categories)]])
        self.setYRange(min(0.0, *(v for _n, _c, vs in series for v in vs if v is not None),
                           0.0), 1.05, padding=0)
        self.setXRange(-0.6, max(len(categories) - 0.4, 0.6), padding=0)


class AgreementWindow(QWidget):
    document_chosen = Signal(int)  # curate this document
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("agreementWindow")
        self.setWindowTitle("Agreement")
        self.resize(1000, 700)
        self.report: dict | None = None
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        again = QPushButton("&Measure Again")
        again.clicked.connect(self.refresh_requested)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(again)
        self.tabs = QTabWidget()
        self.label_chart = BarChart("labelChart")
        self.pair_chart = BarChart("pairChart")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.labels = self.pairs = self.structure = self.documents = None

    def show_report(self, report: dict) -> None:
        self.report = report
        o = report["overall"]
        self.summary.setText(
            f"<b>{', '.join(report['annotators']) or 'No annotators'}</b> on "
            f"{report['documents']} document(s) labelled by two or more ({report['tokens']} "
            f"tokens): span F1 exact {num(o['span_f1_exact'])}, overlap "
            f"{num(o['span_f1_overlap'])}; kappa {num(o['kappa'])}; alpha {num(o['alpha'])}; "
            f"structure F1 {num(o['structure_f1'])}")
        current = self.tabs.currentIndex()
        self.tabs.clear()
        used = [x for x in report["per_label"] if any(x["spans"].values())]
        self.labels = table(["Label", "F1 exact", "F1 overlap", "kappa", "alpha",
                             *report["annotators"]],
                            [[x["label"], x["span_f1_exact"], x["span_f1_overlap"], x["kappa"],
                              x["alpha"], *x["spans"].values()] for x in used], "labelTable")
        self.label_chart.plot_groups([x["label"] for x in used],
                                     [(title, colour, [x[key] for x in used])
                                      for key, title, colour in SERIES if key != "kappa"])
        self.tabs.addTab(self._pane(self.labels, self.label_chart), "Per &label")
        pairs = report["per_pair"]
        self.pairs = table(["Annotators", "Documents", "F1 exact", "F1 overlap", "kappa",
                            "Structure F1"],
                           [[" / ".join(p["annotators"]), p["documents"], p["span_f1_exact"],
                             p["span_f1_overlap"], p["kappa"], p["structure_f1"]]
                            for p in pairs], "pairTable")
        self.pair_chart.plot_groups([" / ".join(p["annotators"]) for p in pairs],
                                    [(title, colour, [p[key] for p in pairs])
                                     for key, title, colour in SERIES if key != "alpha"])
        self.tabs.addTab(self._pane(self.pairs, self.pair_chart), "Per &pair")
        self.structure = table(["Kind", "Head", "Roles", "F1", *report["annotators"]],
                               [[f["kind"], f["head"], ", ".join(f["roles"]), f["f1"],
                                 *f["triples"].values()] for f in report["structure"]],
                               "structureTable")
        self.tabs.addTab(self.structure, "&Structure")
        docs = report["documents_by_agreement"]
        self.documents = table(["Document", "Title", "Annotators", "F1 exact", "F1 overlap",
                                "Structure F1"],
                               [[d["doc_id"], d["title"], ", ".join(d["annotators"]),
                                 d["span_f1_exact"], d["span_f1_overlap"], d["structure_f1"]]
                                for d in docs], "documentTable")
        self.documents.setToolTip("Lowest agreement first: double-click or press Enter to curate")
        self.documents.cellDoubleClicked.connect(self._chosen)
        self.documents.cellActivated.connect(self._chosen)
        self.tabs.addTab(self.documents, "&Documents")
        self.tabs.setCurrentIndex(max(0, current))

    def _pane(self, widget: QWidget, chart: BarChart) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget, 1)
        layout.addWidget(chart, 1)
        return pane

    def _chosen(self, row: int, _column: int = 0) -> None:
        docs = self.report["documents_by_agreement"] if self.report else []
        if 0 <= row < len(docs):
            self.document_chosen.emit(docs[row]["doc_id"])
