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
    return path in ProjectFiles(db_path)


class ProjectFiles:
    """`path in ProjectFiles(db)`: `is_project_file` for the many files of one import, with the
    project's side (its real path, names, backups folder, identity) worked out once, not per file
    (it was a quarter of a plain import's Python time)."""

    def __init__(self, db_path: str | Path) -> None:
        db = Path(os.path.realpath(db_path))
        self._folder = str(db.parent)
        self._names = {db.name + s for s in SQLITE_SIDE_FILES}
        self._backups = str(backup_folder(db))
        try:
            found = os.stat(db)
            self._identity: tuple[int, int] | None = (found.st_dev, found.st_ino)
        except OSError:
            self._identity = None

    def __contains__(self, path: str | Path) -> bool:
        candidate = os.path.realpath(path)
        folder, name = os.path.split(candidate)
        if folder == self._folder and name in self._names:
            return True
        if candidate == self._backups or candidate.startswith(self._backups + os.sep):
            return True
        if self._identity is None:
            return False
        try:
            found = os.stat(candidate)
        except OSError:
            return False
        return (found.st_dev, found.st_ino) == self._identity  # a hard link to it (os.path.samefile)
