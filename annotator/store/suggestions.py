"""Model suggestions: swapping one origin's still-suggested labels for a new set.

Not logged as actions: suggestions are not user intents, and undo must not remove a model's
work. The UI re-reads the open document after a pre-annotation batch instead of a Change.
The label memory applies after the model: texts the analyst rejected for a label are not
suggested with it again, names take their remembered canonical names, and the document gets
its memory suggestions in the same transaction (store/memory.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from annotator.changes import Change
from annotator.domain import SUGGESTED, Relation, Span
from annotator.memory import ORIGIN
from annotator.store.rows import now

_NOT_DONE = (" AND NOT EXISTS (SELECT 1 FROM preannotations p WHERE p.doc_id = d.id"
             " AND p.origin = ?)")


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while chunk := list(islice(it, size)):
        yield chunk


class Suggestions:
    """Pre-annotation writes of the Store (a mixin: `db`, `transaction`, `_insert_span` and
    `_insert_relation` come from Store)."""

    def replace_suggestions(self, doc_id: int, origin: str, spans: list[Span],
                            relations: list[tuple[int, int, str]]) -> None:
        """Swap one origin's still-suggested items for a new set; analysts' decisions stay.

        `relations` are (head_index, tail_index, role) into `spans`. A new suggestion that
        repeats a span the analyst already accepted or rejected (same start, end, label) is not
        added again: their decision stands. Not logged as an action: suggestions are not user
        intents and undo must not remove a model's work.
        """
        self._replace_suggestions(doc_id, origin, spans, relations)

    def replace_suggestions_batch(self, items: list[tuple[int, list[Span], list]], origin: str) -> None:
        """Several documents' suggestions in one transaction (a pre-annotation batch)."""
        with self.transaction():
            for doc_id, spans, relations in items:
                self._replace_suggestions(doc_id, origin, spans, relations)

    def _replace_suggestions(self, doc_id: int, origin: str, spans: list[Span],
                             relations: list[tuple[int, int, str]]) -> None:
        index = self.memory_index()
        if len(index):
            kept = index.adjust(self._doc_text(doc_id) or "", spans)
        else:
            kept = list(range(len(spans)))
        with self.transaction():
            self.db.execute("DELETE FROM relations WHERE doc_id = ? AND origin = ? AND status = ?",
                            [doc_id, origin, SUGGESTED])
            self.db.execute(
                "DELETE FROM spans WHERE doc_id = ? AND origin = ? AND status = ? AND id NOT IN"
                " (SELECT head_id FROM relations WHERE doc_id = ?"
                " UNION SELECT tail_id FROM relations WHERE doc_id = ?)",
                [doc_id, origin, SUGGESTED, doc_id, doc_id])
            decided = {(s, e, lab): i for i, s, e, lab in self.db.execute(
                "SELECT id, start, end, label FROM spans WHERE doc_id = ?", [doc_id])}
            stamp = now()
            ids: list[int | None] = []
            for span, keep in zip(spans, kept):
                if keep is None:  # rejected for this text before: not suggested again
                    ids.append(None)
                    continue
                key = (span.start, span.end, span.label)
                if key in decided:
                    ids.append(decided[key])
                    continue
                span = Span(doc_id, span.start, span.end, span.label, SUGGESTED, origin, "",
                            span.attrs, created=stamp, updated=stamp)
                ids.append(self._insert_span(doc_id, span))
                decided[key] = ids[-1]
            existing = {(h, t, r) for h, t, r in self.db.execute(
                "SELECT head_id, tail_id, role FROM relations WHERE doc_id = ?", [doc_id])}
            for head, tail, role in relations:
                key = (ids[head], ids[tail], role)
                if key in existing or ids[head] == ids[tail] or None in key:
                    continue
                existing.add(key)
                self._insert_relation(doc_id, ids[head], ids[tail],
                                      Relation(doc_id, ids[head], ids[tail], role, SUGGESTED, origin,
                                               created=stamp, updated=stamp))
            self.db.execute("INSERT OR REPLACE INTO preannotations(doc_id, origin, finished)"
                            " VALUES (?,?,?)", [doc_id, origin, stamp])
            if len(index) and origin != ORIGIN:
                self._memory_pass(doc_id, index, None, Change())

    def texts_to_preannotate(self, origin: str, doc_ids: Iterable[int] | None = None,
                             force: bool = False, page: int = 256) -> Iterator[tuple[int, str]]:
        """(id, text) of the documents `origin` has not pre-annotated yet (all with `force`),
        read a page at a time in id order: the corpus is never held in memory, and no read
        transaction stays open between pages. `doc_ids` None: every document."""
        where, params = ("", []) if force else (_NOT_DONE, [origin])
        if doc_ids is None:
            last = 0
            while True:
                rows = self.db.execute(
                    f"SELECT d.id, d.text FROM documents d WHERE d.id > ?{where}"
                    " ORDER BY d.id LIMIT ?", [last, *params, page]).fetchall()
                yield from rows
                if len(rows) < page:
                    return
                last = rows[-1][0]
        for chunk in _chunks(doc_ids, page):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT d.id, d.text FROM documents d WHERE d.id IN ({marks}){where}"
                " ORDER BY d.id", [*chunk, *params]).fetchall()

    def count_to_preannotate(self, origin: str, doc_ids: Iterable[int] | None = None,
                             force: bool = False) -> tuple[int, int]:
        """(documents considered, of which still to pre-annotate by `origin`)."""
        where, params = ("", []) if force else (_NOT_DONE, [origin])
        if doc_ids is None:
            total = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
            todo = self.db.execute(f"SELECT count(*) FROM documents d WHERE 1{where}",
                                   params).fetchone()[0]
            return total, todo
        total = todo = 0
        for chunk in _chunks(doc_ids, 500):
            marks = ",".join("?" * len(chunk))
            total += self.db.execute(f"SELECT count(*) FROM documents WHERE id IN ({marks})",
                                     chunk).fetchone()[0]
            todo += self.db.execute(f"SELECT count(*) FROM documents d WHERE d.id IN ({marks})"
                                    f"{where}", [*chunk, *params]).fetchone()[0]
        return total, todo

    def preannotated_ids(self, origin: str) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT doc_id FROM preannotations WHERE origin = ?",
                                              [origin])}
