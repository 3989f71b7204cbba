"""Packs: reading an annotator's pack file, and writing one annotator's layer from it.

A pack is a project file made by `annotator assign` (meta `pack_id`, `pack_annotator` and the
project's `project_id`). It is read through its own read-only connection and never changed.
Writing a layer is the SQL half of a merge (team/merge.py decides what changes); the merge runs
it for every pack inside one transaction, and it logs no action: a merge is not a label intent,
and undo must not take a colleague's work away.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator.domain import Relation, Span
from annotator.store.migrations import SCHEMA_VERSION
from annotator.store.pack_rows import row_problems, summarise
from annotator.store.rows import (
    RELATION_SELECT,
    SPAN_SELECT,
    now,
    relation_from_tuple,
    span_from_tuple,
    to_json,
)
from annotator.store.structure import refusal

FIRST_PACK_VERSION = 3  # the schema version that introduced packs (uids, project ids)


class PackError(ValueError):
    """A file that cannot be merged: names the file and why; nothing was changed."""

    def __init__(self, path: str | Path, message: str):
        self.path = str(path)
        self.reason = message
        super().__init__(f"{self.path}: {message}")


@dataclass
class PackDocument:
    content_hash: str
    title: str
    status: str
    spans: list[Span] = field(default_factory=list)  # all of the pack's, with the pack's ids
    relations: list[Relation] = field(default_factory=list)


@dataclass
class Pack:
    path: Path
    version: int
    project_id: str
    pack_id: str
    annotator: str
    last_action: int  # the pack's newest action-log id: a later copy never has a smaller one
    documents: list[PackDocument] = field(default_factory=list)


@dataclass
class LayerChange:
    """What one merge changes in one annotator's layer on one document (team/merge.py)."""

    doc_id: int
    insert_spans: list[Span] = field(default_factory=list)  # with their layer uid
    update_spans: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    delete_spans: list[int] = field(default_factory=list)
    # (relation with its layer uid, head span uid, tail span uid)
    insert_relations: list[tuple[Relation, str, str]] = field(default_factory=list)
    update_relations: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    delete_relations: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.insert_spans or self.update_spans or self.delete_spans
                    or self.insert_relations or self.update_relations or self.delete_relations)


def read_pack(path: str | Path) -> Pack:
    """Everything merge needs from a pack file; PackError if it is not a pack we can read."""
    path = Path(path)
    if not path.is_file():
        raise PackError(path, "no such file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.DatabaseError as exc:
        raise PackError(path, f"cannot open it: {exc}") from exc
    try:
        return _read(conn, path)
    except sqlite3.DatabaseError as exc:
        raise PackError(path, f"not a News Annotator pack (SQLite says: {exc})") from exc
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, path: Path) -> Pack:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 or "meta" not in tables:
        raise PackError(path, "an SQLite file, but not a News Annotator pack")
    if version > SCHEMA_VERSION:
        raise PackError(path, f"written by a newer News Annotator (database version {version}, "
                              f"this version reads up to {SCHEMA_VERSION}); update the app first")
    refused = refusal(conn, version)
    if refused:  # before reading any of it: a view could run anything, or forever
        raise PackError(path, refused)
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if version < FIRST_PACK_VERSION or not meta.get("pack_id"):
        raise PackError(path, "a News Annotator project, not a pack (packs are made by "
                              "`annotator assign`)")
    problems = [f"meta row {key!r}: must be text, not {meta[key]!r}"
                for key in ("pack_id", "pack_annotator", "project_id")
                if meta.get(key) is not None and not isinstance(meta[key], str)]
    problems += row_problems(conn)
    if problems:
        raise PackError(path, f"cannot be merged: {len(problems)} problem(s) in its rows: "
                              f"{summarise(problems)}")
    last = conn.execute("SELECT max(id) FROM actions").fetchone()[0] or 0
    if not isinstance(last, int):
        raise PackError(path, f"cannot be merged: its action log has an id {last!r}, not a number")
    pack = Pack(path, version, meta.get("project_id", ""), meta["pack_id"],
                meta.get("pack_annotator", ""), last)
    docs: dict[int, PackDocument] = {}
    for doc_id, digest, title, status in conn.execute(
            "SELECT id, content_hash, title, status FROM documents ORDER BY id"):
        docs[doc_id] = PackDocument(digest, title or "", status)
    for row in conn.execute(f"SELECT {SPAN_SELECT} FROM spans ORDER BY doc_id, id"):
        docs[row[1]].spans.append(span_from_tuple(row))
    for row in conn.execute(f"SELECT {RELATION_SELECT} FROM relations ORDER BY doc_id, id"):
        docs[row[1]].relations.append(relation_from_tuple(row))
    pack.documents = list(docs.values())
    return pack


