"""The bundled sample articles and the demo project built from them.

The samples never go into the analyst's own project: Help > Open Demo Project opens a separate
project in the user's data folder, built here from resources/samples/*.txt with the model's
suggestions (built again whenever it is missing).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from annotator.resources import resources_dir

DEMO_MARK = "demo"  # meta key set in a demo project


def sample_paths() -> list[Path]:
    return sorted((resources_dir() / "samples").glob("*.txt"))


def ensure_sample(store) -> None:
    """Import the samples into an empty project (a project with documents is left alone)."""
    if store.document_count():
        return
    from annotator.services.importing import import_paths

    samples = sample_paths()
    if samples:
        import_paths(store, samples)


def is_demo(store) -> bool:
    return store.get_meta(DEMO_MARK) == "1"


def build_demo(path: Path, nlp=None, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] = lambda: False, engine=None) -> Path | None:
    """Write the demo project to `path`: the samples, pre-annotated by `nlp` (or a
    pre-annotation `engine`, see services/preannotate.py) if given.

    Built in a file beside it and renamed at the end, so the demo is whole or absent (an
    interrupted build leaves nothing to open). None when cancelled."""
    from annotator.store import Store

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _remove(partial)
    with Store(partial, annotator="demo") as store:
        ensure_sample(store)
        ids = store.document_ids()
        if progress:
            progress(0, len(ids))
        if nlp is not None or engine is not None:
            from annotator.services.preannotate import preannotate

            result = preannotate(store, ids, nlp=nlp, engine=engine, batch_size=2,
                                 cancelled=cancelled,
                                 progress=lambda done, total, _w: progress and progress(done, total))
            cancelled_now = result.cancelled
        else:
            cancelled_now = cancelled()
        if not cancelled_now:
            store.set_meta(DEMO_MARK, "1")
            store.to_single_file()  # nothing left in a -wal beside it: one file to move
    if cancelled_now:
        _remove(partial)
        return None
    _remove(path)
    os.replace(partial, path)
    return path


def _remove(db: Path) -> None:
    for file in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        file.unlink(missing_ok=True)


def gold_paths() -> list[Path]:
    """The hand-labelled gold of the samples (dev and held-out), lossless JSONL."""
    root = resources_dir() / "samples"
    return sorted(root.glob("*.gold.jsonl")) + sorted((root / "heldout").glob("*.gold.jsonl"))


def import_gold(store):
    """The sample articles with their gold labels as accepted labels (an analyst's corpus for
    the corpus view, its tests and screenshots)."""
    from annotator.services.importing import import_paths

    return import_paths(store, gold_paths())
