"""The one owner of background work: starts jobs, shows their progress, cancels, reports.

`TaskRunner.start(job, fn, **params)` runs a job function (ui/jobs.py) on a worker thread. For a
job the user waits for it shows a progress bar and a Cancel button in the status bar, shows a
failure in a box, calls the job's result handler and then emits `task_done(name, result)`
(result None when it failed or was cancelled before a result). Other jobs (model discovery,
backups) report to the `on_done`/`on_failed` slots their owner passes. Whoever starts or watches
background work gets this object, not the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QToolButton

from annotator.ui.feedback import Feedback
from annotator.ui.jobs import Job
from annotator.ui.plain import tip
from annotator.ui.workers import Tasks, Worker


class TaskRunner(QObject):
    task_done = Signal(str, object)  # a user job ended: its name, its result or None
    busy_changed = Signal()  # a user job started or ended: what can be done changes

    def __init__(self, feedback: Feedback, project: Callable[[], tuple[Path | None, str]],
                 parent: QObject | None = None):
        """`project()` gives the open project's path (None if none) and the annotator's name."""
        super().__init__(parent)
        self.feedback = feedback
        self.project = project
        self.ctx = None  # the services the result handlers act on (bind)
        self.tasks = Tasks(self)
        self.tasks.ended.connect(self._ended)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("%v / %m")
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.hide()

    def bind(self, ctx) -> None:
        self.ctx = ctx

    # --- what runs --------------------------------------------------------------------------------

    def running(self, name: str | None = None) -> list[Worker]:
        return self.tasks.running(name)

    def user_tasks(self) -> list[Worker]:
        """Running tasks the user waits for (not model discovery, loading or backups)."""
        return [w for w in self.tasks.running() if _is_user(w)]

    def cancel_user_tasks(self) -> None:
        for worker in self.user_tasks():
            worker.cancel()
        self.feedback.message("Stopping after the current batch\u2026", 4000)

    def stop_all(self) -> None:
        """Cancel everything and wait for the threads (the window closes)."""
        self.tasks.cancel_all()

    # --- starting ---------------------------------------------------------------------------------

    def start(self, job: Job, fn, on_done=None, on_failed=None, **params) -> Worker | None:
        """Run `fn` as `job`; None if refused (one already runs, or no project is open)."""
        if job.single and self.tasks.running(job.name):
            if job.busy:
                self.feedback.message(job.busy)
            return None
        db_path, annotator = self.project()
        if job.needs_db and db_path is None:
            return None
        worker = Worker(fn, db_path=db_path if job.needs_db else None, annotator=annotator,
                        name=job.name)
        worker.job, worker.params = job, params
        if job.user:
            worker.progress.connect(self._progress)
            worker.finished.connect(self._finished)
            worker.failed.connect(self._failed)
            label = job.label.format(**params)
            self.progress.setRange(0, 0)
            self.progress.setToolTip(tip(label))
            self.progress.show()
            self.cancel_button.show()
            self.feedback.message(f"{label}\u2026", 0)
        else:
            if on_done is not None:
                worker.finished.connect(on_done)
            worker.failed.connect(on_failed if on_failed is not None else self._failed)
        self.tasks.start(worker)
        if job.user:
            self.busy_changed.emit()
        return worker

    # --- reports (queued into the UI thread) ------------------------------------------------------

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _end_ui(self) -> None:
        if len(self.user_tasks()) <= 1:  # the one ending is registered until its thread ends
            self.progress.hide()
            self.cancel_button.hide()
        self.busy_changed.emit()

    @Slot(object)
    def _finished(self, result) -> None:
        worker = self.sender()
        if worker is None:
            # The window closed meanwhile: stop_all() waited for the thread and let the worker
            # go before this queued report arrived. Its work is committed; nobody is left to show
            # the result to.
            return
        self._end_ui()
        if worker.job.done is not None:
            worker.job.done(self.ctx, result, worker.params)
        self.task_done.emit(worker.name, result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        worker = self.sender()
        if worker is None:  # arrived after the window closed (see _finished)
            return
        user = _is_user(worker)
        if user:
            self._end_ui()
        self.feedback.error("The task failed", message)
        if user:
            self.task_done.emit(getattr(worker, "name", "task"), None)

    @Slot(str)
    def _ended(self, _name: str) -> None:
        if not self.user_tasks():
            self.progress.hide()
            self.cancel_button.hide()
        self.busy_changed.emit()


def _is_user(worker) -> bool:
    """Started as a user job, or by hand (tests): the user waits for it."""
    job = getattr(worker, "job", None)
    return job is None or job.user
