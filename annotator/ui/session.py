"""The open project and document: turns user intents into Store calls and reports what changed.

One object holds the UI thread's Store, the open document, its spans and relations and the
selected span (no globals). Every intent is one Store call (one transaction + action-log row)
that returns the Change it committed; the session applies exactly that (no reading back) and
emits it, so the view re-paints only those spans. Undo and redo return the same type; one of
another document switches to that document. Counts per status are kept up to date from each
Change, not recounted.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Collection
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.changes import RELOAD, Change
from annotator.domain import (
    ACCEPTED,
    DOC_IN_PROGRESS,
    DOC_NEW,
    REJECTED,
    SUGGESTED,
    Document,
    Relation,
    Span,
    ValidationError,
)
from annotator.gc_pause import gc_paused
from annotator.store import Store, StoreError
from annotator.store.integrity import Busy, StorageFailure
from annotator.ui.waiting_writes import WaitingWrites

__all__ = ["Change", "Session"]

log = logging.getLogger(__name__)

# How long a window write waits for another connection's write lock before it queues (and the
# window goes on): short, so a key press never freezes the window for an import's whole commit.
WRITE_WAIT_SECONDS = 0.25


class Session(QObject):
    document_loaded = Signal(object)  # Document
    changed = Signal(object)  # Change
    selection_changed = Signal(object)  # span id or None
    error = Signal(str)
    # a save failed for a reason waiting will not cure: what was not saved, and why. The store
    # is read-only from then on, so the view never drifts from the file.
    storage_failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.doc: Document | None = None
        self.spans: dict[int, Span] = {}
        self.relations: dict[int, Relation] = {}
        self.selected: int | None = None
        self._counts = _zero_counts()
        # which annotators' layers the article shows (Team > Show Layer); None: every label.
        # Applied when a document is (re)loaded; labels the user makes show at once.
        self.layers: frozenset[str] | None = None
        self.waiting = WaitingWrites(self._attempt, self)

    # --- project ----------------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self.store.path if self.store else None

    @property
    def schema(self):
        return self.store.schema

    @property
    def can_undo(self) -> bool:
        """Free to ask on every key press: the Store tracks it from its own writes."""
        return self.store is not None and self.store.can_undo()

    @property
    def can_redo(self) -> bool:
        return self.store is not None and self.store.can_redo()

    def open(self, path: str | Path, annotator: str = "", create: bool = True,
             timeout: float = 10.0, *, check: bool = False) -> Store:
        """Open (or create) a project; raises StoreError. The previous project is closed.

        A project another program keeps write-locked for more than `timeout` seconds is refused
        here (the previous one stays open), not at the user's first label. `check`: see Store."""
        store = Store(path, annotator=annotator, create=create, timeout=timeout, check=check)
        if not store.read_only:
            try:
                store.check_writable()
            except StoreError:
                store.close()
                raise
        self.close()
        self.store = store
        return store

    def close(self) -> None:
        if self.waiting and self.store is not None:
            self.waiting.retry(wait=None)  # the last chance: wait the full busy timeout
        dropped = self.waiting.drop()
        if dropped:
            text = f"Not saved (the project was closed while they waited): {'; '.join(dropped)}"
            log.warning("%s: %s", self.path, text)  # also when the window is quitting
            self.error.emit(text)
        if self.store is not None:
            self.store.close()
        self.store = None
        self.doc = None
        self.spans, self.relations, self.selected = {}, {}, None
        self._counts = _zero_counts()

    # --- document ---------------------------------------------------------------------------------

    def _read_labels(self, doc_id: int, spans: list[Span] | None = None) -> None:
        """`spans`: the document's spans if just read (and unchanged since)."""
        spans = self.store.spans(doc_id) if spans is None else spans
        if self.layers is not None:
            spans = [s for s in spans if s.annotator in self.layers]
        self.spans = {s.id: s for s in spans}
        self.relations = {r.id: r for r in self.store.relations(doc_id)
                          if r.head_id in self.spans and r.tail_id in self.spans}

    def set_layers(self, layers: frozenset[str] | None) -> None:
        """Show only these annotators' labels (None: all), and re-read the open document."""
        self.layers = layers
        self.reload_labels()

    def load(self, doc_id: int) -> Document:
        self.doc = self.store.document(doc_id)
        with gc_paused():  # a long article has thousands of spans: read them once
            spans = self.store.spans(doc_id)
        if not self.store.read_only:
            try:  # what the label memory learnt elsewhere (read again only if it wrote)
                if self.store.apply_memory(doc_id, spans) is not None:
                    spans = None
            except StoreError as exc:
                self.error.emit(f"Remembered labels not applied: {exc}")
                spans = None
        self._read_labels(doc_id, spans)
        self._recount()
        self.selected = None
        self.document_loaded.emit(self.doc)
        self.selection_changed.emit(None)
        return self.doc

    def refresh(self) -> None:
        """Re-read the open document from the store (another window or program changed it)."""
        if self.store is None:
            return
        self.store.refresh_history()
        if self.doc is not None:
            try:
                self.reload_labels()
            except KeyError:  # the document is gone
                self.doc, self.spans, self.relations = None, {}, {}
                self._counts = _zero_counts()
                self.select(None)

    def reload_labels(self) -> None:
        """Re-read spans and relations of the open document (after a worker changed them)."""
        if self.doc is None:
            return
        self._read_labels(self.doc.id)
        self.doc.status = self.store.document(self.doc.id).status
        self._recount()
        if self.selected not in self.spans:
            self.select(None)
        self.changed.emit(Change(kind="reload", doc_id=self.doc.id, direction=RELOAD,
                                 spans=list(self.spans.values()),
                                 relations=list(self.relations.values()),
                                 doc_status=self.doc.status, can_undo=self.can_undo,
                                 can_redo=self.can_redo))

    def select(self, span_id: int | None) -> None:
        if span_id is not None and span_id not in self.spans:
            span_id = None
        self.selected = span_id
        self.selection_changed.emit(span_id)

    def selected_span(self) -> Span | None:
        return self.spans.get(self.selected) if self.selected is not None else None

    def counts(self) -> dict[str, int]:
        """Spans of the open document per status (kept up to date by each Change)."""
        return dict(self._counts)

    def _recount(self) -> None:
        self._counts = _zero_counts()
        for s in self.spans.values():
            self._counts[s.status] = self._counts.get(s.status, 0) + 1

    def affects_selection(self, change: Change) -> bool:
        """Whether the details of the selected span (itself, its relations, the spans they
        join) may differ after `change`: only then need the panels showing it refresh."""
        sel = self.selected
        if sel is None:
            return False
        if change.direction == RELOAD or change.relations_changed or sel in change.removed_spans:
            return True
        changed = {s.id for s in change.spans}
        if sel in changed:
            return True
        return bool(changed) and any(
            (r.head_id == sel and r.tail_id in changed) or (r.tail_id == sel and r.head_id in changed)
            for r in self.relations.values())

    def relations_of(self, span_id: int) -> list[tuple[Relation, Span, bool]]:
        """(relation, the other span, True if span_id is the head) for one span."""
        out = []
        for rel in self.relations.values():
            if rel.head_id == span_id and rel.tail_id in self.spans:
                out.append((rel, self.spans[rel.tail_id], True))
            elif rel.tail_id == span_id and rel.head_id in self.spans:
                out.append((rel, self.spans[rel.head_id], False))
        return sorted(out, key=lambda t: (not t[2], t[0].role, t[1].start))

    # --- intents ----------------------------------------------------------------------------------

    def _do(self, fn, *args, then=None) -> Change | None:
        """Run one Store intent and apply the Change it returns (`then`, default `apply`); None
        (and `error`) if refused, None too if it waits for the lock (applied once saved)."""
        if self.store is None or self.doc is None:
            return None
        return self._run(fn, args, then or self._apply_here)

    def _run(self, fn, args: tuple, then) -> Change | None:
        if self.waiting:  # earlier writes wait: this one goes after them, in the user's order
            self.waiting.add(fn, args, then, self._describe(fn, args))
            return None
        change = None

        def keep(c: Change) -> None:
            nonlocal change
            change = c
            then(c)

        if not self._attempt(fn, args, keep):
            self.waiting.add(fn, args, then, self._describe(fn, args))
        return change

    def _attempt(self, fn, args: tuple, then, wait: float | None = WRITE_WAIT_SECONDS) -> bool:
        """Try one write, waiting at most `wait` seconds for the lock (None: the Store's whole
        busy timeout); False if it is still held."""
        if self.store is None:
            return True  # closed meanwhile: nothing to write to (close() said what was lost)
        try:
            with self.store.busy_timeout(self.store.timeout if wait is None else wait):
                change = fn(*args)
        except Busy:
            return False
        except StorageFailure as exc:
            self._failed(exc, fn, args)
            return True
        except (ValidationError, StoreError, KeyError) as exc:
            self.error.emit(str(exc))
            return True
        if change is not None:
            then(change)
        return True

    def _apply_here(self, change: Change) -> None:
        """Apply a Change; one that waited and belongs to a document left since is not shown
        (the store has it; that document shows it when opened)."""
        if change.doc_id is not None and self.doc is not None and change.doc_id != self.doc.id:
            return
        self.apply(change)

    def _failed(self, exc: StorageFailure, fn, args: tuple) -> None:
        """Stop writing (the file may no longer hold what the view shows) and say what was lost."""
        self.store.read_only = True
        where = f" in document {self.doc.title!r}" if self.doc is not None else ""
        self.storage_failed.emit(f"{self._describe(fn, args)}{where} was not saved.\n\n{exc}\n\n"
                                 "To keep the window and the file alike, nothing more is saved: "
                                 "fix the problem (free space, permissions), then reopen the project.")

    def _describe(self, fn, args: tuple) -> str:
        """An intent in the user's words: "the label PERSON on 'Obama'"."""
        name = getattr(getattr(fn, "func", fn), "__name__", "the change")
        text = self.doc.text if self.doc is not None else ""
        if name == "add_span" and len(args) == 4:
            return f"The label {args[3]} on {text[args[1]:args[2]]!r}"
        span = self.spans.get(args[0]) if args and isinstance(args[0], int) else None
        if span is None:
            return f"The change ({name.replace('_', ' ')})"
        words = text[span.start:span.end]
        if name == "relabel_span":
            return f"The label {args[1]} on {words!r}"
        verb = name.split("_")[0]
        return f"The change ({verb} {span.label} {words!r})"

    def label_range(self, start: int, end: int, label: str) -> int | None:
        change = self._do(self.store.add_span, self.doc.id, start, end, label,
                          then=self._apply_and_select)
        return change.new_span_id if change is not None else None

    def _apply_and_select(self, change: Change) -> None:
        here = self.doc is not None and change.doc_id == self.doc.id
        self._apply_here(change)
        if here and change.new_span_id is not None:
            self.select(change.new_span_id)

    def relabel(self, span_id: int, label: str) -> None:
        self._do(self.store.relabel_span, span_id, label)

    def accept(self, span_id: int) -> None:
        self._do(self.store.accept_span, span_id)

    def reject_or_delete(self, span_id: int) -> str:
        """A suggestion is rejected (kept, hidden); a decided span is deleted."""
        span = self.spans.get(span_id)
        if span is None:
            return ""
        if span.status == SUGGESTED:
            self._do(self.store.reject_span, span_id)
            return "rejected"
        self._do(self.store.delete_span, span_id)
        return "deleted"

    def accept_all(self, label: str) -> int:
        change = self._do(self.store.accept_all, self.doc.id, label)
        return change.count if change else 0

    def accept_links(self, span_id: int, leave: Collection[int] = ()) -> int:
        """Accept one span's open links (and their ends) but those to `leave`; how many."""
        change = self._do(self.store.accept_links, span_id, leave)
        return change.count if change else 0

    def accept_suggestions(self) -> int:
        """Accept every suggestion of the open document (one undo step); how many spans."""
        change = self._do(self.store.accept_suggestions, self.doc.id) if self.doc else None
        return change.count if change else 0

    def open_links(self, span_id: int) -> list[tuple[Relation, Span, bool]]:
        """The span's relations still suggested: what 'Accept All Links' would accept."""
        return [t for t in self.relations_of(span_id) if t[0].status == SUGGESTED]

    def link(self, head_id: int, tail_id: int, role: str) -> int | None:
        change = self._do(self.store.link, head_id, tail_id, role)
        return change.new_relation_id if change else None

    def unlink(self, rel_id: int) -> None:
        self._do(self.store.unlink, rel_id)

    def accept_relation(self, rel_id: int) -> None:
        self._do(self.store.accept_relation, rel_id)

    def reject_relation(self, rel_id: int) -> None:
        self._do(self.store.reject_relation, rel_id)

    def set_attribute(self, span_id: int, name: str, value: Any) -> None:
        span = self.spans.get(span_id)
        if span is not None and (span.attrs.get(name) or "") == (value or ""):
            return  # nothing to change: no empty action in the log
        self._do(self.store.set_attribute, span_id, name, value)

    def delete_document(self, doc_id: int) -> Change | None:
        """Delete a document (open or not) with its labels; undo brings it back."""
        return self._write(self.store.delete_document, doc_id)

    def edit_document(self, doc_id: int, **fields: str) -> Change | None:
        """Correct title, published (date) or source of a document (open or not)."""
        return self._write(functools.partial(self.store.edit_document, doc_id, **fields))

    def _write(self, fn, *args) -> Change | None:
        """Like _do, for intents that need a project but no open document."""
        if self.store is None:
            return None
        return self._run(fn, args, self.apply)

    def set_status(self, status: str) -> None:
        if self.doc is not None and self.doc.status != status:
            self._do(self.store.set_document_status, self.doc.id, status)

    def next_unfinished(self) -> int | None:
        """The next document (by id, wrapping round) that is not done, other than this one."""
        if self.store is None:
            return None
        ids = sorted(set(self.store.document_ids(DOC_NEW))
                     | set(self.store.document_ids(DOC_IN_PROGRESS)))
        current = self.doc.id if self.doc else 0
        later = [i for i in ids if i > current]
        if later:
            return later[0]
        earlier = [i for i in ids if i != current]
        return earlier[0] if earlier else None

    def registry(self, fn, *args, **kwargs) -> Change | None:
        """An actor-registry intent (create, link, merge, split, edit): it may touch mentions in
        many documents, so the open document takes only its own spans from the Change and the
        window does not move. None (and `error`) if refused."""
        if self.store is None:
            return None
        try:
            change = fn(*args, **kwargs)
        except StorageFailure as exc:
            self._failed(exc, fn, args)
            return None
        except (ValidationError, StoreError, KeyError) as exc:
            self.error.emit(str(exc))
            return None
        if not change.empty:
            here = self.doc.id if self.doc else None
            self.apply(dataclasses.replace(
                change, doc_id=here, doc_status=change.doc_status if change.doc_id == here
                else None))
        return change

    def undo(self) -> Change | None:
        return self._replay(self.store.undo) if self.store else None

    def redo(self) -> Change | None:
        return self._replay(self.store.redo) if self.store else None

    def _replay(self, fn) -> Change | None:
        return self._run(fn, (), self.apply)

    # --- applying changes ------------------------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Bring the open document up to date with a committed Change and emit `changed`."""
        if change.empty:
            return  # nothing was written (e.g. a link that already existed)
        if change.removed_documents:  # deleted (or a restore redone): never load it
            if self.doc is not None and self.doc.id in change.removed_documents:
                self.doc, self.spans, self.relations = None, {}, {}
                self._counts = _zero_counts()
                self.select(None)
            self.changed.emit(change)
            return
        if change.doc_id is not None and (self.doc is None or change.doc_id != self.doc.id):
            self.load(change.doc_id)  # undo/redo of another document: go there
            self.changed.emit(dataclasses.replace(
                change, spans=[], removed_spans=[], relations=[], removed_relations=[],
                doc_status=self.doc.status))
            touched = [s.id for s in change.spans if s.id in self.spans]
            if touched:
                self.select(touched[0])
            return
        if self.doc is None:
            self.changed.emit(change)  # e.g. a registry edit with no document open
            return
        # An action across documents (merging actors) brings spans of others: not ours.
        change = dataclasses.replace(change, spans=[s for s in change.spans
                                                    if s.doc_id == self.doc.id])
        counts = self._counts
        for span_id in change.removed_spans:
            old = self.spans.pop(span_id, None)
            if old is not None:
                counts[old.status] -= 1
        for span in change.spans:
            old = self.spans.get(span.id)
            if old is not None:
                counts[old.status] -= 1
            self.spans[span.id] = span
            counts[span.status] = counts.get(span.status, 0) + 1
        for rel_id in change.removed_relations:
            self.relations.pop(rel_id, None)
        for rel in change.relations:
            self.relations[rel.id] = rel
        if change.doc_status is not None:
            self.doc.status = change.doc_status
        if self.doc.id in change.documents:  # title, date or source corrected
            fresh = self.store.document(self.doc.id)
            self.doc.title, self.doc.published, self.doc.source = (fresh.title, fresh.published,
                                                                   fresh.source)
        self.changed.emit(change)
        if self.selected is not None and self.selected not in self.spans:
            self.select(None)


def _zero_counts() -> dict[str, int]:
    return {SUGGESTED: 0, ACCEPTED: 0, REJECTED: 0}
