"""The project database: the only module that speaks SQL.

One SQLite file through sqlite-utils, WAL journal, foreign keys on, versioned with
`PRAGMA user_version`. Every user intent is one transaction that writes the data change and its
row in the action log together, so undo/redo and audit read the same history that was committed.

sqlite-utils' own write helpers commit on their own (`with conn:`), which would split an intent
into several commits; inside `transaction()` we therefore write with plain `execute`, and use
sqlite-utils for schema creation, migrations and reads.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator.domain import (
    ACCEPTED,
    DOC_STATUSES,
    HUMAN,
    REJECTED,
    SPAN_STATUSES,
    SUGGESTED,
    Action,
    AnnotatedDocument,
    Document,
    Relation,
    Span,
    ValidationError,
    check_span_bounds,
)
from annotator.schema import LabelSchema, load_schema, parse_schema
from annotator.store_imports import ImportWrites

SCHEMA_VERSION = 2


class StoreError(RuntimeError):
    """A database that cannot be used: newer version, corrupt, locked, read-only."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _json(value: Any) -> str:
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)


# --- migrations: index i upgrades user_version i -> i+1 -------------------------------------


def _migrate_0_to_1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["documents"].create(
        {
            "id": int,
            "text": str,
            "title": str,
            "source": str,
            "published": str,
            "url": str,
            "import_file": str,
            "content_hash": str,
            "status": str,
            "meta": str,
            "created": str,
            "updated": str,
        },
        pk="id",
        not_null={"text", "content_hash", "status"},
        defaults={"status": "new", "meta": "{}", "title": "", "source": "", "published": "",
                  "url": "", "import_file": ""},
    )
    db["documents"].create_index(["content_hash"], unique=True)
    db["documents"].create_index(["status"])
    db["spans"].create(
        {
            "id": int,
            "doc_id": int,
            "start": int,
            "end": int,
            "label": str,
            "status": str,
            "origin": str,
            "annotator": str,
            "attrs": str,
            "created": str,
            "updated": str,
        },
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
        not_null={"doc_id", "start", "end", "label", "status"},
    )
    db["spans"].create_index(["doc_id", "start"])
    db["spans"].create_index(["label"])
    db["relations"].create(
        {
            "id": int,
            "doc_id": int,
            "head_id": int,
            "tail_id": int,
            "role": str,
            "status": str,
            "origin": str,
            "annotator": str,
            "attrs": str,
            "created": str,
            "updated": str,
        },
        pk="id",
        foreign_keys=[
            ("doc_id", "documents", "id"),
            ("head_id", "spans", "id"),
            ("tail_id", "spans", "id"),
        ],
        not_null={"doc_id", "head_id", "tail_id", "role", "status"},
    )
    db["relations"].create_index(["doc_id"])
    db["relations"].create_index(["head_id"])
    db["relations"].create_index(["tail_id"])
    db["actions"].create(
        {
            "id": int,
            "ts": str,
            "kind": str,
            "annotator": str,
            "doc_id": int,
            "changes": str,
            "undone": int,
        },
        pk="id",
        defaults={"undone": 0},
    )
    db["actions"].create_index(["undone"])
    # Which documents a model has pre-annotated: lets an interrupted batch resume.
    db["preannotations"].create(
        {"doc_id": int, "origin": str, "finished": str},
        pk=("doc_id", "origin"),
        foreign_keys=[("doc_id", "documents", "id")],
    )


def _migrate_1_to_2(db: sqlite_utils.Database) -> None:
    """Full-text index over titles and texts so corpus search stays fast at 100k documents.

    Hand-written instead of sqlite-utils' enable_fts: that runs executescript (which commits,
    splitting the migration) and its update trigger would re-index the whole text on every status
    change. Texts never change, so only inserts, deletes and title edits touch the index.
    """
    try:
        db.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents',"
                   " content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
    except sqlite3.OperationalError:
        return  # SQLite built without FTS5: search falls back to LIKE
    db.execute("CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN"
               " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
               " END")
    db.execute("CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN"
               " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
               " VALUES ('delete', old.id, old.title, old.text); END")
    db.execute("CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN"
               " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
               " VALUES ('delete', old.id, old.title, old.text);"
               " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
               " END")
    db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


