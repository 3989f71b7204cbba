"""The open project and document: turns user intents into Store calls and reports what changed.

One object holds the UI thread's Store, the open document, its spans and relations and the
selected span (no globals). Every intent is one Store call (one transaction + action-log row);
afterwards the session reads back the action it just logged and applies exactly the rows it
changed, so the view re-paints only those spans. Undo and redo apply the rows of the action they
replay, switching to its document when it belongs to another one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.domain import (
    ACCEPTED,
    DOC_IN_PROGRESS,
    DOC_NEW,
    REJECTED,
    SUGGESTED,
    Action,
    Document,
    Relation,
    Span,
    ValidationError,
)
from annotator.store import Store, StoreError


@dataclass
class Change:
    """What one action did to the open document."""

    spans: list[Span] = field(default_factory=list)  # added or changed: their rows now
    removed: list[int] = field(default_factory=list)  # span ids that no longer exist
    relations_changed: bool = False
    doc_status: str | None = None
    new_span_id: int | None = None
    kind: str = ""


def span_from_row(row: dict[str, Any]) -> Span:
    return Span(doc_id=row["doc_id"], start=row["start"], end=row["end"], label=row["label"],
                status=row["status"], origin=row.get("origin") or "",
                annotator=row.get("annotator") or "", attrs=json.loads(row.get("attrs") or "{}"),
                id=row["id"], created=row.get("created") or "", updated=row.get("updated") or "")


class Session(QObject):
    document_loaded = Signal(object)  # Document
    changed = Signal(object)  # Change
    selection_changed = Signal(object)  # span id or None
    error = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.doc: Document | None = None
        self.spans: dict[int, Span] = {}
        self.relations: dict[int, Relation] = {}
        self.selected: int | None = None
        self._last_action = 0

    # --- project ----------------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self.store.path if self.store else None

    @property
    def schema(self):
        return self.store.schema

    def open(self, path: str | Path, annotator: str = "", create: bool = True,
             timeout: float = 10.0) -> Store:
        """Open (or create) a project; raises StoreError. The previous project is closed.

        A project another program keeps write-locked for more than `timeout` seconds is refused
        here (the previous one stays open), not at the user's first label."""
        store = Store(path, annotator=annotator, create=create, timeout=timeout)
        if not store.read_only:
            try:
                store.check_writable()
            except StoreError:
                store.close()
                raise
        self.close()
        self.store = store
        actions = store.actions(1)
        self._last_action = actions[0].id if actions else 0
        return store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = None
        self.doc = None
        self.spans, self.relations, self.selected = {}, {}, None

    # --- document ---------------------------------------------------------------------------------

    def load(self, doc_id: int) -> Document:
        self.doc = self.store.document(doc_id)
        self.spans = {s.id: s for s in self.store.spans(doc_id)}
        self.relations = {r.id: r for r in self.store.relations(doc_id)}
        self.selected = None
        self.document_loaded.emit(self.doc)
        self.selection_changed.emit(None)
        return self.doc

    def refresh(self) -> None:
        """Re-read the open document from the store (another window or program changed it)."""
        if self.store is None:
            return
        actions = self.store.actions(1)
        self._last_action = actions[0].id if actions else 0
        if self.doc is not None:
            try:
                self.reload_labels()
            except KeyError:  # the document is gone
                self.doc, self.spans, self.relations = None, {}, {}
                self.select(None)

    def reload_labels(self) -> None:
        """Re-read spans and relations of the open document (after a worker changed them)."""
        if self.doc is None:
            return
        self.spans = {s.id: s for s in self.store.spans(self.doc.id)}
        self.relations = {r.id: r for r in self.store.relations(self.doc.id)}
        self.doc.status = self.store.document(self.doc.id).status
        if self.selected not in self.spans:
            self.select(None)
        change = Change(spans=list(self.spans.values()), relations_changed=True, kind="reload")
        self.changed.emit(change)

    def select(self, span_id: int | None) -> None:
        if span_id is not None and span_id not in self.spans:
            span_id = None
        self.selected = span_id
        self.selection_changed.emit(span_id)

    def selected_span(self) -> Span | None:
        return self.spans.get(self.selected) if self.selected is not None else None

    def counts(self) -> dict[str, int]:
        out = {SUGGESTED: 0, ACCEPTED: 0, REJECTED: 0}
        for s in self.spans.values():
            out[s.status] = out.get(s.status, 0) + 1
        return out

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

    def _do(self, fn, *args) -> Any:
        if self.store is None or self.doc is None:
            return None
        try:
            result = fn(*args)
        except (ValidationError, StoreError, KeyError) as exc:
            self.error.emit(str(exc))
            return None
        self._sync()
        return result

    def label_range(self, start: int, end: int, label: str) -> int | None:
        span_id = self._do(self.store.add_span, self.doc.id, start, end, label)
        if span_id is not None:
            self.select(span_id)
        return span_id

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
        return self._do(self.store.accept_all, self.doc.id, label) or 0

    def link(self, head_id: int, tail_id: int, role: str) -> int | None:
        return self._do(self.store.link, head_id, tail_id, role)

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

    def undo(self) -> Action | None:
        return self._replay(self.store.undo, "before") if self.store else None

    def redo(self) -> Action | None:
        return self._replay(self.store.redo, "after") if self.store else None

    def _replay(self, fn, direction: str) -> Action | None:
        try:
            action = fn()
        except StoreError as exc:
            self.error.emit(str(exc))
            return None
        if action is not None:
            self._apply(action, direction)
        return action

    # --- applying logged changes ---------------------------------------------------------------

    def _sync(self) -> None:
        """Apply the action the last intent logged (if it logged one)."""
        latest = self.store.actions(1)
        if latest and latest[0].id != self._last_action:
            self._last_action = latest[0].id
            self._apply(latest[0], "after")

    def _apply(self, action: Action, direction: str) -> None:
        if action.doc_id is not None and (self.doc is None or action.doc_id != self.doc.id):
            self.load(action.doc_id)  # undo/redo of another document: go there
            self.changed.emit(Change(kind=action.kind, doc_status=self.doc.status))
            touched = [c["id"] for c in action.changes
                       if c["table"] == "spans" and c["id"] in self.spans]
            if touched:
                self.select(touched[0])
            return
        change = Change(kind=action.kind)
        for c in action.changes:
            row = c[direction]
            if c["table"] == "spans":
                if row is None:
                    self.spans.pop(c["id"], None)
                    change.removed.append(c["id"])
                else:
                    span = span_from_row(row)
                    if c["before" if direction == "after" else "after"] is None:
                        change.new_span_id = span.id
                    self.spans[span.id] = span
                    change.spans.append(span)
            elif c["table"] == "relations":
                change.relations_changed = True
                if row is None:
                    self.relations.pop(c["id"], None)
                else:
                    self.relations[c["id"]] = Relation(
                        doc_id=row["doc_id"], head_id=row["head_id"], tail_id=row["tail_id"],
                        role=row["role"], status=row["status"], origin=row.get("origin") or "",
                        annotator=row.get("annotator") or "",
                        attrs=json.loads(row.get("attrs") or "{}"), id=row["id"])
            elif c["table"] == "documents" and row is not None:
                self.doc.status = row["status"]
                change.doc_status = row["status"]
        self.changed.emit(change)
        if self.selected is not None and self.selected not in self.spans:
            self.select(None)

