"""Is a project or pack file built the way our migrations build it? Checked before any use.

A project or pack may come from someone else, and SQLite runs whatever the file holds: a trigger
`AFTER INSERT ON spans ... DELETE` made labels vanish while `add_span` returned normally, a slow
one stalled an import, a view named `documents` over an endless recursive CTE hung `merge`. So
before a file is read or written, its schema (one read of sqlite_master) is compared with what
MIGRATIONS create at its version, built once in memory: each of our tables must be a table with
our columns, and every trigger and view must be one of ours, word for word. Extra tables and
indexes are left alone (SQLite runs no code of theirs on our statements).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache

import sqlite_utils


@dataclass(frozen=True)
class Shape:
    """The schema objects of one database version: tables with their columns, and the SQL of
    every trigger and view."""

    tables: dict[str, frozenset[str]]
    code: dict[str, tuple[str, str]]  # name -> (type, sql) of triggers and views


def _shape_of(conn: sqlite3.Connection) -> Shape:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    tables = {}
    for kind, name, _sql in rows:
        if kind == "table" and not name.startswith("documents_fts"):  # FTS5 is optional
            tables[name] = frozenset(r[1] for r in conn.execute(f'PRAGMA table_info("{name}")'))
    code = {name: (kind, sql or "") for kind, name, sql in rows if kind in ("trigger", "view")}
    return Shape(tables, code)


@cache
def expected_shape(version: int) -> Shape:
    """What MIGRATIONS[:version] create, built in an in-memory database (once per version)."""
    from annotator.store.migrations import MIGRATIONS

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        for step in MIGRATIONS[:version]:
            step(db)
        return _shape_of(conn)
    finally:
        conn.close()


def structure_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """What in this file is not as our migrations made it at `version` (empty: all is ours).

    Reads only sqlite_master and the column lists: it runs no trigger and no view."""
    want = expected_shape(version)
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master").fetchall())
    problems = []
    for table, columns in want.tables.items():
        kind = kinds.get(table)
        if kind is None:
            problems.append(f"table {table!r} is missing")
        elif kind != "table":
            problems.append(f"{table!r} is a {kind}, not a table")
        else:
            have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
            missing = sorted(columns - have)
            if missing:
                problems.append(f"table {table!r} lacks column(s) {', '.join(missing)}")
    for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"):
        if want.code.get(name) != (kind, sql or ""):
            ours = " (it replaces one of ours)" if name in want.code else ""
            problems.append(f"{kind} {name!r} is not one News Annotator makes{ours}")
    return problems


def refusal(conn: sqlite3.Connection, version: int) -> str:
    """'' when the file is built as ours, else the message that says what is refused."""
    problems = structure_problems(conn, version)
    if not problems:
        return ""
    return ("refused: it holds what a News Annotator file never does, and SQLite would run it: "
            + "; ".join(problems))
