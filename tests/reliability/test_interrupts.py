"""A killed command leaves nothing behind: no orphaned workers, no half-written files that look
whole, no debris that blocks or clutters the rerun."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.store import Store


def _children(pid: int) -> set[int]:
    """Every descendant of `pid`, from /proc (psutil is not a dependency)."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as fh:
                    kids = {int(k) for k in fh.read().split()}
            except OSError:
                continue
            todo += list(kids - found)
            found |= kids
    return found


def _alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _stored(db) -> int:
    conn = sqlite3.connect(db, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM preannotations").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_preannotate_with_two_processes_leaves_no_worker(tmp_path):
    db = tmp_path / "p.db"
    with Store(db) as store:
        store.add_documents([AnnotatedDocument(Document(
            text=f"Article {i}\nAli Khan said on Monday that Lahore would host talks number {i}.\n"))
            for i in range(3000)])
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "preannotate", "--db", str(db),
                             "--n-process", "2"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:  # both workers loaded and working: results are being stored
        assert _wait_until(lambda: _stored(db) >= 40, 300), "pre-annotation never started"
        children = _children(proc.pid)
        assert len(children) >= 2
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    ended = _wait_until(lambda: not any(_alive(pid) for pid in children), 30)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:  # a failing run must not leave them either
        os.kill(pid, signal.SIGKILL)
    assert ended, f"orphans left: {left}"


def _pack_hashes(folder):
    from annotator.store.packs import read_pack

    return {p.name: sorted(d.content_hash for d in read_pack(p).documents)
            for p in sorted(folder.glob("*.db"))}


def _dealt(db):
    with Store(db) as store:
        hashes = {doc_id: digest for doc_id, digest, _ in store.document_hashes()}
        return {hashes[d]: sorted(who) for d, who in store.assignments().items()}


@pytest.mark.slow
def test_a_killed_assign_is_finished_by_the_same_command(tmp_path):
    import shutil

    db, twin = tmp_path / "p.db", tmp_path / "twin.db"
    with Store(db) as store:
        store.add_documents([AnnotatedDocument(Document(
            text=f"Article {i}\nAli Khan said on Monday that Lahore would host talks number {i}.\n"
                 * 3)) for i in range(6000)])
    shutil.copy(db, twin)

    def command(project, out):
        return [sys.executable, "-m", "annotator", "assign", "--db", str(project), "--annotators",
                "alice", "bob", "carol", "--out", str(out), "--seed", "5"]

    packs = tmp_path / "packs"
    proc = subprocess.Popen(command(db, packs), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    assert _wait_until(lambda: (packs / "alice.db").exists() or proc.poll() is not None, 300)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "assign finished before it could be killed"
    assert (packs / "alice.db").exists() and not _dealt(db)  # a pack written, no record yet
    rerun = subprocess.run(command(db, packs), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    whole = subprocess.run(command(twin, tmp_path / "uninterrupted"), capture_output=True,
                           text=True, timeout=600)
    assert whole.returncode == 0, whole.stderr
    assert _pack_hashes(packs) == _pack_hashes(tmp_path / "uninterrupted")
    assert _dealt(db) == _dealt(twin) and len(_dealt(db)) == 6000
    assert not [p.name for p in packs.iterdir() if ".part" in p.name]  # no half pack left
