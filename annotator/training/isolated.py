"""Training in a child process: `train` with the same arguments, run where it cannot stall a window.

Why: spaCy's training loop is Python between its numpy calls and holds the interpreter lock for
tens of milliseconds at a time; on a worker thread of the app's process that stalls the UI
thread (bench/stall_bench.py measures by how much). In a child process the window keeps its lock.
The child reads the project file itself (it only reads), reports every step back through a
queue and stops at the next step when the parent sets the cancel event, keeping the last good
model just as `train` does in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from annotator.training.options import TrainOptions, TrainResult

# progress(step, total, loss, scores), as training/progress.py's (which imports spaCy)
Progress = Callable[[int, int, Any, Any], None]

POLL_SECONDS = 0.1


class TrainingFailed(RuntimeError):
    """The child process raised (the message is its error) or ended without a result."""


def _child(db_path: str, options: dict, messages, cancel, parent_pid: int) -> None:
    """The child's whole life: train, sending ("step", ...) messages, then one ("done", result)
    or ("error", message). It ends with its parent (annotator/parent_watch.py)."""
    from annotator.parent_watch import end_with_parent

    end_with_parent(parent_pid)
    try:
        from annotator.training.train import train

        def step(done, total, loss, scores) -> None:
            messages.put(("step", (done, total, loss, scores)))

        result = train(db_path, TrainOptions(**options), progress=step, cancelled=cancel.is_set)
        messages.put(("done", result))
    except BaseException as exc:  # noqa: BLE001 -- everything goes back to the parent
        messages.put(("error", f"{exc}" or type(exc).__name__, traceback.format_exc()))


def train_isolated(db_path: Path | str, options: TrainOptions, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> TrainResult:
    """`train(db_path, options, progress, cancelled)` in a spawned child process (call it from a
    worker thread: it waits for the child). Raises TrainingFailed with the child's error."""
    context = multiprocessing.get_context("spawn")
    messages, cancel = context.Queue(), context.Event()
    child = context.Process(target=_child, name="annotator-train", daemon=True,
                            args=(str(db_path), asdict(options), messages, cancel, os.getpid()))
    child.start()
    try:
        while True:
            if cancelled is not None and cancelled():
                cancel.set()
            try:
                kind, *payload = messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not child.is_alive():
                    raise TrainingFailed(f"the training process ended without a result (exit "
                                         f"code {child.exitcode})") from None
                continue
            if kind == "step":
                if progress is not None:
                    progress(*payload[0])
            elif kind == "done":
                return payload[0]
            else:
                raise TrainingFailed(payload[0])
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()
