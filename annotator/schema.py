"""The label schema: span labels, their attributes and the relation roles that may join them.

Loaded from TOML (resources/schemas/*.toml). A project database stores the TOML text it was
created with, so a project keeps its schema even when the app's default changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from annotator.resources import resource_path

DEFAULT_SCHEMA = "news.toml"


class SchemaError(ValueError):
    pass


def _first_by(items, key: str) -> dict:
    out: dict = {}
    for item in items:
        out.setdefault(getattr(item, key), item)
    return out


@dataclass(frozen=True)
class AttributeDef:
    name: str
    values: tuple[str, ...] = ()  # empty: free text

    def allows(self, value: Any) -> bool:
        """One of the closed values, or for free text a plain value (a string or a number):
        an object or a list is no text, and the tables, the editor and the exports would
        show it as a blob of JSON."""
        if value is None or value == "":
            return True
        if self.values:
            return isinstance(value, str) and value in self.values
        return isinstance(value, (str, int, float))


@dataclass(frozen=True)
class SpanLabel:
    name: str
    colour: str
    key: str
    group: str = ""
    description: str = ""
    attributes: tuple[AttributeDef, ...] = ()

    def attribute(self, name: str) -> AttributeDef | None:
        return self._attributes_by_name.get(name)

    @cached_property
    def _attributes_by_name(self) -> dict[str, AttributeDef]:
        """Looked up per span in exports: a dict, not a scan (the first of a name wins)."""
        return _first_by(self.attributes, "name")


@dataclass(frozen=True)
class RelationRole:
    role: str
    heads: frozenset[str]
    tails: frozenset[str]
    key: str = ""
    # the tails in the schema's order: the first is the role's preferred label (SPEAKER for
    # SAID_BY), which link mode picks first among stacked spans
    tail_order: tuple[str, ...] = field(default=(), compare=False)

    def joins(self, head_label: str, tail_label: str) -> bool:
        return head_label in self.heads and tail_label in self.tails


@dataclass(frozen=True)
class LabelSchema:
    name: str
    labels: tuple[SpanLabel, ...]
    relations: tuple[RelationRole, ...]
    mappings: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    source_text: str = field(default="", repr=False, compare=False)

    def label(self, name: str) -> SpanLabel | None:
        return self._labels_by_name.get(name)

    @cached_property
    def _labels_by_name(self) -> dict[str, SpanLabel]:
        return _first_by(self.labels, "name")

    @cached_property
    def _roles_by_name(self) -> dict[str, RelationRole]:
        return _first_by(self.relations, "role")

    def label_names(self) -> list[str]:
        return [lab.name for lab in self.labels]

    def role(self, name: str) -> RelationRole | None:
        return self._roles_by_name.get(name)

    def roles_for(self, head_label: str, tail_label: str) -> list[RelationRole]:
        return [r for r in self.relations if r.joins(head_label, tail_label)]


# A schema is a few kilobytes; a stored one may come from someone else's project file, so its
# size is bounded and its nesting too (tomllib recurses once per level: 5,000 levels of arrays
# raised RecursionError in every command that opened the project).
MAX_SCHEMA_CHARS = 1_000_000
MAX_SCHEMA_DEPTH = 32
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _depth(data: Any) -> int:
    """How deeply lists and tables nest in parsed TOML (iterative: the data may be deep)."""
    deepest = 0
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_SCHEMA_DEPTH:
                todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def _colour(value: Any, label: str) -> str:
    """A label's colour goes into style sheets and HTML: only #rrggbb is taken."""
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise TypeError(f"colour of {label!r} must be written #rrggbb, not {str(value)[:40]!r}")
    return value


