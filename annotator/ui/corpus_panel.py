"""The corpus panel: search field, status and label filters over the paged document table;
Delete in the table and its context menu act on the chosen document."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import DOC_DONE, DOC_IN_PROGRESS, DOC_NEW
from annotator.schema import LabelSchema
from annotator.ui.corpus_model import COLUMNS, STATUS_ROLE, CorpusModel
from annotator.ui.status_mark import StatusMarkDelegate

SEARCH_DELAY_MS = 250


class CorpusPanel(QWidget):
    document_chosen = Signal(int)
    delete_requested = Signal(int)  # Delete pressed in the table on this document

    def __init__(self, model: CorpusModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("corpusPanel")
        self.model = model
        self.search = QLineEdit()
        self.search.setObjectName("corpusSearch")
        self.search.setPlaceholderText("Search titles and text\u2026")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Search titles and text of all documents (Ctrl+F)")
        self.status_box = QComboBox()
        self.status_box.setToolTip("Show documents with this status")
        for text, value in (("Any status", ""), ("New", DOC_NEW), ("In progress", DOC_IN_PROGRESS),
                            ("Done", DOC_DONE)):
            self.status_box.addItem(text, value)
        self.label_box = QComboBox()
        self.label_box.setToolTip("Show documents with at least one span of this label")
        self.table = QTableView()
        self.table.setObjectName("corpusTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # Middle: a title's end tells apart "Pakistan Defence ... warns" from "... replies" and
        # "Copy 1" from "Copy 12"; the tooltip holds the whole title.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast with 100k
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the widest text a column can hold, not ResizeToContents: that re-measures
        # every visible row whenever one row changes (each label key press updates a row).
        metrics = self.fontMetrics()
        status_col = [key for key, _ in COLUMNS].index("status")
        self.table.setItemDelegateForColumn(status_col, StatusMarkDelegate(STATUS_ROLE, self.table))
        widest = {1: "2026-12-31", 3: "99,999", 4: "99,999"}
        for col in range(1, model.columnCount()):
            title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
            width = max(metrics.horizontalAdvance(widest.get(col, "")),
                        metrics.horizontalAdvance(title)) + metrics.averageCharWidth() + 8
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.count = QLabel()
        self.count.setObjectName("corpusCount")
        # Delete only while the table has the focus: in the article it rejects a suggestion.
        self.delete_action = QAction("Delete Document", self.table)
        self.delete_action.setObjectName("corpusDelete")
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._delete_current)
        self.table.addAction(self.delete_action)
        self.context_actions: list[QAction] = []
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        filters = QHBoxLayout()
        filters.addWidget(self.status_box)
        filters.addWidget(self.label_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.status_box.currentIndexChanged.connect(self.apply_filter)
        self.label_box.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        model.modelReset.connect(self._update_count)
        model.rowsInserted.connect(self._update_count)

    def set_context_actions(self, actions: list[QAction]) -> None:
        """The table's right-click menu: the window's commands on the open document (a
        right-click chooses, and so opens, the row under it first)."""
        self.context_actions = list(actions)

    def context_menu(self) -> QMenu:
        menu = QMenu(self.table)
        menu.addActions(self.context_actions)
        return menu

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid() or not self.context_actions:
            return
        if index.row() != self.table.currentIndex().row():
            self.select_document(self.model.doc_id(index.row()))
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _delete_current(self) -> None:
        doc_id = self.current_doc_id()
        if doc_id is not None:
            self.delete_requested.emit(doc_id)

    def set_schema(self, schema: LabelSchema) -> None:
        self.label_box.blockSignals(True)
        self.label_box.clear()
        self.label_box.addItem("Any label", "")
        for lab in schema.labels:
            self.label_box.addItem(lab.name, lab.name)
        self.label_box.blockSignals(False)

    def apply_filter(self) -> None:
        self._timer.stop()
        current = self.current_doc_id()
        self.model.set_filter(self.search.text().strip(), self.status_box.currentData() or "",
                              self.label_box.currentData() or "")
        if current is not None:
            self.select_document(current, emit=False)

    def _update_count(self, *args) -> None:
        total = self.model.total()
        noun = "document" if total == 1 else "documents"
        self.count.setText(f"{total:,} {noun}" + (" match" if self.model.filtered else ""))

    def current_doc_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.doc_id(index.row()) if index.isValid() else None

    def select_document(self, doc_id: int, emit: bool = True) -> bool:
        row = self.model.row_of(doc_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        if not emit:
            self.table.selectionModel().blockSignals(True)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        if not emit:
            self.table.selectionModel().blockSignals(False)
            self.table.viewport().update()
        self.table.scrollTo(index)
        return True

    def neighbour(self, step: int) -> int | None:
        index = self.table.currentIndex()
        row = (index.row() if index.isValid() else -1) + step
        if row >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        return self.model.doc_id(row) if row >= 0 else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = self.model.doc_id(current.row()) if current.isValid() else None
        if doc_id is not None:
            self.document_chosen.emit(doc_id)
