"""The store's bulk writes for imports: batches of documents with their labels.

A mixin of `annotator.store.Store` (kept in its own module so the import path can grow without
touching the per-intent code): `import_bundles` writes one batch of a file inside the import's
open transaction, with executemany and span/relation ids assigned here, so per-document cost is
one document insert (its FTS row comes from the trigger) and two batched label inserts.
`savepoint` makes one file all-or-nothing inside a transaction that spans several files.
A document already stored (same text) is merged: its missing labels are added, equal ones are
counted, never duplicated. Imports are not user intents: nothing here goes to the action log.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from annotator.domain import (
    ACCEPTED,
    SUGGESTED,
    AnnotatedDocument,
    Relation,
    Span,
    ValidationError,
    check_span_bounds,
    new_uid,
)

_SPAN_INSERT = ("INSERT INTO spans(id, doc_id, start, end, label, status, origin, annotator,"
                " attrs, created, updated, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
_REL_INSERT = ("INSERT INTO relations(id, doc_id, head_id, tail_id, role, status, origin,"
               " annotator, attrs, created, updated, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
_UID = -1  # position of the uid in a row tuple


def _stamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _attrs_json(attrs: dict[str, Any]) -> str:
    return json.dumps(attrs, ensure_ascii=False, sort_keys=True) if attrs else "{}"


@dataclass
class ImportCounts:
    """What one batch (or a whole file, or a run) of an import wrote."""

    documents_added: int = 0
    documents_merged: int = 0  # same text already stored: got new labels
    documents_unchanged: int = 0  # same text already stored, every label already there
    spans_merged: int = 0  # new spans added to documents already stored
    relations_merged: int = 0
    suggestions_accepted: int = 0  # stored suggestions that the import's accepted labels equal
    duplicates: int = 0  # labels equal to stored ones: not added again
    repeated: int = 0  # labels given twice (or more) in one new document: stored once
    added_ids: array = field(default_factory=lambda: array("q"))
    present_ids: array = field(default_factory=lambda: array("q"))  # already stored

    def add(self, other: ImportCounts) -> None:
        for name in ("documents_added", "documents_merged", "documents_unchanged",
                     "spans_merged", "relations_merged", "suggestions_accepted", "duplicates",
                     "repeated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.added_ids.extend(other.added_ids)
        self.present_ids.extend(other.present_ids)


class _Rows:
    """Span and relation rows of a batch, with ids assigned here, written by `flush`."""

    def __init__(self, store: ImportWrites):
        self.store = store
        self.labels, self.roles = store._schema_names()
        self.next_span = self.next_rel = 0  # looked up at the first row (most files have none)
        self.spans: list[tuple] = []
        self.relations: list[tuple] = []
        self.given_uids = False  # some row keeps a uid read from the file

    def _fresh_uids(self, table: str, rows: list[tuple]) -> list[tuple]:
        taken: set[str] = set()
        uids = [r[_UID] for r in rows]
        for i in range(0, len(uids), 500):
            chunk = uids[i:i + 500]
            taken.update(u for (u,) in self.store.db.execute(
                f"SELECT uid FROM {table} WHERE uid IN ({','.join('?' * len(chunk))})", chunk))
        out = []
        for row in rows:  # stored already, or twice in this batch: the later one is a new row
            if row[_UID] in taken:
                row = row[:_UID] + (new_uid(),)
            taken.add(row[_UID])
            out.append(row)
        return out

    def span(self, doc_id: int, text: str, span: Span, stamp: str) -> int:
        check_span_bounds(text, span.start, span.end)
        if span.label not in self.labels:
            raise ValidationError(f"unknown label {span.label!r}")
        if not self.next_span:
            self.next_span = self.store._next_id("spans")
        span_id, self.next_span = self.next_span, self.next_span + 1
        self.spans.append((span_id, doc_id, span.start, span.end, span.label, span.status,
                           span.origin, span.annotator, _attrs_json(span.attrs),
                           span.created or stamp, span.updated or stamp, span.uid or new_uid()))
        if span.uid:
            self.given_uids = True
        return span_id

    def relation(self, doc_id: int, ends: tuple[int, int], rel: Relation, stamp: str) -> None:
        if rel.role not in self.roles:
            raise ValidationError(f"unknown relation role {rel.role!r}")
        if not self.next_rel:
            self.next_rel = self.store._next_id("relations")
        rel_id, self.next_rel = self.next_rel, self.next_rel + 1
        self.relations.append((rel_id, doc_id, ends[0], ends[1], rel.role, rel.status,
                               rel.origin, rel.annotator, _attrs_json(rel.attrs),
                               rel.created or stamp, rel.updated or stamp, rel.uid or new_uid()))
        if rel.uid:
            self.given_uids = True

    def flush(self) -> None:
        if self.given_uids:  # uids from the file: one already stored (a re-import) gets a new one
            self.spans = self._fresh_uids("spans", self.spans)
            self.relations = self._fresh_uids("relations", self.relations)
            self.given_uids = False
        if self.spans:
            self.store.db.conn.executemany(_SPAN_INSERT, self.spans)
            self.spans.clear()
        if self.relations:
            self.store.db.conn.executemany(_REL_INSERT, self.relations)
            self.relations.clear()


def _local_ends(local: dict[int, int], rel: Relation) -> tuple[int, int]:
    if rel.head_id not in local or rel.tail_id not in local:
        raise ValidationError(f"relation {rel.role} refers to a span that is not in the document")
    return local[rel.head_id], local[rel.tail_id]


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
        """Write a batch of documents with their labels. A document whose text is stored
        already gets the labels it lacks (see `_merge`); none is duplicated. Joins the open
        transaction."""
        counts = ImportCounts()
        with self.transaction():
            rows = _Rows(self)
            for bundle in bundles:
                doc_id = self._insert_document(bundle.document)
                if doc_id is None:
                    rows.flush()  # the merge must see this batch's rows (a repeated text)
                    doc_id = self._document_id_by_hash(bundle.document.content_hash)
                    counts.present_ids.append(doc_id)
                    self._merge(doc_id, bundle, rows, counts)
                    continue
                counts.documents_added += 1
                counts.added_ids.append(doc_id)
                self._add_labels(doc_id, bundle, rows, counts)
            rows.flush()
        return counts

    @staticmethod
    def _add_labels(doc_id: int, bundle: AnnotatedDocument, rows: _Rows,
                    counts: ImportCounts) -> None:
        """The labels of a new document, each identical one once (a file repeating a span
        200,000 times stored 200,000 rows): the repeats are counted, and a relation to a repeat
        goes to the row kept."""
        stamp = _stamp()
        text = bundle.document.text
        local: dict[int, int] = {}
        kept: dict[tuple, int] = {}
        for i, span in enumerate(bundle.spans):
            key = (span.start, span.end, span.label, span.status, span.annotator,
                   _attrs_json(span.attrs))
            row_id = kept.get(key)
            if row_id is None:
                row_id = kept[key] = rows.span(doc_id, text, span, stamp)
            else:
                counts.repeated += 1
            local[span.id if span.id is not None else -1 - i] = row_id
        links: set[tuple] = set()
        for rel in bundle.relations:
            ends = _local_ends(local, rel)
            key = (*ends, rel.role, rel.status, rel.annotator, _attrs_json(rel.attrs))
            if key in links:
                counts.repeated += 1
                continue
            links.add(key)
            rows.relation(doc_id, ends, rel, stamp)

    def _merge(self, doc_id: int, bundle: AnnotatedDocument, rows: _Rows,
               counts: ImportCounts) -> None:
        """Labels for a stored document: a span equal to a stored one (same start, end, label
        and annotator) is not added again; an accepted one equal to a stored suggestion
        accepts it; a relation equal to a stored one (same ends and role) likewise."""
        stamp = _stamp()
        text = bundle.document.text
        stored: dict[tuple[int, int, str], list[tuple[int, str, str]]] = {}
        for span_id, start, end, label, status, annotator in self.db.execute(
                "SELECT id, start, end, label, status, annotator FROM spans WHERE doc_id = ?",
                [doc_id]):
            stored.setdefault((start, end, label), []).append((span_id, status, annotator or ""))
        before = (counts.spans_merged, counts.relations_merged, counts.suggestions_accepted)
        local: dict[int, int] = {}
        for i, span in enumerate(bundle.spans):
            key = (span.start, span.end, span.label)
            found = self._equal_span(stored.get(key, []), span, stamp, counts)
            if found is None:
                found = rows.span(doc_id, text, span, stamp)
                stored.setdefault(key, []).append((found, span.status, span.annotator))
                counts.spans_merged += 1
            local[span.id if span.id is not None else -1 - i] = found
        links = {(h, t, r): (rel_id, status) for rel_id, h, t, r, status in self.db.execute(
            "SELECT id, head_id, tail_id, role, status FROM relations WHERE doc_id = ?",
            [doc_id])}
        for rel in bundle.relations:
            ends = _local_ends(local, rel)
            key = (*ends, rel.role)
            if key not in links:
                rows.relation(doc_id, ends, rel, stamp)
                links[key] = (None, rel.status)
                counts.relations_merged += 1
            elif links[key][1] == SUGGESTED and rel.status == ACCEPTED and links[key][0]:
                self.db.execute("UPDATE relations SET status = ?, annotator = ?, updated = ?"
                                " WHERE id = ?", [ACCEPTED, rel.annotator, stamp, links[key][0]])
                links[key] = (links[key][0], ACCEPTED)
                counts.suggestions_accepted += 1
            else:
                counts.duplicates += 1
        if (counts.spans_merged, counts.relations_merged, counts.suggestions_accepted) != before:
            counts.documents_merged += 1
        else:
            counts.documents_unchanged += 1

    def _equal_span(self, candidates: list[tuple[int, str, str]], span: Span, stamp: str,
                    counts: ImportCounts) -> int | None:
        """The stored span that `span` repeats (accepting it if it was a suggestion), or None."""
        for span_id, status, annotator in candidates:
            if status != SUGGESTED and annotator == span.annotator:
                counts.duplicates += 1
                return span_id
        for index, (span_id, status, _annotator) in enumerate(candidates):
            if status != SUGGESTED:
                continue
            if span.status == ACCEPTED:
                self.db.execute("UPDATE spans SET status = ?, annotator = ?, updated = ?"
                                " WHERE id = ?", [ACCEPTED, span.annotator, stamp, span_id])
                candidates[index] = (span_id, ACCEPTED, span.annotator)
                counts.suggestions_accepted += 1
            else:
                counts.duplicates += 1  # a suggestion repeating a stored suggestion
            return span_id
        return None

    def _schema_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """Label and role names of the project's schema (a batch checks every row against them)."""
        if getattr(self, "_names_of", None) is not self.schema:
            self._names = (frozenset(self.schema.label_names()),
                           frozenset(r.role for r in self.schema.relations))
            self._names_of = self.schema
        return self._names

    def _next_id(self, table: str) -> int:
        """The id the next row of `table` gets (we hold the write lock, so it stays free)."""
        return self.db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def _document_id_by_hash(self, content_hash: str) -> int:
        return self.db.execute("SELECT id FROM documents WHERE content_hash = ?",
                               [content_hash]).fetchone()[0]
