"""Background jobs: each is one job function plus one `Job` declaration.

A job function runs on a worker thread (ui/workers.py): `fn(progress, cancelled)`, or with
`needs_db` `fn(store, progress, cancelled)` on its own Store. The `Job` says what the status bar
shows, whether the user waits for it (progress bar, Cancel, failures in a box, the window's
`task_done` signal) and what to do with the result on the UI thread. `TaskRunner.start(JOB, fn,
**params)` (ui/tasks.py) runs it. Qt-free: the handlers act on the window's services (`Ctx`).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.ui.context import Ctx

Progress = Callable[[int, int], None]
Handler = Callable[["Ctx", Any, dict], None]  # (services, result or None if cancelled, params)


@dataclass(frozen=True)
class Job:
    name: str
    label: str = ""  # status-bar text while it runs: str.format(**params)
    needs_db: bool = True  # gets its own Store on the open project (nothing runs without one)
    user: bool = True  # the user waits for it: progress, Cancel, task_done; else silent
    single: bool = False  # refuse to start a second one while one runs...
    busy: str = ""  # ...and say this when refusing
    done: Handler | None = None  # on the UI thread, after the status bar shows the end


# --- result handlers (UI thread) ---------------------------------------------------------------


def _preannotated(ctx: Ctx, result, params: dict) -> None:
    if result is None:
        ctx.feedback.message("Pre-annotation cancelled.")
        return
    ctx.models.set_origin(result.origin)
    state = "stopped" if result.cancelled else "done"
    ctx.feedback.message(f"Pre-annotation {state}: {result.processed} document(s) with "
                         f"{result.origin}, {result.skipped} already done "
                         f"({result.words_per_second:,.0f} words/s).", 10000)
    ctx.session.reload_labels()
    ctx.window.reload_corpus()


def _imported(ctx: Ctx, report, params: dict) -> None:
    ctx.window.reload_corpus()
    summary = report.summary()
    ctx.feedback.message(summary[:1].upper() + summary[1:] + ".", 15000)
    if ctx.session.doc is None and report.added_ids:
        ctx.window.open_document(report.added_ids[0])
    if report.skipped:
        ctx.feedback.error_list("Some labels were skipped",
                                f"{len(report.skipped)} bad span(s) or relation(s) were skipped; "
                                "the rest of their documents was imported:", list(report.skipped))
    if report.problems:
        ctx.feedback.error_list("Some files were refused",
                                f"{len(report.problems)} of {report.files} file(s) were refused; "
                                "nothing was imported from them:", list(report.problems))
    if report.not_tried:
        ctx.feedback.error_list("Some files were not tried",
                                f"The import stopped at a failed save; {len(report.not_tried)} "
                                "file(s) were not tried:", list(report.not_tried))


def _demo_built(ctx: Ctx, path, params: dict) -> None:
    if path is None:
        ctx.feedback.message("The demo project was not built (cancelled).")
        return
    ctx.window.open_project(path, create=False)


def _exported(ctx: Ctx, count, params: dict) -> None:
    ctx.feedback.message(f"Exported {count} {params.get('which', '')}document(s) to "
                         f"{params['out']}.", 10000)


def _trained(ctx: Ctx, result, params: dict) -> None:
    ctx.window.learning.trained(result)


def _queued(ctx: Ctx, result, params: dict) -> None:
    ctx.window.learning.queued(result, params)


# --- the declarations -----------------------------------------------------------------------------

PREANNOTATE = Job("preannotate", "Pre-annotating {what}", single=True,
                  busy="Pre-annotation is already running.", done=_preannotated)
IMPORT = Job("import", "Importing {count} file(s)", done=_imported)
EXPORT = Job("export", "Exporting {fmt}", done=_exported)
DEMO = Job("demo", "Building the demo project", needs_db=False, single=True,
           busy="The demo project is being built.", done=_demo_built)
BACKUP = Job("backup", "Backing up", user=False)  # handled by ui/backups.py
CHECK = Job("check", "Checking the project", needs_db=False, user=False)  # ui/recovery.py
DISCOVER_MODELS = Job("discover", "Looking for models", needs_db=False, user=False)
LOAD_MODEL = Job("load_model", "Loading the model", needs_db=False, user=False, single=True)
COUNT_LABELS = Job("count_labels", "Counting accepted labels", user=False)  # the train dialog's
TRAIN = Job("train", "Training a model from your labels", single=True,
            busy="A model is already being trained.", done=_trained)
QUEUE = Job("queue", "Finding the most useful document", single=True,
            busy="Already looking for the most useful document.", done=_queued)

# --- the job functions (run on a worker thread) ---------------------------------------------------

_ENGINES: dict[str, object] = {}  # model processes by model name ("" = default)
_ENGINES_LOCK = threading.Lock()
_PIPELINES: dict[str, object] = {}  # pipelines loaded in this process (the learning queue's)
_PIPELINES_LOCK = threading.Lock()
_IMPORT_LOCK = threading.Lock()


def import_nlp() -> None:
    """Import spaCy and the nlp layer once, one thread at a time: two workers importing it for
    the first time together (model discovery and a training started at once) can see a
    half-imported spaCy and fail. Raises ImportError without the nlp layer."""
    with _IMPORT_LOCK:
        import annotator.nlp.models  # noqa: F401
        import annotator.training.progress  # noqa: F401  (spaCy's registry, the logger)


def model_process(model: str | None):
    """The model's worker process (started and loaded once; again if it died): call from a
    worker thread only. The pipeline lives in that process, never in the window's, so neither
    loading it nor parsing with it competes with the UI thread for the GIL."""
    from annotator.services.preannotate import ProcessEngine

    key = model or ""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None or engine.broken:
            if not _ENGINES:
                atexit.register(stop_model_processes)  # before the executor's own exit hooks
            _ENGINES[key] = engine = ProcessEngine(model or None, None, 1)
        return engine


def stop_model_processes() -> None:
    """End the model processes (the app quits)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.close()
        _ENGINES.clear()


