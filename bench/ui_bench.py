"""UI benchmarks (no thresholds): opening and highlighting articles, and UI-thread stalls while
a worker pre-annotates.

* open + highlight a 5k-word and a 50k-word article (~1 span per 10 words) in the
  ArticleView, up to the first paint (blocks are highlighted as they are laid out, so what is
  on screen); baseline: plain QPlainTextEdit.setPlainText of the same text up to its first
  paint. The two alternate, run by run, so that the machine's load hits both alike.
* the same 50k-word article opened in the main window from its project (reading the document
  and its spans from the store, the label memory's pass, the panels), same baseline.
* add one span to the 50k-word article (targeted re-highlight); baseline: re-highlighting the
  whole document (every block formatted now, as a QSyntaxHighlighter does).
* the longest UI-thread stall (gap between 10 ms QTimer heartbeats) while a worker thread loads
  the model, and while it pre-annotates 200 documents; baseline: the same heartbeat while an idle
  worker thread waits. Skipped with a message if annotator.nlp is not importable.

Run: QT_QPA_PLATFORM=offscreen python bench/ui_bench.py
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.domain import ACCEPTED, SUGGESTED, AnnotatedDocument, Document, Span
from annotator.schema import load_schema
from annotator.ui.article_view import ArticleView
from bench.common import median_ms, report

WORDS = [
    "the", "minister", "said", "on", "Tuesday", "that", "Norland", "would", "respond", "to",
    "the", "attack", "near", "the", "border", "“we", "will", "not", "wait”", "officials", "in",
    "Port", "Ilse", "told", "reporters", "café", "😀", "talks", "resumed", "in", "Geneva",
]
LABELS = ["PERSON", "ORG", "GPE", "DATE", "QUOTE", "EVENT", "THREAT", "SPEAKER"]
REPEAT = 5
OPEN_REPEAT = 9


def article(n_words: int, words: list[str] = WORDS) -> tuple[str, list[Span]]:
    """n words in paragraphs of ~60, and a span over every 10th word (some two words long);
    the words cycle through `words`."""
    parts, spans, pos = [], [], 0
    for i in range(n_words):
        word = words[i % len(words)]
        sep = "\n" if i and i % 60 == 0 else (" " if i else "")
        pos += len(sep)
        parts.append(sep + word)
        if i % 10 == 3:
            end = pos + len(word)
            if i % 20 == 3 and i + 1 < n_words:
                end += 1 + len(words[(i + 1) % len(words)])  # two words, unless a break follows
                if (i + 1) % 60 == 0:
                    end = pos + len(word)
            spans.append(Span(1, pos, end, LABELS[(i // 10) % len(LABELS)],
                              SUGGESTED if i % 30 == 3 else ACCEPTED, id=len(spans) + 1))
        pos += len(word)
    return "".join(parts), spans




def paired_ms(fn, base, repeat: int = OPEN_REPEAT) -> tuple[float, float]:
    """Medians of fn and base, run alternately."""
    ours, theirs = [], []
    for _ in range(repeat):
        for f, out in ((base, theirs), (fn, ours)):
            t = time.perf_counter()
            f()
            out.append((time.perf_counter() - t) * 1000)
    return statistics.median(ours), statistics.median(theirs)


def bench_open(app: QApplication, schema) -> None:
    for n in (5_000, 50_000):
        bench_open_one(app, schema, n)


def bench_open_one(app: QApplication, schema, n: int) -> None:
    text, spans = article(n)
    plain = QPlainTextEdit()
    plain.setReadOnly(True)
    plain.resize(900, 700)
    plain.show()
    view = ArticleView(schema)
    view.resize(900, 700)
    view.show()
    app.processEvents()

    def open_plain() -> None:
        plain.setPlainText(text)
        plain.viewport().repaint()

    def open_view() -> None:
        view.set_document(text, spans)
        view.viewport().repaint()

    open_plain(), open_view()  # warm up both
    ours, base = paired_ms(open_view, open_plain)
    report(f"open+highlight {n // 1000}k words, {len(spans)} spans", ours, "ms", base)

    if n == 50_000:
        target = spans[len(spans) // 2]
        changed = [Span(1, target.start, target.end, "ORG", ACCEPTED, id=target.id)]

        def add_one() -> None:
            view.update_spans(changed, [])
            view.viewport().repaint()

        def rehighlight_all() -> None:
            highlighter = view.highlighter
            highlighter.rehighlight()
            block = view.document().begin()
            while block.isValid():
                highlighter.ensure(block)
                block = block.next()
            view.viewport().repaint()

        report("change one span, 50k words (targeted re-highlight)", median_ms(add_one), "ms",
               median_ms(rehighlight_all, 3))
    view.close()
    if n == 50_000:
        bench_open_window(app, text, spans, open_plain)
    plain.close()


def bench_open_window(app: QApplication, text: str, spans: list[Span], open_plain) -> None:
    """The real path: MainWindow.open_document of the article stored in a project (store read,
    label memory, session, view, panels), switching from a short document each time."""
    from PySide6.QtCore import QSettings

    from annotator.store import Store
    from annotator.ui.main_window import MainWindow

    short, short_spans = article(300)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "open.db"
        with Store(db) as store:
            store.add_documents([AnnotatedDocument(Document(text=text, title="long"), spans),
                                 AnnotatedDocument(Document(text=short, title="short"),
                                                   short_spans)])
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("annotator/name", "bench")
        win = MainWindow(db, settings=settings, data_dir=Path(tmp) / "data")
        win.resize(1300, 900)
        win.show()
        settle = time.perf_counter() + 2.0  # the window's start-up jobs (model discovery) end
        while time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.01)

        def open_long() -> None:
            win.open_document(1)
            win.view.viewport().repaint()

        def open_short() -> None:
            win.open_document(2)
            win.view.viewport().repaint()
            app.processEvents()

        times, base = [], []
        open_short()
        for _ in range(OPEN_REPEAT):
            t = time.perf_counter()
            open_plain()
            base.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            open_long()
            times.append((time.perf_counter() - t) * 1000)
            open_short()
        win.close()
        win.deleteLater()
        app.processEvents()
    report(f"open 50k words in the window (store, memory, session, view), {len(spans)} spans",
           statistics.median(times), "ms", statistics.median(base))


class Heartbeat:
    """Records the longest gap between 10 ms timer ticks on the UI thread."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=10)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return float(self.longest)


