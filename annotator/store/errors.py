"""The store's one error type and the plain words for SQLite's failures."""

from __future__ import annotations

import sqlite3


class StoreError(RuntimeError):
    """A database that cannot be used: newer version, corrupt, locked, read-only."""


def explain(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "full" in text:
        return "the disk is full"
    if "disk I/O" in text:
        return "disk I/O error: the disk may be full or failing"
    if "readonly" in text or "read-only" in text:
        return "the file is read-only"
    if "locked" in text or "busy" in text:
        return "the file is in use by another program; try again"
    return text