def _json(attrs: dict) -> str:
    return to_json(attrs) if attrs else "{}"


class Packs:
    """The merge's writes of the Store (a mixin: `db` and `transaction` come from Store)."""

    db: sqlite_utils.Database

    def merged_pack(self, pack_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT annotator, last_action, merged, file FROM packs WHERE"
                              " pack_id = ?", [pack_id]).fetchone()
        return dict(zip(("annotator", "last_action", "merged", "file"), row)) if row else None

    def layer_rows(self, annotator: str, doc_ids: list[int]) -> tuple[dict, dict]:
        """One annotator's spans and relations on some documents: {doc_id: [Span]}, {doc_id:
        [Relation]} (one query each, however many documents)."""
        spans: dict[int, list[Span]] = {d: [] for d in doc_ids}
        rels: dict[int, list[Relation]] = {d: [] for d in doc_ids}
        for row in self.db.execute(f"SELECT {SPAN_SELECT} FROM spans WHERE annotator = ?",
                                   [annotator]):
            if row[1] in spans:
                spans[row[1]].append(span_from_tuple(row))
        for row in self.db.execute(f"SELECT {RELATION_SELECT} FROM relations WHERE"
                                   " annotator = ?", [annotator]):
            if row[1] in rels:
                rels[row[1]].append(relation_from_tuple(row))
        return spans, rels

    def uid_owners(self, table: str, uids: list[str]) -> dict[str, str]:
        """uid -> annotator of the rows (spans or relations) that hold these uids."""
        out: dict[str, str] = {}
        for i in range(0, len(uids), 500):
            chunk = uids[i:i + 500]
            out.update(self.db.execute(f"SELECT uid, annotator FROM {table} WHERE uid IN"
                                       f" ({','.join('?' * len(chunk))})", chunk).fetchall())
        return out

    def apply_layer_change(self, annotator: str, change: LayerChange) -> int:
        """Write one LayerChange (inside the merge's transaction). Returns how many spans were
        kept although the pack dropped them: another annotator's relation still points at them."""
        doc_id = change.doc_id
        self.db.conn.executemany(
            "INSERT INTO spans(doc_id, start, end, label, status, origin, annotator, attrs,"
            " created, updated, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, s.start, s.end, s.label, s.status, s.origin, s.annotator, _json(s.attrs),
              s.created, s.updated, s.uid) for s in change.insert_spans])
        for span_id, values in change.update_spans:
            self._set(span_id, "spans", values)
        uid_to_id = dict(self.db.execute("SELECT uid, id FROM spans WHERE doc_id = ? AND"
                                         " annotator = ?", [doc_id, annotator]).fetchall())
        self.db.conn.executemany(
            "INSERT INTO relations(doc_id, head_id, tail_id, role, status, origin, annotator,"
            " attrs, created, updated, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, uid_to_id[h], uid_to_id[t], r.role, r.status, r.origin, r.annotator,
              _json(r.attrs), r.created, r.updated, r.uid)
             for r, h, t in change.insert_relations])
        for rel_id, values in change.update_relations:
            values = dict(values)
            for end in ("head_id", "tail_id"):
                if end in values:
                    values[end] = uid_to_id[values[end]]
            self._set(rel_id, "relations", values)
        for rel_id in change.delete_relations:
            self.db.execute("DELETE FROM relations WHERE id = ?", [rel_id])
        kept = 0
        for span_id in change.delete_spans:
            if self.db.execute("SELECT 1 FROM relations WHERE head_id = ? OR tail_id = ? LIMIT 1",
                               [span_id, span_id]).fetchone():
                kept += 1
                continue
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        return kept

    def _set(self, row_id: int, table: str, values: dict[str, Any]) -> None:
        values = {k: _json(v) if k == "attrs" else v for k, v in values.items()}
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])

    def record_layer_document(self, doc_id: int, annotator: str, pack_id: str, status: str,
                              labels: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO layer_documents(doc_id, annotator, pack_id,"
                        " status, labels, merged) VALUES (?,?,?,?,?,?)",
                        [doc_id, annotator, pack_id, status, labels, now()])

    def record_pack(self, pack: Pack) -> None:
        self.db.execute("INSERT OR REPLACE INTO packs(pack_id, annotator, last_action, merged,"
                        " file) VALUES (?,?,?,?,?)",
                        [pack.pack_id, pack.annotator, pack.last_action, now(), str(pack.path)])
