"""The curated layer's writes: one intent that makes it hold what adjudication decided.

Curated rows are spans and relations under the reserved annotator `CURATED` (team/identity.py);
`curate` writes them in one transaction with one action-log row (kind "curate", by the curator),
so undo and redo work on adjudication like on any label. A curated row stays curated whoever
edits it later (e.g. relabelled in the main window): `_update` keeps its annotator.
"""

from __future__ import annotations

from typing import Any

from annotator.changes import Change
from annotator.domain import Relation, Span, ValidationError, check_span_range
from annotator.store.rows import now, relation_row, span_row
from annotator.team.identity import CURATED


class Curation:
    """The curation intent of the Store (a mixin placed before History: it refines `_update`)."""

    def _update(self, pending, table: str, before: dict[str, Any], **values: Any) -> None:
        if before.get("annotator") == CURATED and "annotator" in values:
            values["annotator"] = CURATED
        super()._update(pending, table, before, **values)

    def curate(self, doc_id: int, spans: list, relations: list, kind: str = "curate") -> Change:
        """Make the curated layer hold each SpanOp / RelationOp (team/curation.py): insert the
        row, or set the status of the one there. Relations join curated spans (accepted)."""
        length = self.text_length(doc_id)
        with self._action(kind, doc_id) as pending:
            stamp = now()
            mine = {(r["start"], r["end"], r["label"]): r for r in self._rows(
                "spans", "doc_id = ? AND annotator = ?", [doc_id, CURATED])}
            for op in spans:
                start, end, label = op.key
                check_span_range(length, start, end)
                self._check_label(label)
                row = mine.get(op.key)
                if row is None:
                    span = Span(doc_id, start, end, label, op.status, op.origin, CURATED,
                                dict(op.attrs), created=stamp, updated=stamp)
                    span.id = self._insert_span(doc_id, span)
                    mine[op.key] = span_row(span)
                    pending.inserted("spans", mine[op.key])
                elif row["status"] != op.status:
                    self._update(pending, "spans", row, status=op.status, updated=stamp)
            for op in relations:
                self._curate_relation(pending, doc_id, mine, op, stamp)
        return pending.change

    def _curate_relation(self, pending, doc_id: int, mine: dict, op, stamp: str) -> None:
        head, tail = mine.get(op.head), mine.get(op.tail)
        if head is None or tail is None:
            raise ValidationError(f"{op.role}: both ends must be in the curated layer first")
        self._check_role(op.role)
        found = self._rows("relations", "head_id = ? AND tail_id = ? AND role = ? AND"
                           " annotator = ?", [head["id"], tail["id"], op.role, CURATED])
        if found:
            if found[0]["status"] != op.status:
                self._update(pending, "relations", found[0], status=op.status, updated=stamp)
            return
        rel = Relation(doc_id, head["id"], tail["id"], op.role, op.status, op.origin, CURATED,
                       created=stamp, updated=stamp)
        rel.id = self._insert_relation(doc_id, head["id"], tail["id"], rel)
        pending.inserted("relations", relation_row(rel))

