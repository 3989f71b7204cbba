"""Writing documents and their labels in bulk (an import file), and the row inserts shared
with the intents and suggestions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from annotator.domain import (
    AnnotatedDocument,
    Document,
    Relation,
    Span,
    ValidationError,
    check_span_bounds,
    new_uid,
)
from annotator.schema import LabelSchema
from annotator.store.rows import now
from annotator.store.rows import to_json as _json


class DocumentWrites:
    """Inserts of the Store (a mixin: `db`, `schema` and `transaction` come from Store)."""

    schema: LabelSchema

    def _insert_document(self, doc: Document) -> int | None:
        """Insert unless a document with the same text exists; returns the new id or None."""
        stamp = now()
        cur = self.db.execute(
            "INSERT OR IGNORE INTO documents(text, title, source, published, url, import_file,"
            " content_hash, status, meta, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [doc.text, doc.title, doc.source, doc.published, doc.url, doc.import_file,
             doc.content_hash, doc.status, _json(doc.meta), stamp, stamp],
        )
        return cur.lastrowid if cur.rowcount else None

    def add_documents(self, bundles: Iterable[AnnotatedDocument]) -> list[int]:
        """Add documents with their labels in ONE transaction (a whole import file).

        Documents whose text is already stored are skipped (idempotent import). Returns the ids
        of the documents added.
        """
        added = []
        with self.transaction():
            for bundle in bundles:
                doc_id = self._insert_document(bundle.document)
                if doc_id is None:
                    continue
                self._insert_bundle_labels(doc_id, bundle)
                added.append(doc_id)
        return added

    def _insert_bundle_labels(self, doc_id: int, bundle: AnnotatedDocument) -> None:
        text = bundle.document.text
        local_to_db: dict[int, int] = {}
        for i, span in enumerate(bundle.spans):
            check_span_bounds(text, span.start, span.end)
            self._check_label(span.label)
            new_id = self._insert_span(doc_id, span)
            local_to_db[span.id if span.id is not None else -1 - i] = new_id
        for rel in bundle.relations:
            if rel.head_id not in local_to_db or rel.tail_id not in local_to_db:
                raise ValidationError(f"relation {rel.role} refers to a span that is not in the line")
            self._check_role(rel.role)
            self._insert_relation(doc_id, local_to_db[rel.head_id], local_to_db[rel.tail_id], rel)

    def add_document_meta(self, items: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Add derived metadata to documents (e.g. the place and agency of a dateline), one
        transaction: keys a document already has (set by an import or a user) are kept, only
        missing ones are added; documents that no longer exist are skipped."""
        with self.transaction():
            for doc_id, values in items:
                if not values:
                    continue
                row = self.db.execute("SELECT meta FROM documents WHERE id = ?", [doc_id]).fetchone()
                if row is None:
                    continue
                meta = json.loads(row[0] or "{}")
                added = {k: v for k, v in values.items() if k not in meta}
                if added:
                    meta.update(added)
                    self.db.execute("UPDATE documents SET meta = ? WHERE id = ?", [_json(meta), doc_id])

    def _check_label(self, label: str) -> None:
        if self.schema.label(label) is None:
            raise ValidationError(f"unknown label {label!r} (schema {self.schema.name!r} has "
                                  f"{', '.join(self.schema.label_names())})")

    def _check_role(self, role: str) -> None:
        if self.schema.role(role) is None:
            raise ValidationError(f"unknown relation role {role!r}")

    def _insert_span(self, doc_id: int, span: Span) -> int:
        """Insert a span row; a span without a uid gets a new one (set on `span` too, so the
        action log and the Change carry it)."""
        stamp = now()
        span.uid = span.uid or new_uid()
        cur = self.db.execute(
            "INSERT INTO spans(doc_id, start, end, label, status, origin, annotator, attrs,"
            " created, updated, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [doc_id, span.start, span.end, span.label, span.status, span.origin,
             span.annotator, _json(span.attrs), span.created or stamp, span.updated or stamp,
             span.uid],
        )
        return cur.lastrowid

    def _insert_relation(self, doc_id: int, head_id: int, tail_id: int, rel: Relation) -> int:
        stamp = now()
        rel.uid = rel.uid or new_uid()
        cur = self.db.execute(
            "INSERT INTO relations(doc_id, head_id, tail_id, role, status, origin, annotator,"
            " attrs, created, updated, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [doc_id, head_id, tail_id, rel.role, rel.status, rel.origin, rel.annotator,
             _json(rel.attrs), rel.created or stamp, rel.updated or stamp, rel.uid],
        )
        return cur.lastrowid

    def _check_attrs(self, label: str, attrs: dict[str, Any]) -> None:
        spec = self.schema.label(label)
        for name, value in attrs.items():
            attr = spec.attribute(name) if spec else None
            if attr is None:
                raise ValidationError(f"label {label} has no attribute {name!r}")
            if not attr.allows(value):
                kind = f"one of {', '.join(attr.values)}" if attr.values else "text"
                raise ValidationError(f"{label}.{name} must be {kind}")
