"""Bringing a project's stored schema up to date with attributes the bundled schema added.

A project keeps the schema TOML it was created with (schema.py), so an attribute added to the
bundled schema later (DATE.iso for resolved dates) would be refused by an older project. On
migration, each label the stored schema shares with the bundled schema of the same name gets
the attributes it lacks, written into the stored TOML text as lines (comments and the analyst's
own edits stay as they are). The result must parse and contain every added attribute, or the
stored text is left alone.
"""

from __future__ import annotations

import json
import re

from annotator.schema import AttributeDef, LabelSchema, SchemaError, parse_schema

_HEADER = re.compile(r"^\s*\[")
_NAME = re.compile(r"""^\s*name\s*=\s*["']([^"']+)["']""")


def _spec(attr: AttributeDef) -> str:
    if not attr.values:
        return f"{attr.name} = {{}}"
    return f"{attr.name} = {{ values = {json.dumps(list(attr.values))} }}"


def add_missing_attributes(stored_text: str, bundled: LabelSchema) -> str | None:
    """The stored TOML with the bundled schema's missing attributes added; None if nothing is
    missing, the names differ, or the text has a shape this cannot patch safely."""
    try:
        stored = parse_schema(stored_text, origin="stored schema")
    except SchemaError:
        return None
    if stored.name != bundled.name:
        return None
    missing: dict[str, list[AttributeDef]] = {}
    for lab in stored.labels:
        new = bundled.label(lab.name)
        if new is not None:
            extra = [a for a in new.attributes if lab.attribute(a.name) is None]
            if extra:
                missing[lab.name] = extra
    if not missing:
        return None
    lines = stored_text.splitlines()
    for name, attrs in missing.items():
        lines = _patch_label(lines, name, attrs)
        if lines is None:
            return None
    text = "\n".join(lines) + "\n"
    try:
        result = parse_schema(text, origin="upgraded schema")
    except SchemaError:
        return None
    for name, attrs in missing.items():
        if any(result.label(name).attribute(a.name) is None for a in attrs):
            return None
    return text


def _patch_label(lines: list[str], name: str, attrs: list[AttributeDef]) -> list[str] | None:
    """Insert attribute lines into the [[labels]] block named `name`."""
    start = None
    for i, line in enumerate(lines):
        if line.strip() == "[[labels]]":
            block_end = next((j for j in range(i + 1, len(lines))
                              if _HEADER.match(lines[j]) and lines[j].strip() != "[labels.attributes]"),
                             len(lines))
            if any((m := _NAME.match(lines[j])) and m.group(1) == name
                   for j in range(i + 1, block_end)):
                start = i
                break
    if start is None:
        return None
    end = next((j for j in range(start + 1, len(lines)) if _HEADER.match(lines[j])), len(lines))
    new = [_spec(a) for a in attrs]
    if end < len(lines) and lines[end].strip() == "[labels.attributes]":
        return lines[:end + 1] + new + lines[end + 1:]
    if any(re.match(r"^\s*attributes\s*=", lines[j]) for j in range(start, end)):
        return None  # an inline table: not patched
    # Keep the blank line and comments that separate this block from the next one below it.
    cut = end
    while cut > start + 1 and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    return lines[:cut] + ["[labels.attributes]"] + new + lines[cut:]
