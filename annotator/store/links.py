"""Links follow their spans: the store's rule, so the window, the CLI and scripts all get it.

* A suggested relation whose two ends are both accepted becomes accepted, in the same action
  (and so the same undo step) as the span decision that made it so. Without this an analyst who
  accepts a quote and its suggested speaker exports the quote without its speaker.
* Rejecting a span rejects its suggested relations (`Intents._span_status`); deleting a span
  deletes every relation that points at it (`Intents.delete_span`).
* Accepting a link accepts its suggested ends: an accepted relation to a suggested span would be
  lost from accepted-only exports all the same.

The helpers here join an intent's transaction (`pending`); the intents built on them are
`accept_links` (every open link of one span) and `accept_suggestions` (a whole document).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from annotator.changes import Change
from annotator.domain import ACCEPTED, SUGGESTED
from annotator.store.rows import now

_BOTH_ENDS_ACCEPTED = (
    "status = 'suggested'"
    " AND EXISTS (SELECT 1 FROM spans h WHERE h.id = relations.head_id AND h.status = 'accepted')"
    " AND EXISTS (SELECT 1 FROM spans t WHERE t.id = relations.tail_id AND t.status = 'accepted')"
)
_CHUNK = 400  # ids per IN (...): well under SQLite's limit of bound parameters


class Links:
    """Relation side effects of span decisions (a mixin over History and Reading)."""

    annotator: str

    def _links_follow(self, pending, span_ids: Iterable[int], stamp: str) -> None:
        """Accept the suggested relations of `span_ids` whose two ends are accepted now (and
        whose role still joins the two labels, e.g. after a relabel)."""
        ids = list(dict.fromkeys(span_ids))
        seen: set[int] = set()
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._rows("relations", f"(head_id IN ({marks}) OR tail_id IN ({marks}))"
                              f" AND {_BOTH_ENDS_ACCEPTED}", chunk + chunk)
            labels = self._labels({r["head_id"] for r in rows} | {r["tail_id"] for r in rows})
            for rel in rows:
                if rel["id"] in seen:
                    continue
                seen.add(rel["id"])
                role = self.schema.role(rel["role"])
                if role is None or not role.joins(labels.get(rel["head_id"]),
                                                  labels.get(rel["tail_id"])):
                    continue
                self._update(pending, "relations", rel, status=ACCEPTED,
                             annotator=self.annotator, updated=stamp)

    def _labels(self, span_ids: set[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        ids = list(span_ids)
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            out.update(self.db.execute(
                f"SELECT id, label FROM spans WHERE id IN ({','.join('?' * len(chunk))})",
                chunk).fetchall())
        return out

    def _accept_rows(self, pending, rows: list[dict[str, Any]], stamp: str) -> list[int]:
        """Accept these span rows (those not accepted yet); returns the ids it changed."""
        changed = []
        for row in rows:
            if row["status"] != ACCEPTED:
                self._update(pending, "spans", row, status=ACCEPTED, annotator=self.annotator,
                             updated=stamp)
                changed.append(row["id"])
        return changed

    def accept_links(self, span_id: int, leave: Collection[int] = ()) -> Change:
        """Accept every open (suggested) link of one span, the span itself and the spans at
        the links' other ends: one action. `Change.count` says how many links. Links to the
        spans in `leave` (ones the analyst cannot see) stay open."""
        with self._action("accept_links") as pending:
            span = self._row("spans", span_id)
            pending.change.doc_id = span["doc_id"]
            stamp = now()
            rels = self._rows("relations", "(head_id = ? OR tail_id = ?) AND status = ?",
                              [span_id, span_id, SUGGESTED])
            rels = [r for r in rels if (r["tail_id"] if r["head_id"] == span_id
                                        else r["head_id"]) not in leave]
            ends = {r["tail_id"] if r["head_id"] == span_id else r["head_id"] for r in rels}
            ends.discard(span_id)
            others = [self._row("spans", i) for i in sorted(ends)]
            accepted = self._accept_rows(pending, [span, *others], stamp)
            for rel in rels:
                self._update(pending, "relations", rel, status=ACCEPTED,
                             annotator=self.annotator, updated=stamp)
            self._links_follow(pending, accepted, stamp)
        pending.change.count = len(rels)
        return pending.change

    def accept_suggestions(self, doc_id: int) -> Change:
        """Accept every suggestion of a document, spans and the links between them: one action
        (one undo step). `Change.count` says how many spans."""
        with self._action("accept_document", doc_id) as pending:
            stamp = now()
            rows = self._rows("spans", "doc_id = ? AND status = ?", [doc_id, SUGGESTED])
            accepted = self._accept_rows(pending, rows, stamp)
            self._links_follow(pending, accepted, stamp)
        pending.change.count = len(accepted)
        return pending.change
