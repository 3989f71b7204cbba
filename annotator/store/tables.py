"""The SQL of the analyst tables: quotes (who said what), threats (who threatens whom), events.

Each table's label and actor roles come from its spec (analysis/table_specs.py); these rows feed
both the table view and the CSV export (analysis/tables.py `row_values`).

A page is read in two steps so it stays fast on 100k documents: first the ids of the page's
spans (filters and the ORDER BY only; in date order SQLite walks the `documents_published`
index, newest documents first, and stops after the page), then the displayed columns for just
those ids (texts cut out of the article with substr, linked spans and their actors through
correlated subqueries). Sorting by a computed column computes only that column for every row.

Linked spans follow the relations of the schema: SAID_BY (speaker), SOURCE / TARGET /
CONDITION, PARTICIPANT / PLACE / TIME / CASUALTIES. A linked span's name is its actor's
canonical name, else its `canonical_name` attribute, else its text. Span statuses in the SQL are
literals from `SPAN_STATUSES` (never user text); everything else is a bound parameter.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from annotator.analysis.places import NEAR  # how far around an event its nearest place/date is looked for
from annotator.analysis.query import CATEGORY_ATTR, QUOTES, TABLE_LABEL, THREATS, TableQuery
from annotator.analysis.table_specs import SPECS
from annotator.domain import SPAN_STATUSES
from annotator.natural_order import COLLATION
from annotator.store.reading import fts_query

# The role whose tail is "the actor" of a row: grouping and the actor filter follow it.
ACTOR_ROLES = {name: spec.actor_roles for name, spec in SPECS.items()}
GROUP_ROLE = {name: spec.group_role for name, spec in SPECS.items()}
# Rows of a date-order page read by walking the published index (beyond: sort, see table_ids).
_WALK = 4096


def _marks(statuses) -> str:
    return ",".join(f"'{s}'" for s in statuses if s in SPAN_STATUSES) or "'accepted'"


def _text(alias: str, doc: str = "d") -> str:
    return f"substr({doc}.text, {alias}.start + 1, {alias}.end - {alias}.start)"


def _name(alias: str, actor: str = "a") -> str:
    """A mention's name: its actor's, its canonical_name, the name of the span it is SAME_AS
    (a pronoun's antecedent), or its own text."""
    same = ("(SELECT coalesce(sa.name, nullif(json_extract(so.attrs, '$.canonical_name'), ''), "
            + _text("so") + ") FROM relations sr JOIN spans so ON so.id = sr.{1}"
            " LEFT JOIN actors sa ON sa.id = so.actor_id"
            f" WHERE sr.{{0}} = {alias}.id AND sr.role = 'SAME_AS' AND sr.status != 'rejected'"
            " ORDER BY so.actor_id IS NULL, so.start LIMIT 1)")
    return (f"coalesce({actor}.name, nullif(json_extract({alias}.attrs, '$.canonical_name'), ''),"
            f" {same.format('head_id', 'tail_id')}, {same.format('tail_id', 'head_id')},"
            f" {_text(alias)})")


def _linked(role: str, marks: str, what: str = "name") -> str:
    """All tails of `role` from the row's span, joined by '; ' (in text order)."""
    value = {"name": _name("x"), "text": _text("x"), "actor": "x.actor_id"}[what]
    return ("(SELECT group_concat(v, '; ') FROM (SELECT " + value + " AS v FROM relations r"
            " JOIN spans x ON x.id = r.tail_id LEFT JOIN actors a ON a.id = x.actor_id"
            f" WHERE r.head_id = s.id AND r.role = '{role}' AND r.status IN ({marks})"
            " ORDER BY x.start))")


def _first(role: str, marks: str, value: str) -> str:
    return ("(SELECT " + value + " FROM relations r JOIN spans x ON x.id = r.tail_id"
            " LEFT JOIN actors a ON a.id = x.actor_id"
            f" WHERE r.head_id = s.id AND r.role = '{role}' AND r.status IN ({marks})"
            " ORDER BY x.start LIMIT 1)")


def _person(field: str, marks: str) -> str:
    """A speaker's role or affiliation (`field`): its actor's, else its own attribute, else the
    first one (in text order) of another mention of the same person in its document (same actor
    or canonical name), so one speaker reads the same in every row of a document."""
    own = f"nullif(json_extract({{0}}.attrs, '$.{field}'), '')"
    same = ("(x.actor_id IS NOT NULL AND y.actor_id = x.actor_id) OR"
            " nullif(json_extract(x.attrs, '$.canonical_name'), '') = json_extract(y.attrs, '$.canonical_name')")
    other = (f"(SELECT {own.format('y')} FROM spans y WHERE y.doc_id = x.doc_id AND y.label = x.label"
             f" AND y.status IN ({marks}) AND {own.format('y')} IS NOT NULL AND ({same})"
             " ORDER BY y.start LIMIT 1)")
    return f"coalesce(nullif(a.{field}, ''), {own.format('x')}, {other})"


def _before(alias: str, n: int = 80) -> str:
    """Up to `n` code points of the article before a span (its sentence decides whether
    "Monday" is the last or the next one)."""
    return f"substr(d.text, {alias}.start - min({alias}.start, {n}) + 1, min({alias}.start, {n}))"


def _near(labels: tuple[str, ...], marks: str, after: bool) -> str:
    """The nearest span of `labels` before (or after) the row's span in its paragraph (no line
    break between them), as a JSON array [start, text, iso, text before it]. Two lookups in index order:
    SQLite refuses an ORDER BY on a distance to the outer row."""
    names = ",".join(f"'{lab}'" for lab in labels)
    side = ("x.start >= s.end AND x.start <= s.end + {n} ORDER BY x.start" if after else
            "x.start < s.start AND x.start >= s.start - {n} ORDER BY x.start DESC").format(n=NEAR)
    return ("(SELECT json_array(x.start, " + _text("x") + ", json_extract(x.attrs, '$.iso'), "
            + _before("x") + ")"
            f" FROM spans x WHERE x.doc_id = s.doc_id AND x.label IN ({names})"
            f" AND x.status IN ({marks})"
            " AND instr(substr(d.text, min(x.start, s.start) + 1,"
            " max(x.end, s.end) - min(x.start, s.start)), char(10)) = 0"
            f" AND {side} LIMIT 1)")


def _columns(table: str, marks: str) -> dict[str, str]:
    """Column key -> SQL expression over `spans s JOIN documents d`."""
    attr = "json_extract(s.attrs, '$.{}')".format
    common = {"span_id": "s.id", "doc_id": "s.doc_id", "start": "s.start", "end": "s.end",
              "status": "s.status", "annotator": "s.annotator", "title": "d.title",
              "published": "d.published", "doc_status": "d.status", "attrs": "s.attrs"}
    if table == QUOTES:
        return {**common, "quote": _text("s"), "kind": attr("kind"),
                "speech_act": attr("speech_act"), "channel": attr("channel"),
                "speaker": _linked("SAID_BY", marks), "speaker_text": _linked("SAID_BY", marks, "text"),
                "speaker_actor": _linked("SAID_BY", marks, "actor"),
                "role": _first("SAID_BY", marks, _person("role", marks)),
                "affiliation": _first("SAID_BY", marks, _person("affiliation", marks)),
                "cue": _linked("CUE", marks, "text")}
    if table == THREATS:
        return {**common, "threat": _text("s"), "type": attr("type"), "mode": attr("mode"),
                "cameo": attr("cameo"), "source": _linked("SOURCE", marks),
                "source_text": _linked("SOURCE", marks, "text"),
                "target_text": _linked("TARGET", marks, "text"),
                "source_actor": _linked("SOURCE", marks, "actor"),
                "target": _linked("TARGET", marks),
                "target_actor": _linked("TARGET", marks, "actor"),
                "condition": _linked("CONDITION", marks, "text")}
    return {**common, "trigger": _text("s"), "type": attr("type"), "outcome": attr("outcome"),
            "modality": attr("modality"), "participants": _linked("PARTICIPANT", marks),
            "participants_text": _linked("PARTICIPANT", marks, "text"),
            "participant_actors": _linked("PARTICIPANT", marks, "actor"),
            "place": _linked("PLACE", marks), "casualties": _linked("CASUALTIES", marks, "text"),
            "place_before": _near(("GPE", "LOC"), marks, after=False),
            "place_after": _near(("GPE", "LOC"), marks, after=True),
            "time_text": _first("TIME", marks, _text("x")),
            "time_iso": _first("TIME", marks, "json_extract(x.attrs, '$.iso')"),
            "time_before": _first("TIME", marks, _before("x")),
            "date_before": _near(("DATE",), marks, after=False),
            "date_after": _near(("DATE",), marks, after=True),
            "head": "substr(d.text, 1, 200)", "meta": "d.meta"}


@lru_cache(maxsize=32)
def _rows_sql(table: str, marks: str) -> tuple[str, tuple[str, ...]]:
    """The SELECT of the rows of some span ids and its column keys. One text per table and
    statuses, the ids bound as one JSON array: sqlite3 reuses the prepared statement (preparing
    this SQL, dozens of subqueries, cost more than running it for a document's rows)."""
    cols = _columns(table, marks)
    select = ", ".join(f"{expr} AS {key}" for key, expr in cols.items())
    return (f"SELECT {select} FROM spans s JOIN documents d ON d.id = s.doc_id"
            " WHERE s.id IN (SELECT value FROM json_each(?))"), tuple(cols)


# Sort key -> expression; keys missing here sort by their column expression.
_SORT_OVERRIDES = {
    "time": "coalesce({time_iso}, d.published)",
    "date": "d.published", "document": "d.title", "code": "json_extract(s.attrs, '$.cameo')",
}

# Columns sorted as people number names ("Copy 2" before "Copy 10"; natural_order.py).
_NATURAL_SORT = {"title": COLLATION, "document": COLLATION}


class Tables:
    """Analyst table queries of the Store (a mixin: `db` and `has_fts` come from Store)."""

    def table_count(self, query: TableQuery) -> int:
        where, params = self._table_where(query)
        return self.db.execute("SELECT count(*) FROM spans s JOIN documents d ON d.id = s.doc_id"
                               + where, params).fetchone()[0]

    def table_ids(self, query: TableQuery, limit: int = 256, offset: int = 0) -> list[int]:
        """The span ids of one page, filtered and in the query's order."""
        where, params = self._table_where(query)
        order = self._table_order(query)
        # In date order without a selective filter, walk documents newest first through the
        # documents_published index and stop after the page (CROSS JOIN fixes that join
        # order); otherwise let the planner start from the filter. Every id (limit -1) or a
        # page deep down: the planner's own sort is ~10x faster than walking every document.
        by_date = (query.sort in ("", "published") and query.actor_id is None
                   and not query.text and 0 <= limit and offset + limit <= _WALK)
        source = ("documents d CROSS JOIN spans s ON s.doc_id = d.id" if by_date
                  else "spans s JOIN documents d ON d.id = s.doc_id")
        sql = f"SELECT s.id FROM {source}{where} ORDER BY {order} LIMIT ? OFFSET ?"
        return [r[0] for r in self.db.execute(sql, params + [limit, offset])]

    def table_rows(self, query: TableQuery, limit: int = 256, offset: int = 0
                   ) -> list[dict[str, Any]]:
        """One page of rows: every column of the table as a dict, in the query's order."""
        ids = self.table_ids(query, limit, offset)
        return self.table_rows_by_id(query, ids)

    def table_rows_by_id(self, query: TableQuery, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        sql, keys = _rows_sql(query.table, _marks(query.statuses))
        rows = self.db.execute(sql, [json.dumps(ids)]).fetchall()
        by_id = {r[0]: dict(zip(keys, r)) for r in rows}
        out = []
        for span_id in ids:
            row = by_id.get(span_id)
            if row is not None:
                row["attrs"] = json.loads(row["attrs"] or "{}")
                out.append(row)
        return out

    def table_groups(self, query: TableQuery, limit: int = -1) -> list[dict[str, Any]]:
        """One row per actor of the table's actor role (speaker, threat source, event
        participant): how many rows, in how many documents, first and last date. Mentions
        without an actor group by their name; rows without one are "(none)"."""
        where, params = self._table_where(query)
        marks = _marks(query.statuses)
        role = GROUP_ROLE[query.table]
        sql = (
            "SELECT x.actor_id, max(" + _name("x") + ") AS name, count(DISTINCT s.id),"
            " count(DISTINCT s.doc_id), min(d.published), max(d.published)"
            " FROM spans s JOIN documents d ON d.id = s.doc_id"
            f" LEFT JOIN relations r ON r.head_id = s.id AND r.role = '{role}'"
            f" AND r.status IN ({marks})"
            " LEFT JOIN spans x ON x.id = r.tail_id LEFT JOIN actors a ON a.id = x.actor_id"
            + where +
            " GROUP BY CASE WHEN x.actor_id IS NOT NULL THEN '#' || x.actor_id"
            " WHEN x.id IS NULL THEN '' ELSE lower(" + _name("x") + ") END"
            " ORDER BY 3 DESC, 2 COLLATE NOCASE LIMIT ?")
        rows = self.db.execute(sql, params + [limit]).fetchall()
        keys = ("actor_id", "name", "rows", "documents", "first", "last")
        return [dict(zip(keys, r)) for r in rows]

    def table_categories(self, table: str) -> list[str]:
        """The values the category filter offers: those used in the project."""
        label, attr = TABLE_LABEL[table], CATEGORY_ATTR[table]
        return [r[0] for r in self.db.execute(
            f"SELECT DISTINCT json_extract(attrs, '$.{attr}') AS v FROM spans WHERE label = ?"
            " AND v IS NOT NULL ORDER BY v", [label])]

    def span_annotators(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT annotator FROM spans WHERE annotator != '' ORDER BY annotator")]

    # --- building the SQL ---------------------------------------------------------------------

    def _table_where(self, q: TableQuery) -> tuple[str, list[Any]]:
        marks = _marks(q.statuses)
        where = [f"s.label = '{TABLE_LABEL[q.table]}'", f"s.status IN ({marks})"]
        params: list[Any] = []
        roles = ",".join(f"'{r}'" for r in ACTOR_ROLES[q.table])
        if q.category:
            where.append(f"json_extract(s.attrs, '$.{CATEGORY_ATTR[q.table]}') = ?")
            params.append(q.category)
        if q.doc_status:
            where.append("d.status = ?")
            params.append(q.doc_status)
        if q.date_from:
            where.append("d.published >= ?")
            params.append(q.date_from)
        if q.date_to:
            where.append("d.published <= ?")
            params.append(q.date_to + "\uffff")
        if q.annotator:
            where.append("s.annotator = ?")
            params.append(q.annotator)
        if q.actor_id is not None:
            where.append("s.id IN (SELECT r.head_id FROM spans x JOIN relations r"
                         f" ON r.tail_id = x.id WHERE x.actor_id = ? AND r.role IN ({roles})"
                         f" AND r.status IN ({marks}))")
            params.append(q.actor_id)
        if q.text.strip():
            where.append(self._text_filter(q, roles, marks, params))
        return " WHERE " + " AND ".join(where), params

    def _text_filter(self, q: TableQuery, roles: str, marks: str, params: list[Any]) -> str:
        """The words in the row's own text (its documents found through the full-text index
        first), or in the name shown for a linked mention (actor, canonical name, SAME_AS
        antecedent, text) or an alias of its actor."""
        like = f"%{q.text.strip()}%"
        own = f"{_text('s')} LIKE ?"
        if self.has_fts:
            own = ("(d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?) AND "
                   + own + ")")
            params.append(fts_query(q.text.strip()))
        params.append(like)
        linked = ("EXISTS (SELECT 1 FROM relations r JOIN spans x ON x.id = r.tail_id"
                  " LEFT JOIN actors a ON a.id = x.actor_id"
                  f" WHERE r.head_id = s.id AND r.role IN ({roles}) AND r.status IN ({marks})"
                  f" AND ({_name('x')} LIKE ? OR {_text('x')} LIKE ? OR a.aliases LIKE ?))")
        params += [like, like, like]
        return f"({own} OR {linked})"

    def _table_order(self, q: TableQuery) -> str:
        if not q.sort:
            return "d.published DESC, d.id DESC, s.start, s.id"
        if q.sort == "published":
            way = "DESC" if q.descending else "ASC"
            return f"d.published {way}, d.id {way}, s.start, s.id"
        cols = _columns(q.table, _marks(q.statuses))
        expr = _SORT_OVERRIDES.get(q.sort, "").format(**cols) or cols.get(q.sort)
        if expr is None:
            raise ValueError(f"the {q.table} table has no column {q.sort!r}")
        direction = "DESC" if q.descending else "ASC"
        collation = _NATURAL_SORT.get(q.sort, "NOCASE")
        return f"{expr} IS NULL, {expr} COLLATE {collation} {direction}, s.doc_id, s.start, s.id"
