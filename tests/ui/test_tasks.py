"""The TaskRunner on the real window: a new background job is one function plus one `Job`
declaration, and the status bar, Cancel, failures and `task_done` come with it."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMessageBox

from annotator.ui.jobs import Job


def count_documents(store, progress, cancelled):
    """A job function: runs on a worker thread with its own Store on the project."""
    progress(1, 1)
    return store.document_count(), threading.get_ident()


def test_a_new_job_is_one_function_and_one_declaration(qtbot, window):
    seen = []
    count = Job("count", "Counting {what}", done=lambda c, result, params: seen.append(
        (result[0], params, c.session.doc is not None)))
    with qtbot.waitSignal(window.task_done, timeout=10_000) as blocker:
        assert window.runner.start(count, count_documents, what="documents") is not None
        assert window.progress.isVisible() and window.cancel_button.isVisible()
        assert window.actions.cancel_task.isEnabled()
        assert window.statusBar().currentMessage() == "Counting documents\u2026"
    name, (n, thread) = blocker.args
    assert name == "count" and n == 3 and thread != threading.get_ident()
    assert seen == [(3, {"what": "documents"}, True)]  # the handler ran first, with the services
    qtbot.waitUntil(lambda: not window.runner.running("count"))
    assert not window.progress.isVisible() and not window.actions.cancel_task.isEnabled()


def test_a_failing_job_says_so_and_reports_none(qtbot, window):
    def broken(store, progress, cancelled):
        raise ValueError("the input is bad")

    with qtbot.waitSignal(window.task_done, timeout=10_000) as blocker:
        window.runner.start(Job("broken", "Breaking"), broken)
    assert blocker.args == ["broken", None]
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.windowTitle() == "The task failed"
    assert box.text() == "the input is bad"
    qtbot.waitUntil(lambda: not window.progress.isVisible())


def test_a_single_job_refuses_a_second_run_and_cancel_reaches_it(qtbot, window):
    release = threading.Event()

    def waits(store, progress, cancelled):
        release.wait(10)
        return cancelled()

    one = Job("waits", "Waiting", single=True, busy="Already waiting.")
    first = window.runner.start(one, waits)
    try:
        assert window.runner.start(one, waits) is None
        assert window.statusBar().currentMessage() == "Already waiting."
        with qtbot.waitSignal(window.task_done, timeout=10_000) as blocker:
            window.actions.cancel_task.trigger()
            assert first.is_cancelled()
            release.set()
        assert blocker.args == ["waits", True]
    finally:
        release.set()
        window.tasks.wait()


def test_a_job_that_needs_the_database_needs_an_open_project(qtbot, window):
    window.close_project()
    assert window.runner.start(Job("count", "Counting"), count_documents) is None
    assert window.preannotate() is None and window.import_paths(["x.txt"]) is None
    assert not window.runner.user_tasks() and not window.progress.isVisible()


def test_reports_arriving_after_the_window_stopped_its_tasks_are_ignored(qtbot, window):
    """Closing the window waits for running jobs and lets their workers go; the reports they
    queued just before (a result, a failure) must then arrive quietly (pytest-qt fails the test
    on any exception raised in the event loop)."""
    seen = []
    ok = Job("ok", "Finishing", done=lambda c, result, params: seen.append(result))

    def broken(store, progress, cancelled):
        raise ValueError("too late to say")

    window.runner.start(ok, count_documents)
    window.runner.start(Job("broken", "Breaking"), broken)
    window.runner.stop_all()  # blocks until both threads ended: their reports are queued
    assert not window.runner.running()
    qtbot.wait(100)  # the queued reports are delivered now
    assert seen == []
