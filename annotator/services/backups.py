"""Rolling backups of a project database and restoring one.

Copies go through SQLite's online backup API, so they are consistent even while the app writes.
They live beside the database in `<name>.backups/`, newest `keep` kept.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from annotator.store import Store, StoreError

DEFAULT_KEEP = 10


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}.backups"


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backup_folder(db_path)
    return sorted(folder.glob(f"{db_path.stem}-*.db"), reverse=True) if folder.is_dir() else []


def make_backup(store: Store, keep: int = DEFAULT_KEEP) -> Path:
    folder = backup_folder(store.path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{store.path.stem}-{stamp}.db"
    partial = dest.with_suffix(".partial")
    store.backup_to(partial)
    partial.replace(dest)  # a backup is either complete or absent
    for old in list_backups(store.path)[keep:]:
        old.unlink(missing_ok=True)
    return dest


def restore_backup(backup: Path, db_path: Path, timeout: float = 10.0) -> None:
    """Replace the project's content with a backup's. Close every Store on db_path first.

    The current state is itself backed up before it is overwritten, so a restore can be undone.
    Raises StoreError if another program holds the project's write lock for `timeout` seconds
    (SQLite's backup step would otherwise retry forever).
    """
    with Store(backup, create=False, read_only=True):
        pass  # refuses files that are not (readable) projects before anything is touched
    with Store(db_path, timeout=timeout) as current:
        current.check_writable()
        make_backup(current)
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(str(db_path), timeout=timeout, isolation_level=None)
    try:
        target.execute("BEGIN IMMEDIATE")  # wait for writers here, with a timeout
        target.execute("ROLLBACK")
        source.backup(target)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{db_path}: restore failed ({exc}); the database is unchanged") from exc
    finally:
        source.close()
        target.close()
