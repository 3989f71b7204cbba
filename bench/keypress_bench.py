"""The label key press end to end, through the real main window (offscreen).

Ours: words selected in the article of a real project, then one label key (QTest key click on
the view) -> Review -> Session -> Store commit (+ action log, + what the label memory learns and
suggests at the other mentions) -> the change applied to the view, details, status bar and corpus
row -> events processed until the article's viewport has painted.

Three articles of the same shape (ui_bench.article: ~1 span per 10 words): every name in it once
(`label-keypress`: the memory looks and finds nothing), three times (`-3-mentions`: each press
also suggests the two other mentions) and twenty times (`-20-mentions`).

Baseline, measured in the same run and interleaved with ours so disk and CPU drift hit both: a
bare sqlite3 INSERT + COMMIT of one row into a table of the same shape (same columns and
indexes, WAL, synchronous=FULL, BEGIN IMMEDIATE), then one `QSyntaxHighlighter.rehighlightBlock`
of the same block on the same view, then the same wait for the viewport's paint. A second line
compares with the baseline without the paint (commit + rehighlightBlock only), as first asked.

Run: QT_QPA_PLATFORM=offscreen python bench/keypress_bench.py (BENCH_PROFILE=1: cProfile of
our key presses; BENCH_DIR=/dev/shm: RAM disk, to compare CPU work alone; BENCH_SCENARIO=name:
one scenario only).
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


SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ne", "so", "vi", "da", "re", "po", "li"]
# (name, how often each word occurs in the article, key presses measured)
SCENARIOS = [("label-keypress", 1, PRESSES), ("label-keypress-3-mentions", 3, PRESSES // 2),
             ("label-keypress-20-mentions", 20, PRESSES // 4)]


def vocabulary(n: int) -> list[str]:
    """n distinct made-up names ("Kaloramine"): labelling one teaches the label memory a text
    that occurs exactly where the article repeats it."""
    out = []
    for i in range(n):
        digits, k = [], i
        for _ in range(4):
            digits.append(SYLLABLES[k % len(SYLLABLES)])
            k //= len(SYLLABLES)
        out.append("".join(digits).capitalize())
    return out


def measure(app: QApplication, folder: Path, mentions: int, presses: int):
    """(ours, baseline, baseline without the paint, ours handled) per key press, in seconds:
    PERSON key presses on first mentions of names that occur `mentions` times."""
    from annotator.ui.main_window import MainWindow

    text, spans = article(N_WORDS, vocabulary(N_WORDS // mentions))
    db = folder / f"project-{mentions}.db"
    with Store(db, annotator="bench") as store:
        store.add_documents([AnnotatedDocument(Document(text=text, title="bench"), spans)])
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("annotator/name", "bench")
    window = MainWindow(db, settings=settings, annotator="bench")
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    view = window.view
    view.setFocus()
    deadline = time.perf_counter() + 30
    while (window.tasks.running() or not view.hasFocus()) and time.perf_counter() < deadline:
        app.processEvents()  # model discovery finishes, the article takes the focus
    first: dict[str, tuple[int, int]] = {}
    for m in re.finditer(r"\w+", text):
        first.setdefault(m.group(), (m.start(), m.end()))
    conn = plain_table(folder / f"plain-{mentions}.db")
    counter = PaintCounter(view.viewport())
    ours, base, base_no_paint, ours_handled = [], [], [], []
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    targets = iter(sorted(first.values()))
    for i in range(presses + WARMUP):
        taken = [(s.start, s.end) for s in window.session.spans.values()]
        start, end = next((a, b) for a, b in targets
                          if not any(x < b and y > a for x, y in taken))
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
        added = len(window.session.spans) - n_spans
        if added < 1 or (mentions > 1 and i == 0 and added < 2):
            raise RuntimeError(f"key press {i} added {added} span(s)")
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
    return ours, base, base_no_paint, ours_handled


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    med = statistics.median
    only = os.environ.get("BENCH_SCENARIO")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        for name, mentions, presses in SCENARIOS:
            if only and only != name:
                continue
            ours, base, base_no_paint, handled = measure(app, Path(tmp), mentions, presses)
            print(f"# {len(ours)} key presses on a {N_WORDS:,}-word article, each name "
                  f"{mentions} time(s) in it; medians. Key handled (store commit + views updated) "
                  f"{med(handled) * 1000:.3f} ms vs commit + rehighlightBlock "
                  f"{med(base_no_paint) * 1000:.3f} ms; the rest is the paint", flush=True)
            report(name, med(ours) * 1000, "ms", med(base) * 1000)
            if mentions == 1:
                report("label-keypress-vs-unpainted-baseline", med(ours) * 1000, "ms",
                       med(base_no_paint) * 1000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
