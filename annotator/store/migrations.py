"""Schema migrations: MIGRATIONS[i] upgrades a database from `PRAGMA user_version` i to i+1.

Each step runs inside the one transaction that also sets the new version, so a failed upgrade
leaves the file as it was.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

import sqlite_utils

SCHEMA_VERSION = 5


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


def _migrate_2_to_3(db: sqlite_utils.Database) -> None:
    """The corpus view: an actor registry, each mention's link to its actor, and the indexes the
    analyst tables page and filter by; the stored schema gains the attributes the bundled schema
    of the same name added since (DATE.iso, for resolved dates).

    `actor_id` is a column of spans (not a mention table) so the action log, undo and redo treat
    a link like any other span edit. ON DELETE SET NULL: a deleted actor leaves its mentions
    unlinked, never dangling.
    """
    db.execute("CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
               " type TEXT NOT NULL DEFAULT '', aliases TEXT NOT NULL DEFAULT '[]',"
               " affiliation TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT '',"
               " external_id TEXT NOT NULL DEFAULT '', created TEXT, updated TEXT)")
    db.execute("CREATE INDEX actors_name ON actors(name COLLATE NOCASE)")
    db.execute("ALTER TABLE spans ADD COLUMN actor_id INTEGER REFERENCES actors(id)"
               " ON DELETE SET NULL")
    db.execute("CREATE INDEX spans_actor ON spans(actor_id) WHERE actor_id IS NOT NULL")
    # The tables: one label's rows by status, a document's spans by label, relations by head
    # and role, documents by date (covering the columns the tables filter on, so paging in date
    # order never reads the article texts).
    db.execute("CREATE INDEX spans_label_status ON spans(label, status, doc_id)")
    db.execute("CREATE INDEX relations_head_role ON relations(head_id, role)")
    db.execute("CREATE INDEX relations_tail_role ON relations(tail_id, role)")
    db.execute("CREATE INDEX documents_published ON documents(published, id, status)")
    _upgrade_stored_schema(db)


def _upgrade_stored_schema(db: sqlite_utils.Database) -> None:
    from annotator.schema import load_schema
    from annotator.schema_upgrade import add_missing_attributes

    row = db.execute("SELECT value FROM meta WHERE key = 'schema_toml'").fetchone()
    if row is None or not row[0]:
        return  # a new project: it stores the bundled schema after the migrations
    upgraded = add_missing_attributes(row[0], load_schema())
    if upgraded is not None:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_toml'", [upgraded])


def _migrate_3_to_4(db: sqlite_utils.Database) -> None:
    """Team work (issue 13): the project's UUID, a UUID per span and relation, and the tables of
    assignments, merged packs and which annotator's layer covers which document.

    Existing rows get a fresh uid here; new rows get theirs from the store at insert (so the
    action log and the Change carry it); undoing a log entry written before this version gives
    the row it brings back a new one (store/history.py).
    """
    db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('project_id', ?)",
               [str(uuid.uuid4())])
    for table in ("spans", "relations"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        ids = [r[0] for r in db.execute(f"SELECT id FROM {table} ORDER BY id")]
        db.conn.executemany(f"UPDATE {table} SET uid = ? WHERE id = ?",
                            [(str(uuid.uuid4()), i) for i in ids])
        db.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table}(uid)")
        db.execute(f"CREATE INDEX {table}_annotator ON {table}(annotator, doc_id)")
    # assign: who got which document, in which pack (a document is never re-dealt)
    db.execute("CREATE TABLE assignments (doc_id INTEGER NOT NULL REFERENCES documents(id),"
               " annotator TEXT NOT NULL, pack_id TEXT NOT NULL, assigned TEXT NOT NULL,"
               " PRIMARY KEY (doc_id, annotator))")
    # merge: each pack merged, and the newest copy of it seen (an older copy is refused)
    db.execute("CREATE TABLE packs (pack_id TEXT PRIMARY KEY, annotator TEXT NOT NULL,"
               " last_action INTEGER NOT NULL, merged TEXT NOT NULL, file TEXT NOT NULL)")
    # which documents an annotator's layer covers (from their pack): the pack's document status
    # and how many labels they decided there
    db.execute("CREATE TABLE layer_documents (doc_id INTEGER NOT NULL REFERENCES documents(id),"
               " annotator TEXT NOT NULL, pack_id TEXT NOT NULL, status TEXT NOT NULL,"
               " labels INTEGER NOT NULL, merged TEXT NOT NULL, PRIMARY KEY (doc_id, annotator))")




def _migrate_4_to_5(db: sqlite_utils.Database) -> None:
    """The label memory (store/memory.py): one row per remembered (normalised text, label) with
    how often it was accepted and rejected, the latest decision and a remembered canonical name.
    Filled from the decisions already in the project, so an existing project remembers them."""
    db["memory"].create(
        {"id": int, "text": str, "label": str, "accepted": int, "rejected": int,
         "decision": str, "canonical": str, "updated": str},
        pk="id", not_null={"text", "label", "decision"},
        defaults={"accepted": 0, "rejected": 0, "canonical": ""},
    )
    db["memory"].create_index(["text", "label"], unique=True)
    db["memory"].create_index(["updated"])  # max(updated): has another program changed it?
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_toml'").fetchone()
    if row is None:
        return  # a new project: nothing decided yet
    from annotator.memory import fact
    from annotator.schema import parse_schema

    schema = parse_schema(row[0])
    rows: dict[tuple[str, str], dict] = {}
    for label, status, attrs, updated, text in db.execute(
            "SELECT s.label, s.status, s.attrs, s.updated, substr(d.text, s.start + 1, s.end - s.start)"
            " FROM spans s JOIN documents d ON d.id = s.doc_id"
            " WHERE s.status IN ('accepted', 'rejected') ORDER BY s.updated, s.id"):
        f = fact(schema, label, status, text or "", json.loads(attrs) if attrs else {})
        if f is None:
            continue
        r = rows.setdefault((f.text, f.label), {"text": f.text, "label": f.label, "accepted": 0,
                                                "rejected": 0, "canonical": ""})
        r[f.decision] += 1
        r["decision"], r["updated"] = f.decision, updated or ""
        r["canonical"] = f.canonical or r["canonical"]
    for r in rows.values():
        db.execute("INSERT INTO memory(text, label, accepted, rejected, decision, canonical,"
                   " updated) VALUES (?,?,?,?,?,?,?)",
                   [r["text"], r["label"], r["accepted"], r["rejected"], r["decision"],
                    r["canonical"] if r["accepted"] else "", r["updated"]])


MIGRATIONS = [_migrate_0_to_1, _migrate_1_to_2, _migrate_2_to_3, _migrate_3_to_4, _migrate_4_to_5]
assert len(MIGRATIONS) == SCHEMA_VERSION
