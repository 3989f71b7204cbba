"""Store benchmarks: one committed label action, and reading 100k spans for export.

Baselines run plain `sqlite3` on the same machine, in the same run, doing the same writes/reads
(WAL, synchronous=FULL, one transaction per action) without our validation and action log.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import AnnotatedDocument, Document, Span  # noqa: E402
from annotator.services.exporting import export  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402

WORDS = "the minister said talks in the capital had failed after clashes on the border".split()


def synthetic_bundles(n_docs: int, spans_per_doc: int) -> list[AnnotatedDocument]:
    bundles = []
    for d in range(n_docs):
        words = [f"{WORDS[i % len(WORDS)]}{d}" for i in range(spans_per_doc * 4)]
        text = " ".join(words)
        spans, pos = [], 0
        for i, w in enumerate(words):
            if i % 4 == 0:
                spans.append(Span(None, pos, pos + len(w), "PERSON", id=i))
            pos += len(w) + 1
        bundles.append(AnnotatedDocument(Document(text=text, title=f"doc {d}"), spans))
    return bundles


def bench_label_action(folder: Path, n: int = 300) -> None:
    with Store(folder / "actions.db", annotator="bench") as store:
        (doc_id,) = store.add_documents(synthetic_bundles(1, 10))
        ours = []
        for _i in range(n):
            t = time.perf_counter()
            store.add_span(doc_id, 0, 4, "PERSON")
            ours.append(time.perf_counter() - t)
    conn = sqlite3.connect(folder / "plain.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, doc_id, start, end, label, status,"
                 " origin, annotator, attrs, created, updated)")
    plain = []
    for _i in range(n):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO spans(doc_id, start, end, label, status, origin, annotator, attrs,"
                     " created, updated) VALUES (1, 0, 4, 'PERSON', 'accepted', 'human', 'b', '{}',"
                     " 'now', 'now')")
        conn.execute("COMMIT")
        plain.append(time.perf_counter() - t)
    conn.close()
    report("label-action-commit-median", statistics.median(ours) * 1000, "ms",
           statistics.median(plain) * 1000)


def bench_export_100k(folder: Path) -> None:
    db = folder / "export.db"
    with Store(db) as store:
        store.add_documents(synthetic_bundles(500, 200))  # 100k spans
        t = time.perf_counter()
        export(store, "jsonl", folder / "out.jsonl")
        ours = time.perf_counter() - t
    t = time.perf_counter()
    conn = sqlite3.connect(db)
    with open(folder / "plain.jsonl", "w", encoding="utf-8") as fh:
        for doc_id, text in conn.execute("SELECT id, text FROM documents ORDER BY id"):
            spans = [{"start": s, "end": e, "label": lab} for s, e, lab in conn.execute(
                "SELECT start, end, label FROM spans WHERE doc_id = ? AND status = 'accepted'"
                " ORDER BY start", [doc_id])]
            fh.write(json.dumps({"text": text, "spans": spans}) + "\n")
    conn.close()
    plain = time.perf_counter() - t
    report("export-jsonl-100k-spans", ours, "s", plain)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        bench_label_action(Path(tmp))
        bench_export_100k(Path(tmp))
