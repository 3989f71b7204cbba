"""Database rows <-> domain objects: the one place a row becomes a Span, Relation or Document.

Rows travel as dicts (action-log entries, undo/redo) or as tuples in column order (the export
hot path); both go through the same converter, so the two can never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from annotator.domain import Actor, Document, Relation, Span

SPAN_COLUMNS = ("id", "doc_id", "start", "end", "label", "status", "origin", "annotator",
                "attrs", "created", "updated", "actor_id", "uid")
RELATION_COLUMNS = ("id", "doc_id", "head_id", "tail_id", "role", "status", "origin",
                    "annotator", "attrs", "created", "updated", "uid")
ACTOR_COLUMNS = ("id", "name", "type", "aliases", "affiliation", "role", "external_id",
                 "created", "updated")
# A label action logs only these columns of its document; deleting a document logs its whole
# row (DOCUMENT_COLUMNS, text included) so that undo brings it back exactly.
DOC_LOGGED = ("id", "status", "updated")
DOC_EDITABLE = ("title", "source", "published")  # what the analyst may correct
DOCUMENT_COLUMNS = ("id", "text", "title", "source", "published", "url", "import_file",
                    "content_hash", "status", "meta", "created", "updated")
PREANNOTATION_COLUMNS = ("doc_id", "origin", "finished")
# the label memory (store/memory.py): one row per remembered (normalised text, label)
MEMORY_COLUMNS = ("id", "text", "label", "accepted", "rejected", "decision", "canonical",
                  "updated")
COLUMNS = {"spans": SPAN_COLUMNS, "relations": RELATION_COLUMNS, "documents": DOCUMENT_COLUMNS,
           "preannotations": PREANNOTATION_COLUMNS, "actors": ACTOR_COLUMNS,
           "memory": MEMORY_COLUMNS}
KEYS = {"preannotations": ("doc_id", "origin")}  # tables whose rows are not found by "id"

SPAN_SELECT = ", ".join(f'"{c}"' for c in SPAN_COLUMNS)
RELATION_SELECT = ", ".join(f'"{c}"' for c in RELATION_COLUMNS)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def to_json(value: Any) -> str:
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)


def attrs_of(raw: str | None) -> dict[str, Any]:
    return json.loads(raw) if raw and raw != "{}" else {}


def span_from_tuple(r: tuple) -> Span:
    """A row in SPAN_COLUMNS order."""
    return Span(doc_id=r[1], start=r[2], end=r[3], label=r[4], status=r[5], origin=r[6] or "",
                annotator=r[7] or "", attrs=attrs_of(r[8]), id=r[0], created=r[9] or "",
                updated=r[10] or "", actor_id=r[11], uid=r[12] or "")


def span_from_row(row: Mapping[str, Any]) -> Span:
    return span_from_tuple(tuple(row.get(c) for c in SPAN_COLUMNS))


def relation_from_tuple(r: tuple) -> Relation:
    """A row in RELATION_COLUMNS order."""
    return Relation(doc_id=r[1], head_id=r[2], tail_id=r[3], role=r[4], status=r[5],
                    origin=r[6] or "", annotator=r[7] or "", attrs=attrs_of(r[8]), id=r[0],
                    created=r[9] or "", updated=r[10] or "", uid=r[11] or "")


def relation_from_row(row: Mapping[str, Any]) -> Relation:
    return relation_from_tuple(tuple(row.get(c) for c in RELATION_COLUMNS))


def span_row(span: Span) -> dict[str, Any]:
    """A span as its stored row (attrs as JSON text), e.g. for the action log."""
    return {"id": span.id, "doc_id": span.doc_id, "start": span.start, "end": span.end,
            "label": span.label, "status": span.status, "origin": span.origin,
            "annotator": span.annotator, "attrs": to_json(span.attrs), "created": span.created,
            "updated": span.updated, "actor_id": span.actor_id, "uid": span.uid or None}


def relation_row(rel: Relation) -> dict[str, Any]:
    return {"id": rel.id, "doc_id": rel.doc_id, "head_id": rel.head_id, "tail_id": rel.tail_id,
            "role": rel.role, "status": rel.status, "origin": rel.origin,
            "annotator": rel.annotator, "attrs": to_json(rel.attrs), "created": rel.created,
            "updated": rel.updated, "uid": rel.uid or None}


def document_from_row(row: Mapping[str, Any]) -> Document:
    return Document(
        id=row["id"], text=row["text"], title=row["title"] or "", source=row["source"] or "",
        published=row["published"] or "", url=row["url"] or "",
        import_file=row["import_file"] or "", status=row["status"],
        meta=json.loads(row["meta"] or "{}"), content_hash=row["content_hash"],
    )


def actor_from_tuple(r: tuple) -> Actor:
    """A row in ACTOR_COLUMNS order (aliases as JSON text), optionally followed by the mention
    and document counts."""
    aliases = json.loads(r[3]) if r[3] else []
    return Actor(name=r[1], type=r[2] or "", aliases=aliases, affiliation=r[4] or "",
                 role=r[5] or "", external_id=r[6] or "", id=r[0], created=r[7] or "",
                 updated=r[8] or "", mentions=r[9] if len(r) > 9 else 0,
                 documents=r[10] if len(r) > 10 else 0)


def actor_row(actor: Actor) -> dict[str, Any]:
    return {"id": actor.id, "name": actor.name, "type": actor.type,
            "aliases": json.dumps(list(actor.aliases), ensure_ascii=False),
            "affiliation": actor.affiliation, "role": actor.role,
            "external_id": actor.external_id, "created": actor.created,
            "updated": actor.updated}
