"""Label mapping for imports of other people's data: their label and role names -> ours.

`--map Source=SPEAKER` (repeatable) and `--map-file FILE` (TOML or JSON). A target that is a
label of the schema maps span labels, one that is a relation role maps roles (relations, brat
event arguments); a name that is both (CUE) maps both. `label:NAME=...` / `role:NAME=...` say
which explicitly; the target `-` leaves that label or role out (counted in the report).
A map file holds `[labels]`, `[roles]` and `[standoff]` (field names of standoff JSON) tables,
and top-level `NAME = "TARGET"` pairs read like `--map`.

For a name the schema lacks, `suggestion` guesses the `--map` that would fix it.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.schema import LabelSchema

DROP = "-"

# Names other tools and corpora use for our labels (upper-cased): PARC/PolNeAR attribution,
# CoNLL/OntoNotes/ACE entity sets.
LABEL_SYNONYMS = {
    "SOURCE": "SPEAKER", "CONTENT": "QUOTE", "QUOTATION": "QUOTE", "STATEMENT": "QUOTE",
    "SPEECH": "QUOTE", "CUE": "CUE", "PER": "PERSON", "PERS": "PERSON", "PEOPLE": "PERSON",
    "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "COMPANY": "ORG", "LOCATION": "LOC",
    "FAC": "LOC", "FACILITY": "LOC", "COUNTRY": "GPE", "CITY": "GPE", "STATE": "GPE",
    "NATIONALITY": "NORP", "TIME": "DATE", "TIMEX": "DATE", "TIMEX3": "DATE",
    "TRIGGER": "EVENT",
}
ROLE_SYNONYMS = {
    "SOURCE": "SAID_BY", "SPEAKER": "SAID_BY", "SAID": "SAID_BY", "ATTRIBUTED_TO": "SAID_BY",
    "CUE": "CUE", "ARG": "PARTICIPANT", "AGENT": "PARTICIPANT", "PATIENT": "PARTICIPANT",
    "LOCATION": "PLACE", "PLACE": "PLACE", "TIME": "TIME", "DATE": "TIME",
}


class MappingError(ValueError):
    """A `--map` entry or map file that cannot be used."""


@dataclass
class LabelMap:
    labels: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    standoff: dict[str, str] = field(default_factory=dict)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def role(self, name: str) -> str:
        return self.roles.get(name, name)

    def __bool__(self) -> bool:
        return bool(self.labels or self.roles or self.standoff)


def load_mapping(schema: LabelSchema, entries: Iterable[str] = (),
                 files: Iterable[str | Path] = ()) -> LabelMap:
    """Map files first, then `--map` entries (which win)."""
    mapping = LabelMap()
    for path in files:
        _read_file(Path(path), schema, mapping)
    for entry in entries:
        source, sep, target = entry.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise MappingError(f"--map {entry!r}: expected NAME=TARGET (e.g. Source=SPEAKER)")
        add(mapping, schema, source.strip(), target.strip(), f"--map {entry}")
    return mapping


def add(mapping: LabelMap, schema: LabelSchema, source: str, target: str, where: str) -> None:
    kind, _, name = source.partition(":") if source.startswith(("label:", "role:")) else (
        "", "", source)
    is_label = target == DROP or schema.label(target) is not None
    is_role = target == DROP or schema.role(target) is not None
    if kind == "label" and not is_label or kind == "role" and not is_role or not (
            is_label or is_role):
        what = {"label": "a label", "role": "a relation role"}.get(kind, "a label or a role")
        raise MappingError(f"{where}: {target!r} is not {what} of schema {schema.name!r} "
                           f"(labels: {', '.join(schema.label_names())}; roles: "
                           f"{', '.join(r.role for r in schema.relations)}; '-' leaves it out)")
    if kind in ("", "label") and is_label:
        mapping.labels[name] = target
    if kind in ("", "role") and is_role:
        mapping.roles[name] = target


def _read_file(path: Path, schema: LabelSchema, mapping: LabelMap) -> None:
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw)
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the map file: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:  # JSON, TOML and decoding errors
        raise MappingError(f"{path}: not a valid map file ({exc}); use TOML or JSON") from exc
    if not isinstance(data, dict):
        raise MappingError(f"{path}: a map file holds a table of NAME = \"TARGET\"")
    for key, value in data.items():
        if key in ("labels", "roles", "standoff") and isinstance(value, dict):
            for name, target in value.items():
                if not isinstance(target, str):
                    raise MappingError(f"{path}: [{key}] {name} must be a string")
                if key == "standoff":
                    mapping.standoff[name] = target
                else:
                    add(mapping, schema, f"{key[:-1]}:{name}", target, f"{path}: [{key}]")
        elif isinstance(value, str):
            add(mapping, schema, key, value, f"{path}: {key}")
        else:
            raise MappingError(f"{path}: {key} must be a string (or a [labels], [roles] or "
                               "[standoff] table)")


def suggestion(name: str, schema: LabelSchema, kind: str) -> str | None:
    """Our label (kind "label") or role (kind "role") that `name` most likely means."""
    names = schema.label_names() if kind == "label" else [r.role for r in schema.relations]
    upper = name.upper().replace("-", "_").replace(" ", "_")
    if upper in names:
        return upper
    guess = (LABEL_SYNONYMS if kind == "label" else ROLE_SYNONYMS).get(upper)
    if guess in names:
        return guess
    close = difflib.get_close_matches(upper, names, n=1, cutoff=0.75)
    return close[0] if close else None
