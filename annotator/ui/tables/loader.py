"""The query thread of one analyst table: its own read-only connection, results by signal.

Sorting by a computed column, the text filter and grouping take up to a second on 100k
documents; run on the UI thread they would freeze the window. Each table model owns one
`TableLoader`; its worker lives in a QThread and opens its OWN read-only Store on the project
file (SQLite's WAL lets it read beside the UI's writer; read-only: the tables never write).

Every query gets a generation number. A newer query interrupts the connection's running
statement (sqlite3 `interrupt()` is thread-safe), the worker drops work of an outdated
generation between steps, and the model drops results tagged with an old one, so a late answer
to an earlier header click never replaces the rows of the last one.
"""

from __future__ import annotations

import atexit
import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from annotator.analysis.paging import TableCursor
from annotator.analysis.query import TableQuery
from annotator.analysis.tables import TableRow

log = logging.getLogger(__name__)

EMIT = 2048  # rows per signal when many are asked for at once (fetch_all)


@dataclass
class Page:
    offset: int  # where the rows go in the model (0: they replace the old query's)
    rows: list[TableRow]
    total: int | None  # rows of the query, when known
    exhausted: bool  # no rows after these
    last: bool = True  # the last chunk of its request


@dataclass
class _Latest:
    """The newest generation, shared by the UI thread (writes) and the worker (reads)."""
    value: int = 0


@dataclass
class _Running:
    threads: list = field(default_factory=list)  # (thread, worker, latest): stopped at exit


_RUNNING = _Running()


class _Worker(QObject):
    page = Signal(int, object)  # generation, Page
    counted = Signal(int, int)  # generation, total
    failed = Signal(int, str)  # generation, message

    def __init__(self, latest: _Latest):
        super().__init__()
        self.latest = latest
        self.path: Path | None = None
        self.store = None
        self.cursor: TableCursor | None = None
        self.gen = -1
        self.busy = False
        self.thread_ident: int | None = None  # where the queries ran (tests compare it)
        self._schema_text: str | None = None

    def _outdated(self, gen: int) -> bool:
        return gen != self.latest.value

    def _store(self):
        if self.store is None:
            from annotator.store import Store

            self.store = Store(self.path, create=False, read_only=True)
            self._schema_text = self.store.get_meta("schema_toml")
        else:  # the project's schema may have been edited since (its mappings are shown)
            text = self.store.get_meta("schema_toml")
            if text != self._schema_text:
                from annotator.schema import parse_schema

                self.store.schema = parse_schema(text, origin=f"{self.path}:schema")
                self._schema_text = text
        return self.store

    @Slot(object)
    def open(self, path) -> None:
        self.close()
        self.path = Path(path) if path else None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store, self.cursor = None, None

    @Slot(int, object, int)
    def start(self, gen: int, query: TableQuery, n: int) -> None:
        if self._outdated(gen) or self.path is None:
            return
        self.gen, self.cursor = gen, None

        def run():
            self.cursor = TableCursor(self._store(), query)
            rows = self.cursor.first(n)
            total = self.cursor.total
            exhausted = len(rows) < n or (total is not None and len(rows) >= total)
            self.page.emit(gen, Page(0, rows, total, exhausted))
            if total is None and not self._outdated(gen):
                self.counted.emit(gen, self.cursor.count())
            if not exhausted and not self._outdated(gen):
                self.cursor.prefetch()  # interrupted by a newer query if it comes first
        self._run(gen, run)

    @Slot(int, int, int)
    def more(self, gen: int, offset: int, n: int) -> None:
        if self._outdated(gen) or gen != self.gen or self.cursor is None:
            return
        cursor = self.cursor

        def run():
            done, at = 0, offset
            while done < n and not self._outdated(gen):
                want = min(EMIT, n - done)
                rows = cursor.page(at, want)
                done, at = done + len(rows), at + len(rows)
                exhausted = len(rows) < want or (cursor.total is not None and at >= cursor.total)
                self.page.emit(gen, Page(offset=at - len(rows), rows=rows, total=cursor.total,
                                         exhausted=exhausted, last=exhausted or done >= n))
                if exhausted:
                    break
        self._run(gen, run)

    def _run(self, gen: int, fn) -> None:
        self.thread_ident = threading.get_ident()
        self.busy = True
        try:
            for _attempt in range(2):
                try:
                    fn()
                    return
                except sqlite3.OperationalError as exc:
                    if "interrupt" not in str(exc):
                        raise
                    if self._outdated(gen):
                        return  # a newer query interrupted this one: nothing to report
                    # the interrupt was meant for an older statement: once more
            self.failed.emit(gen, "the query was interrupted")
        except Exception as exc:  # noqa: BLE001 -- shown in the table's status line
            log.exception("table query failed")
            self.failed.emit(gen, str(exc) or type(exc).__name__)
        finally:
            self.busy = False

    def interrupt(self) -> None:
        """Stop the running statement (called from the UI thread; sqlite3 allows it)."""
        store = self.store
        if self.busy and store is not None:
            try:
                store.db.conn.interrupt()
            except sqlite3.ProgrammingError:  # closed meanwhile
                pass


