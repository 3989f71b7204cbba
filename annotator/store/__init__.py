"""The project database: the only package that speaks SQL.

`Store` is assembled from small parts, one job each: `core` (opening, transactions, metadata),
`migrations`, `rows` (row <-> domain object), `reading`, `documents` (bulk inserts), `intents`
(label actions returning a `Change`), `history` (action log, undo/redo), `suggestions` and
`memory` (the label memory's table and suggestions).
"""

from annotator.store.core import Store
from annotator.store.errors import StoreError
from annotator.store.migrations import SCHEMA_VERSION
from annotator.store.reading import fts_query
from annotator.store.rows import now

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "fts_query", "now"]
