"""The SQL of the Corpus Overview: counts per period, per label, per actor, per annotator.

Each method is one GROUP BY; the overview runs them on a worker thread (they scan the whole
corpus). `period` is a SQL expression over an ISO date column: month ('YYYY-MM'), week
('YYYY-Www') or day ('YYYY-MM-DD').
"""

from __future__ import annotations

from typing import Any

from annotator.store.tables import _marks, _name

PERIODS = {
    "day": "substr({0}, 1, 10)",
    "week": "strftime('%Y-W%W', substr({0}, 1, 10))",
    "month": "substr({0}, 1, 7)",
    "year": "substr({0}, 1, 4)",
}


def _period(period: str, column: str) -> str:
    return PERIODS[period].format(column)


class Overview:
    """Corpus Overview queries of the Store (a mixin: `db` comes from Store)."""

    def published_range(self) -> tuple[str, str]:
        """The first and last published date ('' when no document has one)."""
        row = self.db.execute("SELECT min(published), max(published) FROM documents"
                              " WHERE published != ''").fetchone()
        return (row[0] or "")[:10], (row[1] or "")[:10]

    def documents_by_period(self, period: str) -> list[tuple[str, str, int]]:
        """(period, document status, documents) by published date."""
        p = _period(period, "published")
        return self.db.execute(f"SELECT {p} AS k, status, count(*) FROM documents"
                               " WHERE published != '' GROUP BY k, status ORDER BY k").fetchall()

    def labels_by_period(self, period: str, statuses=("accepted",)) -> list[tuple[str, str, int]]:
        """(period, label, spans) by the published date of their document."""
        p = _period(period, "d.published")
        return self.db.execute(
            f"SELECT {p} AS k, s.label, count(*) FROM spans s JOIN documents d ON d.id = s.doc_id"
            f" WHERE d.published != '' AND s.status IN ({_marks(statuses)})"
            " GROUP BY k, s.label ORDER BY k").fetchall()

    def events_by_period(self, period: str, statuses=("accepted",)) -> list[tuple[str, str, int]]:
        """(period, event type, events); events without a type count as ''."""
        p = _period(period, "d.published")
        return self.db.execute(
            f"SELECT {p} AS k, coalesce(json_extract(s.attrs, '$.type'), ''), count(*)"
            " FROM spans s JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.label = 'EVENT' AND d.published != '' AND s.status IN ({_marks(statuses)})"
            " GROUP BY 1, 2 ORDER BY 1").fetchall()

    def top_linked(self, label: str, role: str, limit: int = 10,
                   statuses=("accepted",)) -> list[dict[str, Any]]:
        """The most frequent tails of `role` from `label` spans (speakers of quotes, sources of
        threats), grouped by actor, else by name."""
        marks = _marks(statuses)
        rows = self.db.execute(
            "SELECT x.actor_id, max(" + _name("x") + "), count(DISTINCT s.id)"
            " FROM spans s JOIN relations r ON r.head_id = s.id JOIN spans x ON x.id = r.tail_id"
            " JOIN documents d ON d.id = x.doc_id LEFT JOIN actors a ON a.id = x.actor_id"
            f" WHERE s.label = ? AND r.role = ? AND s.status IN ({marks})"
            f" AND r.status IN ({marks})"
            " GROUP BY CASE WHEN x.actor_id IS NOT NULL THEN '#' || x.actor_id ELSE lower("
            + _name("x") + ") END ORDER BY 3 DESC, 2 COLLATE NOCASE LIMIT ?",
            [label, role, limit]).fetchall()
        return [{"actor_id": a, "name": n, "count": c} for a, n, c in rows]

    def progress_by_day(self) -> list[tuple[str, str, int]]:
        """(day, annotator, labels decided): spans accepted or rejected by a person, by the day
        of their last change."""
        return self.db.execute(
            "SELECT substr(updated, 1, 10) AS day, annotator, count(*) FROM spans"
            " WHERE status IN ('accepted', 'rejected') AND annotator != '' AND updated != ''"
            " GROUP BY day, annotator ORDER BY day").fetchall()
