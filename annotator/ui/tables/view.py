"""One analyst table with its filter bar: words, actor, category, document status, date range,
annotator, suggestions, grouping by actor; CSV export and Ctrl+C as TSV.

A click on a row asks to open its document with the span selected (`open_requested`); a click
on an actor group shows that actor's rows. The widget only edits the `TableQuery`; the model
asks the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.analysis import tables
from annotator.analysis.query import TableQuery
from annotator.domain import DOC_STATUSES
from annotator.ui.plain import plain_label
from annotator.ui.tables.model import AnalysisTableModel

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ANY_CATEGORY = {"quotes": "Any speech act", "threats": "Any mode", "events": "Any type"}
ACTOR_CHOICES = 2000  # actors offered in the filter list (most mentioned first)


@dataclass
class Choices:
    """What the filter lists offer: actors as (name, id), categories, annotators."""
    actors: list[tuple[str, int]]
    categories: list[str]
    annotators: list[str]


def list_choices(store, table: str) -> Choices:
    """The filter lists of `table` from the store (any thread with its own store)."""
    actors = sorted(store.actors(), key=lambda a: (-a.mentions, a.name.lower()))[:ACTOR_CHOICES]
    return Choices([(a.name, a.id) for a in sorted(actors, key=lambda a: a.name.lower())],
                   [str(v) for v in store.table_categories(table)],
                   list(store.span_annotators()))


class AnalysisTable(QWidget):
    open_requested = Signal(int, int)  # document id, span id
    export_requested = Signal(object)  # this table: the window exports its rows in a job

    def __init__(self, table: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.table_name = table
        self.setObjectName(f"{table}Table")
        # run_in_background(fn(store, progress, cancelled), done(result)): a job off the UI thread
        self.run_in_background = None
        self._choices_asked = 0
        self.model = AnalysisTableModel(TableQuery(table=table), self)
        self._build()
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.apply_filters)
        self.model.state_changed.connect(self._update_count)

    # --- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Filter: words of the row or a name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.actor_box = QComboBox(toolTip="Only rows of this actor")
        self.category_box = QComboBox(toolTip={"quotes": "Speech act", "threats": "Threat mode",
                                               "events": "Event type"}[self.table_name])
        self.status_box = QComboBox(toolTip="Document status")
        self.status_box.addItem("Any status", "")
        for status in DOC_STATUSES:
            self.status_box.addItem(status.replace("_", " "), status)
        self.annotator_box = QComboBox(toolTip="Who labelled the row")
        iso = QRegularExpressionValidator(QRegularExpression(r"\d{0,4}(-\d{0,2}(-\d{0,2})?)?"))
        self.date_from = QLineEdit(placeholderText="from YYYY-MM-DD")
        self.date_to = QLineEdit(placeholderText="to YYYY-MM-DD")
        for edit in (self.date_from, self.date_to):
            edit.setValidator(iso)
            edit.setToolTip("Published date of the document (a year, month or day)")
            edit.textChanged.connect(lambda _t: self._debounce.start())
        self.suggestions = QCheckBox("Suggestions", toolTip="Include rows still suggested")
        self.by_actor = QCheckBox("By actor", toolTip="One row per "
                                  + tables.GROUP_TITLES[self.table_name].lower())
        for box in (self.actor_box, self.category_box, self.status_box, self.annotator_box):
            box.currentIndexChanged.connect(lambda _i: self.apply_filters())
        for box in (self.suggestions, self.by_actor):
            box.toggled.connect(lambda _on: self.apply_filters())
        self.export_button = QPushButton("Export CSV\u2026", toolTip="Write the rows shown to a "
                                         "CSV file (the columns of the CSV export)")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self))
        self.count_label = plain_label()  # may quote a failed query
        # Two rows, each box at least as wide as its placeholder or first choice: in one row of
        # eleven the layout squeezed them to "Any acto" at the default window size.
        for edit in (self.search, self.date_from, self.date_to):
            fit_placeholder(edit)
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(edit.minimumWidth())
        for box, first in ((self.actor_box, "Any actor"), (self.status_box, "Any status"),
                           (self.category_box, ANY_CATEGORY[self.table_name]),
                           (self.annotator_box, "Any annotator")):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(len(first) + 1)  # longer names elide; the list shows all
        top, filters = QHBoxLayout(), QHBoxLayout()
        for w in (self.search, self.suggestions, self.by_actor, self.export_button,
                  self.count_label):
            top.addWidget(w)
        top.setStretchFactor(self.search, 2)
        for w in (self.actor_box, self.category_box, self.status_box, self.date_from,
                  self.date_to, self.annotator_box):
            filters.addWidget(w)
        filters.addStretch(1)
        bar = QVBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        bar.addLayout(top)
        bar.addLayout(filters)
        self.view = QTableView()
        self.view.setObjectName(f"{self.table_name}View")
        self.view.setModel(self.model)
        # No indicator first: enabling sorting sorts by the indicated column at once.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.model.modelReset.connect(self._reset_columns)
        QShortcut(QKeySequence.StandardKey.Copy, self.view, self.copy_rows,
                  context=Qt.ShortcutContext.WidgetShortcut)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._reset_columns()

    def _reset_columns(self) -> None:
        for i, col in enumerate(tables.columns(self.model.shown_query)):
            self.view.setColumnWidth(i, col.width)
        sort = self.model.sort_column()
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(sort, Qt.SortOrder.DescendingOrder if self.model.query.descending
                                else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    # --- the store ----------------------------------------------------------------------------

    def set_store(self, store) -> None:
        self.store = store
        self.fill_choices()
        self.model.set_store(store)

    def fill_choices(self) -> None:
        """Actors, categories and annotators the project has (after a change in the registry
        too). Listing them reads every span (~0.4 s on 1M spans): with `run_in_background`
        set (the corpus view sets it) that happens in a job and the lists fill when it ends."""
        store = getattr(self, "store", None)
        self._choices_asked += 1
        if store is None:
            self.show_choices(Choices([], [], []))
        elif self.run_in_background is None:
            self.show_choices(list_choices(store, self.table_name))
        else:
            asked, name = self._choices_asked, self.table_name
            self.run_in_background(
                lambda st, progress, cancelled: list_choices(st, name),
                lambda choices: self._choices_done(asked, choices))

    def _choices_done(self, asked: int, choices: Choices) -> None:
        if asked == self._choices_asked:  # not outdated by a later fill_choices()
            self.show_choices(choices)

    def show_choices(self, choices: Choices) -> None:
        """Fill the filter lists; the current choices are kept where they still exist."""
        boxes = (self.actor_box, self.category_box, self.annotator_box)
        keep = [(box.currentData(), box.currentText()) for box in boxes]
        for box in boxes:
            box.blockSignals(True)
            box.clear()
        self.actor_box.addItem("Any actor", None)
        self.category_box.addItem(ANY_CATEGORY[self.table_name], "")
        self.annotator_box.addItem("Any annotator", "")
        for name, actor_id in choices.actors:
            self.actor_box.addItem(name, actor_id)
        for value in choices.categories:
            self.category_box.addItem(value, value)
        for name in choices.annotators:
            self.annotator_box.addItem(name, name)
        for box, (value, text) in zip(boxes, keep):
            _select(box, value, text)
            box.blockSignals(False)

    # --- filters ------------------------------------------------------------------------------

    def current_query(self) -> TableQuery:
        def date(edit: QLineEdit) -> str:
            # A year or month works at both ends: the store compares with a high suffix
            # after the "to" date ("2026-11-30" <= "2026-11\uffff").
            text = edit.text().strip()
            return text if _ISO.match(text) else ""
        return self.model.query.but(
            text=self.search.text().strip(), actor_id=self.actor_box.currentData(),
            category=self.category_box.currentData() or "",
            doc_status=self.status_box.currentData() or "",
            date_from=date(self.date_from), date_to=date(self.date_to),
            annotator=self.annotator_box.currentData() or "",
            include_suggestions=self.suggestions.isChecked(), by_actor=self.by_actor.isChecked())

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.model.set_query(self.current_query())

    def set_filters(self, **values) -> None:
        """Set filter widgets from code (a chart click): text, actor_id, category, doc_status,
        date_from, date_to, annotator, by_actor. Unnamed filters are cleared."""
        widgets = (self.search, self.date_from, self.date_to, self.actor_box, self.category_box,
                   self.status_box, self.annotator_box, self.by_actor)
        for w in widgets:
            w.blockSignals(True)
        self.search.setText(values.get("text", ""))
        self.date_from.setText(values.get("date_from", ""))
        self.date_to.setText(values.get("date_to", ""))
        actor_id = values.get("actor_id")
        for box, key, text in (
                (self.actor_box, "actor_id", self._actor_name(actor_id)),
                (self.category_box, "category", values.get("category", "")),
                (self.status_box, "doc_status", ""),
                (self.annotator_box, "annotator", values.get("annotator", ""))):
            _select(box, values.get(key, box.itemData(0)), text)
        self.by_actor.setChecked(values.get("by_actor", False))
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def _actor_name(self, actor_id) -> str:
        """An actor's name for its filter item (the list may not hold it yet)."""
        store = getattr(self, "store", None)
        if actor_id is None or store is None:
            return ""
        try:
            return store.actor(actor_id).name
        except KeyError:
            return f"actor {actor_id}"

    def _update_count(self, *_args) -> None:
        """The status line: what is under way ("Sorting\u2026"), else how many rows."""
        m = self.model
        what = "actors" if m.shown_query.by_actor else "rows"
        shown, total = m.rowCount(), m.total()
        if m.error:
            text = f"Query failed: {m.error}"
        elif m.loading:
            text = f"{m.loading}\u2026"
        elif total is None:
            text = f"{shown:,} {what}, counting\u2026"
        else:
            text = f"{total:,} {what}" if shown >= total else f"{shown:,} of {total:,} {what}"
        if m.fetching():
            text += ", loading more\u2026"
        self.count_label.setText(text)

    # --- rows ---------------------------------------------------------------------------------

    def _clicked(self, index) -> None:
        row = self.model.row(index.row())
        if row is None:
            return
        if self.model.shown_query.by_actor:  # a group: that actor's rows
            if row.actor_id is not None:
                self.set_filters(actor_id=row.actor_id)
            elif row.name:
                self.set_filters(text=row.name)
            return
        if row.doc_id is not None and row.span_id is not None:
            self.open_requested.emit(row.doc_id, row.span_id)

    def shutdown(self) -> None:
        self.model.shutdown()

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def copy_rows(self) -> str:
        """Ctrl+C: the selected rows (or every loaded row) as TSV with the headers."""
        picked = self.selected_rows() or range(self.model.rowCount())
        text = tables.tsv(self.model.headers(), (self.model.row(i).cells for i in picked))
        QGuiApplication.clipboard().setText(text)
        return text


def fit_placeholder(edit: QLineEdit) -> None:
    """At least as wide as the placeholder text (plus frame, margins and a clear button)."""
    margins = edit.textMargins()
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText())
                         + margins.left() + margins.right() + 2 * edit.fontMetrics().height())


def _select(box: QComboBox, value, text: str) -> None:
    """Select the item holding `value`; a value the list lacks (not listed yet, or beyond the
    listed actors) gets its own item named `text`, so the filter shown is the filter applied."""
    i = box.findData(value)
    if i < 0 and value not in (None, "") and text:
        box.addItem(text, value)
        i = box.count() - 1
    box.setCurrentIndex(max(i, 0))
