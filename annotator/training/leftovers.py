"""Folders a killed training run leaves beside its output, found and removed by the next run.

A run works in `.<out>-training-<pid>-<random>` (~30 MB: the corpus and spaCy's checkpoints)
and swaps its model in through `.<out>.new-<pid>` and `.<out>.old-<pid>`. A run that ends
normally or raises removes them itself; a killed one cannot, so every run into `out` first
removes those whose pid is no longer running. One exception: a dead run's `.old-` folder while
`out` is missing is the previous model caught mid-swap, and it is put back, not removed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from annotator.processes import pid_alive


def training_folder_prefix(out: Path, pid: int) -> str:
    """The name prefix of run `pid`'s working folder (tempfile adds a random tail)."""
    return f".{out.name}-training-{pid}-"


def remove_dead_runs(out: Path) -> list[Path]:
    """Remove (or, for a caught swap, restore) what dead runs left beside `out`; returns the
    folders removed."""
    pattern = re.compile(rf"\.{re.escape(out.name)}(?:-training-|\.new-|\.old-)(\d+)(?:-.*)?")
    removed = []
    try:
        siblings = sorted(out.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        match = pattern.fullmatch(path.name)
        if not match or pid_alive(int(match[1])):
            continue
        if ".old-" in path.name and not out.exists():
            path.rename(out)
            continue
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        removed.append(path)
    return removed
