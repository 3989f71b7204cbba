"""Defence in depth (issue 21): if something in the app's process still drops SQLite's locks
on the project (a plugin, a shell extension) and another program then deletes the write-ahead
log, the window's connection refuses to write instead of writing where nobody reads.

`open(path).close()` below is what Qt's MIME sniffing did in the file dialogs: it drops every
POSIX lock this process holds on the file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.store import Store, StoreError
from tests.reliability.checks import integrity, lock_count

TEXT = "Minister Amara Velko warned on Tuesday that Norland would respond."


def read_in_another_process(path) -> None:
    """Another program opens the project, reads and closes it (as `annotator stats` does)."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM spans').fetchone(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)


def stored_spans(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT doc_id, start, end, label FROM spans ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "project.db", annotator="ana") as store:
        store.add_documents([AnnotatedDocument(Document(text=TEXT, title="Velko"))])
        yield store


def test_a_write_after_another_program_deleted_the_log_is_refused(store):
    doc_id = store.document_ids()[0]
    store.add_span(doc_id, 9, 20, "PERSON")
    assert lock_count(store.path) == 1
    open(store.path, "rb").close()  # a plugin reads the file: the process loses its locks
    assert lock_count(store.path) == 0
    read_in_another_process(store.path)  # believes it is alone: checkpoints, deletes the -wal
    with pytest.raises(StoreError, match="write-ahead log"):
        store.add_span(doc_id, 44, 51, "GPE")
    with pytest.raises(StoreError, match="write-ahead log"):  # and every later write
        store.set_meta("note", "x")
    assert stored_spans(store.path) == [(doc_id, 9, 20, "PERSON")]
    assert integrity(store.path) == "ok"


def test_a_reader_beside_the_open_project_does_not_stop_its_writes(store):
    doc_id = store.document_ids()[0]
    store.add_span(doc_id, 9, 20, "PERSON")
    read_in_another_process(store.path)  # locks held: it is not last, the log stays
    store.add_span(doc_id, 44, 51, "GPE")
    assert stored_spans(store.path) == [(doc_id, 9, 20, "PERSON"), (doc_id, 44, 51, "GPE")]
