"""What readers share during one import run: the schema, the label mapping, and what to do
with a bad span.

A reader asks `span_label` / `relation_role` for the schema's name of a label it read (after
`--map`) and hands every span- or relation-level problem (a `BadLabel`) to `skip`, which
raises it (default: the whole file is refused), or with `--skip-bad-spans` lists it and lets
the reader go on without that span. Unknown names are collected over the whole file and refused
together at `end_file`, each with the `--map` that would fix it; names mapped to `-` are left
out and counted. Nothing is left out without being counted or listed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.formats.base import ImportProblem
from annotator.formats.mapping import DROP, LabelMap, suggestion
from annotator.schema import LabelSchema, RelationRole, SpanLabel


class BadLabel(ImportProblem):
    """A span or relation that cannot be imported; its document can (with --skip-bad-spans)."""


class UnknownName(BadLabel):
    """A label (kind "label") or role (kind "role") the schema lacks; `noun` names it in
    messages ("relation role", "event argument role", ...)."""

    def __init__(self, path: str | Path, kind: str, name: str, what: str, line: int | None,
                 noun: str = ""):
        self.kind, self.name = kind, name
        self.noun = noun or ("label" if kind == "label" else "relation role")
        super().__init__(path, f"{what}: unknown {self.noun} {name!r}", line=line)


class Dropped(BadLabel):
    """Mapped to '-': left out on purpose, counted."""

    def __init__(self, path: str | Path, kind: str, name: str, line: int | None):
        self.kind, self.name = kind, name
        super().__init__(path, f"{kind} {name!r} left out by the mapping", line=line)


@dataclass
class FileNotes:
    """What a file's import left out on purpose or skipped; reported once the file is kept."""

    skipped: list[str] = field(default_factory=list)  # with --skip-bad-spans: file:line: why
    dropped: Counter = field(default_factory=Counter)  # "label X" / "role X" -> count
    orphans: int = 0  # relations left out because an end was left out by the mapping
    folded_events: int = 0  # brat events turned into relations from one argument
    rejected_answers: int = 0  # Prodigy "reject" records: labels imported as rejected


class ReadContext:
    """One per import run (labels and roles looked up in constant time)."""

    def __init__(self, schema: LabelSchema, mapping: LabelMap | None = None,
                 skip_bad_spans: bool = False):
        self.schema = schema
        self.mapping = mapping or LabelMap()
        self.skip_bad_spans = skip_bad_spans
        self._labels = {lab.name: lab for lab in schema.labels}
        self._roles = {role.role: role for role in schema.relations}
        self.begin_file("")

    # --- names ---------------------------------------------------------------------------

    def label(self, name: str) -> SpanLabel | None:
        """The schema label a file's label name stands for (after the mapping), if any."""
        return self._labels.get(self.mapping.label(name))

    def role(self, name: str) -> RelationRole | None:
        return self._roles.get(self.mapping.role(name))

    def is_dropped(self, kind: str, name: str) -> bool:
        table = self.mapping.labels if kind == "label" else self.mapping.roles
        return table.get(name) == DROP

    def span_label(self, raw: Any, path: str | Path, line: int | None, what: str) -> SpanLabel:
        """The schema label for `raw`, or BadLabel (unknown, left out, not a string)."""
        if type(raw) is str:
            spec = self._labels.get(self.mapping.label(raw))
            if spec is not None:
                return spec
            if self.is_dropped("label", raw):
                raise Dropped(path, "label", raw, line)
            raise UnknownName(path, "label", raw, what, line)
        raise BadLabel(path, f"{what}: label must be a string, got {raw!r}", line=line)

    def relation_role(self, raw: Any, path: str | Path, line: int | None, what: str,
                      noun: str = "") -> RelationRole:
        if type(raw) is str:
            spec = self._roles.get(self.mapping.role(raw))
            if spec is not None:
                return spec
            if self.is_dropped("role", raw):
                raise Dropped(path, "role", raw, line)
            raise UnknownName(path, "role", raw, what, line, noun)
        raise BadLabel(path, f"{what}: role must be a string, got {raw!r}", line=line)

    # --- per file --------------------------------------------------------------------------

    def begin_file(self, path: str | Path) -> None:
        self.path = str(path)
        self.notes = FileNotes()
        self._unknown: dict[tuple[str, str], list] = {}  # (kind, name) -> [count, line, noun]

    def skip(self, problem: BadLabel) -> None:
        """A span or relation will not be imported: raise, or count/list it and go on."""
        if isinstance(problem, Dropped):
            self.notes.dropped[f"{problem.kind} {problem.name}"] += 1
            return
        if isinstance(problem, UnknownName):
            seen = self._unknown.setdefault((problem.kind, problem.name),
                                            [0, problem.line, problem.noun])
            seen[0] += 1
            if self.skip_bad_spans:
                hint = self._fix(problem.kind, problem.name)
                self.notes.skipped.append(f"{problem} ({hint})")
            return  # refused together with the file's other unknown names at end_file
        if not self.skip_bad_spans:
            raise problem
        self.notes.skipped.append(str(problem))

    def orphan(self, path: str | Path, line: int | None, what: str) -> None:
        """A relation whose end was not imported."""
        if self.skip_bad_spans:
            self.notes.skipped.append(str(ImportProblem(path, f"{what}: an end of it was not "
                                                             "imported", line=line)))
        else:  # the end was left out by the mapping, or the file is refused anyway
            self.notes.orphans += 1

    def end_file(self) -> FileNotes:
        """The file's notes; ImportProblem naming every unknown name and its fix, unless
        bad spans are skipped (then they are listed one by one)."""
        if self._unknown and not self.skip_bad_spans:
            first_line = min((v[1] for v in self._unknown.values() if v[1]), default=None)
            names = ", ".join(f"{noun} {name!r} ({count} time(s), first on line {line})"
                              if line else f"{noun} {name!r} ({count} time(s))"
                              for (_kind, name), (count, line, noun) in self._unknown.items())
            fixes = " ".join(self._fix(kind, name) for kind, name in self._unknown)
            raise ImportProblem(self.path, f"unknown {names}; map them with {fixes} (labels: "
                                           f"{', '.join(self._labels)}; roles: "
                                           f"{', '.join(self._roles)}; '-' leaves one out), or "
                                           "use --skip-bad-spans", line=first_line)
        return self.notes

    def _fix(self, kind: str, name: str) -> str:
        guess = suggestion(name, self.schema, kind)
        prefix = "" if kind == "label" else "role:"
        return f"--map {prefix}{name}={guess or kind.upper()}"
