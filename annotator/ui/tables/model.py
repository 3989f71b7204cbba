"""One analyst table as a Qt model: pages of rows from the store, sorted and filtered in SQL.

Rows arrive PAGE at a time through canFetchMore/fetchMore as the view scrolls, so a table over
100k documents reads one page, not every quote. Sorting (a header click) and filters change the
`TableQuery`; the store does the ORDER BY and WHERE. The queries run in the model's query
thread (loader.py), never on the UI thread: until the first page of a new query arrives the old
rows stay, greyed, and `loading` says what is under way ("Sorting"); a page being fetched
makes canFetchMore False. The model never writes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette

from annotator.analysis import tables
from annotator.analysis.query import TableQuery
from annotator.analysis.tables import TableRow
from annotator.ui.plain import tip
from annotator.ui.tables.loader import Page, TableLoader

PAGE = 256
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()
_MAX_CELL = 240  # characters shown in a cell (the tooltip has all of it)


def _cell(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_CELL else flat[:_MAX_CELL - 1] + "\u2026"


def _verb(old: TableQuery, new: TableQuery) -> str:
    """What the status line says while `new` replaces `old`."""
    if old.by_actor != new.by_actor and new.by_actor:
        return "Grouping"
    if old.but(sort=new.sort, descending=new.descending) == new and old != new:
        return "Sorting"
    return "Filtering" if old != new else "Loading"


class AnalysisTableModel(QAbstractTableModel):
    reloaded = Signal()  # the first page of a query arrived (the rows were replaced)
    state_changed = Signal()  # a query started, was counted, a page arrived or it failed

    def __init__(self, query: TableQuery, parent: QObject | None = None):
        super().__init__(parent)
        self.store = None
        self.query = query
        self.shown_query = query  # the query the rows are of
        self._asked = query  # the query of generation _gen
        self._columns = tables.columns(query)
        self._rows: list[TableRow] = []
        self._exhausted = True
        self._total: int | None = 0
        self._gen = 0
        self.loading = ""  # "Sorting", "Filtering", "Grouping", "Loading": a query in flight
        self._pending = False  # a later page asked for
        self.error = ""
        self.loader = TableLoader(self)
        self.loader.page.connect(self._page)
        self.loader.counted.connect(self._counted)
        self.loader.failed.connect(self._failed)

    # --- configuration ----------------------------------------------------------------------

    def set_store(self, store) -> None:
        self.store = store
        self.loader.set_path(store.path if store is not None else None)
        self.reload()

    def set_query(self, query: TableQuery) -> None:
        if query != self.query:
            self.query = query
            self.reload()

    def reload(self) -> None:
        """Ask the query thread for the current query; its rows replace the shown ones when
        they arrive (`reloaded`)."""
        self.error = ""
        self._pending = False
        if self.store is None:
            self._gen = -1
            self.loading = ""
            self.beginResetModel()
            self._columns, self._rows = tables.columns(self.query), []
            self._exhausted, self._total = True, 0
            self.shown_query = self._asked = self.query
            self.endResetModel()
            self.reloaded.emit()
            self.state_changed.emit()
            return
        self.loading = _verb(self.shown_query, self.query)
        self._total = None
        self._asked = self.query
        self._gen = self.loader.start(self.query, PAGE)
        self._grey()
        self.state_changed.emit()

    def shutdown(self) -> None:
        """End the query thread (the window closes)."""
        self.loader.stop()

    def fetching(self) -> bool:
        """A later page is on its way."""
        return self._pending

    def busy(self) -> bool:
        """A query, its count or a page is in flight."""
        return bool(self.loading) or self._pending or (self._total is None and not self.error)

    def total(self) -> int | None:
        """Rows matching the shown query; None while they are being counted."""
        return None if self.loading else self._total

    def row(self, i: int) -> TableRow | None:
        return self._rows[i] if 0 <= i < len(self._rows) else None

    def rows(self) -> list[TableRow]:
        return list(self._rows)

    def headers(self) -> list[str]:
        return [c.header for c in self._columns]

    def column_keys(self) -> list[str]:
        return [c.key for c in self._columns]

    # --- results from the query thread ------------------------------------------------------

    def _page(self, gen: int, page: Page) -> None:
        if gen != self._gen:
            return  # an answer to an older query
        if page.offset == 0 and self.loading:
            self.beginResetModel()
            self._columns, self._rows = tables.columns(self._asked), list(page.rows)
            self.shown_query = self._asked
            self.loading = ""
            self._exhausted, self._total = page.exhausted, page.total
            self.endResetModel()
            self.reloaded.emit()
        elif page.offset == len(self._rows):
            if page.rows:
                self.beginInsertRows(_ROOT, page.offset, page.offset + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self.endInsertRows()
            self._exhausted = page.exhausted
            if page.total is not None:
                self._total = page.total
        if page.last:
            self._pending = False
        if self._exhausted and self._total is None:
            self._total = len(self._rows)
        self.state_changed.emit()

    def _counted(self, gen: int, total: int) -> None:
        if gen == self._gen:
            self._total = total
            self.state_changed.emit()

    def _failed(self, gen: int, message: str) -> None:
        if gen == self._gen:
            self.error = message
            self.loading, self._pending = "", False
            self._grey()
            self.state_changed.emit()

    def _grey(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1,
                                                               len(self._columns) - 1),
                                  [Qt.ItemDataRole.ForegroundRole])

    # --- paging -----------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return (not parent.isValid() and not self._exhausted and not self._pending
                and not self.loading and not self.error)

    def fetchMore(self, parent: QModelIndex) -> None:
        if self.canFetchMore(parent):
            self._pending = True
            self.loader.more(self._gen, len(self._rows), PAGE)
            self.state_changed.emit()

    def fetch_all(self, limit: int = 100_000) -> None:
        """Ask for every row (up to `limit`); they arrive in chunks (busy() until then)."""
        if self.canFetchMore(_ROOT) and len(self._rows) < limit:
            self._pending = True
            self.loader.more(self._gen, len(self._rows), limit - len(self._rows))
            self.state_changed.emit()

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
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.loading or self.error:  # rows of the previous query
                return QGuiApplication.palette().color(QPalette.ColorGroup.Disabled,
                                                       QPalette.ColorRole.Text)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row.cells[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = row.tips[index.column()] if row.tips else row.cells[index.column()]
            return tip(str(text)) if text else None
        if role == DOC_ID_ROLE:
            return row.doc_id
        if role == SPAN_ID_ROLE:
            return row.span_id
        return None
