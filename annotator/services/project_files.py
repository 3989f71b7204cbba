"""Which paths are the open project's own files: never opened by path in the app's process.

Reading any of them through a descriptor of our own (an import, a drop on the window) and closing
it drops SQLite's POSIX locks on the project (see ui/file_dialogs.py), so imports and drops ask
here first. Answered from names and `os.stat` only: asking opens nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.services.backups import backup_folder

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def is_project_file(path: str | Path, db_path: str | Path) -> bool:
    """True for the project file, its `-wal`/`-shm`/`-journal` and anything in its backups
    folder (the rolling backups and a half-written `.partial`), also through a link."""
    candidate = Path(os.path.realpath(path))
    db = Path(os.path.realpath(db_path))
    if candidate.parent == db.parent and candidate.name in {db.name + s for s in SQLITE_SIDE_FILES}:
        return True
    backups = backup_folder(db)
    if candidate == backups or backups in candidate.parents:
        return True
    try:
        return os.path.samefile(candidate, db)  # a hard link to it
    except OSError:
        return False
