"""What every format module shares: the refusal error, export options and a format's entry.

Kept apart from the package's `__init__` so format modules import only this (and
`formats.records`), never the package that lists them: no import circle.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.domain import AnnotatedDocument
from annotator.schema import LabelSchema


class ImportProblem(ValueError):
    """Input refused: names the file and, where it applies, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path, self.line, self.message = str(path), line, message
        where = f"{shown(path)}:{line}" if line else shown(path)
        super().__init__(f"{where}: {message}")


def shown(path: str | Path) -> str:
    """A path for a message: a file name that is not UTF-8 (bytes kept by Python as lone
    surrogates) shows its bad bytes as \\xNN instead of making the message unprintable."""
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class ExportOptions:
    include_suggestions: bool = False
    labels: tuple[str, ...] = ()  # empty: every label
    seed: int = 0
    dev_fraction: float = 0.0
    extra: dict = field(default_factory=dict)


Writer = Callable[[Iterable[AnnotatedDocument], Path, LabelSchema, ExportOptions], int]
# A reader yields a file's documents one by one (streamed where the format allows), so an
# import writes as it reads; it raises ImportProblem for anything it refuses.
# Called as reader(path, ctx) with a `formats.context.ReadContext` (not named here: context
# imports this module).
Reader = Callable[[Path, Any], Iterable[AnnotatedDocument]]


@dataclass(frozen=True)
class FormatInfo:
    """One entry of `formats.catalog.FORMATS`: a name, a writer and/or a reader."""

    name: str
    description: str
    suffix: str  # of the output: ".jsonl", "" for a folder
    writer: Writer | None = None
    reader: Reader | None = None
    import_suffixes: tuple[str, ...] = ()  # files this format's reader is chosen for
    # what an export keeps and leaves out, one line (shown under the export dialog's chooser)
    keeps: str = ""