def _stop(thread: QThread, worker: _Worker, latest: _Latest, *_args) -> None:
    entry = (thread, worker, latest)
    if entry not in _RUNNING.threads:
        return
    _RUNNING.threads.remove(entry)
    latest.value = -1  # whatever runs is outdated
    worker.interrupt()
    thread.quit()
    if not thread.wait(10_000):
        log.warning("a table query thread did not end in 10 s")
        return
    worker.close()


@atexit.register
def _stop_all() -> None:
    for entry in list(_RUNNING.threads):
        _stop(*entry)


class TableLoader(QObject):
    """Runs a table model's queries in its own thread; results come back as signals (queued
    into the UI thread) tagged with the generation `start` returned."""

    page = Signal(int, object)  # generation, Page
    counted = Signal(int, int)
    failed = Signal(int, str)
    _start = Signal(int, object, int)
    _more = Signal(int, int, int)
    _open = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._latest = _Latest()
        self.path: Path | None = None
        self._thread: QThread | None = None
        self.worker: _Worker | None = None

    def _ensure(self) -> None:
        if self._thread is not None:
            return
        thread = QThread()
        thread.setObjectName("table queries")
        worker = _Worker(self._latest)
        worker.moveToThread(thread)
        self._start.connect(worker.start)
        self._more.connect(worker.more)
        self._open.connect(worker.open)
        worker.page.connect(self.page)
        worker.counted.connect(self.counted)
        worker.failed.connect(self.failed)
        entry = (thread, worker, self._latest)
        _RUNNING.threads.append(entry)
        # Python keeps the thread and worker (in _RUNNING) until stopped: on stop(), when this
        # loader is deleted with its model, or at exit; never a QThread deleted while running.
        self.destroyed.connect(lambda *_a, e=entry: _stop(*e))
        thread.start()
        self._thread, self.worker = thread, worker

    def set_path(self, path: str | Path | None) -> None:
        path = Path(path) if path else None
        if path != self.path:
            self.path = path
            self._ensure()
            self._latest.value += 1
            self.worker.interrupt()
            self._open.emit(path)

    def start(self, query: TableQuery, n: int) -> int:
        """Run `query` (its first `n` rows, then its count); returns its generation."""
        self._ensure()
        self._latest.value += 1
        self.worker.interrupt()
        self._start.emit(self._latest.value, query, n)
        return self._latest.value

    def more(self, gen: int, offset: int, n: int) -> None:
        if self.worker is not None:
            self._more.emit(gen, offset, n)

    def stop(self) -> None:
        if self._thread is not None:
            _stop(self._thread, self.worker, self._latest)
            self._thread = None
