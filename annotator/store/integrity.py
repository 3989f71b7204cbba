"""Is a project file intact? SQLite's own checks, and the errors that tell a damaged file or a
failed save apart from a busy one.

Why here: the window and the CLI must both turn "database disk image is malformed" into a way
out (restore a backup), and a failed save into a stop (no more writes on a file that no longer
matches the view), while a file merely locked by an import is only a reason to wait.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.store.errors import StoreError

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


class DamagedProject(StoreError):
    """The project file fails SQLite's integrity check: it must be restored from a backup."""

    def __init__(self, path: Path, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{path} is damaged ({problem}); restore a backup with "
                         f"`annotator recover {path}`")


class StorageFailure(StoreError):
    """A save failed for a reason waiting will not cure (disk full, I/O error, read-only file,
    corruption): whatever the window shows may no longer be what the file holds."""


class LogReplacedError(StorageFailure):
    """Another program deleted the write-ahead log this connection writes to (its locks were
    lost): every write from it would be lost, so none is made, and the window stops writing."""


class Busy(StoreError):
    """Another connection held the write lock past the busy timeout: nothing was written, and
    trying again later will work."""


def error_code(exc: sqlite3.Error) -> int:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary code, without extended bits


def is_corruption(exc: sqlite3.Error) -> bool:
    """SQLITE_CORRUPT. (SQLITE_NOTADB is not: it is also what any file that never was a
    project gives; services.recovery.as_damaged decides by the backups beside it.)"""
    return error_code(exc) == sqlite3.SQLITE_CORRUPT or "malformed" in str(exc)


def is_not_a_database(exc: BaseException | None) -> bool:
    return isinstance(exc, sqlite3.Error) and error_code(exc) == sqlite3.SQLITE_NOTADB


def is_busy(exc: sqlite3.Error) -> bool:
    return error_code(exc) in _BUSY_CODES or "locked" in str(exc) or "busy" in str(exc)


def quick_check(conn: sqlite3.Connection) -> str:
    """'' if SQLite's quick_check passes, else its first problem. quick_check reads every page
    (O(N), no index cross-check), so it is the affordable one to run on every open."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "" if rows == ["ok"] else "; ".join(rows)


def file_problem(path: Path, full: bool = False) -> str:
    """'' if the file at `path` opens read-only and passes the check (integrity_check if `full`),
    else what is wrong. Used on backups before one is offered."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        if not full:
            return quick_check(conn)
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(3)")]
        return "" if rows == ["ok"] else "; ".join(rows)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
