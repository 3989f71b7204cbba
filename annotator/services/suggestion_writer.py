"""The database side of pre-annotation: commit suggestion records on a thread of their own.

The parse produces `DocSuggestions` records; this writer commits them `batch_size` documents per
transaction on its own thread and its own Store connection, so SQLite's work and the fsync of
each commit (both release the GIL) overlap the next batch's parse instead of adding to it. The
queue between the two is bounded: a slow disk slows the parse down rather than piling records
up in memory. A kill loses only batches not yet committed; each commit is whole.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from annotator.domain import DocSuggestions, Span
from annotator.store import Store, StoreError

QUEUE_DEPTH = 2  # batches waiting for the writer


class WriterFailed(StoreError):
    """The writer thread stopped on an error (the original is the __cause__)."""


class SuggestionWriter:
    """`add()` records from one thread; `close()` commits what is left and joins the writer.

    `documents` and `words` count what is committed (read them from the adding thread)."""

    def __init__(self, path: str | Path, origin: str, batch_size: int = 32, timeout: float = 10.0):
        self.path, self.origin = Path(path), origin
        self.batch_size = max(1, batch_size)
        self.timeout = timeout
        self.documents = 0
        self.words = 0
        self._pending: list[DocSuggestions] = []
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_DEPTH)
        self._error: BaseException | None = None
        self._raised = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="suggestion-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        self._check()

    def __enter__(self) -> SuggestionWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, record: DocSuggestions) -> None:
        self._pending.append(record)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Hand the pending records to the writer (they are committed as one batch)."""
        if self._pending:
            self._put(self._pending)
            self._pending = []

    def close(self) -> None:
        """Commit everything added, stop the thread; raises WriterFailed if a commit failed."""
        if self._thread.is_alive():
            if self._error is None:
                self.flush()
            self._put(None)
            self._thread.join()
        self._check()

    def _put(self, item) -> None:
        while True:
            self._check()
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    self._check()
                    return

    def _check(self) -> None:
        if self._error is not None and not self._raised:
            self._raised = True  # once: close() after a failed add() must not raise again
            raise WriterFailed(f"{self.path}: pre-annotation could not save: {self._error}"
                               ) from self._error

    def _run(self) -> None:
        try:
            store = Store(self.path, create=False, timeout=self.timeout)
        except BaseException as exc:  # noqa: BLE001 -- handed to the adding thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is not None:
                    continue  # failed before: drain so the adding thread never blocks
                try:
                    self._commit(store, batch)
                except BaseException as exc:  # noqa: BLE001 -- handed to the adding thread
                    self._error = exc
        finally:
            store.close()

    def _commit(self, store: Store, batch: list[DocSuggestions]) -> None:
        items = [(r.doc_id, [Span(r.doc_id, s, e, label, attrs=attrs) for s, e, label, attrs
                             in r.spans], r.relations) for r in batch]
        with store.transaction():  # suggestions and document meta of a batch commit together
            store.replace_suggestions_batch(items, self.origin)
            store.add_document_meta((r.doc_id, r.meta) for r in batch if r.meta)
        self.words += sum(r.words for r in batch)
        self.documents += len(batch)
