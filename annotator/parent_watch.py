"""Worker processes end when the process that started them dies.

A SIGKILLed parent cannot shut its pool down: without this its spawned workers (a loaded model
each, ~425 MB) and multiprocessing's resource tracker wait forever for work that never comes.
A daemon thread notices the parent is gone (this process was re-parented) and ends the worker.
Polling `os.getppid()` works wherever Python runs; Linux's PR_SET_PDEATHSIG is not used because
it fires when the parent *thread* that started the worker ends, which in the GUI is not the end
of the app.
"""

from __future__ import annotations

import os
import threading
import time

POLL_SECONDS = 0.5


def end_with_parent(parent_pid: int) -> None:
    """Start (once per process) a watchdog that exits this process when `parent_pid` is no
    longer its parent."""
    global _watching
    if _watching:
        return
    _watching = True
    if os.getppid() != parent_pid:  # already orphaned before the watch began
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="end-with-parent", daemon=True).start()


_watching = False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(1)  # no cleanup to run: the parent that would receive our results is gone
