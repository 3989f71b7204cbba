"""Import files and folders into a project: each file is all-or-nothing and idempotent.

A document already in the project (same text) is not added again; the labels it lacks are
merged into it and the equal ones counted as duplicates (see `store/imports.py`), so nothing of
an imported file is dropped without being counted.

Streamed: a reader yields a file's documents one by one and they are written in batches of
`BATCH_DOCUMENTS`, so memory does not grow with the size of a file or of a run. Each file is a
savepoint inside a transaction that is committed every `COMMIT_FILES` files, `COMMIT_DOCUMENTS`
documents or `COMMIT_SECONDS` seconds, whichever comes first, but not before `COMMIT_COST`
times the last commit's duration has passed (a commit is fsyncs and a WAL checkpoint: on a busy
disk it takes a second, so commits stay a small share of the run). A refused file is rolled
back alone; a kill loses only the files since the last commit, each of them whole, and running
the same import again brings them in.
"""

from __future__ import annotations

import os
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import AnnotatedDocument, ValidationError
from annotator.formats import ImportProblem, ReadContext, import_suffixes, reader_for
from annotator.formats.base import shown
from annotator.formats.context import FileNotes
from annotator.formats.decoding import check_link
from annotator.formats.mapping import LabelMap
from annotator.formats.standoff import StandoffAnnotations
from annotator.natural_order import natural_key
from annotator.services.project_files import ProjectFiles
from annotator.store import Store, StoreError
from annotator.store.imports import ImportCounts

BATCH_DOCUMENTS = 200
COMMIT_FILES = 5000
COMMIT_DOCUMENTS = 20000
COMMIT_SECONDS = 5.0
COMMIT_COST = 10  # and at least this many times as long as the last commit took


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
    repeated: int = 0  # labels given more than once in one new document, stored once
    added_ids: array = field(default_factory=lambda: array("q"))
    present_ids: array = field(default_factory=lambda: array("q"))  # already there before
    problems: list[str] = field(default_factory=list)
    not_tried: list[str] = field(default_factory=list)  # files after a failed save, by name
    skipped: list[str] = field(default_factory=list)  # bad spans skipped (--skip-bad-spans)
    left_out: Counter = field(default_factory=Counter)  # "label X" -> spans mapped to '-'
    orphans: int = 0  # relations left out with a span the mapping left out
    folded_events: int = 0  # brat events turned into relations from one of their arguments
    rejected_answers: int = 0  # Prodigy "reject" records, their labels imported as rejected

    @property
    def ok(self) -> bool:
        return not self.problems and not self.not_tried

    def add(self, counts: ImportCounts) -> None:
        self.documents_added += counts.documents_added
        self.documents_skipped += counts.documents_unchanged
        self.documents_merged += counts.documents_merged
        self.spans_merged += counts.spans_merged
        self.relations_merged += counts.relations_merged
        self.suggestions_accepted += counts.suggestions_accepted
        self.duplicates += counts.duplicates
        self.repeated += counts.repeated
        self.added_ids.extend(counts.added_ids)
        self.present_ids.extend(counts.present_ids)

    def add_notes(self, notes: FileNotes) -> None:
        self.skipped += notes.skipped
        self.left_out.update(notes.dropped)
        self.orphans += notes.orphans
        self.folded_events += notes.folded_events
        self.rejected_answers += notes.rejected_answers

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
        if self.repeated:
            parts.append(f"{self.repeated} repeated label(s) stored once")
        if self.skipped:
            parts.append(f"{len(self.skipped)} bad span(s)/relation(s) skipped")
        if self.left_out or self.orphans:
            parts.append("not imported: " + ", ".join(
                [f"{name} ({n})" for name, n in sorted(self.left_out.items())]
                + ([f"relations to spans left out ({self.orphans})"] if self.orphans else [])))
        if self.folded_events:
            parts.append(f"{self.folded_events} brat event(s) turned into relations")
        if self.rejected_answers:
            parts.append(f"{self.rejected_answers} Prodigy 'reject' record(s): labels imported "
                         "as rejected")
        parts.append(f"{self.documents_skipped} already present")
        parts.append(f"{len(self.problems)} file(s) refused")
        if self.not_tried:
            parts.append(f"{len(self.not_tried)} file(s) not tried after the failed save")
        return "; ".join(parts)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively for the suffixes we can read.

    In a folder, a `.txt` with an `.ann` of the same stem (or `<stem>_<annotator>.ann`) beside
    it is the text of a brat document: the `.ann` reader imports it, so it is not imported
    again as plain text (nor when both files are given by name, as a shell glob does).
    """
    return (path for path, _folder in _expand(paths))


def _expand(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path | None]]:
    """(file, the folder it was found in, or None for a file named by the user): a named
    symbolic link is followed, one found in a folder only if it stays inside that folder."""
    suffixes = set(import_suffixes())
    paths = [Path(raw) for raw in paths]
    given_texts = _brat_texts([str(p) for p in paths])
    for path in paths:
        if path.suffix.lower() == ".txt" and str(path) in given_texts:
            continue
        if path.is_dir():
            yield from ((found, path) for found in _walk(path, suffixes))
        else:
            yield path, None


def _walk(folder: Path, suffixes: set[str]) -> list[Path]:
    """Importable files under `folder` in natural order ("Copy 2" before "Copy 10": the order
    the documents are listed in), listing each directory once (no stat per file). Linked folders
    are not walked: those inside `folder` are walked anyway, those leaving it are listed, to be
    refused by name."""
    found: list[tuple[tuple, Path]] = []  # (natural key of every part of the path, path)
    home = folder.resolve()
    for root, dirs, files in os.walk(folder):
        texts = _brat_texts(files)
        root_key = tuple(natural_key(part) for part in Path(root).parts)  # once per directory
        for name in files:
            stem, dot, suffix = name.rpartition(".")
            if dot and f".{suffix.lower()}" in suffixes and name not in texts:
                found.append(((*root_key, natural_key(name)), Path(root, name)))
        for name in dirs:
            linked = Path(root, name)
            if linked.is_symlink() and not _inside(linked, home):
                found.append(((*root_key, natural_key(name)), linked))
    found.sort(key=lambda keyed: keyed[0])
    return [path for _key, path in found]


def _inside(link: Path, home: Path) -> bool:
    try:
        return link.resolve(strict=True).is_relative_to(home)
    except (OSError, RuntimeError):  # dangling, or a loop of links
        return False


def _brat_texts(names: list[str]) -> set[str]:
    """The `.txt` names among `names` (of one folder) that are the text of a brat `.ann`:
    `doc.txt` beside `doc.ann`, or beside `doc_<annotator>.ann` (with no `doc_<annotator>.txt`;
    see `formats.brat_reader.text_for`)."""
    txt = {name[:-4]: name for name in names if name.lower().endswith(".txt")}
    found = set()
    for name in names:
        if not name.lower().endswith(".ann"):
            continue
        stem = name[:-4]
        if stem in txt:
            found.add(txt[stem])
            continue
        cut = stem.rfind("_")
        while cut > 0:
            if stem[:cut] in txt:
                found.add(txt[stem[:cut]])
                break
            cut = stem.rfind("_", 0, cut)
    return found


@dataclass
class ImportOptions:
    """How to read other people's data: label mapping, bad spans, standoff annotations."""

    mapping: LabelMap = field(default_factory=LabelMap)
    skip_bad_spans: bool = False
    standoff: Path | None = None  # annotations file for the documents files given