def parse_schema(text: str, origin: str = "<schema>") -> LabelSchema:
    if len(text) > MAX_SCHEMA_CHARS:
        raise SchemaError(f"{origin}: refused: the schema is {len(text):,} characters long "
                          f"(at most {MAX_SCHEMA_CHARS:,})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{origin}: not valid TOML: {exc}") from exc
    except RecursionError:
        data = None  # deeper than Python's stack: refused below, outside the except clause
    if data is None or _depth(data) > MAX_SCHEMA_DEPTH:
        raise SchemaError(f"{origin}: refused: the schema nests arrays or tables more than "
                          f"{MAX_SCHEMA_DEPTH} levels deep")
    labels = []
    for i, entry in enumerate(data.get("labels", [])):
        try:
            attrs = tuple(
                AttributeDef(name, tuple(str(v) for v in (spec or {}).get("values", ())))
                for name, spec in (entry.get("attributes") or {}).items()
            )
            labels.append(
                SpanLabel(
                    name=entry["name"],
                    colour=_colour(entry.get("colour", "#888888"), entry["name"]),
                    key=str(entry.get("key", "")),
                    group=entry.get("group", ""),
                    description=entry.get("description", ""),
                    attributes=attrs,
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise SchemaError(f"{origin}: label #{i + 1} is malformed: {exc}") from exc
    names = [lab.name for lab in labels]
    if not labels or len(set(names)) != len(names):
        raise SchemaError(f"{origin}: labels must be present and unique")
    keys = [lab.key for lab in labels if lab.key]
    if len(set(keys)) != len(keys):
        raise SchemaError(f"{origin}: two labels share a keyboard key")
    roles = []
    for entry in data.get("relations", []):
        try:
            role = RelationRole(
                role=entry["role"],
                heads=frozenset(entry["heads"]),
                tails=frozenset(entry["tails"]),
                key=str(entry.get("key", "")),
                tail_order=tuple(dict.fromkeys(entry["tails"])),
            )
        except (KeyError, TypeError) as exc:
            raise SchemaError(f"{origin}: relation {entry!r} is malformed: {exc}") from exc
        unknown = (role.heads | role.tails) - set(names)
        if unknown:
            raise SchemaError(f"{origin}: relation {role.role} names unknown labels {sorted(unknown)}")
        roles.append(role)
    return LabelSchema(
        name=str(data.get("name", Path(origin).stem)),
        labels=tuple(labels),
        relations=tuple(roles),
        mappings=data.get("mappings", {}),
        source_text=text,
    )


def load_schema(path: str | Path | None = None) -> LabelSchema:
    path = Path(path) if path else resource_path("schemas", DEFAULT_SCHEMA)
    return parse_schema(Path(path).read_text(encoding="utf-8"), origin=str(path))


def extension_problems(stored: LabelSchema, bundled: LabelSchema) -> list[str]:
    """Why `bundled` may not replace `stored` in a project: [] when it keeps every label,
    attribute, value, role and mapping of `stored` unchanged and only adds to them (a new event
    type, a new label, a new role); otherwise one line per change that would silently alter what
    the project's labels mean."""
    problems = []
    if bundled.name != stored.name:
        problems.append(f"it is another schema ({bundled.name!r}, the project has {stored.name!r})")
    for lab in stored.labels:
        new = bundled.label(lab.name)
        if new is None:
            problems.append(f"label {lab.name} would be removed")
            continue
        for field_name in ("colour", "key", "group", "description"):
            if getattr(new, field_name) != getattr(lab, field_name):
                problems.append(f"label {lab.name}: {field_name} would change")
        for attr in lab.attributes:
            problems.extend(_attribute_problems(lab.name, attr, new.attribute(attr.name)))
    for role in stored.relations:
        new_role = bundled.role(role.role)
        if new_role is None:
            problems.append(f"relation {role.role} would be removed")
        elif new_role.key != role.key or not (role.heads <= new_role.heads and role.tails <= new_role.tails):
            problems.append(f"relation {role.role} would lose labels it joins or change its key")
    problems.extend(_mapping_problems("mappings", stored.mappings, bundled.mappings))
    return problems


def _attribute_problems(label: str, old: AttributeDef, new: AttributeDef | None) -> list[str]:
    """An attribute may only gain values (a free-text one must stay free text)."""
    if new is None:
        return [f"{label}.{old.name} would be removed"]
    if not old.values:
        return [] if not new.values else [f"{label}.{old.name} would become a closed list"]
    lost = [v for v in old.values if v not in new.values]
    if not new.values:
        return [f"{label}.{old.name} would become free text"]
    return [f"{label}.{old.name} would lose {', '.join(lost)}"] if lost else []


def _mapping_problems(path: str, old: Any, new: Any) -> list[str]:
    """Mapping tables may gain entries; an entry the project has must stay as it is."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return [f"{path} would change"]
        out = []
        for k, v in old.items():
            if k not in new:
                out.append(f"{path}.{k} would be removed")
            else:
                out.extend(_mapping_problems(f"{path}.{k}", v, new[k]))
        return out
    return [] if old == new else [f"{path} would change"]


def extension_summary(stored: LabelSchema, bundled: LabelSchema) -> str:
    """What `bundled` adds to `stored`, in a few words ("2 labels, 15 attribute values")."""
    labels = [lab.name for lab in bundled.labels if stored.label(lab.name) is None]
    values = attrs = 0
    for lab in bundled.labels:
        old = stored.label(lab.name)
        if old is None:
            continue
        for attr in lab.attributes:
            before = old.attribute(attr.name)
            if before is None:
                attrs += 1
            else:
                values += len(set(attr.values) - set(before.values))
    roles = [r.role for r in bundled.relations if stored.role(r.role) is None]
    parts = [f"{n} {what}" for n, what in ((len(labels), "labels"), (attrs, "attributes"), (values, "attribute values"),
                                            (len(roles), "relation roles")) if n]
    return ", ".join(parts) or "mappings or comments"
