"""Schema migrations: MIGRATIONS[i] upgrades a database from `PRAGMA user_version` i to i+1.

Each step runs inside the one transaction that also sets the new version, so a failed upgrade
leaves the file as it was.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

SCHEMA_VERSION = 3


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


MIGRATIONS = [_migrate_0_to_1, _migrate_1_to_2, _migrate_2_to_3]
assert len(MIGRATIONS) == SCHEMA_VERSION
