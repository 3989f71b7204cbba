"""The training logger: spaCy's loop reports each step to it; it calls our progress callback and
stops the run when the caller's `cancelled()` says so.

spaCy resolves the logger from the config by name (``news.training_progress.v1``), so the
callbacks -- plain Python objects -- cannot travel in the config; the config names a run id and
the run's callbacks wait here in `_RUNS` while it trains.
"""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from spacy.util import registry

# progress(step, total, loss, scores): loss is the mean loss per step since the last evaluation
# (None before the first), scores the last dev scores ({"score": weighted, "ents_f": ...}).
Progress = Callable[[int, int, "float | None", "dict[str, float] | None"], None]


class TrainingCancelled(Exception):
    """Raised inside spaCy's loop when the caller cancels; the loop saves its last checkpoint."""


@dataclass
class Run:
    total: int
    progress: Progress | None = None
    cancelled: Callable[[], bool] = lambda: False
    step: int = 0
    loss: float | None = None
    scores: dict[str, float] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)  # one row per evaluation

    def log(self, info: dict[str, Any] | None) -> None:
        self.step += 1
        if info is not None:
            self._evaluated(info)
        if self.progress:
            self.progress(min(self.step, self.total), self.total, self.loss, self.scores)
        if self.cancelled():
            raise TrainingCancelled()

    def _evaluated(self, info: dict[str, Any]) -> None:
        losses = info.get("losses") or {}
        window = self.step - (self.history[-1]["step"] if self.history else 0)
        self.loss = sum(losses.values()) / max(1, window)
        other = info.get("other_scores") or {}
        scores = {"score": float(info.get("score") or 0.0)}
        scores.update({k: float(v) for k, v in other.items()
                       if isinstance(v, (int, float))
                       and (k == "ents_f" or k.startswith("spans_") and k.endswith("_f"))})
        self.scores = scores
        per_type = {k: v for k, v in other.items() if k.endswith("_per_type") and isinstance(v, dict)}
        self.history.append({"step": self.step, "loss": self.loss, **scores, "per_type": per_type})

    def best(self) -> dict[str, Any] | None:
        """The evaluation spaCy kept as model-best (the last one with the top score)."""
        top = max((row["score"] for row in self.history), default=None)
        return next((row for row in reversed(self.history) if row["score"] == top), None)


_RUNS: dict[str, Run] = {}
_LOCK = threading.Lock()


@contextmanager
def registered(run: Run) -> Iterator[str]:
    """A run id the config's logger refers to, valid inside the block."""
    run_id = uuid.uuid4().hex
    with _LOCK:
        _RUNS[run_id] = run
    try:
        yield run_id
    finally:
        with _LOCK:
            _RUNS.pop(run_id, None)


@registry.loggers("news.training_progress.v1")
def make_progress_logger(run: str) -> Callable:
    def setup(nlp, stdout=sys.stdout, stderr=sys.stderr):
        with _LOCK:
            state = _RUNS.get(run)

        def log_step(info: dict[str, Any] | None) -> None:
            if state is not None:
                state.log(info)

        return log_step, lambda: None

    return setup
