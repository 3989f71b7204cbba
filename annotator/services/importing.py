"""Import files and folders into a project: each file is all-or-nothing and idempotent.

A document already in the project (same text) is not added again; the labels it lacks are
merged into it and the equal ones counted as duplicates (see `store_imports`), so nothing of
an imported file is dropped without being counted.

Streamed: a reader yields a file's documents one by one and they are written in batches of
`BATCH_DOCUMENTS`, so memory does not grow with the size of a file or of a run. Each file is a
savepoint inside a transaction that is committed every `COMMIT_FILES` files, `COMMIT_DOCUMENTS`
documents or `COMMIT_SECONDS` seconds (a run of many small files pays a handful of fsyncs, not
one per file). A refused file is rolled back alone; a kill loses only the files since the last
commit, each of them whole, and running the same import again brings them in.
"""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import AnnotatedDocument, ValidationError
from annotator.formats import ImportProblem, ReadContext, import_suffixes, reader_for
from annotator.store import Store, StoreError
from annotator.store_imports import ImportCounts

BATCH_DOCUMENTS = 200
COMMIT_FILES = 200
COMMIT_DOCUMENTS = 5000
COMMIT_SECONDS = 1.0


@dataclass
class ImportReport:
    files: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # already in the project (same text) with all their labels
    documents_merged: int = 0  # already in the project: their new labels were added
    spans_merged: int = 0
    relations_merged: int = 0
    suggestions_accepted: int = 0  # stored suggestions equal to imported accepted labels
    duplicates: int = 0  # imported labels equal to stored ones, not added again
    added_ids: array = field(default_factory=lambda: array("q"))
    present_ids: array = field(default_factory=lambda: array("q"))  # already there before
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, counts: ImportCounts) -> None:
        self.documents_added += counts.documents_added
        self.documents_skipped += counts.documents_unchanged
        self.documents_merged += counts.documents_merged
        self.spans_merged += counts.spans_merged
        self.relations_merged += counts.relations_merged
        self.suggestions_accepted += counts.suggestions_accepted
        self.duplicates += counts.duplicates
        self.added_ids.extend(counts.added_ids)
        self.present_ids.extend(counts.present_ids)

    def summary(self) -> str:
        """One line for the CLI (and any caller that shows a text): every count, none hidden."""
        parts = [f"imported {self.documents_added} document(s) from {self.files} file(s)"]
        if self.documents_merged:
            parts.append(f"{self.documents_merged} already present merged with "
                         f"{self.spans_merged} new span(s) and {self.relations_merged} new "
                         f"relation(s)" + (f", {self.suggestions_accepted} suggestion(s) "
                                           "accepted" if self.suggestions_accepted else ""))
        elif self.suggestions_accepted:
            parts.append(f"{self.suggestions_accepted} suggestion(s) accepted")
        if self.duplicates:
            parts.append(f"{self.duplicates} label(s) skipped as duplicates of stored ones")
        parts.append(f"{self.documents_skipped} already present")
        parts.append(f"{len(self.problems)} file(s) refused")
        return "; ".join(parts)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively for the suffixes we can read.

    In a folder, a `.txt` with an `.ann` of the same stem beside it is the text of a brat
    document: the `.ann` reader imports it, so it is not imported again as plain text (nor
    when both files are given by name, as a shell glob does).
    """
    suffixes = set(import_suffixes())
    paths = [Path(raw) for raw in paths]
    given = set(paths)
    for path in paths:
        if path.suffix.lower() == ".txt" and path.with_suffix(".ann") in given:
            continue
        if path.is_dir():
            yield from _walk(path, suffixes)
        else:
            yield path


def _walk(folder: Path, suffixes: set[str]) -> list[Path]:
    """Importable files under `folder`, sorted, listing each directory once (no stat per file)."""
    found = []
    for root, _dirs, files in os.walk(folder):
        ann_stems = {name.rsplit(".", 1)[0] for name in files if name.lower().endswith(".ann")}
        for name in files:
            stem, dot, suffix = name.rpartition(".")
            if not dot or f".{suffix.lower()}" not in suffixes:
                continue
            if suffix.lower() == "txt" and stem in ann_stems:
                continue  # the text of a brat document
            found.append(Path(root, name))
    return sorted(found)


def import_paths(store: Store, paths: Iterable[str | Path],
                 progress: Callable[[Path], None] | None = None,
                 on_documents: Callable[[int], None] | None = None) -> ImportReport:
    """Import every file; `progress(path)` after each file, `on_documents(n)` after each
    written batch (n documents so far in the run)."""
    report = ImportReport()
    ctx = ReadContext(schema=store.schema)
    files = iter(expand_paths(paths))
    written = [0]

    def batch_done(n: int) -> None:
        written[0] += n
        if on_documents:
            on_documents(written[0])

    finished = False
    while not finished:
        finished = _import_group(store, files, ctx, report, batch_done, progress)
    return report


def _import_group(store: Store, files: Iterator[Path], ctx: ReadContext, report: ImportReport,
                  batch_done: Callable[[int], None],
                  progress: Callable[[Path], None] | None) -> bool:
    """Import files in one transaction until a commit is due; True when no file is left."""
    pending: list[tuple[Path, ImportCounts]] = []  # imported, not yet committed
    current: Path | None = None
    started, documents, finished = time.monotonic(), 0, True
    try:
        with store.transaction():
            for path in files:
                current = path
                report.files += 1
                try:
                    with store.savepoint():
                        counts = import_file(store, path, ctx, batch_done)
                    pending.append((path, counts))
                    documents += (counts.documents_added + counts.documents_merged
                                  + counts.documents_unchanged)
                except ImportProblem as exc:
                    report.problems.append(str(exc))
                if progress:
                    progress(path)
                if (len(pending) >= COMMIT_FILES or documents >= COMMIT_DOCUMENTS
                        or time.monotonic() - started >= COMMIT_SECONDS):
                    finished = False
                    break
            current = None
    except StoreError as exc:  # the save failed: nothing since the last commit was kept
        lost = [p for p, _ in pending] + ([current] if current is not None else [])
        if not lost:
            raise  # could not even start writing (locked, read-only): say so, stop
        report.problems += [f"{p}: {exc}" for p in lost]
        return finished
    for _path, counts in pending:
        report.add(counts)
    return finished


def import_file(store: Store, path: Path, ctx: ReadContext,
                batch_done: Callable[[int], None] = lambda n: None) -> ImportCounts:
    """Read and write one file in batches (inside the caller's transaction)."""
    if not path.exists():
        raise ImportProblem(path, "no such file")
    reader = reader_for(path)
    if reader is None:
        raise ImportProblem(path, f"unsupported file type {path.suffix or '(none)'}; use one of "
                                  f"{', '.join(sorted(import_suffixes()))}")
    counts = ImportCounts()
    batch: list[AnnotatedDocument] = []
    for bundle in reader(path, ctx):
        batch.append(bundle)
        if len(batch) >= BATCH_DOCUMENTS:
            counts.add(_write(store, path, batch))
            batch_done(len(batch))
            batch.clear()
    if batch:
        counts.add(_write(store, path, batch))
        batch_done(len(batch))
    return counts


def _write(store: Store, path: Path, batch: list[AnnotatedDocument]) -> ImportCounts:
    try:
        return store.import_bundles(batch)
    except ValidationError as exc:
        raise ImportProblem(path, str(exc)) from exc
