"""UI-thread stalls while the real main window runs background jobs (no thresholds).

The window is open on a project (200 sample articles for pre-annotation, and synthetic articles
holding 100k accepted labels for the export), an article shown. A 10 ms QTimer heartbeat on the
UI thread records the longest gap between ticks while, one after the other:
* the model loads (Model > Choose Model: the LOAD_MODEL job),
* 200 documents are pre-annotated (the PREANNOTATE job, its result handler included),
* 1,000 files are imported (the IMPORT job and its handler),
* the project's 100k labels are exported as JSONL (the EXPORT job),
* a model is trained from 100 labelled articles, 40 steps (the TRAIN job).
Baseline: the same heartbeat with the same window open and idle for as long as the job took.

`STALL_WHY=1` also prints, for each gap over 40 ms, where the UI thread and the workers were
(sampled by a watchdog thread): whether the UI thread ran Python work or waited.

Run: QT_QPA_PLATFORM=offscreen python bench/stall_bench.py
"""

from __future__ import annotations

import collections
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QStandardPaths, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.domain import AnnotatedDocument, Document  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402

WHY = os.environ.get("STALL_WHY") == "1"


class Heartbeat:
    """The longest gap between 10 ms ticks on the UI thread (and, with STALL_WHY, a watchdog
    that samples the threads' stacks during a gap)."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=10)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.last = time.monotonic()
        self.samples: collections.Counter = collections.Counter()
        self.timer.timeout.connect(self._tick)
        self._ui = threading.get_ident()
        self._stop = threading.Event()

    def _tick(self) -> None:
        gap = self.clock.restart()
        self.longest = max(self.longest, gap)
        self.last = time.monotonic()
        if gap > 40:
            self.gaps.append((round(self.last - self.started, 2), gap))

    def start(self) -> None:
        self.longest = 0
        self.gaps: list[tuple[float, int]] = []
        self.started = time.monotonic()
        self.samples.clear()
        self.clock.start()
        self.last = time.monotonic()
        self.timer.start()
        if WHY:
            self._stop.clear()
            threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> float:
        self.timer.stop()
        self._stop.set()
        return float(self.longest)

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            if time.monotonic() - self.last < 0.03:
                continue
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                                   for f in reversed(traceback.extract_stack(frame)[-4:]))
                self.samples[("UI" if ident == self._ui else "worker", where)] += 1

    def why(self) -> None:
        print(f"#     gaps over 40 ms at (s after start, ms): {self.gaps}")
        for (who, where), n in self.samples.most_common(8):
            print(f"#     {n:3d}x {who}: {where}")


def wait_for(app: QApplication, runner, name: str, start) -> tuple[float, float, object]:
    """Start a job, spin the event loop until the runner reports it done; (longest gap ms,
    seconds, result)."""
    beat, loop, out = Heartbeat(), QEventLoop(), {}

    def done(job_name, result) -> None:
        if job_name == name:
            out["result"] = result
            loop.quit()

    runner.task_done.connect(done)
    beat.start()
    t = time.perf_counter()
    worker = start()
    if worker is None:
        raise RuntimeError(f"{name} did not start")
    loop.exec()
    seconds = time.perf_counter() - t
    stall = beat.stop()
    runner.task_done.disconnect(done)
    while runner.running(name):
        app.processEvents()
    if WHY and beat.samples:
        print(f"# where the threads were during gaps over 40 ms ({name}):")
        beat.why()
    return stall, seconds, out.get("result")


def idle(app: QApplication, seconds: float) -> float:
    beat, loop = Heartbeat(), QEventLoop()
    beat.start()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    return beat.stop()


def samples(n: int) -> list[str]:
    from annotator.resources import resources_dir

    texts = [p.read_text(encoding="utf-8")
             for p in sorted((resources_dir() / "samples").glob("*.txt"))]
    return [re.sub(r"\bNorland\b", f"Norland{i % 7}", texts[i % len(texts)])
            + f"\n(Report {i}.)" for i in range(n)]


def build_project(path: Path) -> tuple[list[int], list[int]]:
    """(the 200 sample articles' ids, the first 100 labelled articles' ids: training's)."""
    from tests.formats.corpus import make_bundles

    with Store(path, annotator="bench") as store:
        ids = store.add_documents(AnnotatedDocument(Document(text=t)) for t in samples(200))
        first, spans, labelled = 1000, 0, []
        while spans < 100_000:
            bundles = make_bundles(500, n_paragraphs=4, seed=first, first=first)
            labelled += store.add_documents(bundles)
            spans += sum(len(b.spans) for b in bundles)
            first += 500
    return ids, labelled[:100]


def main() -> int:
    try:
        import annotator.nlp.models  # noqa: F401
    except ImportError as exc:
        print(f"bench: skipped UI stalls: annotator.nlp not importable ({exc})")
        return 0
    from annotator.ui import jobs
    from annotator.ui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "project.db"
        ids, labelled = build_project(db)
        folder = tmp / "incoming"
        folder.mkdir()
        for i, text in enumerate(samples(1000)):
            (folder / f"article-{i:04d}.txt").write_text(f"Incoming {i}\n{text}", encoding="utf-8")
        settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("annotator/name", "bench")
        window = MainWindow(db, settings=settings, data_dir=tmp / "data")
        window.resize(1400, 900)
        window.show()
        for _ in range(20):
            app.processEvents()
        window.open_document(ids[0])
        runner = window.runner

        def load():
            window.models.choose("")
            return runner.running(jobs.LOAD_MODEL.name)[0]

        steps = [
            ("load_model", "loading the model", load),
            ("preannotate", "pre-annotating 200 documents",
             lambda: runner.start(jobs.PREANNOTATE, jobs.preannotate_job(ids, None),
                                  what="200 documents")),
            ("import", "importing 1,000 files", lambda: window.import_paths([str(folder)])),
            ("export", "exporting 100k spans (jsonl)",
             lambda: window.export("jsonl", str(tmp / "out.jsonl"))),
            ("train", "training a model (100 labelled documents, 40 steps)",
             lambda: runner.start(jobs.TRAIN, jobs.train_job(
                 {"out": str(tmp / "model"), "max_steps": 40, "doc_ids": tuple(labelled)}))),
        ]
        for name, text, start in steps:
            if name == "load_model":
                stall, seconds, _ = wait_for_model(app, window, start)
            else:
                stall, seconds, _ = wait_for(app, runner, name, start)
            base = idle(app, seconds)
            report(f"longest UI stall while {text} ({seconds:.1f} s)", stall, "ms", base)
        window.close()
    return 0


def wait_for_model(app: QApplication, window, start) -> tuple[float, float, None]:
    """Model loading is not a user job (no task_done): wait for the label to name the model."""
    beat = Heartbeat()
    beat.start()
    t = time.perf_counter()
    start()
    loop = QEventLoop()
    poll = QTimer(interval=5)
    poll.timeout.connect(lambda: None if window.runner.running("load_model") else loop.quit())
    poll.start()
    loop.exec()
    poll.stop()
    seconds = time.perf_counter() - t
    for _ in range(5):
        app.processEvents()
    stall = beat.stop()
    if WHY and beat.samples:
        print("# where the threads were during gaps over 40 ms (load_model):")
        beat.why()
    return stall, seconds, None


if __name__ == "__main__":
    raise SystemExit(main())
