"""The project database: the only package that speaks SQL.

`Store` is assembled from small parts, one job each: `core` (opening, transactions, metadata),
`migrations`, `rows` (row <-> domain object), `reading`, `documents` (bulk inserts), `intents`
(label actions returning a `Change`), `history` (action log, undo/redo), `suggestions` and
`memory` (the label memory's table and suggestions).
"""

import sys


def _import_sqlite_utils_without_array_libraries() -> None:
    """sqlite-utils imports pandas and numpy when they are installed, only to map their scalar types
    to column types; the store names its column types itself, and the executable leaves pandas out.
    Hidden for that one import, they cost a CLI run nothing (with them: about 0.5-1 s per run)."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None: `import name` raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]


_import_sqlite_utils_without_array_libraries()

from annotator.store.core import Store  # noqa: E402
from annotator.store.errors import StoreError  # noqa: E402
from annotator.store.migrations import SCHEMA_VERSION  # noqa: E402
from annotator.store.reading import fts_query  # noqa: E402
from annotator.store.rows import now  # noqa: E402

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "fts_query", "now"]
