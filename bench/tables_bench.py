"""Analyst tables on a big project: 100k documents, 1M spans, 800k relations, 5k actors.

The project is generated in a temporary folder with plain sqlite3 inserts into a database the
Store created (so the schema, indexes and FTS triggers are the real ones). For each table we
time the Qt model from `reload()` to its first page of rows shown (the `reloaded` signal: the
query runs in the model's query thread, loader.py, and the rows come back through the UI
event loop), against a bare `SELECT ... ORDER BY ... LIMIT 256` of the same spans with plain
sqlite3 on the same file, in the same run (the slower paths below are compared with the same
bare query). Then the slower paths: the row count, sorting by a computed column, the actor and
text filters and grouping by actor; for each, the longest gap of a 10 ms QTimer heartbeat on
the UI thread while it runs (baseline: the same heartbeat idle). Last, a page at row 50,000
read by the ids fetched once per query, against `ORDER BY ... LIMIT 256 OFFSET 50000`.
Target: under 300 ms to first rows; a UI gap near the idle one.

`BENCH_DOCS` changes the size (default 100000; ten spans and eight relations per document).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import median_ms, report  # noqa: E402

N_DOCS = int(os.environ.get("BENCH_DOCS", "100000"))
N_ACTORS = 5000
REPEAT = 5
PARTS = [  # (label, text) in document order; {n} is the document number
    ("PERSON", "Minister Amara Velko{n}"), ("", " said on "), ("DATE", "Wednesday"),
    ("", " that "), ("GPE", "Norland{n}"), ("", " would respond. "),
    ("QUOTE", "\u201cWe will not wait for talks number {n} to fail,\u201d"), ("", " "),
    ("SPEAKER", "she"), ("", " "), ("CUE", "said"), ("", " in a statement. She threatened to "),
    ("THREAT", "close the border crossing at Port {n}"), ("", " after "),
    ("ORG", "the Red Ridge Brigade {n}"), ("", " "), ("EVENT", "attacked"),
    ("", " a police post in "), ("GPE", "Dunmere{n}"),
    ("", ". Residents said the situation was calm but tense and officials feared more clashes "
         "along the frontier in the coming days, according to local reports."),
]
RELATIONS = [  # (head index, tail index, role) over the labelled parts
    (3, 4, "SAID_BY"), (3, 5, "CUE"), (6, 4, "SOURCE"), (6, 2, "TARGET"),
    (8, 7, "PARTICIPANT"), (8, 9, "PLACE"), (8, 1, "TIME"), (4, 0, "SAME_AS"),
]


def generate(path: Path) -> float:
    from annotator.store import Store

    Store(path).close()  # the real schema, migrations and triggers
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    rng = random.Random(7)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO actors(id, name, type, aliases) VALUES (?, ?, 'PERSON', '[]')",
                     [(i, f"Actor {i}") for i in range(1, N_ACTORS + 1)])
    span_id = rel_id = 0
    modes = ["violence", "territory", "restrict", "arrest", "relations", "expel"]
    types = ["ATTACK", "PROTEST", "TALKS", "ARREST", "ARMED_CLASH", "STATEMENT"]
    for doc in range(1, N_DOCS + 1):
        text, offsets = "", []
        for label, part in PARTS:
            piece = part.format(n=doc)
            if label:
                offsets.append((label, len(text), len(text) + len(piece)))
            text += piece
        day = f"20{24 + doc % 3}-{1 + doc % 12:02d}-{1 + doc % 28:02d}"
        status = ("new", "in_progress", "done")[doc % 3]
        conn.execute("INSERT INTO documents(id, text, title, published, content_hash, status,"
                     " meta, created, updated) VALUES (?,?,?,?,?,?,'{}','','')",
                     [doc, text, f"Report {doc}", day, f"h{doc}", status])
        ids, rows = [], []
        actor = 1 + doc % N_ACTORS
        for label, start, end in offsets:
            span_id += 1
            ids.append(span_id)
            attrs = {"THREAT": f'{{"mode": "{rng.choice(modes)}"}}',
                     "EVENT": f'{{"type": "{rng.choice(types)}"}}',
                     "QUOTE": '{"kind": "direct", "speech_act": "threat"}'}.get(label, "{}")
            linked = actor if label in ("PERSON", "SPEAKER") else None
            state = "accepted" if doc % 10 else "suggested"
            rows.append((span_id, doc, start, end, label, state, "human", "bench", attrs, day,
                         day, linked))
        conn.executemany("INSERT INTO spans(id, doc_id, start, end, label, status, origin,"
                         " annotator, attrs, created, updated, actor_id)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        rels = []
        for head, tail, role in RELATIONS:
            rel_id += 1
            rels.append((rel_id, doc, ids[head], ids[tail], role, "accepted", "human", "bench"))
        conn.executemany("INSERT INTO relations(id, doc_id, head_id, tail_id, role, status,"
                         " origin, annotator, attrs) VALUES (?,?,?,?,?,?,?,?,'{}')", rels)
        if doc % 10000 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    print(f"# generated {N_DOCS:,} documents, {span_id:,} spans, {rel_id:,} relations in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


# The same first page in the same order, in one plain query with the best join order (the
# planner's own choice sorts every quote first: about 10x slower at 100k documents).
BARE = ("SELECT s.id, s.doc_id, s.start, s.end, s.attrs, d.title, d.published,"
        " substr(d.text, s.start + 1, s.end - s.start) FROM documents d CROSS JOIN spans s"
        " ON s.doc_id = d.id WHERE s.label = ? AND s.status IN ('accepted')"
        " ORDER BY d.published DESC, d.id DESC, s.start, s.id LIMIT 256")
LABEL = {"quotes": "QUOTE", "threats": "THREAT", "events": "EVENT"}




class Heartbeat:
    """A 10 ms QTimer on the UI thread: the longest gap between its ticks is how long the UI
    could not answer (about 10 ms when nothing blocks it)."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.gap = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gap = max(self.gap, now - self.last)
        self.last = now

    def restart(self) -> None:
        self.last, self.gap = time.perf_counter(), 0.0


