"""Files and folders that appear whole or not at all: what every export writes through.

A killed export used to leave the previous export at that path replaced by a truncated file
that ended on a line boundary and looked complete. Here everything is written to a temporary
name beside its target (same folder, so same file system) and renamed over the target only
when all of it is written: a kill or an exception leaves the previous file as it was. The
rename replaces a symlink at the target itself, never the file it points to. Temporary names
carry the writer's pid (`.<name>.~<pid>-<random>.tmp`): an exception removes them at once, and
those of a killed writer are removed by the next export to the same target.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from annotator.processes import pid_alive

_TEMP = re.compile(r"\.(?P<name>.+)\.~(?P<pid>\d+)-[^.]+\.tmp")


class Staging:
    """Temporary paths for several targets, all renamed into place by `commit` (in the order they
    were asked for) or all removed by `discard`."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def path(self, target: Path | str, folder: bool = False) -> Path:
        """A new empty temporary file (or folder) beside `target`, to fill in its place."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        prefix, suffix = f".{target.name}.~{os.getpid()}-", ".tmp"
        if folder:
            temp = tempfile.mkdtemp(suffix, prefix, target.parent)
        else:
            fd, temp = tempfile.mkstemp(suffix, prefix, target.parent)
            os.close(fd)
        # the modes `open` and `mkdir` give, not tempfile's owner-only ones
        os.chmod(temp, (0o777 if folder else 0o666) & ~_umask())
        self._pending.append((Path(temp), target))
        return Path(temp)

    def open(self, target: Path | str, mode: str = "w", **kwargs: Any) -> IO:
        """`open` on a temporary file that becomes `target` at commit."""
        return open(self.path(target), mode, **kwargs)

    def drop(self, temp: Path) -> None:
        """Remove the temporary `temp` now: it will not replace anything."""
        self._pending = [(t, target) for t, target in self._pending if t != temp]
        _remove(temp)

    def commit(self) -> None:
        for temp, target in self._pending:
            _replace(temp, target)
        self._pending.clear()

    def discard(self) -> None:
        for temp, _target in self._pending:
            _remove(temp)
        self._pending.clear()


@contextmanager
def staging() -> Iterator[Staging]:
    """A `Staging` committed when the block ends normally, discarded when it raises."""
    stage = Staging()
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()


@contextmanager
def replacing(target: Path | str, folder: bool = False) -> Iterator[Path]:
    """A temporary path to write; it replaces `target` when the block ends normally."""
    with staging() as stage:
        yield stage.path(target, folder)


@contextmanager
def open_replacing(target: Path | str, mode: str = "w", **kwargs: Any) -> Iterator[IO]:
    """`open(target, mode, ...)` for writing, with the file replacing `target` only once closed
    after a block that did not raise."""
    with replacing(target) as temp, open(temp, mode, **kwargs) as fh:
        yield fh


def write_text_replacing(target: Path | str, text: str, **kwargs: Any) -> None:
    with open_replacing(target, "w", **kwargs) as fh:
        fh.write(text)


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporaries of `target` left by writers that are no longer running."""
    removed = []
    try:
        siblings = list(target.parent.glob(f".{_glob_escape(target.name)}.~*.tmp"))
    except OSError:
        return removed
    for temp in siblings:
        match = _TEMP.fullmatch(temp.name)
        if match and match["name"] == target.name and not pid_alive(int(match["pid"])):
            _remove(temp)
            removed.append(temp)
    return removed


@lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


def _replace(temp: Path, target: Path) -> None:
    """Rename `temp` over `target`; a real folder (or a folder replacing a file) is moved aside
    first and removed after, since a rename cannot replace a folder."""
    old_is_folder = target.is_dir() and not target.is_symlink()
    if not temp.is_dir() and not old_is_folder:
        os.replace(temp, target)
        return
    aside = None
    if old_is_folder or target.is_symlink() or target.exists():
        aside = Path(tempfile.mkdtemp(".tmp", f".{target.name}.~{os.getpid()}-", target.parent))
        os.rmdir(aside)
        os.replace(target, aside)
    os.replace(temp, target)
    if aside is not None:
        _remove(aside)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
