"""Background work: QObject workers moved to QThreads.

A worker runs one plain function off the UI thread and reports through signals carrying plain
data: `progress(done, total)`, `finished(result)`, `failed(message)`. If it needs the database it
opens its OWN Store on the project path (SQLite connections stay in their thread) and closes it
when done. Cancelling sets a flag the function polls between batches; nothing is ever killed.

Connect the signals to methods of QObjects that live in the UI thread (the main window): Qt then
queues the calls into the UI thread's event loop.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

# fn(progress, cancelled) or, with a database, fn(store, progress, cancelled)
Progress = Callable[[int, int], None]


class Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: Callable[..., Any], db_path: str | Path | None = None,
                 annotator: str = "", name: str = "task"):
        super().__init__()
        self.fn = fn
        self.db_path = Path(db_path) if db_path else None
        self.annotator = annotator
        self.name = name
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(int(done), int(total))

    @Slot()
    def run(self) -> None:
        try:
            if self.db_path is not None:
                from annotator.store import Store

                with Store(self.db_path, annotator=self.annotator, create=False) as store:
                    result = self.fn(store, self._report, self.is_cancelled)
            else:
                result = self.fn(self._report, self.is_cancelled)
        except Exception as exc:  # noqa: BLE001 -- reported to the UI, which shows it; the thread ends cleanly
            log.error("%s failed:\n%s", self.name, traceback.format_exc())
            self.failed.emit(f"{exc}" or type(exc).__name__)
        else:
            self.finished.emit(result)


class Tasks(QObject):
    """Starts workers on their own threads and keeps them alive until they end."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._running: dict[Worker, QThread] = {}

    def start(self, worker: Worker) -> Worker:
        thread = QThread()
        thread.setObjectName(worker.name)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: QThread.quit is thread-safe, and a queued call would never arrive while the
        # UI thread waits for the thread in cancel_all().
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._thread_finished)  # queued into this (UI) thread
        self._running[worker] = thread
        thread.start()
        return worker

    @Slot()
    def _thread_finished(self) -> None:
        thread = self.sender()
        for worker, t in list(self._running.items()):
            if t is thread:
                # Python owns both objects: dropping the last reference deletes them (no
                # deleteLater, which could delete them a second time).
                t.wait()
                del self._running[worker]

    def running(self, name: str | None = None) -> list[Worker]:
        return [w for w in self._running if name is None or w.name == name]

    def wait(self, name: str | None = None, wait_ms: int = 10_000) -> bool:
        """Block until the named workers' threads end (e.g. a backup before a restore)."""
        return all(thread.wait(wait_ms) for worker, thread in list(self._running.items())
                   if name is None or worker.name == name)

    def cancel_all(self, wait_ms: int = 10_000) -> None:
        """Ask every worker to stop and wait for the threads (used when the window closes)."""
        for worker, thread in list(self._running.items()):
            worker.cancel()
        for worker, thread in list(self._running.items()):
            if thread.wait(wait_ms):
                del self._running[worker]


# --- the jobs the window runs ------------------------------------------------------------------


_PIPELINES: dict[str, object] = {}  # loaded spaCy pipelines by model name ("" = default)
_PIPELINES_LOCK = threading.Lock()


def pipeline(model: str | None):
    """Load (once) and return a pipeline; call from a worker thread only."""
    from annotator.nlp.models import load_pipeline

    key = model or ""
    with _PIPELINES_LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = load_pipeline(model or None)
        return _PIPELINES[key]


def load_model_job(model: str | None):
    """fn(progress, cancelled): loads the pipeline into the cache; returns its origin name."""

    def job(progress: Progress, cancelled: Callable[[], bool]):
        from annotator.nlp.models import model_origin

        return model_origin(pipeline(model))

    return job


UI_BATCH = 8  # documents per nlp.pipe batch and per transaction: short GIL holds, quick cancel


def preannotate_job(doc_ids: list[int] | None, model: str | None, force: bool = False,
                    batch_size: int = UI_BATCH):
    """fn(store, progress, cancelled) running the pre-annotation service."""

    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.preannotate import preannotate

        ids = store.document_ids() if doc_ids is None else list(doc_ids)
        progress(0, len(ids))
        nlp = pipeline(model)
        if cancelled():
            return None
        return preannotate(store, ids, model=model or None, nlp=nlp, force=force,
                           batch_size=batch_size,
                           progress=lambda done, total, words: progress(done, total),
                           cancelled=cancelled)

    return job


def import_job(paths: list[str]):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.importing import expand_paths, import_paths

        files = list(expand_paths(paths))
        done = [0]

        def step(_path) -> None:
            done[0] += 1
            progress(done[0], len(files))

        return import_paths(store, files, progress=step)

    return job


def export_job(fmt: str, out: str, include_suggestions: bool, doc_status: str = ""):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.exporting import ExportFilter, export

        flt = ExportFilter(include_suggestions=include_suggestions, doc_status=doc_status)
        return export(store, fmt, Path(out), flt, progress=progress)

    return job


def backup_job(keep: int):
    """fn(store, progress, cancelled): a rolling backup of the project; returns its path."""

    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.backups import make_backup

        return make_backup(store, keep)

    return job


def discover_models_job():
    """Lists installed spaCy pipelines (slow: imports spaCy), off the UI thread."""

    def job(progress: Progress, cancelled: Callable[[], bool]):
        return discover_models()

    return job


def discover_models() -> list[tuple[str, str]]:
    """(value to pass as `model`, text to show) for every pipeline the nlp layer can find."""
    try:
        from annotator.nlp.models import discover_pipelines
    except ImportError:
        return []
    found = []
    for item in discover_pipelines() or ():
        if isinstance(item, str):
            found.append((item, item))
            continue
        value = (getattr(item, "path_or_package", "") or getattr(item, "name", "")
                 or getattr(item, "path", ""))
        shown = getattr(item, "name", "") or str(value)
        version = getattr(item, "version", "")
        if version:
            shown += f" {version}"
        if value:
            found.append((str(value), shown))
    return found
