"""What every format module shares: the refusal error, export options and a format's entry.

Kept apart from the package's `__init__` so format modules import only this (and
`formats.records`), never the package that lists them: no import circle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import AnnotatedDocument
from annotator.schema import LabelSchema, RelationRole, SpanLabel


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


class ReadContext:
    """What a reader needs besides the file, built once per import run: the project's label
    schema with constant-time lookups of labels and roles."""

    def __init__(self, schema: LabelSchema):
        self.schema = schema
        self._labels = {lab.name: lab for lab in schema.labels}
        self._roles = {role.role: role for role in schema.relations}

    def label(self, name: str) -> SpanLabel | None:
        return self._labels.get(name)

    def role(self, name: str) -> RelationRole | None:
        return self._roles.get(name)


Writer = Callable[[Iterable[AnnotatedDocument], Path, LabelSchema, ExportOptions], int]
# A reader yields a file's documents one by one (streamed where the format allows), so an
# import writes as it reads; it raises ImportProblem for anything it refuses.
Reader = Callable[[Path, ReadContext], Iterable[AnnotatedDocument]]


@dataclass(frozen=True)
class FormatInfo:
    """One entry of `formats.catalog.FORMATS`: a name, a writer and/or a reader."""

    name: str
    description: str
    suffix: str  # of the output: ".jsonl", "" for a folder
    writer: Writer | None = None
    reader: Reader | None = None
    import_suffixes: tuple[str, ...] = ()  # files this format's reader is chosen for
