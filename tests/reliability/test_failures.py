"""Bad conditions get a clear message and leave the database as it was."""

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.services.backups import list_backups, make_backup, restore_backup
from annotator.store import Store, StoreError
from tests.reliability.checks import integrity


def test_read_only_database_reads_but_refuses_writes(db_path, doc_id, store):
    store.close()
    with Store(db_path, read_only=True) as ro:
        assert ro.document(doc_id).title == "Velko"
        with pytest.raises(StoreError, match="read-only"):
            ro.add_span(doc_id, 0, 8, "PERSON")
    with Store(db_path) as rw:
        assert rw.spans(doc_id) == [] and rw.actions() == []


def test_missing_file_and_folder_are_clear(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "nope.db", create=False)
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_damaged_database_is_refused(db_path, doc_id, store):
    store.close()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = os.urandom(3996)  # wreck the schema page, keep the header
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreError):
        Store(db_path)


def test_two_connections_see_each_others_commits(db_path, doc_id, store):
    with Store(db_path, annotator="second") as other:
        span = other.add_span(doc_id, 9, 20, "PERSON").new_span_id
        assert [s.id for s in store.spans(doc_id)] == [span]  # the first sees it on refresh
        store.add_span(doc_id, 44, 50, "GPE")
        assert len(other.spans(doc_id)) == 2


def test_busy_writer_gets_a_clear_message(db_path, doc_id, store):
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    store.db.conn.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(StoreError, match="in use by another program"):
            store.add_span(doc_id, 9, 20, "PERSON")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.spans(doc_id) == []


FULL_DISK_SCRIPT = textwrap.dedent("""
    import resource, signal, sys
    from annotator.cli import main
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.exit(main(sys.argv[2:]))
""")


def test_full_disk_refuses_the_import_and_keeps_the_database(tmp_path):
    db = tmp_path / "p.db"
    (tmp_path / "small.txt").write_text("A small article.", encoding="utf-8")
    with Store(db) as s:
        s.add_documents([AnnotatedDocument(Document(text="existing"))])
    big = tmp_path / "big.txt"
    big.write_text("word " * 400_000, encoding="utf-8")  # 2 MB
    script = tmp_path / "limited.py"
    script.write_text(FULL_DISK_SCRIPT)
    out = subprocess.run([sys.executable, str(script), str(1_000_000), "import", str(big),
                          "--db", str(db)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    assert "could not save" in out.stderr and str(big) in out.stderr
    assert integrity(db) == "ok"
    with Store(db) as s:
        assert [d.text for d in s.iter_documents()] == ["existing"]


def test_backups_roll_and_restore(db_path, doc_id, store):
    store.add_span(doc_id, 9, 20, "PERSON")
    first = make_backup(store, keep=3)
    store.add_span(doc_id, 44, 50, "GPE")
    for _ in range(4):
        make_backup(store, keep=3)
    assert len(list_backups(db_path)) == 3 and first not in list_backups(db_path)
    assert integrity(list_backups(db_path)[0]) == "ok"
    store.close()
    # restore the oldest kept backup (two spans) after deleting everything
    with Store(db_path) as s:
        for span in s.spans(doc_id):
            s.delete_span(span.id)
    restore_backup(list_backups(db_path)[-1], db_path)
    with Store(db_path) as s:
        assert [sp.label for sp in s.spans(doc_id)] == ["PERSON", "GPE"]
    # the state before the restore was itself kept
    assert len(list_backups(db_path)) == 4


def test_restoring_a_non_project_changes_nothing(db_path, doc_id, store, tmp_path):
    store.close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 1000)
    with pytest.raises(StoreError):
        restore_backup(junk, db_path)
    with Store(db_path) as s:
        assert s.document(doc_id).title == "Velko"


def test_restore_while_another_program_writes_is_refused(db_path, doc_id, store):
    backup = make_backup(store)
    store.close()
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="in use by another program"):
            restore_backup(backup, db_path, timeout=0.1)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert list_backups(db_path) == [backup]  # refused before anything was touched
    assert integrity(db_path) == "ok"


def test_opening_a_locked_new_file_is_a_clear_error(tmp_path):
    path = tmp_path / "new.db"
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="in use by another program"):
            Store(path, timeout=0.1)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