def run_worker(app: QApplication, worker, tasks) -> tuple[float, object, float]:
    """Start a worker, spin the event loop until it ends; (longest stall ms, result, seconds)."""
    beat = Heartbeat()
    loop = QEventLoop()
    out: dict = {}
    worker.finished.connect(lambda r: (out.setdefault("result", r), loop.quit()))
    worker.failed.connect(lambda m: (out.setdefault("error", m), loop.quit()))
    beat.start()
    t = time.perf_counter()
    tasks.start(worker)
    loop.exec()
    seconds = time.perf_counter() - t
    stall = beat.stop()
    while tasks.running():
        app.processEvents()
    if "error" in out:
        raise RuntimeError(out["error"])
    return stall, out.get("result"), seconds


def corpus(n: int) -> list[str]:
    from annotator.resources import resources_dir

    samples = [p.read_text(encoding="utf-8")
               for p in sorted((resources_dir() / "samples").glob("*.txt"))]
    return [re.sub(r"\bNorland\b", f"Norland{i % 7}", samples[i % len(samples)])
            + f"\n(Report {i}.)" for i in range(n)]


def bench_stall(app: QApplication) -> None:
    try:
        import annotator.nlp.models
        import annotator.nlp.suggestions  # noqa: F401
    except ImportError as exc:
        print(f"bench: skipped UI stall during pre-annotation: annotator.nlp not importable ({exc})")
        return
    import threading

    from annotator.store import Store
    from annotator.ui.jobs import load_model_job, preannotate_job
    from annotator.ui.workers import Tasks, Worker

    tasks = Tasks()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            store.add_documents(AnnotatedDocument(Document(text=t)) for t in corpus(200))

        stall_load, origin, load_s = run_worker(app, Worker(load_model_job(None), name="load"),
                                                tasks)
        stall_run, result, run_s = run_worker(
            app, Worker(preannotate_job(None, None), db_path=db, name="preannotate"), tasks)
        assert result is not None and result.processed == 200, result

        def idle_for(seconds: float):
            def job(progress, cancelled):
                threading.Event().wait(seconds)

            return Worker(job, name="idle")

        base_load = run_worker(app, idle_for(load_s), tasks)[0]
        base_run = run_worker(app, idle_for(run_s), tasks)[0]
    report(f"longest UI stall while loading the model ({origin}, {load_s:.1f} s)", stall_load,
           "ms", base_load)
    report(f"longest UI stall while pre-annotating 200 documents ({result.words:,} words, "
           f"{run_s:.1f} s)", stall_run, "ms", base_run)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    schema = load_schema()
    bench_open(app, schema)
    bench_stall(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