MIGRATIONS = [_migrate_0_to_1, _migrate_1_to_2]
assert len(MIGRATIONS) == SCHEMA_VERSION

_TABLE_COLUMNS = {
    "spans": ("id", "doc_id", "start", "end", "label", "status", "origin", "annotator", "attrs",
              "created", "updated"),
    "relations": ("id", "doc_id", "head_id", "tail_id", "role", "status", "origin", "annotator",
                  "attrs", "created", "updated"),
    "documents": ("id", "status", "updated"),
}

_SPAN_COLS = ", ".join(f'"{c}"' for c in _TABLE_COLUMNS["spans"])
_REL_COLS = ", ".join(f'"{c}"' for c in _TABLE_COLUMNS["relations"])

# Undo/redo may restore a document's status but never its text: only these columns are logged.
_DOC_LOGGED = ("id", "status", "updated")


class Store(ImportWrites):
    """A project database. One instance per thread (SQLite connections are not shared)."""

    def __init__(self, path: str | Path, schema: LabelSchema | None = None,
                 create: bool = True, annotator: str = "", read_only: bool = False,
                 timeout: float = 10.0):
        """`timeout`: seconds to wait for another connection's write lock (busy timeout)."""
        self.path = Path(path)
        self.annotator = annotator
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no such database")
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")
        if self.path.exists() and not os.access(self.path, os.R_OK):
            raise StoreError(f"{self.path}: cannot read the file (permission denied)")
        self.read_only = read_only or (self.path.exists() and not os.access(self.path, os.W_OK))
        try:
            if self.read_only:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout,
                                       check_same_thread=False)
            else:
                conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=timeout,
                                       check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = sqlite_utils.Database(conn)
            self._open(schema)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open database: {_explain(exc)}") from exc

    # --- opening and migrations --------------------------------------------------------------

    def _open(self, schema: LabelSchema | None) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer News Annotator (database version {version}, "
                f"this version reads up to {SCHEMA_VERSION}). Please update the app."
            )
        if version == 0 and self.db.table_names():
            raise StoreError(f"{self.path} is an SQLite file but not a News Annotator project")
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(f"{self.path} is read-only and needs an upgrade to open; "
                                 "copy it somewhere writable")
            self.schema = parse_schema(self.get_meta("schema_toml"), origin=f"{self.path}:schema")
            self.has_fts = "documents_fts" in self.db.table_names()
            return
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        # FULL: a committed action survives power loss too, not only a killed process. Labels
        # arrive at human speed and batch jobs commit per batch, so the fsync is affordable.
        self.db.execute("PRAGMA synchronous = FULL")
        if version < SCHEMA_VERSION:
            self._migrate(version, schema)
        self.schema = parse_schema(self.get_meta("schema_toml") or load_schema().source_text,
                                   origin=f"{self.path}:schema")
        self.has_fts = "documents_fts" in self.db.table_names()

    def _migrate(self, version: int, schema: LabelSchema | None) -> None:
        with self.transaction():
            for step in MIGRATIONS[version:]:
                step(self.db)
            if version == 0:
                schema = schema or load_schema()
                self._set_meta("schema_toml", schema.source_text)
                self._set_meta("schema_name", schema.name)
                self._set_meta("created", now())
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        conn = self.db.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield
            return
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only: changes cannot be saved")
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback_quietly()
            raise StoreError(f"{self.path}: could not save ({_explain(exc)}); nothing was "
                             "changed") from exc
        except BaseException:
            self._rollback_quietly()
            raise

    def check_writable(self) -> None:
        """Raise StoreError unless a write could start within the busy timeout: tells at once
        that another program holds the write lock for long, instead of at the first label."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only: changes cannot be saved")
        try:
            self.db.conn.execute("BEGIN IMMEDIATE")
            self.db.conn.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            self._rollback_quietly()
            raise StoreError(f"{self.path}: cannot write to the project ({_explain(exc)})") from exc

    def _rollback_quietly(self) -> None:
        if self.db.conn.in_transaction:
            try:
                self.db.conn.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass  # the connection is broken; SQLite rolls back on its own at next open

    def backup_to(self, dest: str | Path) -> None:
        """A consistent copy through SQLite's online backup API (safe while others write)."""
        target = sqlite3.connect(str(dest))
        try:
            self.db.conn.backup(target)
        finally:
            target.close()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._set_meta(key, value)

    # --- documents -----------------------------------------------------------------------------

    def _insert_document(self, doc: Document) -> int | None:
        """Insert unless a document with the same text exists; returns the new id or None."""
        stamp = now()
        cur = self.db.execute(
            "INSERT OR IGNORE INTO documents(text, title, source, published, url, import_file,"
            " content_hash, status, meta, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [doc.text, doc.title, doc.source, doc.published, doc.url, doc.import_file,
             doc.content_hash, doc.status, _json(doc.meta), stamp, stamp],
        )
        return cur.lastrowid if cur.rowcount else None

    def add_documents(self, bundles: Iterable[AnnotatedDocument]) -> list[int]:
        """Add documents with their labels in ONE transaction (a whole import file).

        Documents whose text is already stored are skipped (idempotent import). Returns the ids
        of the documents added.
        """
        added = []
        with self.transaction():
            for bundle in bundles:
                doc_id = self._insert_document(bundle.document)
                if doc_id is None:
                    continue
                self._insert_bundle_labels(doc_id, bundle)
                added.append(doc_id)
        return added

    def _insert_bundle_labels(self, doc_id: int, bundle: AnnotatedDocument) -> None:
        text = bundle.document.text
        local_to_db: dict[int, int] = {}
        for i, span in enumerate(bundle.spans):
            check_span_bounds(text, span.start, span.end)
            self._check_label(span.label)
            new_id = self._insert_span(doc_id, span)
            local_to_db[span.id if span.id is not None else -1 - i] = new_id
        for rel in bundle.relations:
            if rel.head_id not in local_to_db or rel.tail_id not in local_to_db:
                raise ValidationError(f"relation {rel.role} refers to a span that is not in the line")
            self._check_role(rel.role)
            self._insert_relation(doc_id, local_to_db[rel.head_id], local_to_db[rel.tail_id], rel)

    def _check_label(self, label: str) -> None:
        if self.schema.label(label) is None:
            raise ValidationError(f"unknown label {label!r} (schema {self.schema.name!r} has "
                                  f"{', '.join(self.schema.label_names())})")

    def _check_role(self, role: str) -> None:
        if self.schema.role(role) is None:
            raise ValidationError(f"unknown relation role {role!r}")

    def _insert_span(self, doc_id: int, span: Span) -> int:
        stamp = now()
        cur = self.db.execute(
            "INSERT INTO spans(doc_id, start, end, label, status, origin, annotator, attrs,"
            " created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [doc_id, span.start, span.end, span.label, span.status, span.origin,
             span.annotator, _json(span.attrs), span.created or stamp, span.updated or stamp],
        )
        return cur.lastrowid

    def _insert_relation(self, doc_id: int, head_id: int, tail_id: int, rel: Relation) -> int:
        stamp = now()
        cur = self.db.execute(
            "INSERT INTO relations(doc_id, head_id, tail_id, role, status, origin, annotator,"
            " attrs, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [doc_id, head_id, tail_id, rel.role, rel.status, rel.origin, rel.annotator,
             _json(rel.attrs), rel.created or stamp, rel.updated or stamp],
        )
        return cur.lastrowid

    def document(self, doc_id: int) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        return _row_to_document(dict(zip(self._doc_columns(), row)))

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

    def document_count(self, text_filter: str = "", status: str = "", label: str = "") -> int:
        """Documents in the project, or those matching the same filters as `document_rows`."""
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

    # --- reading labels ------------------------------------------------------------------------

    def spans(self, doc_id: int, statuses: Iterable[str] = SPAN_STATUSES) -> list[Span]:
        statuses = list(statuses)
        marks = ",".join("?" * len(statuses))
        rows = self.db.execute(
            f"SELECT {_SPAN_COLS} FROM spans WHERE doc_id = ? AND status IN ({marks}) ORDER BY start, end, id",
            [doc_id, *statuses],
        ).fetchall()
        return [_tuple_to_span(r) for r in rows]

    def span(self, span_id: int) -> Span:
        row = self.db.execute(f"SELECT {_SPAN_COLS} FROM spans WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        return _row_to_span(dict(zip(_TABLE_COLUMNS["spans"], row)))

    def relations(self, doc_id: int, statuses: Iterable[str] = SPAN_STATUSES) -> list[Relation]:
        statuses = list(statuses)
        marks = ",".join("?" * len(statuses))
        rows = self.db.execute(
            f"SELECT {_REL_COLS} FROM relations WHERE doc_id = ? AND status IN ({marks}) ORDER BY id",
            [doc_id, *statuses],
        ).fetchall()
        return [_row_to_relation(dict(zip(_TABLE_COLUMNS["relations"], r))) for r in rows]

    def relation(self, rel_id: int) -> Relation:
        row = self.db.execute(f"SELECT {_REL_COLS} FROM relations WHERE id = ?", [rel_id]).fetchone()
        if row is None:
            raise KeyError(f"no relation {rel_id}")
        return _row_to_relation(dict(zip(_TABLE_COLUMNS["relations"], row)))

    def annotated(self, doc_id: int, statuses: Iterable[str] = SPAN_STATUSES) -> AnnotatedDocument:
        """A document with its spans and the relations whose both ends are included."""
        statuses = list(statuses)
        spans = self.spans(doc_id, statuses)
        ids = {s.id for s in spans}
        rels = [r for r in self.relations(doc_id, statuses) if r.head_id in ids and r.tail_id in ids]
        return AnnotatedDocument(self.document(doc_id), spans, rels)

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

    # --- user actions: each one transaction + one action-log row --------------------------------

    def _row(self, table: str, row_id: int) -> dict[str, Any] | None:
        cols = _DOC_LOGGED if table == "documents" else _TABLE_COLUMNS[table]
        row = self.db.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?",
                              [row_id]).fetchone()
        return dict(zip(cols, row)) if row else None

    @contextmanager
    def _action(self, kind: str, doc_id: int | None) -> Iterator[list[dict[str, Any]]]:
        """Collect the changes of one intent; commit them with their log row atomically."""
        changes: list[dict[str, Any]] = []
        with self.transaction():
            yield changes
            if changes:
                if doc_id is not None and kind != "set_doc_status":
                    self._touch_document(doc_id, changes)
                # A new action forks history: whatever was undone can no longer be redone.
                self.db.execute("UPDATE actions SET undone = 2 WHERE undone = 1")
                self.db.execute(
                    "INSERT INTO actions(ts, kind, annotator, doc_id, changes, undone)"
                    " VALUES (?,?,?,?,?,0)",
                    [now(), kind, self.annotator, doc_id, json.dumps(changes, ensure_ascii=False)],
                )

    def _touch_document(self, doc_id: int, changes: list[dict[str, Any]]) -> None:
        """The first label action on a new document moves it to 'in progress' (same action)."""
        before = self._row("documents", doc_id)
        if before and before["status"] == "new":
            self.db.execute("UPDATE documents SET status = 'in_progress', updated = ? WHERE id = ?",
                            [now(), doc_id])
            changes.append({"table": "documents", "id": doc_id, "before": before,
                            "after": self._row("documents", doc_id)})

    def _log_update(self, changes: list, table: str, row_id: int, sql: str, params: list) -> None:
        before = self._row(table, row_id)
        if before is None:
            raise KeyError(f"no {table[:-1]} {row_id}")
        self.db.execute(sql, params)
        changes.append({"table": table, "id": row_id, "before": before,
                        "after": self._row(table, row_id)})

    def add_span(self, doc_id: int, start: int, end: int, label: str,
                 attrs: dict[str, Any] | None = None) -> int:
        doc = self.document(doc_id)
        check_span_bounds(doc.text, start, end)
        self._check_label(label)
        self._check_attrs(label, attrs or {})
        with self._action("add_span", doc_id) as changes:
            span_id = self._insert_span(doc_id, Span(doc_id, start, end, label, ACCEPTED, HUMAN,
                                                     self.annotator, attrs or {}))
            changes.append({"table": "spans", "id": span_id, "before": None,
                            "after": self._row("spans", span_id)})
        return span_id

    def _check_attrs(self, label: str, attrs: dict[str, Any]) -> None:
        spec = self.schema.label(label)
        for name, value in attrs.items():
            attr = spec.attribute(name) if spec else None
            if attr is None:
                raise ValidationError(f"label {label} has no attribute {name!r}")
            if not attr.allows(value):
                raise ValidationError(f"{label}.{name} must be one of {', '.join(attr.values)}")

    def _span_status(self, span_id: int, status: str, kind: str) -> None:
        span = self.span(span_id)
        with self._action(kind, span.doc_id) as changes:
            stamp = now()
            self._log_update(changes, "spans", span_id,
                             "UPDATE spans SET status = ?, annotator = ?, updated = ? WHERE id = ?",
                             [status, self.annotator, stamp, span_id])
            if status == REJECTED:
                # A rejected span takes its still-suggested links with it.
                for (rel_id,) in self.db.execute(
                    "SELECT id FROM relations WHERE (head_id = ? OR tail_id = ?) AND status = ?",
                    [span_id, span_id, SUGGESTED]).fetchall():
                    self._log_update(changes, "relations", rel_id,
                                     "UPDATE relations SET status = ?, updated = ? WHERE id = ?",
                                     [REJECTED, stamp, rel_id])

    def accept_span(self, span_id: int) -> None:
        self._span_status(span_id, ACCEPTED, "accept")

    def reject_span(self, span_id: int) -> None:
        self._span_status(span_id, REJECTED, "reject")

    def accept_all(self, doc_id: int, label: str) -> int:
        """Accept every suggestion of one label in a document: one action, one undo step."""
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM spans WHERE doc_id = ? AND label = ? AND status = ?",
            [doc_id, label, SUGGESTED])]
        if not ids:
            return 0
        with self._action("accept_all", doc_id) as changes:
            stamp = now()
            for span_id in ids:
                self._log_update(changes, "spans", span_id,
                                 "UPDATE spans SET status = ?, annotator = ?, updated = ? WHERE id = ?",
                                 [ACCEPTED, self.annotator, stamp, span_id])
        return len(ids)

    def relabel_span(self, span_id: int, label: str) -> None:
        self._check_label(label)
        span = self.span(span_id)
        # Attributes belong to a label: keep only those the new label also has.
        spec = self.schema.label(label)
        attrs = {k: v for k, v in span.attrs.items() if spec.attribute(k) and spec.attribute(k).allows(v)}
        with self._action("relabel", span.doc_id) as changes:
            self._log_update(changes, "spans", span_id,
                             "UPDATE spans SET label = ?, attrs = ?, status = ?, annotator = ?,"
                             " updated = ? WHERE id = ?",
                             [label, _json(attrs), ACCEPTED, self.annotator, now(), span_id])

    def set_span_bounds(self, span_id: int, start: int, end: int) -> None:
        span = self.span(span_id)
        check_span_bounds(self.document(span.doc_id).text, start, end)
        with self._action("resize", span.doc_id) as changes:
            self._log_update(changes, "spans", span_id,
                             "UPDATE spans SET start = ?, end = ?, status = ?, annotator = ?,"
                             " updated = ? WHERE id = ?",
                             [start, end, ACCEPTED, self.annotator, now(), span_id])

    def set_attribute(self, span_id: int, name: str, value: Any) -> None:
        span = self.span(span_id)
        self._check_attrs(span.label, {name: value})
        attrs = dict(span.attrs)
        if value in (None, ""):
            attrs.pop(name, None)
        else:
            attrs[name] = value
        with self._action("set_attribute", span.doc_id) as changes:
            self._log_update(changes, "spans", span_id,
                             "UPDATE spans SET attrs = ?, annotator = ?, updated = ? WHERE id = ?",
                             [_json(attrs), self.annotator, now(), span_id])

    def delete_span(self, span_id: int) -> None:
        span = self.span(span_id)
        with self._action("delete_span", span.doc_id) as changes:
            for (rel_id,) in self.db.execute(
                    "SELECT id FROM relations WHERE head_id = ? OR tail_id = ?",
                    [span_id, span_id]).fetchall():
                changes.append({"table": "relations", "id": rel_id,
                                "before": self._row("relations", rel_id), "after": None})
                self.db.execute("DELETE FROM relations WHERE id = ?", [rel_id])
            changes.append({"table": "spans", "id": span_id, "before": self._row("spans", span_id),
                            "after": None})
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])

    def link(self, head_id: int, tail_id: int, role: str) -> int:
        head, tail = self.span(head_id), self.span(tail_id)
        if head.doc_id != tail.doc_id:
            raise ValidationError("a relation must join two spans of one document")
        spec = self.schema.role(role)
        if spec is None or not spec.joins(head.label, tail.label):
            raise ValidationError(f"{role} cannot join {head.label} to {tail.label}")
        existing = self.db.execute(
            "SELECT id, status FROM relations WHERE head_id = ? AND tail_id = ? AND role = ?",
            [head_id, tail_id, role]).fetchone()
        with self._action("link", head.doc_id) as changes:
            if existing:
                rel_id = existing[0]
                if existing[1] != ACCEPTED:
                    self._log_update(changes, "relations", rel_id,
                                     "UPDATE relations SET status = ?, annotator = ?, updated = ?"
                                     " WHERE id = ?", [ACCEPTED, self.annotator, now(), rel_id])
                return rel_id
            rel_id = self._insert_relation(head.doc_id, head_id, tail_id,
                                           Relation(head.doc_id, head_id, tail_id, role, ACCEPTED,
                                                    HUMAN, self.annotator))
            changes.append({"table": "relations", "id": rel_id, "before": None,
                            "after": self._row("relations", rel_id)})
        return rel_id

    def _relation_status(self, rel_id: int, status: str, kind: str) -> None:
        rel = self.relation(rel_id)
        with self._action(kind, rel.doc_id) as changes:
            self._log_update(changes, "relations", rel_id,
                             "UPDATE relations SET status = ?, annotator = ?, updated = ? WHERE id = ?",
                             [status, self.annotator, now(), rel_id])

    def accept_relation(self, rel_id: int) -> None:
        self._relation_status(rel_id, ACCEPTED, "accept_relation")

    def reject_relation(self, rel_id: int) -> None:
        self._relation_status(rel_id, REJECTED, "reject_relation")

    def unlink(self, rel_id: int) -> None:
        rel = self.relation(rel_id)
        with self._action("unlink", rel.doc_id) as changes:
            changes.append({"table": "relations", "id": rel_id,
                            "before": self._row("relations", rel_id), "after": None})
            self.db.execute("DELETE FROM relations WHERE id = ?", [rel_id])

    def set_document_status(self, doc_id: int, status: str) -> None:
        if status not in DOC_STATUSES:
            raise ValidationError(f"document status must be one of {', '.join(DOC_STATUSES)}")
        with self._action("set_doc_status", doc_id) as changes:
            self._log_update(changes, "documents", doc_id,
                             "UPDATE documents SET status = ?, updated = ? WHERE id = ?",
                             [status, now(), doc_id])

    # --- undo / redo -----------------------------------------------------------------------------

    def actions(self, limit: int = 100) -> list[Action]:
        rows = self.db.execute(
            "SELECT id, ts, kind, annotator, doc_id, changes, undone FROM actions"
            " ORDER BY id DESC LIMIT ?", [limit]).fetchall()
        return [Action(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]

    def can_undo(self) -> bool:
        return self.db.execute("SELECT 1 FROM actions WHERE undone = 0 LIMIT 1").fetchone() is not None

    def can_redo(self) -> bool:
        return self.db.execute("SELECT 1 FROM actions WHERE undone = 1 LIMIT 1").fetchone() is not None

    def undo(self) -> Action | None:
        """Revert the latest action still in effect; returns it (its doc_id tells the UI where)."""
        row = self.db.execute("SELECT id FROM actions WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return self._replay(row[0], direction="before", mark=1)

    def redo(self) -> Action | None:
        row = self.db.execute("SELECT id FROM actions WHERE undone = 1 ORDER BY id ASC LIMIT 1").fetchone()
        if row is None:
            return None
        return self._replay(row[0], direction="after", mark=0)

    def _replay(self, action_id: int, direction: str, mark: int) -> Action:
        r = self.db.execute("SELECT id, ts, kind, annotator, doc_id, changes, undone FROM actions"
                            " WHERE id = ?", [action_id]).fetchone()
        action = Action(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6])
        changes = action.changes if direction == "after" else list(reversed(action.changes))
        # Undo restores rows so that spans exist before relations that point at them; deleting
        # goes the other way. Order: deletes of relations, then spans; inserts of spans, then rels.
        with self.transaction():
            for change in sorted(changes, key=lambda c: _replay_order(c, direction)):
                self._apply_row(change["table"], change["id"], change[direction])
            self.db.execute("UPDATE actions SET undone = ? WHERE id = ?", [mark, action_id])
        action.undone = mark
        return action

    def _apply_row(self, table: str, row_id: int, values: dict[str, Any] | None) -> None:
        if values is None:
            self.db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
            return
        cols = list(values)
        marks = ",".join("?" * len(cols))
        if table == "documents":
            self.db.execute("UPDATE documents SET status = ?, updated = ? WHERE id = ?",
                            [values["status"], values["updated"], row_id])
            return
        self.db.execute(
            f"INSERT OR REPLACE INTO {table}({', '.join(_quote(c) for c in cols)}) VALUES ({marks})",
            [values[c] for c in cols])

    # --- suggestions (pre-annotation) --------------------------------------------------------------

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
        with self.transaction():
            self.db.execute("DELETE FROM relations WHERE doc_id = ? AND origin = ? AND status = ?",
                            [doc_id, origin, SUGGESTED])
            self.db.execute(
                "DELETE FROM spans WHERE doc_id = ? AND origin = ? AND status = ? AND id NOT IN"
                " (SELECT head_id FROM relations UNION SELECT tail_id FROM relations)",
                [doc_id, origin, SUGGESTED])
            decided = {(s, e, lab): i for i, s, e, lab in self.db.execute(
                "SELECT id, start, end, label FROM spans WHERE doc_id = ?", [doc_id])}
            stamp = now()
            ids: list[int] = []
            for span in spans:
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
                if key in existing or ids[head] == ids[tail]:
                    continue
                existing.add(key)
                self._insert_relation(doc_id, ids[head], ids[tail],
                                      Relation(doc_id, ids[head], ids[tail], role, SUGGESTED, origin,
                                               created=stamp, updated=stamp))
            self.db.execute("INSERT OR REPLACE INTO preannotations(doc_id, origin, finished)"
                            " VALUES (?,?,?)", [doc_id, origin, stamp])

    def preannotated_ids(self, origin: str) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT doc_id FROM preannotations WHERE origin = ?",
                                              [origin])}


