"""Reading the project: documents, the corpus list and search, spans and relations, counts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils

from annotator.domain import SPAN_STATUSES, AnnotatedDocument, Document, Relation, Span
from annotator.store.rows import (
    DOCUMENT_COLUMNS,
    RELATION_SELECT,
    SPAN_SELECT,
    document_from_row,
    relation_from_tuple,
    span_from_tuple,
)

KEPT_TEXTS = 4  # the open document's and a few neighbours'


class Reading:
    """Queries of the Store (a mixin: `db`, `has_fts`, `_lengths` and `_texts` come from
    Store)."""

    db: sqlite_utils.Database
    has_fts: bool
    _lengths: dict[int, int]
    _texts: OrderedDict[int, str]

    def document(self, doc_id: int) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        doc = document_from_row(dict(zip(self._doc_columns(), row)))
        self._lengths[doc_id] = len(doc.text)
        self._keep_text(doc_id, doc.text)
        return doc

    def _doc_text(self, doc_id: int) -> str | None:
        """A document's text, from the few kept (texts never change); None: no such document.
        The label memory reads the words of each label from it."""
        text = self._texts.get(doc_id)
        if text is None:
            row = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
            if row is None:
                return None
            text = row[0]
            self._keep_text(doc_id, text)
        return text

    def _keep_text(self, doc_id: int, text: str) -> None:
        texts = self._texts
        texts[doc_id] = text
        texts.move_to_end(doc_id)
        while len(texts) > KEPT_TEXTS:
            texts.popitem(last=False)

    def text_length(self, doc_id: int) -> int:
        """len() of a document's text; cached, as stored texts never change (bounds checks of
        every label would otherwise read the whole article)."""
        length = self._lengths.get(doc_id)
        if length is None:
            self.document(doc_id)  # KeyError if there is none
            length = self._lengths[doc_id]
        return length

    def _doc_columns(self) -> list[str]:
        if not hasattr(self, "_doc_cols"):
            self._doc_cols = [c.name for c in self.db["documents"].columns]
        return self._doc_cols

    def document_ids(self, status: str | None = None) -> list[int]:
        if status:
            rows = self.db.execute("SELECT id FROM documents WHERE status = ? ORDER BY id", [status])
        else:
            rows = self.db.execute("SELECT id FROM documents ORDER BY id")
        return [r[0] for r in rows]

    def iter_documents(self, ids: Iterable[int] | None = None) -> Iterator[Document]:
        for doc_id in (self.document_ids() if ids is None else ids):
            yield self.document(doc_id)

    def iter_annotated(self, statuses: Iterable[str] = SPAN_STATUSES, doc_status: str = "",
                       page: int = 256) -> Iterator[list[AnnotatedDocument]]:
        """Every document (of `doc_status`, if given) with its spans and relations in
        `statuses`, in id order, a page of documents at a time: three queries per page instead
        of three per document, and never the whole project in memory (exports)."""
        statuses = list(statuses)
        marks = ",".join("?" * len(statuses))
        cols = ", ".join(f"d.{c}" for c in DOCUMENT_COLUMNS)
        where = " AND d.status = ?" if doc_status else ""
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT {cols} FROM documents d WHERE d.id > ?{where} ORDER BY d.id LIMIT ?",
                [last, *([doc_status] if doc_status else []), page]).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            ids = [row[0] for row in rows]
            in_page = f"doc_id IN ({','.join('?' * len(ids))}) AND status IN ({marks})"
            spans: dict[int, list[Span]] = {}
            for r in self.db.execute(f"SELECT {SPAN_SELECT} FROM spans WHERE {in_page}"
                                     " ORDER BY doc_id, start, end, id", [*ids, *statuses]):
                spans.setdefault(r[1], []).append(span_from_tuple(r))
            rels: dict[int, list[Relation]] = {}
            for r in self.db.execute(f"SELECT {RELATION_SELECT} FROM relations WHERE {in_page}"
                                     " ORDER BY doc_id, id", [*ids, *statuses]):
                rels.setdefault(r[1], []).append(relation_from_tuple(r))
            out = []
            for row in rows:
                doc = document_from_row(dict(zip(DOCUMENT_COLUMNS, row)))
                doc_spans = spans.get(doc.id, [])
                kept = {s.id for s in doc_spans}
                out.append(AnnotatedDocument(doc, doc_spans, [
                    r for r in rels.get(doc.id, ()) if r.head_id in kept and r.tail_id in kept]))
            yield out
            if len(rows) < page:
                return

    def document_count(self, text_filter: str = "", status: str = "", label: str = "") -> int:
        """Documents in the project, or those matching the same filters as `document_rows`."""
        if text_filter.strip() and self.has_fts and not status and not label:
            # the index has one row per document: counting its matches needs no join (a join
            # makes a common word at 100k documents 30x slower)
            return self.db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts"
                                   " MATCH ?", [fts_query(text_filter)]).fetchone()[0]
        where, params = _document_filter(text_filter, status, label, self.has_fts)
        return self.db.execute("SELECT count(*) FROM documents d" + where, params).fetchone()[0]

    def document_rows(self, text_filter: str = "", status: str = "", label: str = "",
                      limit: int = -1, offset: int = 0) -> list[dict[str, Any]]:
        """Light rows for the corpus list: no text, with label counts."""
        where, params = _document_filter(text_filter, status, label, self.has_fts)
        sql = (
            "SELECT d.id, d.title, d.published, d.status,"
            " (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.status = 'accepted'),"
            " (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.status = 'suggested')"
            " FROM documents d" + where + " ORDER BY d.id LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, params + [limit, offset]).fetchall()
        keys = ("id", "title", "published", "status", "accepted", "suggested")
        return [dict(zip(keys, r)) for r in rows]

    # --- labels --------------------------------------------------------------------------------

    def spans(self, doc_id: int, statuses: Iterable[str] = SPAN_STATUSES) -> list[Span]:
        statuses = list(statuses)
        marks = ",".join("?" * len(statuses))
        rows = self.db.execute(
            f"SELECT {SPAN_SELECT} FROM spans WHERE doc_id = ? AND status IN ({marks})"
            " ORDER BY start, end, id", [doc_id, *statuses],
        ).fetchall()
        return [span_from_tuple(r) for r in rows]

    def span(self, span_id: int) -> Span:
        row = self.db.execute(f"SELECT {SPAN_SELECT} FROM spans WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        return span_from_tuple(row)

    def relations(self, doc_id: int, statuses: Iterable[str] = SPAN_STATUSES) -> list[Relation]:
        statuses = list(statuses)
        marks = ",".join("?" * len(statuses))
        rows = self.db.execute(
            f"SELECT {RELATION_SELECT} FROM relations WHERE doc_id = ? AND status IN ({marks})"
            " ORDER BY id", [doc_id, *statuses],
        ).fetchall()
        return [relation_from_tuple(r) for r in rows]

    def relation(self, rel_id: int) -> Relation:
        row = self.db.execute(f"SELECT {RELATION_SELECT} FROM relations WHERE id = ?",
                              [rel_id]).fetchone()
        if row is None:
            raise KeyError(f"no relation {rel_id}")
        return relation_from_tuple(row)

    def annotated(self, doc_id: int, statuses: Iterable[str] = SPAN_STATUSES) -> AnnotatedDocument:
        """A document with its spans and the relations whose both ends are included."""
        statuses = list(statuses)
        spans = self.spans(doc_id, statuses)
        ids = {s.id for s in spans}
        rels = [r for r in self.relations(doc_id, statuses) if r.head_id in ids and r.tail_id in ids]
        return AnnotatedDocument(self.document(doc_id), spans, rels)

    def link_gap_counts(self, label: str, role: str, doc_status: str = "") -> tuple[int, int, int]:
        """Accepted `label` spans (of documents with `doc_status`, '' = all): how many, how many
        have no accepted `role` link to an accepted span (an accepted-only export shows them
        without it), and how many of those have one not rejected (suggested link or end)."""
        linked = ("EXISTS (SELECT 1 FROM relations r JOIN spans t ON t.id = r.tail_id"
                  " WHERE r.head_id = s.id AND r.role = ? AND r.status {} AND t.status {})")
        accepted = linked.format("= 'accepted'", "= 'accepted'")
        open_ = linked.format("!= 'rejected'", "!= 'rejected'")
        sql = (f"SELECT count(*), coalesce(sum(NOT {accepted}), 0),"
               f" coalesce(sum(NOT {accepted} AND {open_}), 0)"
               " FROM spans s JOIN documents d ON d.id = s.doc_id"
               " WHERE s.label = ? AND s.status = 'accepted'" + (" AND d.status = ?"
                                                                 if doc_status else ""))
        params = [role, role, role, label] + ([doc_status] if doc_status else [])
        return tuple(self.db.execute(sql, params).fetchone())

    def stats(self) -> dict[str, Any]:
        per_label = self.db.execute(
            "SELECT label, status, count(*) FROM spans GROUP BY label, status ORDER BY label, status"
        ).fetchall()
        per_role = self.db.execute(
            "SELECT role, status, count(*) FROM relations GROUP BY role, status ORDER BY role, status"
        ).fetchall()
        per_doc_status = self.db.execute(
            "SELECT status, count(*) FROM documents GROUP BY status ORDER BY status"
        ).fetchall()
        return {
            "documents": self.document_count(),
            "documents_by_status": {s: n for s, n in per_doc_status},
            "spans": [{"label": lab, "status": st, "count": n} for lab, st, n in per_label],
            "relations": [{"role": r, "status": st, "count": n} for r, st, n in per_role],
        }


def fts_query(text: str) -> str:
    """User words -> an FTS5 query: every word must occur, each as a prefix ("velk" finds Velko)."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in text.split())


def _document_filter(text_filter: str, status: str, label: str,
                     fts: bool = False) -> tuple[str, list[Any]]:
    """WHERE clause (over `documents d`) shared by document_rows and document_count."""
    where, params = [], []
    if text_filter.strip() and fts:
        where.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(fts_query(text_filter))
    elif text_filter:
        where.append("(d.title LIKE ? OR d.text LIKE ?)")
        params += [f"%{text_filter}%", f"%{text_filter}%"]
    if status:
        where.append("d.status = ?")
        params.append(status)
    if label:
        where.append("EXISTS (SELECT 1 FROM spans s WHERE s.doc_id = d.id AND s.label = ?"
                     " AND s.status != 'rejected')")
        params.append(label)
    return (" WHERE " + " AND ".join(where) if where else ""), params