def pipeline(model: str | None):
    """Load (once) and return a pipeline in this process, for work that needs the Doc objects
    here (the learning queue's scoring); call from a worker thread only."""
    import_nlp()
    from annotator.nlp.models import load_pipeline

    key = model or ""
    with _PIPELINES_LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = load_pipeline(model or None)
        return _PIPELINES[key]


def forget_pipeline(model: str | None) -> None:
    """Load `model` afresh next time (a trained folder written again): here and in its
    model process."""
    with _PIPELINES_LOCK:
        _PIPELINES.pop(model or "", None)
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(model or "", None)
    if engine is not None:
        engine.close()


def load_model_job(model: str | None):
    """fn(progress, cancelled): starts the model's process and loads it; returns its origin."""

    def job(progress: Progress, cancelled: Callable[[], bool]):
        return model_process(model).origin

    return job


UI_BATCH = 8  # documents per batch and per transaction: quick cancel, short write locks


def preannotate_job(doc_ids: list[int] | None, model: str | None, force: bool = False,
                    batch_size: int = UI_BATCH):
    """fn(store, progress, cancelled) running the pre-annotation service on the model's
    process; this thread only reads texts and commits what comes back."""

    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.preannotate import preannotate

        progress(0, 0)
        engine = model_process(model)
        if cancelled():
            return None
        ids = None if doc_ids is None else list(doc_ids)  # None: streamed from the store
        return preannotate(store, ids, engine=engine, force=force, batch_size=batch_size,
                           progress=lambda done, total, words: progress(done, total),
                           cancelled=cancelled)

    return job


def label_counts_job():
    """fn(store, progress, cancelled): what training would use now (training.label_counts)."""

    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.training import corpus  # plain Python: no spaCy needed to count

        return corpus.plan_labels(store.schema, corpus.read_documents(store))

    return job


def train_job(options: dict, report: Callable[..., None] | None = None):
    """fn(store, progress, cancelled) training a pipeline (training.train) from the project's
    accepted labels; `options`: TrainOptions fields; `report(step, total, loss, dev_scores)`
    hears every step (on the worker thread)."""

    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.training.isolated import train_isolated
        from annotator.training.options import TrainOptions

        def step(done: int, total: int, loss, scores) -> None:
            progress(done, total)
            if report is not None:
                report(done, total, loss, scores)

        # in its own process: spaCy's loop would hold the window's interpreter lock
        return train_isolated(store.path, TrainOptions(**options), progress=step,
                              cancelled=cancelled)

    return job


def queue_job(model: str | None):
    """fn(store, progress, cancelled): the unfinished documents, most useful first
    (training.queue), with the model in use."""

    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.training.queue import most_useful_next

        nlp = pipeline(model)
        return most_useful_next(store, nlp=nlp, progress=progress, cancelled=cancelled)

    return job


def import_job(paths: list[str]):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.importing import expand_paths, import_paths

        files = list(expand_paths(paths))
        done = [0]

        def step(_path) -> None:
            done[0] += 1
            progress(done[0], len(files))

        return import_paths(store, paths, progress=step)  # the paths: links are checked there

    return job


def demo_job(path: Path, model: str | None):
    """fn(progress, cancelled): the demo project from the bundled samples, with suggestions."""

    def job(progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.samples import build_demo

        try:
            engine = model_process(model)
        except ImportError:  # no nlp layer: the articles without suggestions
            engine = None
        return build_demo(path, None, progress=progress, cancelled=cancelled, engine=engine)

    return job


def export_job(fmt: str, out: str, include_suggestions: bool, doc_status: str = "",
               include_links: bool = False):
    def job(store, progress: Progress, cancelled: Callable[[], bool]):
        from annotator.services.exporting import ExportFilter, export

        flt = ExportFilter(include_suggestions=include_suggestions, doc_status=doc_status,
                           include_links=include_links)
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
        import_nlp()
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
