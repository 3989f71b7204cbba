"""The label key press end to end, through the real main window (offscreen).

Ours: words selected in the article of a real project, then one label key (QTest key click on
the view) -> Review -> Session -> Store commit (+ action log) -> the change applied to the view,
details, status bar and corpus row -> events processed until the article's viewport has painted.

Baseline, measured in the same run and interleaved with ours so disk and CPU drift hit both: a
bare sqlite3 INSERT + COMMIT of one row into a table of the same shape (same columns and
indexes, WAL, synchronous=FULL, BEGIN IMMEDIATE), then one `QSyntaxHighlighter.rehighlightBlock`
of the same block on the same view, then the same wait for the viewport's paint. A second line
compares with the baseline without the paint (commit + rehighlightBlock only), as first asked.

Run: QT_QPA_PLATFORM=offscreen python bench/keypress_bench.py (BENCH_PROFILE=1: cProfile of
our key presses; BENCH_DIR=/dev/shm: RAM disk, to compare CPU work alone).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.domain import AnnotatedDocument, Document  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402
from bench.ui_bench import article  # noqa: E402

N_WORDS = 5_000
PRESSES = 200
WARMUP = 10


class PaintCounter(QObject):
    """Counts paint events of a widget (the article's viewport)."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def wait_paint(app: QApplication, counter: PaintCounter, before: int) -> None:
    deadline = time.perf_counter() + 5
    while counter.paints == before:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the article was not repainted")


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def plain_table(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, doc_id INTEGER, start INTEGER,"
                 " end INTEGER, label TEXT, status TEXT, origin TEXT, annotator TEXT, attrs TEXT,"
                 " created TEXT, updated TEXT)")
    conn.execute("CREATE INDEX spans_doc ON spans(doc_id, start)")
    conn.execute("CREATE INDEX spans_label ON spans(label)")
    return conn


def main() -> int:
    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        folder = Path(tmp)
        text, spans = article(N_WORDS)
        with Store(folder / "project.db", annotator="bench") as store:
            store.add_documents([AnnotatedDocument(Document(text=text, title="bench"), spans)])
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("annotator/name", "bench")
        window = MainWindow(folder / "project.db", settings=settings, annotator="bench")
        window.show()
        QTest.qWaitForWindowExposed(window)
        window.activateWindow()
        view = window.view
        view.setFocus()
        deadline = time.perf_counter() + 30
        while (window.tasks.running() or not view.hasFocus()) and time.perf_counter() < deadline:
            app.processEvents()  # model discovery finishes, the article takes the focus
        taken = [(s.start, s.end) for s in window.session.spans.values()]
        words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)
                 if not any(a < m.end() and b > m.start() for a, b in taken)]
        conn = plain_table(folder / "plain.db")
        counter = PaintCounter(view.viewport())
        ours, base, base_no_paint, ours_handled = [], [], [], []
        profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
        for i, (start, end) in enumerate(words[:PRESSES + WARMUP]):
            view.select_text(start, end)
            settle(app)
            n_spans = len(window.session.spans)
            before = counter.paints
            if profiler and i >= WARMUP:
                profiler.enable()
            t = time.perf_counter()
            QTest.keyClick(view, Qt.Key.Key_1)  # PERSON
            handled = time.perf_counter() - t
            wait_paint(app, counter, before)
            ours_s = time.perf_counter() - t
            if profiler:
                profiler.disable()
            if len(window.session.spans) != n_spans + 1:
                raise RuntimeError(f"key press {i} did not add a span")
            settle(app)
            block = view.document().findBlock(view.offsets.to_utf16(start))
            before = counter.paints
            t = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO spans(doc_id, start, end, label, status, origin, annotator,"
                         " attrs, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         [1, start, end, "PERSON", "accepted", "human", "bench", "{}",
                          "2024-01-01T00:00:00.000+00:00", "2024-01-01T00:00:00.000+00:00"])
            conn.execute("COMMIT")
            view.highlighter.rehighlightBlock(block)
            mid = time.perf_counter() - t
            view.viewport().update()
            wait_paint(app, counter, before)
            base_s = time.perf_counter() - t
            if i >= WARMUP:
                ours.append(ours_s)
                ours_handled.append(handled)
                base.append(base_s)
                base_no_paint.append(mid)
        conn.close()
        window.close()
        settle(app)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    med = statistics.median
    print(f"# {len(ours)} key presses on a {N_WORDS:,}-word article; medians. Key handled "
          f"(store commit + views updated) {med(ours_handled) * 1000:.3f} ms vs commit + "
          f"rehighlightBlock {med(base_no_paint) * 1000:.3f} ms; the rest is the paint",
          flush=True)
    report("label-keypress", med(ours) * 1000, "ms", med(base) * 1000)
    report("label-keypress-vs-unpainted-baseline", med(ours) * 1000, "ms",
           med(base_no_paint) * 1000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
