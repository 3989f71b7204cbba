"""SIGKILL in the middle of long jobs: the database stays sound and the job resumes cleanly."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.store import Store
from tests.reliability.checks import integrity

pytestmark = pytest.mark.slow  # each test runs a real job in a child process and kills it


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


def test_kill_during_import_then_resume_without_duplicates(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    n = 12_000  # small files are committed in groups (of at most 5,000): kill between two
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(f"Article {i}\nBody of article number {i}.\n",
                                             encoding="utf-8")
    db = tmp_path / "p.db"
    cmd = [sys.executable, "-m", "annotator", "import", str(folder), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(proc, db, "SELECT count(*) FROM documents", 50)
    assert integrity(db) == "ok"
    survived = _count(db, "SELECT count(*) FROM documents")
    assert 50 <= survived < n
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"{survived} already present" in out.stdout
    with Store(db) as store:
        titles = [d.title for d in store.iter_documents()]
    assert len(titles) == len(set(titles)) == n


def _wal_bytes(db) -> int:
    try:
        return os.path.getsize(f"{db}-wal")
    except OSError:
        return 0


def test_kill_during_a_large_streamed_import_keeps_all_or_nothing_of_the_file(tmp_path):
    """One big JSONL file is one transaction: killed while it streams, the project holds what
    it held before (or, had the commit won the race, the whole file), never a part of it."""
    db = tmp_path / "p.db"
    with Store(db) as store:
        from annotator.domain import AnnotatedDocument, Document

        store.add_documents([AnnotatedDocument(Document(text="Already here before."))])
    n, words = 20_000, " ".join(f"w{i}" for i in range(150))
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Velko spoke {i}. {words}"
            fh.write(json.dumps({"text": text, "spans": [
                {"start": 0, "end": 5, "label": "PERSON"},
                {"start": 6, "end": 11, "label": "CUE"}]}) + "\n")
    cmd = [sys.executable, "-m", "annotator", "import", str(big), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _wal_bytes(db) < 4 * 2**20:  # well into the file: several MB written, uncommitted
        assert proc.poll() is None, "import finished before it could be killed: make it longer"
        assert time.monotonic() < deadline, "import made no progress"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert integrity(db) == "ok"
    docs = _count(db, "SELECT count(*) FROM documents")
    spans = _count(db, "SELECT count(*) FROM spans")
    assert (docs, spans) in ((1, 0), (n + 1, 2 * n)), (docs, spans)
    conn = sqlite3.connect(db)
    try:  # the full-text index matches the documents (raises if not)
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    finally:
        conn.close()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert _count(db, "SELECT count(*) FROM documents") == n + 1
    assert _count(db, "SELECT count(*) FROM spans") == 2 * n


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
    assert integrity(db) == "ok"
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


def test_kill_during_import_preannotate_then_the_same_command_resumes(tmp_path):
    """Killed while pre-annotating what it imported, the same command pre-annotates every
    imported document still without suggestions, says how many it resumed, duplicates none."""
    from annotator.resources import resources_dir

    samples = sorted((resources_dir() / "samples").glob("*.txt"))
    folder = tmp_path / "in"
    folder.mkdir()
    n = 0
    for i in range(12):
        for sample in samples:
            n += 1
            (folder / f"{n:03d}.txt").write_text(
                f"{sample.read_text(encoding='utf-8')}\n(Copy {i}.)", encoding="utf-8")
    db = tmp_path / "p.db"
    cmd = [sys.executable, "-m", "annotator", "import", str(folder), "--db", str(db),
           "--preannotate", "--batch-size", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(proc, db, "SELECT count(*) FROM preannotations", 4, timeout=300)
    assert integrity(db) == "ok"
    assert _count(db, "SELECT count(*) FROM documents") == n  # the import had committed
    finished = _count(db, "SELECT count(*) FROM preannotations")
    assert 4 <= finished < n
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert f"{n} already present" in out.stdout
    assert f"({finished} already done)" in out.stdout
    assert f"resumed {n - finished} document(s) imported earlier" in out.stdout
    assert _count(db, "SELECT count(*) FROM preannotations") == n
    assert _count(db, "SELECT count(DISTINCT doc_id) FROM spans") == n  # every one has some
    assert _count(db, "SELECT count(*) FROM (SELECT 1 FROM spans GROUP BY doc_id, start, end,"
                      " label HAVING count(*) > 1)") == 0


# --- a GUI labelling session ------------------------------------------------------------------

DRIVER = Path(__file__).with_name("gui_session_driver.py")


def _session_project(path: Path) -> None:
    """One long article; every other word is a model's GPE suggestion."""
    from annotator.domain import AnnotatedDocument, Document, Span

    words = [f"word{i}" for i in range(1200)]
    lines = [" ".join(words[i:i + 12]) + "." for i in range(0, len(words), 12)]
    text = "\n".join(lines)
    with Store(path, annotator="setup") as store:
        (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=text, title="Long"))])
        spans, pos = [], 0
        for i, word in enumerate(words):
            pos = text.index(word, pos)
            if i % 2:
                spans.append(Span(doc_id, pos, pos + len(word), "GPE"))
            pos += len(word)
        store.replace_suggestions(doc_id, "test-model", spans, [])


