"""The team's background jobs (ui/jobs.py's `Job` and job-function convention): assign, merge,
agreement. Each runs on a worker thread with its own Store; the handlers act on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.ui.jobs import Job, Progress

if TYPE_CHECKING:
    from annotator.ui.context import Ctx


def _team(ctx: Ctx):
    """The window's TeamController (ui/team/controller.py), which started the job: found by
    name, so this module and the controller need not import each other."""
    from PySide6.QtCore import QObject

    return ctx.window.findChild(QObject, "teamController")


def _assigned(ctx: Ctx, report, params: dict) -> None:
    _team(ctx).assigned(report)


def _merged(ctx: Ctx, report, params: dict) -> None:
    _team(ctx).merged(report)


def _measured(ctx: Ctx, report, params: dict) -> None:
    _team(ctx).measured(report)


ASSIGN = Job("assign", "Writing packs for {count} annotator(s)", single=True,
             busy="Packs are already being written.", done=_assigned)
MERGE = Job("merge", "Merging {count} pack(s)", single=True, busy="A merge is already running.",
            done=_merged)
AGREEMENT = Job("agreement", "Measuring agreement", single=True,
                busy="Agreement is already being measured.", done=_measured)


def assign_job(annotators: list[str], out: str, overlap: float | None, per_doc: int | None,
               seed: int):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.team.assign import assign

        return assign(store, annotators, out, overlap=overlap, per_doc=per_doc, seed=seed,
                      progress=progress)

    return job


def merge_job(paths: list[str]):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.team.merge import merge_packs

        return merge_packs(store, paths, progress=progress)

    return job


def agreement_job(annotators: list[str] | None = None):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.team.agreement import agreement

        return agreement(store, annotators=annotators, progress=progress)

    return job
