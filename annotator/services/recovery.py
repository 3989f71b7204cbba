"""A damaged project is never a dead end: find the newest backup that passes SQLite's check,
set the damaged file aside untouched, and put the backup in its place.

The damaged file is renamed (never written): `<name>.damaged-<time>` with its `-wal`/`-shm`
renamed alike, so the pair stays readable together should someone want to salvage from it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from annotator.services.backups import list_backups
from annotator.store import StoreError
from annotator.store.integrity import DamagedProject, file_problem, is_not_a_database

SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass
class BackupState:
    path: Path
    problem: str | None  # None: not checked (an older one than the first that passes)

    @property
    def good(self) -> bool:
        return self.problem == ""


def check_backups(db_path: Path) -> list[BackupState]:
    """The project's backups newest first, checked (quick_check) from the newest until one
    passes; older ones are left unchecked (each check reads the whole copy)."""
    states: list[BackupState] = []
    found = False
    for backup in list_backups(db_path):
        problem = None if found else file_problem(backup)
        found = found or problem == ""
        states.append(BackupState(backup, problem))
    return states


def as_damaged(exc: StoreError, db_path: Path) -> DamagedProject | None:
    """`exc` as a damaged project, if it is one: SQLite found it corrupt, or it is no longer
    an SQLite file at all (its first page wrecked) while backups of a project stand beside it."""
    if isinstance(exc, DamagedProject):
        return exc
    if is_not_a_database(exc.__cause__) and list_backups(db_path):
        return DamagedProject(db_path, str(exc.__cause__))
    return None


def set_aside(db_path: Path) -> Path:
    """Rename the damaged file (and its -wal/-shm) to `<name>.damaged-<time>`; return it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    for suffix in ("", *SIDE_FILES):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            source.rename(Path(f"{dest}{suffix}"))
    return dest


def recover(db_path: Path, backup: Path) -> Path:
    """Put `backup` in the damaged project's place; return where the damaged file now is.
    Close every Store on `db_path` first. Refuses (changing nothing) a backup that fails the
    check."""
    problem = file_problem(backup)
    if problem:
        raise StoreError(f"{backup}: this backup is damaged too ({problem}); choose another")
    partial = db_path.with_name(f"{db_path.name}.restoring")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(str(partial))
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"{db_path}: could not copy the backup {backup} ({exc}); nothing was "
                         "changed") from exc
    finally:
        source.close()
        target.close()
    damaged = set_aside(db_path)
    partial.replace(db_path)
    return damaged