def test_kill_during_a_gui_labelling_session(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from tests.ui.conftest import formats_at, open_window

    db = tmp_path / "p.db"
    _session_project(db)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_NAME": "killed"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                      env.get("PYTHONPATH", "")]))
    errors = tmp_path / "driver-stderr.txt"
    with open(errors, "w") as err:
        proc = subprocess.Popen([sys.executable, str(DRIVER), str(db), str(tmp_path / "s.ini")],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    watchdog = threading.Timer(300, proc.kill)  # only against a hung driver; not a threshold
    watchdog.start()
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if sum(x.startswith("committed") for x in lines) >= 20:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait()
        lines += [x.strip() for x in proc.stdout.read().splitlines()]  # printed before the kill
    finally:
        watchdog.cancel()
        proc.stdout.close()
    committed = [x.split() for x in lines if x.startswith("committed")]
    assert len(committed) >= 20 and proc.returncode == -signal.SIGKILL, (
        lines[-5:], errors.read_text())
    assert [int(c[1]) for c in committed] == list(range(1, len(committed) + 1))

    assert integrity(db) == "ok"
    n = len(committed)
    logged = _count(db, "SELECT count(*) FROM actions")
    assert n <= logged <= n + 1  # the one in flight may have committed before its line
    reported = {int(c[3]): (int(c[4]), int(c[5]), c[6], c[2]) for c in committed}
    conn = sqlite3.connect(db)
    try:
        rows = {r[0]: r[1:] for r in conn.execute(
            "SELECT id, start, end, label, status, origin, annotator FROM spans")}
        kinds = [r[0] for r in conn.execute("SELECT kind FROM actions ORDER BY id")]
        human = conn.execute("SELECT count(*) FROM spans WHERE origin = 'human'").fetchone()[0]
        accepted = conn.execute(
            "SELECT count(*) FROM spans WHERE status = 'accepted'").fetchone()[0]
    finally:
        conn.close()
    for span_id, (start, end, label, kind) in reported.items():
        assert rows[span_id][:4] == (start, end, label, "accepted")
        assert rows[span_id][5] == "killed"
        assert rows[span_id][4] == ("human" if kind == "add_span" else "test-model")
    assert set(kinds) <= {"add_span", "accept"}
    assert [c[2] for c in committed] == kinds[:n]
    assert human == kinds.count("add_span")  # one span per label action, none duplicated
    assert accepted == len(kinds)

    # the app reopens on the killed session's database and shows every committed label
    settings = QSettings(str(tmp_path / "reopen.ini"), QSettings.Format.IniFormat)
    settings.setValue("annotator/name", "after")
    win = open_window(qtbot, db, settings)
    try:
        for span_id, (start, end, label, _kind) in reported.items():
            assert span_id in win.session.spans
            assert formats_at(win.view, start, end) == [f"accepted:{label}"]
        assert win.counts_label.text().startswith(f"{accepted} accepted")
    finally:
        win.close()
