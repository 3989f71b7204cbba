"""A big project: opening it in the main window, and full-text search over it (issue 16).

A project of `BENCH_DOCS` documents (default 100,000; ~70 words and 3 spans each) is generated
in a temporary folder with plain sqlite3 inserts into a database the Store created, so the
schema, indexes and FTS triggers are the real ones.

* open: `MainWindow(project)` shown, up to the first document in the article and the first
  page of the corpus list (with its count) painted. Target: under 0.5 s. Baseline: bare
  sqlite3 on the same file (connect, the corpus list's first page of ids and titles, the first
  document's text) into a QPlainTextEdit, up to its first paint.
* search: typing words in the corpus list's search box and pressing Enter (FTS5 prefix query,
  the first page of matching rows with label counts and the match count). Target: under
  100 ms. Baseline: the bare FTS5 MATCH of the same query for the same first page, with
  plain sqlite3.

Run: QT_QPA_PLATFORM=offscreen python bench/project_bench.py
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402

N_DOCS = int(os.environ.get("BENCH_DOCS", "100000"))
REPEAT = 7
COMMON = ("the minister said on Tuesday that talks with officials would resume after clashes "
          "near the border crossing where residents reported shelling and police arrested "
          "protesters while the army denied any attack on civilians in the capital").split()
PLACES = ["Norland", "Port Ilse", "Dunmere", "Geneva", "Red Ridge", "Velmar", "Ostrava"]
SEARCHES = ["velko", "minister", "port ilse", "dunmere shelling", "report 4242"]


def generate(path: Path) -> None:
    from annotator.store import Store

    Store(path).close()  # the real schema, migrations and FTS triggers
    started = time.perf_counter()
    rng = random.Random(16)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    span_id = 0
    for doc in range(1, N_DOCS + 1):
        words = [rng.choice(COMMON) for _ in range(60)]
        place = PLACES[doc % len(PLACES)]
        person = "Amara Velko" if doc % 100 == 0 else f"Person{doc % 5000}"
        lead = f"{person} spoke in {place}."
        text = f"{lead} {' '.join(words)} (Report {doc}.)"
        conn.execute("INSERT INTO documents(id, text, title, published, content_hash, status,"
                     " meta, created, updated) VALUES (?,?,?,?,?,?,'{}','','')",
                     [doc, text, f"Report {doc}", f"2025-{1 + doc % 12:02d}-01", f"h{doc}",
                      ("new", "in_progress", "done")[doc % 3]])
        rows = []
        for label, start, end in (("PERSON", 0, len(person)),
                                  ("GPE", lead.index(place), lead.index(place) + len(place)),
                                  ("EVENT", len(lead) + 1, len(lead) + 1 + len(words[0]))):
            span_id += 1
            rows.append((span_id, doc, start, end, label,
                         "accepted" if doc % 4 else "suggested"))
        conn.executemany("INSERT INTO spans(id, doc_id, start, end, label, status, origin,"
                         " annotator, attrs, created, updated) VALUES (?,?,?,?,?,?,'human',"
                         "'bench','{}','','')", rows)
        if doc % 10000 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    print(f"# generated {N_DOCS:,} documents, {span_id:,} spans in "
          f"{time.perf_counter() - started:.0f} s ({path.stat().st_size / 1e6:.0f} MB)", flush=True)


def bare_open(path: Path, plain) -> None:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT id, title FROM documents ORDER BY id LIMIT 256").fetchall()
    (text,) = conn.execute("SELECT text FROM documents WHERE id = ?", [rows[0][0]]).fetchone()
    conn.execute("SELECT count(*) FROM documents").fetchone()
    conn.close()
    plain.setPlainText(text)
    plain.viewport().repaint()


def bench_open(app, path: Path, folder: Path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.ui.main_window import MainWindow

    plain = QPlainTextEdit()
    plain.resize(900, 700)
    plain.show()
    app.processEvents()
    ours, base, win = [], [], None
    for i in range(REPEAT):
        t = time.perf_counter()
        bare_open(path, plain)
        base.append(time.perf_counter() - t)
        if win is not None:
            win.close()
            win.deleteLater()
            app.processEvents()
        settings = QSettings(str(folder / f"settings{i}.ini"), QSettings.Format.IniFormat)
        settings.setValue("annotator/name", "bench")
        t = time.perf_counter()
        win = MainWindow(path, settings=settings, data_dir=folder / "data")
        win.resize(1300, 900)
        win.show()
        app.processEvents()
        win.repaint()
        ours.append(time.perf_counter() - t)
        if win.session.doc is None or win.corpus_model.rowCount() == 0:
            raise RuntimeError("the project opened without a document or corpus rows")
    plain.close()
    report(f"open a {N_DOCS // 1000}k-document project in the window (first document and "
           f"corpus page)", statistics.median(ours), "s", statistics.median(base))
    return win


def bench_search(app, path: Path, win) -> None:
    from annotator.store import fts_query

    conn = sqlite3.connect(path)
    panel = win.corpus
    for words in SEARCHES:
        query = fts_query(words)
        ours, base = [], []
        for _ in range(REPEAT):
            t = time.perf_counter()
            ids = [r[0] for r in conn.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid"
                " LIMIT 256", [query])]
            base.append(time.perf_counter() - t)
            panel.search.setText("")
            panel.apply_filter()
            app.processEvents()
            t = time.perf_counter()
            panel.search.setText(words)
            panel.apply_filter()  # what Enter does (typing waits SEARCH_DELAY_MS first)
            app.processEvents()
            ours.append(time.perf_counter() - t)
        hits = win.corpus_model.total()
        shown = [win.corpus_model.doc_id(r) for r in range(min(len(ids), 256))]
        if shown != ids:
            raise RuntimeError(f"search {words!r}: the list shows other documents than FTS")
        report(f"search {words!r} in {N_DOCS // 1000}k documents ({hits:,} hits, first page)",
               statistics.median(ours) * 1000, "ms", statistics.median(base) * 1000)
    conn.close()


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "big.db"
        generate(path)
        win = bench_open(app, path, folder)
        bench_search(app, path, win)
        win.close()
        win.deleteLater()
        app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
