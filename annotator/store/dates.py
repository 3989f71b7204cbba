"""Storing resolved dates: the `iso` attribute of DATE spans (analysis/dates.py computes it).

Like suggestions, a batch of resolutions is machine work, not logged as actions: it only fills
DATE spans that have no `iso` yet, so an analyst's own value is never replaced, and undo never
removes what it filled. An analyst's edit of `iso` (Details panel) is a logged intent as usual.
"""

from __future__ import annotations

import json

from annotator.domain import ValidationError
from annotator.store.rows import now


class DateWrites:
    """Resolved-date reads and writes of the Store (a mixin: `db`, `schema`, `transaction`)."""

    def dates_to_resolve(self, doc_id: int) -> list[tuple[int, int, int]]:
        """(span id, start, end) of a document's DATE spans, not rejected, without `iso`."""
        return self.db.execute(
            "SELECT id, start, end FROM spans WHERE doc_id = ? AND label = 'DATE'"
            " AND status != 'rejected' AND json_extract(attrs, '$.iso') IS NULL"
            " ORDER BY start", [doc_id]).fetchall()

    def store_resolutions(self, items: list[tuple[int, str]]) -> int:
        """Write `iso` on DATE spans that still have none (one transaction). Returns how many
        were written."""
        label = self.schema.label("DATE")
        if label is None or label.attribute("iso") is None:
            raise ValidationError("this project's schema has no DATE label with an 'iso' "
                                  "attribute")
        written = 0
        stamp = now()
        with self.transaction():
            for span_id, iso in items:
                row = self.db.execute("SELECT attrs FROM spans WHERE id = ? AND label = 'DATE'",
                                      [span_id]).fetchone()
                if row is None:
                    continue
                attrs = json.loads(row[0] or "{}")
                if attrs.get("iso"):
                    continue
                attrs["iso"] = iso
                self.db.execute("UPDATE spans SET attrs = ?, updated = ? WHERE id = ?",
                                [json.dumps(attrs, ensure_ascii=False, sort_keys=True), stamp,
                                 span_id])
                written += 1
        return written