def import_paths(store: Store, paths: Iterable[str | Path],
                 progress: Callable[[Path], None] | None = None,
                 on_documents: Callable[[int], None] | None = None,
                 options: ImportOptions | None = None) -> ImportReport:
    """Import every file; `progress(path)` after each file, `on_documents(n)` after each
    written batch (n documents so far in the run)."""
    run = _Run(store, options or ImportOptions(), progress, on_documents)
    files = iter(_expand(paths))
    while not run.import_group(files):
        pass
    run.report.not_tried += [shown(path) for path, _folder in files]  # left after a failed save
    if run.standoff:
        run.report.problems += run.standoff.unused()
    return run.report


class _Run:
    """One import run: its reading context, its report, and the files not yet committed."""

    def __init__(self, store: Store, options: ImportOptions,
                 progress: Callable[[Path], None] | None,
                 on_documents: Callable[[int], None] | None):
        self.store, self.options = store, options
        self.progress, self.on_documents = progress, on_documents
        self.ctx = ReadContext(store.schema, options.mapping, options.skip_bad_spans)
        self.project_files = ProjectFiles(store.path)
        self.standoff = (StandoffAnnotations(options.standoff, self.ctx)
                         if options.standoff else None)
        self.report = ImportReport()
        self.written = 0
        self.commit_seconds = 0.0  # how long the last commit took

    def batch_done(self, n: int) -> None:
        self.written += n
        if self.on_documents:
            self.on_documents(self.written)

    def import_group(self, files: Iterator[tuple[Path, Path | None]]) -> bool:
        """Import files in one transaction until a commit is due; True when none is left."""
        self.pending: list[tuple[list[Path], ImportCounts, list[FileNotes]]] = []
        self.queue: list[tuple[Path, list[AnnotatedDocument], FileNotes]] = []
        self.queued = self.documents = 0  # documents in the queue, read in this group
        current: Path | None = None
        started, count, finished = time.monotonic(), 0, True
        wait = max(COMMIT_SECONDS, COMMIT_COST * self.commit_seconds)
        try:
            with self.store.transaction():
                for path, folder in files:
                    current = path
                    self.report.files += 1
                    count += 1
                    try:
                        if folder is not None:
                            check_link(path, folder)
                        self.import_file(path)
                    except ImportProblem as exc:
                        self.report.problems.append(str(exc))
                    if self.progress:
                        self.progress(path)
                    if (count >= COMMIT_FILES or self.documents >= COMMIT_DOCUMENTS
                            or time.monotonic() - started >= wait):
                        finished = False
                        break
                current = None
                self.flush_queue()
                committing = time.monotonic()
            self.commit_seconds = time.monotonic() - committing
        except StoreError as exc:  # the save failed: nothing since the last commit was kept
            lost = [p for paths, _, _ in self.pending for p in paths]
            lost += [p for p, _, _ in self.queue]
            if current is not None:
                lost.append(current)
            lost = list(dict.fromkeys(lost))  # a queued file may be pending already
            if not lost:
                raise  # could not even start writing (locked, read-only): say so, stop
            self.report.problems += [f"{shown(p)}: {exc}" for p in lost]
            return True  # a full or failing disk: the files left are listed as not tried
        for _paths, counts, notes in self.pending:
            self.report.add(counts)
            for note in notes:
                self.report.add_notes(note)
        return finished

    def import_file(self, path: Path) -> None:
        """Read one file. A one-document format (its reader returns a list, read whole) joins
        the queue written with its neighbours, with no savepoint of its own: nothing of it is
        written before it is read and checked. A streamed file is written batch by batch in a
        savepoint of its own."""
        if path in self.project_files:  # opening it would drop the project's locks
            raise ImportProblem(path, "the project's own database (or one of its backups): "
                                      "not imported")
        if not path.exists():
            raise ImportProblem(path, "no such file")
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError as exc:  # bytes kept by Python as lone surrogates
            raise ImportProblem(path, "file name is not valid UTF-8; rename the file") from exc
        reader = self.standoff.read_documents if self.standoff else reader_for(path)
        if reader is None:
            raise ImportProblem(path, f"unsupported file type {path.suffix or '(none)'}; use "
                                      f"one of {', '.join(sorted(import_suffixes()))}")
        self.ctx.begin_file(path)
        documents = reader(path, self.ctx)
        if isinstance(documents, list):
            notes = self.ctx.end_file()
            self.queue.append((path, documents, notes))
            self.queued += len(documents)
            self.documents += len(documents)
            if self.queued >= BATCH_DOCUMENTS:
                self.flush_queue()
            return
        self.flush_queue()  # keep the order of the files
        counts = ImportCounts()
        with self.store.savepoint():
            batch: list[AnnotatedDocument] = []
            for bundle in documents:
                batch.append(bundle)
                if len(batch) >= BATCH_DOCUMENTS:
                    counts.add(self._write(path, batch))
                    batch.clear()
            if batch:
                counts.add(self._write(path, batch))
            notes = self.ctx.end_file()
        self.pending.append(([path], counts, [notes]))
        self.documents += counts.documents_added + counts.documents_merged + \
            counts.documents_unchanged

    def flush_queue(self) -> None:
        """Write the queued one-document files in one batch; should the batch be refused,
        file by file, so only the file at fault is refused."""
        if not self.queue:
            return
        queue = self.queue  # left in the queue until written: a failed save names these files
        try:
            with self.store.savepoint("import_queue"):
                counts = self._write(queue[0][0], [b for _, bundles, _ in queue for b in bundles])
            self.pending.append(([p for p, _, _ in queue], counts, [n for _, _, n in queue]))
        except ImportProblem:
            for path, bundles, notes in queue:
                try:
                    with self.store.savepoint():
                        self.pending.append(([path], self._write(path, bundles), [notes]))
                except ImportProblem as exc:
                    self.report.problems.append(str(exc))
        self.queue, self.queued = [], 0

    def _write(self, path: Path, batch: list[AnnotatedDocument]) -> ImportCounts:
        try:
            counts = self.store.import_bundles(batch)
        except ValidationError as exc:
            raise ImportProblem(path, str(exc)) from exc
        except UnicodeEncodeError as exc:  # a lone surrogate a reader let through
            raise ImportProblem(path, "text that is not Unicode (a lone surrogate "
                                      f"\\u{ord(exc.object[exc.start]):04x}): UTF-8 cannot "
                                      "hold it") from exc
        self.batch_done(len(batch))
        return counts
