"""Batch pre-annotation: run the spaCy pipeline over documents and store its suggestions.

Resumable: documents already pre-annotated by the same origin are skipped; each batch of
documents is written in one transaction, so an interruption loses at most the batches not yet
committed. Texts stream from the store a page at a time (id, text only) and suggestions go to
a writer thread (services/suggestion_writer.py): memory stays flat however large the corpus,
and the database work overlaps the parse. Beside the suggestions, the document-level record of
`doc_meta` (the dateline's place and agency) is added to each document's meta in the same
transaction.

The label memory applies after the model, in the same transaction (store/suggestions.py): texts
the analyst rejected for a label are dropped, names take their remembered canonical names, and
each document gets its memory suggestions.

Engines: in this process (`n_process=1`), in `n_process` worker processes that each load the
pipeline once and send back plain suggestion records, or on a Dask cluster
(services/cluster.py, `engine="dask"`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from annotator.store import Store

Progress = Callable[[int, int, int], None]  # (documents done, total, words done)


@dataclass
class PreannotateResult:
    origin: str
    processed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    cancelled: bool = False

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def documents_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


def preannotate(store: Store, doc_ids: Iterable[int] | None = None, *, model: str | None = None,
                nlp=None, batch_size: int = 32, n_process: int = 1, force: bool = False,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] = lambda: False,
                engine=None) -> PreannotateResult:
    """Pre-annotate `doc_ids` (None: every document). With `n_process` > 1 the worker
    processes load `model` themselves (None: the default pipeline) and `nlp` is not used;
    an `engine` (e.g. a long-lived ProcessEngine) is used as it is."""
    if engine is not None:
        return run(store, engine, doc_ids, batch_size=batch_size, force=force,
                   progress=progress, cancelled=cancelled)
    if n_process > 1:
        with ProcessEngine(model, store.schema.source_text, n_process) as engine:
            return run(store, engine, doc_ids, batch_size=batch_size, force=force,
                       progress=progress, cancelled=cancelled)
    return run(store, LocalEngine(nlp, model, store.schema), doc_ids, batch_size=batch_size,
               force=force, progress=progress, cancelled=cancelled)


def run(store: Store, engine, doc_ids: Iterable[int] | None = None, *, batch_size: int = 32,
        force: bool = False, progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False) -> PreannotateResult:
    """Feed the documents still to do through `engine` (`.origin`, `.records(items,
    batch_size, schema_toml)`) and commit what it returns, `batch_size` documents per
    transaction."""
    from annotator.services.suggestion_writer import SuggestionWriter

    ids = None if doc_ids is None else list(doc_ids)
    origin = engine.origin
    considered, total = store.count_to_preannotate(origin, ids, force)
    result = PreannotateResult(origin=origin, skipped=considered - total)
    started = time.perf_counter()
    items = store.texts_to_preannotate(origin, ids, force)
    if progress:
        progress(0, total, 0)
    reported = 0
    with SuggestionWriter(store.path, origin, batch_size) as writer:
        for record in engine.records(items, batch_size, store.schema.source_text):
            writer.add(record)
            if progress and writer.documents != reported:
                reported = writer.documents
                progress(reported, total, writer.words)
            if cancelled():
                result.cancelled = True
                break
    result.processed, result.words = writer.documents, writer.words
    result.seconds = time.perf_counter() - started
    if progress and result.processed != reported:
        progress(result.processed, total, result.words)
    return result


class LocalEngine:
    """The pipeline in this process: `nlp.pipe` batch by batch."""

    def __init__(self, nlp, model: str | None, schema):
        from annotator.nlp.models import load_pipeline, model_origin

        self.nlp = nlp or load_pipeline(model)
        self.origin = model_origin(self.nlp)
        self.schema = schema

    def records(self, items: Iterable[tuple[int, str]], batch_size: int,
                schema_toml: str | None = None):
        from annotator.nlp.batch import suggest_items

        return suggest_items(self.nlp, items, self.schema, batch_size)


class ProcessEngine:
    """`n` worker processes, each loading the pipeline once; batches go out in order with at
    most two per worker in flight (memory stays flat), and records come back in order. This
    process never imports spaCy (services/nlp_worker.py)."""

    def __init__(self, model: str | None, schema_toml: str | None, n: int = 1):
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        from annotator.services import nlp_worker

        self.model, self.schema_toml, self.n = model, schema_toml, n
        # spawn, not fork: the writer thread, Qt and SQLite locks must not be copied into children
        self.pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=nlp_worker.start, initargs=(model, os.getpid()))
        try:
            self.origin = self.pool.submit(nlp_worker.load, model).result()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> ProcessEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    @property
    def broken(self) -> bool:
        """A worker died (killed, out of memory): this engine cannot be used again."""
        return bool(getattr(self.pool, "_broken", False))

    def records(self, items: Iterable[tuple[int, str]], batch_size: int,
                schema_toml: str | None = None) -> Iterator:
        from annotator.services import nlp_worker

        schema_toml = schema_toml or self.schema_toml
        inner = max(1, min(batch_size, 32))
        window: deque = deque()
        it = iter(items)
        try:
            while True:
                while len(window) < 2 * self.n and (batch := take(it, batch_size)):
                    window.append(self.pool.submit(nlp_worker.suggest, batch, self.model,
                                                   schema_toml, inner))
                if not window:
                    return
                yield from window.popleft().result()
        finally:
            for future in window:  # stopped early (cancelled): drop what has not started
                future.cancel()


def take(it: Iterator, n: int) -> list:
    """The next `n` items of `it` (fewer at its end)."""
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out