def _explain(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "full" in text:
        return "the disk is full"
    if "disk I/O" in text:
        return "disk I/O error: the disk may be full or failing"
    if "readonly" in text or "read-only" in text:
        return "the file is read-only"
    if "locked" in text or "busy" in text:
        return "the file is in use by another program; try again"
    return text


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


def _quote(column: str) -> str:
    return f'"{column}"'


def _replay_order(change: dict[str, Any], direction: str) -> tuple[int, int]:
    removing = change[direction] is None
    table_rank = {"relations": 0, "spans": 1, "documents": 2}[change["table"]]
    if removing:
        return (0, table_rank)  # remove relations first, then spans
    return (1, -table_rank)  # then restore documents, spans, relations


def _row_to_document(row: dict[str, Any]) -> Document:
    return Document(
        id=row["id"], text=row["text"], title=row["title"] or "", source=row["source"] or "",
        published=row["published"] or "", url=row["url"] or "",
        import_file=row["import_file"] or "", status=row["status"],
        meta=json.loads(row["meta"] or "{}"), content_hash=row["content_hash"],
    )


def _attrs(raw: str | None) -> dict[str, Any]:
    return json.loads(raw) if raw and raw != "{}" else {}


def _row_to_span(row: dict[str, Any]) -> Span:
    return _tuple_to_span(tuple(row[c] for c in _TABLE_COLUMNS["spans"]))


def _tuple_to_span(r: tuple) -> Span:
    """A row in _TABLE_COLUMNS["spans"] order; the export hot path, so no dict in between."""
    return Span(doc_id=r[1], start=r[2], end=r[3], label=r[4], status=r[5], origin=r[6] or "",
                annotator=r[7] or "", attrs=_attrs(r[8]), id=r[0], created=r[9] or "",
                updated=r[10] or "")


def _row_to_relation(row: dict[str, Any]) -> Relation:
    return Relation(
        doc_id=row["doc_id"], head_id=row["head_id"], tail_id=row["tail_id"], role=row["role"],
        status=row["status"], origin=row["origin"] or "", annotator=row["annotator"] or "",
        attrs=_attrs(row["attrs"]), id=row["id"], created=row["created"] or "",
        updated=row["updated"] or "",
    )
