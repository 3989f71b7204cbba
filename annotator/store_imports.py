"""The store's bulk writes for imports: batches of documents with their labels.

A mixin of `annotator.store.Store` (kept in its own module so the import path can grow without
touching the per-intent code): `import_bundles` writes one batch of a file inside the import's
open transaction, with executemany and span/relation ids assigned here, so per-document cost is
one document insert (its FTS row comes from the trigger) and two batched label inserts.
`savepoint` makes one file all-or-nothing inside a transaction that spans several files.
Imports are not user intents: nothing here goes to the action log.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from annotator.domain import AnnotatedDocument, ValidationError, check_span_bounds

_SPAN_INSERT = ("INSERT INTO spans(id, doc_id, start, end, label, status, origin, annotator,"
                " attrs, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
_REL_INSERT = ("INSERT INTO relations(id, doc_id, head_id, tail_id, role, status, origin,"
               " annotator, attrs, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)")


def _stamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _attrs_json(attrs: dict[str, Any]) -> str:
    return json.dumps(attrs, ensure_ascii=False, sort_keys=True) if attrs else "{}"


@dataclass
class ImportCounts:
    """What one batch (or a whole file, or a run) of an import wrote."""

    documents_added: int = 0
    documents_unchanged: int = 0  # same text already stored, nothing new to add
    added_ids: array = field(default_factory=lambda: array("q"))
    present_ids: array = field(default_factory=lambda: array("q"))  # already stored

    def add(self, other: ImportCounts) -> None:
        self.documents_added += other.documents_added
        self.documents_unchanged += other.documents_unchanged
        self.added_ids.extend(other.added_ids)
        self.present_ids.extend(other.present_ids)


class ImportWrites:
    """Bulk import writes of `Store` (which supplies db, schema, transaction, _insert_document)."""

    @contextmanager
    def savepoint(self, name: str = "import_unit") -> Iterator[None]:
        """A unit inside the open transaction: kept on success, undone alone on any error
        (the transaction and what it already holds stay). Needs an open transaction."""
        conn = self.db.conn
        if not conn.in_transaction:
            raise RuntimeError("savepoint() needs an open transaction (use store.transaction())")
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a failed write may already have ended the transaction
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")

    def import_bundles(self, bundles: Sequence[AnnotatedDocument]) -> ImportCounts:
        """Write a batch of documents with their labels; a document whose text is stored
        already is counted as present and left as it is. Joins the open transaction."""
        counts = ImportCounts()
        labels = set(self.schema.label_names())
        roles = {r.role for r in self.schema.relations}
        with self.transaction():
            next_span = self._next_id("spans")
            next_rel = self._next_id("relations")
            span_rows: list[tuple] = []
            rel_rows: list[tuple] = []
            for bundle in bundles:
                doc_id = self._insert_document(bundle.document)
                if doc_id is None:
                    counts.documents_unchanged += 1
                    counts.present_ids.append(self._document_id_by_hash(
                        bundle.document.content_hash))
                    continue
                counts.documents_added += 1
                counts.added_ids.append(doc_id)
                stamp = _stamp()
                text = bundle.document.text
                local: dict[int, int] = {}
                for i, span in enumerate(bundle.spans):
                    check_span_bounds(text, span.start, span.end)
                    if span.label not in labels:
                        raise ValidationError(f"unknown label {span.label!r}")
                    local[span.id if span.id is not None else -1 - i] = next_span
                    span_rows.append((next_span, doc_id, span.start, span.end, span.label,
                                      span.status, span.origin, span.annotator,
                                      _attrs_json(span.attrs), span.created or stamp,
                                      span.updated or stamp))
                    next_span += 1
                for rel in bundle.relations:
                    if rel.head_id not in local or rel.tail_id not in local:
                        raise ValidationError(f"relation {rel.role} refers to a span that is not "
                                              "in the document")
                    if rel.role not in roles:
                        raise ValidationError(f"unknown relation role {rel.role!r}")
                    rel_rows.append((next_rel, doc_id, local[rel.head_id], local[rel.tail_id],
                                     rel.role, rel.status, rel.origin, rel.annotator,
                                     _attrs_json(rel.attrs), rel.created or stamp,
                                     rel.updated or stamp))
                    next_rel += 1
            self.db.conn.executemany(_SPAN_INSERT, span_rows)
            self.db.conn.executemany(_REL_INSERT, rel_rows)
        return counts

    def _next_id(self, table: str) -> int:
        """The id the next row of `table` gets (we hold the write lock, so it stays free)."""
        return self.db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def _document_id_by_hash(self, content_hash: str) -> int:
        return self.db.execute("SELECT id FROM documents WHERE content_hash = ?",
                               [content_hash]).fetchone()[0]
