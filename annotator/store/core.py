"""The Store: opening a project file, transactions, metadata; the rest comes from its parts.

One SQLite file through sqlite-utils, WAL journal, foreign keys on, versioned with
`PRAGMA user_version`. Every user intent is one transaction that writes the data change and its
row in the action log together, so undo/redo and audit read the same history that was committed.

sqlite-utils' own write helpers commit on their own (`with conn:`), which would split an intent
into several commits; inside `transaction()` we therefore write with plain `execute`, and use
sqlite-utils for schema creation, migrations and reads.

Two programs on one project (the window and `annotator stats`, a second window, the training
child) rely on SQLite's POSIX locks, which the process loses if anything in it closes another
descriptor of the file (see ui/file_dialogs.py). The app avoids that; as defence in depth a
writable Store remembers which `-wal`/`-shm` files it opened and, before each write, checks with
`os.stat` (no descriptor) that they are still those: if another program, believing itself
alone, checkpointed and deleted them, this connection would write into a log nobody else reads,
so the write is refused instead (`LogReplacedError`) and every later one too. Not chosen:
exclusive locking mode (it would shut out `annotator stats`, F5's "labels made in another
program" and the window's own worker connections) and refusing every CLI write while a window
is open (the README lets `annotator dates`/`import` run beside the app). Python 3.11's sqlite3
has no setconfig for NO_CKPT_ON_CLOSE; none is needed: the other program's checkpoint marked
the old log as copied, so closing the refused connection copies nothing stale. Not caught: two
writers while the lost-lock log still exists; hence nothing in the app opens the file by path.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from annotator import natural_order
from annotator.schema import (
    LabelSchema,
    SchemaError,
    extension_problems,
    extension_summary,
    load_schema,
    parse_schema,
)
from annotator.store.actors import Actors
from annotator.store.curation import Curation
from annotator.store.dates import DateWrites
from annotator.store.document_edits import DocumentEdits
from annotator.store.documents import DocumentWrites
from annotator.store.errors import StoreError, explain
from annotator.store.history import History
from annotator.store.imports import ImportWrites
from annotator.store.integrity import (
    Busy,
    DamagedProject,
    LogReplacedError,
    StorageFailure,
    is_busy,
    is_corruption,
    quick_check,
)
from annotator.store.intents import Intents
from annotator.store.layers import Layers
from annotator.store.links import Links
from annotator.store.memory import Memory
from annotator.store.migrations import MIGRATIONS, SCHEMA_VERSION
from annotator.store.overview import Overview
from annotator.store.packs import Packs
from annotator.store.reading import Reading
from annotator.store.rows import now
from annotator.store.structure import refusal
from annotator.store.suggestions import Suggestions
from annotator.store.tables import Tables

log = logging.getLogger(__name__)


class Store(Curation, Reading, DocumentWrites, ImportWrites, DocumentEdits, History, Intents,
            Links, Suggestions, Memory, Layers, Packs, Actors, Tables, Overview, DateWrites):
    """A project database. One instance per thread (SQLite connections are not shared).

    A pack (made by `annotator assign`) records labels under its annotator's name, whatever
    `annotator` says: the pack is their layer."""

    def __init__(self, path: str | Path, schema: LabelSchema | None = None,
                 create: bool = True, annotator: str = "", read_only: bool = False,
                 timeout: float = 10.0, *, check: bool = False):
        """`timeout`: seconds to wait for another connection's write lock (busy timeout).
        `check`: run SQLite's quick_check first and raise DamagedProject if it fails (CLI
        commands that write much do: 4-8 s on 100,000 documents with 2 million labels); without
        it, damage met while opening is raised as DamagedProject too."""
        self.path = Path(path)
        self.annotator = annotator
        self.timeout = timeout
        self.schema_notice = ""  # why the bundled schema was or was not taken on open
        self._lengths: dict[int, int] = {}  # text length per document id (texts never change)
        self._texts: OrderedDict[int, str] = OrderedDict()  # a few texts (Reading._doc_text)
        self._log_files: tuple | None = None  # (dev, inode) of the -wal and -shm opened
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
            conn.create_collation(natural_order.COLLATION, natural_order.natural_compare)
            # no third-party sqlite-utils plugins on the project's connection (the executable has
            # none; looking for them scans every installed package: ~40 ms per CLI run)
            self.db = sqlite_utils.Database(conn, execute_plugins=False)
            problem = quick_check(conn) if check and self.path.exists() else ""
            if problem:
                raise DamagedProject(self.path, problem)
            self._open(schema)
            self._file_id = _file_id(self.path)
            self.annotator = self.get_meta("pack_annotator") or annotator
        except StorageFailure as exc:  # a migration's save found the file damaged
            self._close_quietly()
            if isinstance(exc.__cause__, sqlite3.DatabaseError) and is_corruption(exc.__cause__):
                raise DamagedProject(self.path, str(exc.__cause__)) from exc
            raise
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            if is_corruption(exc) and self.path.exists() and self.path.stat().st_size:
                raise DamagedProject(self.path, str(exc)) from exc
            raise StoreError(f"{self.path}: cannot open database: {explain(exc)}") from exc
        except StoreError:  # refused or damaged: nothing of it was used
            self._close_quietly()
            raise
        except SchemaError as exc:
            self._close_quietly()
            raise StoreError(str(exc)) from exc

    def _close_quietly(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.conn.close()

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
        refused = refusal(self.db.conn, version) if version else ""
        if refused:  # before anything runs its triggers or reads its views
            raise StoreError(f"{self.path}: {refused}")
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(f"{self.path} is read-only and needs an upgrade to open; "
                                 "copy it somewhere writable")
            self.schema = parse_schema(self.get_meta("schema_toml"), origin=f"{self.path}:schema")
            self.has_fts = "documents_fts" in self.db.table_names()
            self.refresh_history()
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
        if version > 0:  # an existing project: a new one keeps the schema it was just given
            self._pick_up_bundled_schema()
        self.has_fts = "documents_fts" in self.db.table_names()
        self.refresh_history()
        self._log_files = log_files(self.path)

    def _pick_up_bundled_schema(self) -> None:
        """A project keeps the schema it was created with, but takes the app's bundled schema of
        the same name when that only adds to it (new event types, labels, roles); a bundled schema
        that would change or drop anything is refused, and `schema_notice` says why."""
        bundled = load_schema()
        stored = self.schema
        if bundled.name != stored.name or bundled.source_text == stored.source_text:
            return
        problems = extension_problems(stored, bundled)
        if problems:
            self.schema_notice = (f"{self.path}: kept the project's schema {stored.name!r}; the bundled one "
                                  f"is not only an extension of it: {'; '.join(problems)}")
            log.warning(self.schema_notice)
            return
        with self.transaction():
            self._set_meta("schema_toml", bundled.source_text)
        self.schema_notice = (f"{self.path}: schema {stored.name!r} updated to the bundled version "
                              f"(adds {extension_summary(stored, bundled)})")
        log.info(self.schema_notice)
        self.schema = parse_schema(bundled.source_text, origin=f"{self.path}:schema")

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
        self._check_file()
        try:
            conn.execute("BEGIN IMMEDIATE")
            self.check_same_log()
            yield
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback_quietly()
            kind = Busy if is_busy(exc) else StorageFailure
            raise kind(f"{self.path}: could not save ({explain(exc)}); nothing was "
                       "changed") from exc
        except BaseException:
            self._rollback_quietly()
            raise

    @contextmanager
    def busy_timeout(self, seconds: float) -> Iterator[None]:
        """Wait at most `seconds` (not the Store's `timeout`) for the write lock in this block:
        the window's writes wait a moment, then queue (ui/waiting_writes.py)."""
        conn = self.db.conn
        conn.execute(f"PRAGMA busy_timeout = {int(min(seconds, self.timeout) * 1000)}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")

    def _check_file(self) -> None:
        """The file this connection writes must still be the project at `path`, writable:
        writes to a file deleted or replaced under us would vanish with the connection, and a
        file someone made read-only is a wish not to change it. Two stat calls per transaction."""
        file_id = _file_id(self.path)
        if file_id is None:
            raise StorageFailure(f"{self.path}: the project file was moved or deleted; nothing "
                                 "was changed")
        if file_id != getattr(self, "_file_id", file_id):
            raise StorageFailure(f"{self.path}: the project file was replaced by another file; "
                                 "nothing was changed")
        if not os.access(self.path, os.W_OK):
            raise StorageFailure(f"{self.path}: the file was made read-only; nothing was changed")

    def check_writable(self) -> None:
        """Raise StoreError unless a write could start within the busy timeout: tells at once
        that another program holds the write lock for long, instead of at the first label."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only: changes cannot be saved")
        self.check_same_log()
        try:
            self.db.conn.execute("BEGIN IMMEDIATE")
            self.db.conn.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            self._rollback_quietly()
            raise StoreError(f"{self.path}: cannot write to the project ({explain(exc)})") from exc

    def check_same_log(self) -> None:
        """Raise LogReplacedError if the write-ahead log this connection opened was deleted or
        replaced by another program (see the module docstring); nothing to check without one."""
        if self._log_files is not None and log_files(self.path) != self._log_files:
            raise LogReplacedError(
                f"{self.path}: another program deleted or replaced the project's write-ahead log "
                "while it was open here, so this window no longer sees the file as it is and "
                "saves nothing more to it. Close the project and open it again to go on.")

    def _rollback_quietly(self) -> None:
        self._memory_cache = None  # it may hold label-memory rows that were rolled back
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

    def to_single_file(self) -> None:
        """Fold the write-ahead log into the file and stop using one (until the next open),
        so the project is one file that can be moved or copied while closed."""
        self.db.execute("PRAGMA journal_mode = DELETE")
        self._log_files = None  # no log any more, by our own doing

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._set_meta(key, value)


def log_files(path: Path) -> tuple | None:
    """(device, inode) of a WAL project's `-wal` and `-shm` files, None when either is missing.
    `os.stat` opens no descriptor, so asking cannot drop the process's locks."""
    try:
        return tuple((st.st_dev, st.st_ino) for st in (os.stat(f"{path}-wal"), os.stat(f"{path}-shm")))
    except OSError:
        return None


def _file_id(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (device, inode), None if none: a stat, no descriptor opened."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
