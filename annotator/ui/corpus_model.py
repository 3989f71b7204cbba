"""The corpus list as a Qt table model, paged from the store.

Rows arrive PAGE at a time through canFetchMore/fetchMore as the view scrolls, so opening a
project of 100k documents reads one page, not 100k rows. A filter (text, status, label) resets
the model and starts paging again. The model never writes; after an action the window tells it
the new status and counts of one document (`update_document`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from annotator.domain import DOC_DONE, DOC_IN_PROGRESS, DOC_NEW
from annotator.ui.plain import tip

PAGE = 256
MAX_SEEK_PAGES = 64  # how far row_of pages in to find a document (64 x 256 rows)

STATUS_TEXT = {DOC_NEW: "new", DOC_IN_PROGRESS: "in progress", DOC_DONE: "done"}

COLUMNS = [
    ("title", "Title"),
    ("published", "Date"),
    ("status", ""),  # a drawn circle (ui/status_mark.py): the title gets the room
    ("accepted", "Labels"),
    ("suggested", "Review"),  # short: the title column gets the room (tooltip says what)
]

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # the stored status (DOC_NEW, ...), for the circle
HEADER_TIPS = {"status": "Status: empty circle new, half in progress, full done",
               "accepted": "Accepted labels", "suggested": "Suggestions still to review"}
_ROOT = QModelIndex()


class CorpusModel(QAbstractTableModel):
    def __init__(self, store=None, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.text_filter = ""
        self.status = ""
        self.label = ""
        self._rows: list[dict[str, Any]] = []
        self._row_of: dict[int, int] = {}
        self._exhausted = True
        self._total: int | None = None

    # --- configuration ------------------------------------------------------------------------

    def set_store(self, store) -> None:
        self.store = store
        self.reload()

    def set_filter(self, text: str = "", status: str = "", label: str = "") -> None:
        if (text, status, label) != (self.text_filter, self.status, self.label):
            self.text_filter, self.status, self.label = text, status, label
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._row_of = [], {}
        self._exhausted = self.store is None
        self._total = None
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    @property
    def filtered(self) -> bool:
        return bool(self.text_filter or self.status or self.label)

    def total(self) -> int:
        """Documents matching the filter (counted once per filter, in SQL)."""
        if self.store is None:
            return 0
        if self._total is None:
            if self._exhausted:
                self._total = len(self._rows)
            else:
                self._total = self.store.document_count(self.text_filter, self.status,
                                                        self.label)
        return self._total

    # --- paging -------------------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = self.store.document_rows(self.text_filter, self.status, self.label,
                                        limit=PAGE, offset=len(self._rows))
        if len(page) < PAGE:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for i, row in enumerate(page, start=first):
            self._row_of[row["id"]] = i
        self._rows.extend(page)
        self.endInsertRows()

    def row_of(self, doc_id: int, fetch: bool = True, max_pages: int = MAX_SEEK_PAGES
               ) -> int | None:
        """Row of a document, paging further in (at most `max_pages` pages) until it is found.

        Rows are in id order, so paging stops as soon as the last loaded id passes `doc_id`.
        """
        pages = 0
        while (doc_id not in self._row_of and fetch and pages < max_pages
               and self.canFetchMore(QModelIndex())
               and (not self._rows or self._rows[-1]["id"] < doc_id)):
            self.fetchMore(QModelIndex())
            pages += 1
        return self._row_of.get(doc_id)

    def title_of(self, doc_id: int) -> str:
        """The title shown for a loaded document (never reads the store)."""
        row = self._row_of.get(doc_id)
        title = self._rows[row]["title"] if row is not None else ""
        return title or f"Document {doc_id}"

    def doc_id(self, row: int) -> int | None:
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    # --- model --------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(COLUMNS[section][0], COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "title":
                return row["title"] or f"Document {row['id']}"
            if key == "status":
                return STATUS_TEXT.get(row["status"], row["status"])
            if key == "published":
                return (row["published"] or "")[:10]
            return row[key]
        if role == Qt.ItemDataRole.ToolTipRole and key == "title":
            return tip(row["title"] or f"Document {row['id']}")
        if role == Qt.ItemDataRole.ToolTipRole and key == "status":
            return STATUS_TEXT.get(row["status"], row["status"])
        if role == STATUS_ROLE:
            return row["status"]
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("accepted", "suggested"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOC_ID_ROLE:
            return row["id"]
        return None

    def update_document(self, doc_id: int, status: str | None = None,
                        accepted: int | None = None, suggested: int | None = None) -> None:
        row = self._row_of.get(doc_id)
        if row is None:
            return
        data = self._rows[row]
        if status is not None:
            data["status"] = status
        if accepted is not None:
            data["accepted"] = accepted
        if suggested is not None:
            data["suggested"] = suggested
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
