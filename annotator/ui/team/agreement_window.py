"""The Agreement window: the figures of `annotator agreement` as tables and bar charts.

Tabs: per label (table + chart of span F1 exact / overlap and alpha), per pair (table + chart of
F1 and kappa), structure, and the documents from the lowest agreement up: double-click one (or
Enter) to curate it. The report is computed by a background job (ui/team/jobs.py); this window
only shows it.

The charts are ui/charts.py's BarChart (pyqtgraph; see there for why not QtCharts).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
from annotator.ui.charts import BarChart
from annotator.ui.plain import esc

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
        self.summary.setTextFormat(Qt.TextFormat.RichText)  # its user parts are escaped
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
            f"<b>{esc(', '.join(report['annotators']) or 'No annotators')}</b> on "
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
