"""Dataset formats: one module per format, each a reader and/or writer of domain objects.

Formats never touch the store or Qt. Writers and readers register themselves by name here, so
the CLI and the export dialog list what exists and adding a format is adding one module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import AnnotatedDocument
from annotator.schema import LabelSchema


class ImportProblem(ValueError):
    """Input refused: names the file and, where it applies, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class ExportOptions:
    include_suggestions: bool = False
    labels: tuple[str, ...] = ()  # empty: every label
    seed: int = 0
    dev_fraction: float = 0.0
    extra: dict = field(default_factory=dict)


Writer = Callable[[Iterable[AnnotatedDocument], Path, LabelSchema, ExportOptions], int]
Reader = Callable[[Path, LabelSchema], list[AnnotatedDocument]]


@dataclass(frozen=True)
class FormatInfo:
    name: str
    description: str
    suffix: str  # of the output: ".jsonl", "" for a folder
    writer: Writer | None = None
    reader: Reader | None = None


FORMATS: dict[str, FormatInfo] = {}
READERS_BY_SUFFIX: dict[str, Reader] = {}


def register(info: FormatInfo, import_suffixes: Iterable[str] = ()) -> FormatInfo:
    FORMATS[info.name] = info
    for suffix in import_suffixes:
        READERS_BY_SUFFIX[suffix] = info.reader
    return info


def exporters() -> dict[str, FormatInfo]:
    _load_all()
    return {name: f for name, f in FORMATS.items() if f.writer}


def reader_for(path: Path) -> Reader | None:
    _load_all()
    return READERS_BY_SUFFIX.get(path.suffix.lower())


def _load_all() -> None:
    # Importing the modules runs their register() calls.
    from annotator.formats import (  # noqa: F401
        brat,
        conll,
        csv_tables,
        doccano,
        jsonl,
        labelstudio,
        prodigy,
        spacy_docbin,
        text,
    )
