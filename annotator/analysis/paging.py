"""Reading one analyst table query page by page, with later pages as cheap as the first.

A `TableCursor` serves one query (it runs in the table's query thread, ui/tables/loader.py):
- the first page is one `ORDER BY ... LIMIT` (in date order without a selective filter an
  index walk that stops after the page; by a computed column a top-N sort), so it shows as
  soon as possible; the row count is a separate count(*);
- then, in the background, the ordered span ids of ALL matching rows are fetched once (a list
  of ints: 100k quotes is well under a megabyte; this full sort costs about 1.5x the first
  page), and later pages read the display columns of the next ids (one indexed lookup per id),
  never an ORDER BY ... OFFSET again (each of which would repeat the whole sort). In date order
  pages near the top stay LIMIT/OFFSET index walks (as cheap as the first page); past
  `OFFSET_WINDOW` they go by id too.
Actor groups are one GROUP BY; the cursor keeps them and hands out slices.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.analysis.query import TableQuery
from annotator.analysis.tables import TableRow, display_row, fetch, group_row

OFFSET_WINDOW = 4096  # date-order rows read by LIMIT/OFFSET; beyond, pages go by id
CHUNK = 1000  # ids per `IN (...)` (well under SQLite's bound-parameter limit)


def date_ordered(query: TableQuery) -> bool:
    """True when the first page is an index walk (no full ORDER BY)."""
    return (not query.by_actor and query.sort in ("", "published") and query.actor_id is None
            and not query.text.strip())


class TableCursor:
    """One query's rows: `first(n)`, then `count()`, then `page(offset, n)` as the view scrolls."""

    def __init__(self, store, query: TableQuery):
        self.store = store
        self.query = query
        self.total: int | None = None  # known after first() for most queries, else count()
        self._ids: list[int] | None = None
        self._groups: list[TableRow] | None = None

    def first(self, n: int) -> list[TableRow]:
        q = self.query
        if q.by_actor:
            self._groups = [group_row(g) for g in self.store.table_groups(q)]
            self.total = len(self._groups)
            return self._groups[:n]
        rows = fetch(self.store, q, n, 0)
        if len(rows) < n:
            self.total = len(rows)
        return rows

    def count(self) -> int:
        if self.total is None:
            self.total = self.store.table_count(self.query)
        return self.total

    def prefetch(self) -> None:
        """The ordered ids of every row, when later pages would otherwise each repeat a sort."""
        if self._groups is None and self._ids is None and self.total != 0 \
                and not date_ordered(self.query):
            self._ids = self.store.table_ids(self.query, -1)
            self.total = len(self._ids)

    def page(self, offset: int, n: int) -> list[TableRow]:
        if self._groups is not None:
            return self._groups[offset:offset + n]
        if self._ids is None:
            if offset + n <= OFFSET_WINDOW and date_ordered(self.query):
                return fetch(self.store, self.query, n, offset)
            self._ids = self.store.table_ids(self.query, -1)
            self.total = len(self._ids)
        return self.rows(self._ids[offset:offset + n])

    def rows(self, ids: list[int]) -> list[TableRow]:
        out: list[TableRow] = []
        for i in range(0, len(ids), CHUNK):
            raw = self.store.table_rows_by_id(self.query, ids[i:i + CHUNK])
            out += [display_row(self.query.table, r, self.store.schema) for r in raw]
        return out


def all_rows(store, query: TableQuery, limit: int = 100_000,
             progress: Callable[[int, int], None] | None = None) -> list[TableRow]:
    """Every row of the query (up to `limit`) in its order, e.g. for a CSV export in a job."""
    cursor = TableCursor(store, query)
    rows = cursor.first(min(limit, CHUNK))
    total = min(cursor.count(), limit)
    while len(rows) < total:
        page = cursor.page(len(rows), min(CHUNK, total - len(rows)))
        if not page:
            break
        rows += page
        if progress:
            progress(len(rows), total)
    return rows
