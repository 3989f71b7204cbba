"""One analyst table as a Qt model: pages of rows from the store, sorted and filtered in SQL.

Rows arrive PAGE at a time through canFetchMore/fetchMore as the view scrolls, so a table over
100k documents reads one page, not every quote. Sorting (a header click) and filters change the
`TableQuery` and reset the model; the store does the ORDER BY and WHERE. The model never
writes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from annotator.analysis import tables
from annotator.analysis.query import TableQuery
from annotator.analysis.tables import TableRow

PAGE = 256
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()
_MAX_CELL = 240  # characters shown in a cell (the tooltip has all of it)


def _cell(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_CELL else flat[:_MAX_CELL - 1] + "\u2026"


class AnalysisTableModel(QAbstractTableModel):
    reloaded = Signal()  # after a reset and its first page

    def __init__(self, query: TableQuery, parent: QObject | None = None):
        super().__init__(parent)
        self.store = None
        self.query = query
        self._columns = tables.columns(query)
        self._rows: list[TableRow] = []
        self._exhausted = True
        self._total: int | None = None

    # --- configuration ----------------------------------------------------------------------

    def set_store(self, store) -> None:
        self.store = store
        self.reload()

    def set_query(self, query: TableQuery) -> None:
        if query != self.query:
            self.query = query
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._columns = tables.columns(self.query)
        self._rows = []
        self._exhausted = self.store is None
        self._total = None
        self.endResetModel()
        if self.canFetchMore(_ROOT):
            self.fetchMore(_ROOT)
        self.reloaded.emit()

    def total(self) -> int:
        """Rows matching the query (counted in SQL once per query)."""
        if self.store is None:
            return 0
        if self._total is None:
            self._total = len(self._rows) if self._exhausted else tables.count(self.store,
                                                                               self.query)
        return self._total

    def row(self, i: int) -> TableRow | None:
        return self._rows[i] if 0 <= i < len(self._rows) else None

    def rows(self) -> list[TableRow]:
        return list(self._rows)

    def headers(self) -> list[str]:
        return [c.header for c in self._columns]

    def column_keys(self) -> list[str]:
        return [c.key for c in self._columns]

    # --- paging -----------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = tables.fetch(self.store, self.query, PAGE, len(self._rows))
        if len(page) < PAGE:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(_ROOT, first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def fetch_all(self, limit: int = 100_000) -> None:
        """Page in every row (up to `limit`), e.g. before exporting them all."""
        while self.canFetchMore(_ROOT) and len(self._rows) < limit:
            self.fetchMore(_ROOT)

    # --- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self._columns)) or not self._columns[column].sortable:
            return
        self.set_query(self.query.but(sort=self._columns[column].key,
                                      descending=order == Qt.SortOrder.DescendingOrder))

    def sort_column(self) -> int:
        keys = self.column_keys()
        return keys.index(self.query.sort) if self.query.sort in keys else -1

    # --- model ------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip or col.header + ("" if col.sortable else " (not sortable)")
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row.cells[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = row.tips[index.column()] if row.tips else row.cells[index.column()]
            return tip or None
        if role == DOC_ID_ROLE:
            return row.doc_id
        if role == SPAN_ID_ROLE:
            return row.span_id
        return None
