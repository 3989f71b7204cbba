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
