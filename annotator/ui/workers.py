"""Background work: QObject workers moved to QThreads.

A worker runs one plain function off the UI thread and reports through signals carrying plain
data: `progress(done, total)`, `finished(result)`, `failed(message)`. If it needs the database it
opens its OWN Store on the project path (SQLite connections stay in their thread) and closes it
when done. Cancelling sets a flag the function polls between batches; nothing is ever killed.

Connect the signals to methods of QObjects that live in the UI thread (ui/tasks.py's TaskRunner,
the model controller, the backups): Qt then queues the calls into the UI thread's event loop.
The jobs themselves (plain functions) are declared in ui/jobs.py.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

# fn(progress, cancelled) or, with a database, fn(store, progress, cancelled)
Progress = Callable[[int, int], None]

# Progress reaches the UI at most this often (and always at the start and the end): every
# report is a queued call the UI thread runs with the GIL, and a job reporting per file (a
# thousand files a second) queues so many that the heartbeat stalls waiting for them.
REPORT_EVERY_SECONDS = 0.05


def freeze_long_lived_objects() -> None:
    """Take what is alive now (modules, Qt wrappers, the window; spaCy once imported) out of
    the cyclic garbage collector's sight (`gc.freeze`).

    A full collection walks every tracked object with the GIL held; a worker that allocates a
    lot (an export, an import) triggers one every half second, and with the whole app in the
    heap each takes long enough for the UI thread, waiting for the GIL, to stall visibly. Frozen objects are
    still freed by reference counting; only cycles among them would wait (there are none to
    speak of in modules and long-lived widgets)."""
    gc.collect()
    gc.freeze()


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
        self.params: dict[str, Any] = {}  # what it was started with (for its result handler)
        self._cancel = threading.Event()
        self._reported = -1.0  # time.monotonic() of the last progress report

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int) -> None:
        clock = time.monotonic()
        if done in (0, total) or clock - self._reported >= REPORT_EVERY_SECONDS:
            self._reported = clock
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

    ended = Signal(str)  # a worker's thread ended and was let go (its name)

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
                self.ended.emit(worker.name)

    def running(self, name: str | None = None) -> list[Worker]:
        return [w for w in self._running if name is None or w.name == name]

    def wait(self, name: str | None = None, wait_ms: int = 10_000) -> bool:
        """Block until the named workers' threads end (e.g. a backup before a restore)."""
        return all(thread.wait(wait_ms) for worker, thread in list(self._running.items())
                   if name is None or worker.name == name)

    def cancel_all(self, wait_ms: int = 10_000) -> None:
        """Ask every worker to stop and wait for the threads (used when the window closes)."""
        for worker in list(self._running):
            worker.cancel()
        for worker, thread in list(self._running.items()):
            if thread.wait(wait_ms):
                del self._running[worker]
