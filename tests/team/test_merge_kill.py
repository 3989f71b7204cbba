"""SIGKILL during a merge: the project is left as before or fully merged, never in between."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.domain import AnnotatedDocument, Document, Span
from annotator.store import Store
from annotator.team.assign import assign
from annotator.team.merge import merge_packs
from tests.reliability.checks import integrity
from tests.team.conftest import TEMPLATE, WORDS, at, layer

NAMES = ("alice", "bob", "carol")


def big_project(path: Path, n_docs: int) -> None:
    """Many documents with suggestions, written in two transactions."""
    with Store(path, annotator="lead") as store:
        ids = store.add_documents([AnnotatedDocument(Document(text=TEMPLATE.format(i=i)))
                                   for i in range(n_docs)])
        items = []
        for doc_id in ids:
            text = store.document(doc_id).text
            items.append((doc_id, [Span(doc_id, *at(text, WORDS[k]), label) for k, label in
                                   (("person", "PERSON"), ("gpe", "GPE"), ("quote", "QUOTE"),
                                    ("speaker", "SPEAKER"), ("place", "GPE"))],
                          [(2, 3, "SAID_BY")]))
        store.replace_suggestions_batch(items, "model-1")


def decide_everything(pack: Path, who: str, reject_label: str) -> None:
    """The annotator's decisions, written in bulk (test set-up, not the system under test)."""
    conn = sqlite3.connect(pack)
    with conn:
        conn.execute("UPDATE spans SET status = CASE label WHEN ? THEN 'rejected' ELSE"
                     " 'accepted' END, annotator = ?", [reject_label, who])
        conn.execute("UPDATE relations SET status = 'accepted', annotator = ?", [who])
        conn.execute("INSERT INTO actions(ts, kind, annotator, changes, undone) VALUES"
                     " ('2024-01-01', 'bulk', ?, '[]', 0)", [who])
    conn.close()


def _layers(project: Path) -> list[set]:
    return [layer(project, n) for n in NAMES]


@pytest.mark.slow
def test_sigkill_during_merge_leaves_the_project_as_before_or_fully_merged(tmp_path):
    project = tmp_path / "project.db"
    big_project(project, 1500)
    with Store(project) as store:
        assign(store, list(NAMES), tmp_path / "packs", overlap=1.0)
    packs = [tmp_path / "packs" / f"{n}.db" for n in NAMES]
    for pack, who, reject in zip(packs, NAMES, ("GPE", "QUOTE", "SPEAKER")):
        decide_everything(pack, who, reject)
    reference = tmp_path / "reference.db"
    shutil.copy(project, reference)
    with Store(reference) as store:
        merge_packs(store, packs)
    merged, before = _layers(reference), _layers(project)
    assert all(merged) and not any(before)
    cmd = [sys.executable, "-m", "annotator", "merge", "--db", str(project), *map(str, packs)]
    wal = Path(f"{project}-wal")
    killed_mid_way = 0
    for delay in (None, 0.0, 0.15, 0.4):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        proc.stderr.readline()  # "checking 3 pack(s)..." : the packs are being read
        deadline = time.monotonic() + 60
        if delay is None:  # as soon as the merge's transaction writes to the journal
            while (not wal.exists() or wal.stat().st_size == 0) and proc.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.002)
        else:
            time.sleep(delay)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        killed_mid_way += running
        assert integrity(project) == "ok"
        state = _layers(project)
        assert state in (before, merged), "a merge was left half done"
        if state == merged:
            break
    assert killed_mid_way, "no merge was killed while it ran: make the packs larger"
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert _layers(project) == merged
