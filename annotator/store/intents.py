"""User intents: each one transaction + one action-log row, returning the Change it committed.

The rows an intent changes are read inside its transaction (under the write lock), once: that
read is the log's "before", and the Change's "after" is computed from it, not read back. Bounds
are checked against the cached text length, so labelling never reads the article text.
"""

from __future__ import annotations

from typing import Any

from annotator.changes import Change
from annotator.domain import (
    ACCEPTED,
    DOC_STATUSES,
    HUMAN,
    REJECTED,
    SUGGESTED,
    Relation,
    Span,
    ValidationError,
    check_span_range,
)
from annotator.store.rows import attrs_of, now, relation_row, span_row, to_json


class Intents:
    """Label actions of the Store (a mixin over History, DocumentWrites and Reading)."""

    annotator: str

    def add_span(self, doc_id: int, start: int, end: int, label: str,
                 attrs: dict[str, Any] | None = None) -> Change:
        """A new accepted span; its id is `Change.new_span_id`."""
        check_span_range(self.text_length(doc_id), start, end)
        self._check_label(label)
        self._check_attrs(label, attrs or {})
        with self._action("add_span", doc_id) as pending:
            stamp = now()
            span = Span(doc_id, start, end, label, ACCEPTED, HUMAN, self.annotator, attrs or {},
                        created=stamp, updated=stamp)
            span.id = self._insert_span(doc_id, span)
            pending.inserted("spans", span_row(span))
        return pending.change

    def _span_status(self, span_id: int, status: str, kind: str) -> Change:
        with self._action(kind) as pending:
            row = self._row("spans", span_id)
            pending.change.doc_id = row["doc_id"]
            stamp = now()
            self._update(pending, "spans", row, status=status, annotator=self.annotator,
                         updated=stamp)
            if status == ACCEPTED:  # links whose other end is accepted follow (store/links.py)
                self._links_follow(pending, [span_id], stamp)
            if status == REJECTED:
                # A rejected span takes its still-suggested links with it.
                for rel in self._rows("relations", "(head_id = ? OR tail_id = ?) AND status = ?",
                                      [span_id, span_id, SUGGESTED]):
                    self._update(pending, "relations", rel, status=REJECTED, updated=stamp)
        return pending.change

    def accept_span(self, span_id: int) -> Change:
        return self._span_status(span_id, ACCEPTED, "accept")

    def reject_span(self, span_id: int) -> Change:
        return self._span_status(span_id, REJECTED, "reject")

    def accept_all(self, doc_id: int, label: str) -> Change:
        """Accept every suggestion of one label in a document, and the suggested links between
        accepted spans of that label and others: one action, one undo step. `Change.count` says
        how many spans."""
        with self._action("accept_all", doc_id) as pending:
            stamp = now()
            for row in self._rows("spans", "doc_id = ? AND label = ? AND status = ?",
                                  [doc_id, label, SUGGESTED]):
                self._update(pending, "spans", row, status=ACCEPTED, annotator=self.annotator,
                             updated=stamp)
            pending.change.count = len(pending.change.spans)
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM spans WHERE doc_id = ? AND label = ? AND status = ?",
                [doc_id, label, ACCEPTED])]
            self._links_follow(pending, ids, stamp)
        return pending.change

    def relabel_span(self, span_id: int, label: str) -> Change:
        self._check_label(label)
        spec = self.schema.label(label)
        with self._action("relabel") as pending:
            row = self._row("spans", span_id)
            pending.change.doc_id = row["doc_id"]
            # Attributes belong to a label: keep only those the new label also has.
            attrs = {k: v for k, v in attrs_of(row["attrs"]).items()
                     if spec.attribute(k) and spec.attribute(k).allows(v)}
            stamp = now()
            self._update(pending, "spans", row, label=label, attrs=to_json(attrs),
                         status=ACCEPTED, annotator=self.annotator, updated=stamp)
            self._links_follow(pending, [span_id], stamp)
        return pending.change

    def set_attribute(self, span_id: int, name: str, value: Any) -> Change:
        with self._action("set_attribute") as pending:
            row = self._row("spans", span_id)
            pending.change.doc_id = row["doc_id"]
            self._check_attrs(row["label"], {name: value})
            attrs = attrs_of(row["attrs"])
            if value in (None, ""):
                attrs.pop(name, None)
            else:
                attrs[name] = value
            self._update(pending, "spans", row, attrs=to_json(attrs), annotator=self.annotator,
                         updated=now())
        return pending.change

    def delete_span(self, span_id: int) -> Change:
        """Delete a span and every relation that points at it (one undo step)."""
        with self._action("delete_span") as pending:
            row = self._row("spans", span_id)
            pending.change.doc_id = row["doc_id"]
            for rel in self._rows("relations", "head_id = ? OR tail_id = ?", [span_id, span_id]):
                pending.deleted("relations", rel)
                self.db.execute("DELETE FROM relations WHERE id = ?", [rel["id"]])
            pending.deleted("spans", row)
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        return pending.change

    def link(self, head_id: int, tail_id: int, role: str) -> Change:
        """Join two spans (or accept the suggested link that does); the relation's id is
        `Change.new_relation_id`. A suggested end is accepted with it (a link to a suggestion
        would be lost from accepted-only exports). Linking twice keeps one relation and logs
        nothing."""
        head, tail = self.span(head_id), self.span(tail_id)
        if head.doc_id != tail.doc_id:
            raise ValidationError("a relation must join two spans of one document")
        spec = self.schema.role(role)
        if spec is None or not spec.joins(head.label, tail.label):
            raise ValidationError(f"{role} cannot join {head.label} to {tail.label}")
        with self._action("link", head.doc_id) as pending:
            stamp = now()
            ends = self._accept_rows(pending, [self._row("spans", head_id),
                                               self._row("spans", tail_id)], stamp)
            existing = self._rows("relations", "head_id = ? AND tail_id = ? AND role = ?",
                                  [head_id, tail_id, role])
            if existing:
                if existing[0]["status"] != ACCEPTED:
                    self._update(pending, "relations", existing[0], status=ACCEPTED,
                                 annotator=self.annotator, updated=now())
                pending.change.new_relation_id = existing[0]["id"]
            else:
                rel = Relation(head.doc_id, head_id, tail_id, role, ACCEPTED, HUMAN,
                               self.annotator, created=stamp, updated=stamp)
                rel.id = self._insert_relation(head.doc_id, head_id, tail_id, rel)
                pending.inserted("relations", relation_row(rel))
            self._links_follow(pending, ends, stamp)
        return pending.change

    def _relation_status(self, rel_id: int, status: str, kind: str) -> Change:
        with self._action(kind) as pending:
            row = self._row("relations", rel_id)
            pending.change.doc_id = row["doc_id"]
            stamp = now()
            self._update(pending, "relations", row, status=status, annotator=self.annotator,
                         updated=stamp)
            if status == ACCEPTED:  # its suggested ends are accepted with it
                ends = self._accept_rows(pending, [self._row("spans", row["head_id"]),
                                                   self._row("spans", row["tail_id"])], stamp)
                self._links_follow(pending, ends, stamp)
        return pending.change

    def accept_relation(self, rel_id: int) -> Change:
        return self._relation_status(rel_id, ACCEPTED, "accept_relation")

    def reject_relation(self, rel_id: int) -> Change:
        return self._relation_status(rel_id, REJECTED, "reject_relation")

    def unlink(self, rel_id: int) -> Change:
        with self._action("unlink") as pending:
            row = self._row("relations", rel_id)
            pending.change.doc_id = row["doc_id"]
            pending.deleted("relations", row)
            self.db.execute("DELETE FROM relations WHERE id = ?", [rel_id])
        return pending.change

    def set_document_status(self, doc_id: int, status: str) -> Change:
        if status not in DOC_STATUSES:
            raise ValidationError(f"document status must be one of {', '.join(DOC_STATUSES)}")
        with self._action("set_doc_status", doc_id) as pending:
            row = self.db.execute("SELECT status, updated FROM documents WHERE id = ?",
                                  [doc_id]).fetchone()
            if row is None:
                raise KeyError(f"no document {doc_id}")
            self._update(pending, "documents", {"id": doc_id, "status": row[0], "updated": row[1]},
                         status=status, updated=now())
        return pending.change
