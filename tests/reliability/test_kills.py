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


def test_kill_during_preannotation_then_resume_without_duplicates(tmp_path):
    from annotator.resources import resources_dir

    samples = sorted((resources_dir() / "samples").glob("*.txt"))
    db = tmp_path / "p.db"
    with Store(db) as store:
        from annotator.domain import AnnotatedDocument, Document

        texts = [f"{p.read_text(encoding='utf-8')}\n(Copy {i}.)" for i in range(40) for p in samples]
        store.add_documents(AnnotatedDocument(Document(text=t)) for t in texts)
    n = len(texts)
    cmd = [sys.executable, "-m", "annotator", "preannotate", "--db", str(db), "--batch-size", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(proc, db, "SELECT count(*) FROM preannotations", 8, timeout=300)
    assert _integrity(db) == "ok"
    finished = _count(db, "SELECT count(*) FROM preannotations")
    assert 8 <= finished < n
    # every finished document has its suggestions; no document is half-written
    assert _count(db, "SELECT count(DISTINCT doc_id) FROM spans") == finished
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert f"({finished} already done)" in out.stdout
    with Store(db) as store:
        dupes = store.db.execute(
            "SELECT count(*) FROM (SELECT doc_id, start, end, label FROM spans"
            " GROUP BY doc_id, start, end, label HAVING count(*) > 1)").fetchone()[0]
        assert dupes == 0
        assert _count(db, "SELECT count(*) FROM preannotations") == n
        # the same texts get the same suggestions whether or not they were interrupted
        # (ignoring the "(Copy i.)" line that makes each text unique)
        counts = {}
        for doc_id in store.document_ids():
            base = store.document(doc_id).text.rsplit("\n", 1)[0]
            spans = {(s.start, s.end, s.label) for s in store.spans(doc_id) if s.end <= len(base)}
            counts.setdefault(base, set()).add(frozenset(spans))
        assert all(len(variants) == 1 for variants in counts.values())