def wait_until(signal, done, timeout_ms: int = 120_000) -> None:
    """Run the UI event loop until `done()` (checked whenever `signal` fires)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()
    signal.connect(lambda *_a: done() and loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect()
    assert done(), "timed out"


def idle_gap(beat: Heartbeat, ms: float) -> float:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    beat.restart()
    QTimer.singleShot(max(int(ms), 100), loop.quit)
    loop.exec()
    return beat.gap * 1000


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.analysis.paging import TableCursor
    from annotator.analysis.query import TableQuery
    from annotator.store import Store
    from annotator.ui.tables.model import AnalysisTableModel
    from annotator.ui.workers import freeze_long_lived_objects

    app = QApplication.instance() or QApplication([])  # noqa: F841 -- models need one
    folder = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="tables-bench-"))
    path = folder / "big.db"
    if not path.exists():
        generate(path)
    plain = sqlite3.connect(path)
    beat = Heartbeat()
    with Store(path, annotator="bench") as store:
        model = AnalysisTableModel(TableQuery(table="quotes"))
        model.set_store(store)  # its query thread opens its own read-only connection
        wait_until(model.state_changed, lambda: not model.busy())
        freeze_long_lived_objects()  # as the window does once built

        def first_rows(query, m=model):
            """From the header click (or filter) to the first page shown: the async path."""
            m.query = query
            m.reload()
            wait_until(m.reloaded, lambda: not m.loading)
            assert m.rowCount() > 0 or query.text
            took = (time.perf_counter() - started[0]) * 1000
            wait_until(m.state_changed, lambda: not m.busy())  # and its count
            return took

        started = [0.0]

        def timed(query, repeat):
            times, gaps, settle = [], [], []
            for _ in range(repeat):
                beat.restart()
                started[0] = time.perf_counter()
                times.append(first_rows(query))
                settle.append((time.perf_counter() - started[0]) * 1000)
                gaps.append(beat.gap * 1000)
            return statistics.median(times), statistics.median(settle), max(gaps)

        for table in ("quotes", "threats", "events"):
            ours, _settled, _gap = timed(TableQuery(table=table), REPEAT)
            bare = median_ms(lambda t=table: plain.execute(BARE, [LABEL[t]]).fetchall())
            report(f"{table} table: first rows on {N_DOCS // 1000}k documents", ours, "ms", bare)
        bare = median_ms(lambda: plain.execute(BARE, ["QUOTE"]).fetchall())
        cases = [
            ("row count", TableQuery(table="quotes")),
            ("sorted by speaker", TableQuery(table="quotes", sort="speaker")),
            ("filtered by actor", TableQuery(table="quotes", actor_id=42)),
            ("filtered by text", TableQuery(table="quotes", text="Port 4242")),
            ("sorted by time", TableQuery(table="events", sort="time")),
            ("grouped by speaker", TableQuery(table="quotes", by_actor=True)),
        ]
        for name, query in cases:
            first, settled, gap = timed(query, 3)
            if name == "row count":
                report(f"{query.table} table: {name} (first rows to counted)", settled, "ms",
                       bare)
                continue
            report(f"{query.table} table: {name}: first rows", first, "ms", bare)
            report(f"{query.table} table: {name}: longest UI-thread gap", gap, "ms",
                   idle_gap(beat, settled))
        # a page deep down: by the ids fetched once per query, against ORDER BY ... OFFSET
        for query in (TableQuery(table="quotes"), TableQuery(table="quotes", sort="speaker")):
            cursor = TableCursor(store, query)
            cursor.first(256)
            cursor.page(60_000, 256)  # the ids, once per query
            by_id = median_ms(lambda c=cursor: c.page(50_000, 256))
            offset = median_ms(lambda q=query: store.table_rows(q, 256, 50_000), 3)
            report(f"quotes table ({query.sort or 'date'} order): page at row 50,000 by id",
                   by_id, "ms", offset)
        model.shutdown()
    plain.close()


if __name__ == "__main__":
    main()
