"""SIGKILL in the middle of long jobs: the database stays sound and the job resumes cleanly."""

import signal
import sqlite3
import subprocess
import sys
import time

from annotator.store import Store


def _count(db, sql):
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0  # not created yet


def _kill_when(proc, db, sql, at_least, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("job finished before it could be killed: make it longer")
        if _count(db, sql) >= at_least:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
        time.sleep(0.01)
    proc.kill()
    raise AssertionError("job made no progress")


def _integrity(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_kill_during_import_then_resume_without_duplicates(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    n = 600
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(f"Article {i}\nBody of article number {i}.\n",
                                             encoding="utf-8")
    db = tmp_path / "p.db"
    cmd = [sys.executable, "-m", "annotator", "import", str(folder), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(proc, db, "SELECT count(*) FROM documents", 50)
    assert _integrity(db) == "ok"
    survived = _count(db, "SELECT count(*) FROM documents")
    assert 50 <= survived < n
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"{survived} already present" in out.stdout
    with Store(db) as store:
        titles = [d.title for d in store.iter_documents()]
    assert len(titles) == len(set(titles)) == n
