"""Annotator layers: the project's identity, who covers which document, assignments, packs.

A layer is every span and relation under one annotator name (team/identity.py); the curated
layer is the reserved name `CURATED`. A document is *covered* by an annotator when their pack
was merged with the document touched (status not new, or labels decided) or when they have
decided labels on it in this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from annotator.domain import ACCEPTED, REJECTED, SPAN_STATUSES, Relation, Span, new_uid
from annotator.store.rows import RELATION_SELECT, SPAN_SELECT, relation_from_tuple, span_from_tuple
from annotator.team.identity import CURATED

_DECIDED = (ACCEPTED, REJECTED)


class Layers:
    """Layer queries of the Store (a mixin: `db`, `transaction`, `get_meta`, `_set_meta` come
    from Store)."""

    db: sqlite_utils.Database

    # --- identity -------------------------------------------------------------------------------

    def project_id(self) -> str:
        return self.get_meta("project_id") or ""

    def pack_id(self) -> str:
        """This file's pack id, "" if it is a project (not made by `annotator assign`)."""
        return self.get_meta("pack_id") or ""

    def pack_annotator(self) -> str:
        return self.get_meta("pack_annotator") or ""

    def make_pack(self, project_id: str, pack_id: str, annotator: str) -> None:
        """Mark this (new) file as `annotator`'s pack of project `project_id`."""
        with self.transaction():
            for key, value in (("project_id", project_id), ("pack_id", pack_id),
                               ("pack_annotator", annotator)):
                self._set_meta(key, value)

    def ensure_uids(self) -> int:
        """Give a uid to any row that has none (written by a program that did not know them);
        returns how many. Run before rows travel to other files."""
        fixed = 0
        with self.transaction():
            for table in ("spans", "relations"):
                ids = [r[0] for r in self.db.execute(f"SELECT id FROM {table} WHERE uid IS NULL")]
                self.db.conn.executemany(f"UPDATE {table} SET uid = ? WHERE id = ?",
                                         [(new_uid(), i) for i in ids])
                fixed += len(ids)
        return fixed

    # --- layers -----------------------------------------------------------------------------------

    def layer_names(self) -> list[str]:
        """Annotators with a layer here (decided labels or merged coverage), curated last."""
        names = {r[0] for r in self.db.execute(
            "SELECT DISTINCT annotator FROM spans WHERE annotator != '' AND status IN (?, ?)"
            " UNION SELECT DISTINCT annotator FROM layer_documents", list(_DECIDED))}
        names.discard(None)
        return sorted(names - {CURATED}) + ([CURATED] if CURATED in names else [])

    def coverage(self, doc_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
        """Document id -> the annotators (not the curated layer) who labelled it."""
        covered: dict[int, set[str]] = {}
        rows = self.db.execute(
            "SELECT doc_id, annotator FROM layer_documents WHERE status != 'new' OR labels > 0"
            " UNION SELECT DISTINCT doc_id, annotator FROM spans WHERE annotator NOT IN ('', ?)"
            " AND status IN (?, ?)", [CURATED, *_DECIDED])
        wanted = set(doc_ids) if doc_ids is not None else None
        for doc_id, name in rows:
            if wanted is None or doc_id in wanted:
                covered.setdefault(doc_id, set()).add(name)
        return covered

    def layer_documents(self, annotators: Iterable[str]) -> list[int]:
        """Documents any of these layers covers (the curated layer: where it has labels)."""
        names = list(annotators)
        covered = {d for d, who in self.coverage().items() if who & set(names)}
        if CURATED in names:
            covered |= {r[0] for r in self.db.execute(
                "SELECT DISTINCT doc_id FROM spans WHERE annotator = ?", [CURATED])}
        return sorted(covered)

    def layer_spans(self, doc_id: int, annotators: Iterable[str],
                    statuses: Iterable[str] = SPAN_STATUSES) -> list[Span]:
        rows = self._layer_rows("spans", SPAN_SELECT, "start, end, id", doc_id, annotators,
                                statuses)
        return [span_from_tuple(r) for r in rows]

    def layer_relations(self, doc_id: int, annotators: Iterable[str],
                        statuses: Iterable[str] = SPAN_STATUSES) -> list[Relation]:
        rows = self._layer_rows("relations", RELATION_SELECT, "id", doc_id, annotators, statuses)
        return [relation_from_tuple(r) for r in rows]

    def _layer_rows(self, table: str, select: str, order: str, doc_id: int,
                    annotators: Iterable[str], statuses: Iterable[str]) -> list[tuple]:
        """One document's rows of `table` from the given layers (annotators) and statuses."""
        names, statuses = list(annotators), list(statuses)
        return self.db.execute(
            f"SELECT {select} FROM {table} WHERE doc_id = ? AND annotator IN"
            f" ({_marks(names)}) AND status IN ({_marks(statuses)}) ORDER BY {order}",
            [doc_id, *names, *statuses]).fetchall()

    def agreement_rows(self, annotators: Iterable[str], labels: Iterable[str]
                       ) -> tuple[list, list, list]:
        """Several layers, lean, for agreement over a whole corpus: accepted spans of `labels` as
        (doc_id, annotator's index in `annotators`, start, end, label's index in `labels` + 1),
        all integers, so the caller turns them into arrays without a loop in Python; accepted
        relations as (doc_id, annotator, head_id, tail_id, role); the spans those relations join
        (not rejected) as (doc_id, annotator, id, start, end, label, attrs JSON)."""
        names, wanted = list(annotators), list(labels)
        who = f"annotator IN ({_marks(names)})"
        name_code = "CASE annotator " + " ".join(["WHEN ? THEN ?"] * len(names)) + " END"
        label_code = "CASE label " + " ".join(["WHEN ? THEN ?"] * len(wanted)) + " END"
        spans = [] if not names or not wanted else self.db.execute(
            f"SELECT doc_id, {name_code}, start, end, {label_code} FROM spans WHERE {who}"
            f" AND status = ? AND label IN ({_marks(wanted)})",
            [*_numbered(names, 0), *_numbered(wanted, 1), *names, ACCEPTED, *wanted]).fetchall()
        rels = self.db.execute(f"SELECT doc_id, annotator, head_id, tail_id, role FROM relations"
                               f" WHERE {who} AND status = ? ORDER BY doc_id, id",
                               [*names, ACCEPTED]).fetchall()
        linked = (f"SELECT head_id FROM relations WHERE {who} AND status = ? UNION"
                  f" SELECT tail_id FROM relations WHERE {who} AND status = ?")
        ends = self.db.execute(f"SELECT doc_id, annotator, id, start, end, label, attrs FROM spans"
                               f" WHERE id IN ({linked}) AND status != ?",
                               [*names, ACCEPTED, *names, ACCEPTED, REJECTED]).fetchall()
        return spans, rels, ends

    def titles_and_texts(self, doc_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        ids = list(doc_ids)
        out: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(ids):
            for doc_id, title, text in self.db.execute(
                    f"SELECT id, title, text FROM documents WHERE id IN ({_marks(chunk)})", chunk):
                out[doc_id] = (title or "", text)
        return out

    def layer_stats(self, annotators: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Per annotator (layer): documents covered, spans and relations per status."""
        names = list(annotators) if annotators is not None else self.layer_names()
        covered = self.coverage()
        out = []
        for name in names:
            spans = dict(self.db.execute("SELECT status, count(*) FROM spans WHERE annotator = ?"
                                         " GROUP BY status", [name]).fetchall())
            rels = dict(self.db.execute("SELECT status, count(*) FROM relations WHERE"
                                        " annotator = ? GROUP BY status", [name]).fetchall())
            docs = (len(self.layer_documents([CURATED])) if name == CURATED
                    else sum(1 for who in covered.values() if name in who))
            out.append({"annotator": name, "documents": docs, "spans": spans, "relations": rels})
        return out

    # --- assignments ------------------------------------------------------------------------------

    def assignments(self) -> dict[int, set[str]]:
        """Document id -> the annotators it was dealt to by earlier `assign` runs."""
        out: dict[int, set[str]] = {}
        for doc_id, name in self.db.execute("SELECT doc_id, annotator FROM assignments"):
            out.setdefault(doc_id, set()).add(name)
        return out

    def record_assignments(self, rows: Iterable[tuple[int, str, str]], stamp: str) -> None:
        """(doc_id, annotator, pack_id) rows of one assign run, in one transaction."""
        with self.transaction():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO assignments(doc_id, annotator, pack_id, assigned)"
                " VALUES (?,?,?,?)", [(d, a, p, stamp) for d, a, p in rows])

    def mark_preannotated(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """(doc_id, origin, finished) rows: a pack keeps the project's pre-annotation record, so
        'Pre-annotate All' there does not redo (and re-identify) the suggestions it came with."""
        with self.transaction():
            self.db.conn.executemany("INSERT OR REPLACE INTO preannotations(doc_id, origin,"
                                     " finished) VALUES (?,?,?)", list(rows))

    def preannotation_rows(self, doc_ids: Iterable[int]) -> list[tuple[int, str, str]]:
        ids = list(doc_ids)
        out = []
        for chunk in _chunks(ids):
            out += self.db.execute(f"SELECT doc_id, origin, finished FROM preannotations WHERE"
                                   f" doc_id IN ({_marks(chunk)})", chunk).fetchall()
        return out

    def document_hashes(self) -> list[tuple[int, str, str]]:
        """(id, content_hash, status) of every document, by id."""
        return self.db.execute("SELECT id, content_hash, status FROM documents ORDER BY id"
                               ).fetchall()

    def doc_ids_by_hash(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT content_hash, id FROM documents").fetchall())


def _numbered(values: list[str], first: int) -> list:
    """Parameters of a `CASE x WHEN ? THEN ? ...`: each value and its number."""
    return [x for i, value in enumerate(values, first) for x in (value, i)]


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _chunks(values: list, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i:i + size]
