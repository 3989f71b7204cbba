"""What one committed write did: the Store returns it, the session and views apply it.

Modelled on Anki's `OpChanges`: the writer, which knows exactly which rows it touched, says so,
instead of every reader re-reading the action log or the whole document afterwards. Qt-free, so
services and the CLI use the same type as the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain import Relation, Span

DO, UNDO, REDO, RELOAD = "do", "undo", "redo", "reload"
SUGGEST = "suggest"  # suggestions written outside the action log (the label memory's)


@dataclass
class Change:
    """One intent, undo or redo, as committed. Spans and relations are their state now."""

    kind: str = ""  # action kind ("add_span", "accept", ...) or "reload"
    doc_id: int | None = None  # the document it changed
    action_id: int | None = None  # its action-log row; None: nothing was written
    direction: str = DO  # DO, UNDO, REDO or RELOAD
    spans: list[Span] = field(default_factory=list)  # added or changed
    removed_spans: list[int] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)  # added or changed
    removed_relations: list[int] = field(default_factory=list)
    doc_status: str | None = None  # the document's status now, if this changed it
    documents: list[int] = field(default_factory=list)  # documents edited or brought back
    removed_documents: list[int] = field(default_factory=list)  # documents deleted
    new_span_id: int | None = None  # the span add_span made (or undo/redo brought back)
    new_relation_id: int | None = None  # the relation link made or found
    new_actor_id: int | None = None  # the actor a registry intent created
    actors_changed: bool = False  # the actor registry changed (tables regroup)
    count: int = 0  # accept_all: how many suggestions were accepted
    can_undo: bool = False  # history after this write, as this connection knows it
    can_redo: bool = False

    @property
    def empty(self) -> bool:
        """Nothing in the project changed (e.g. linking two spans already linked)."""
        return self.action_id is None and self.direction not in (RELOAD, SUGGEST)

    @property
    def relations_changed(self) -> bool:
        return bool(self.relations or self.removed_relations)

    def span_ids(self) -> set[int]:
        """Every span this change added, changed or removed."""
        return {s.id for s in self.spans} | set(self.removed_spans)
