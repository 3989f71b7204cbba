"""Shared checks of the reliability tests."""

import sqlite3


def integrity(path) -> str:
    """SQLite's own verdict on a database file ('ok' when sound)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
