"""The session applies the Change each Store write returns: no reading back, no recounting."""

from __future__ import annotations

import pytest

from annotator.domain import ACCEPTED, SUGGESTED
from annotator.ui.session import Session
from tests.ui.conftest import ARTICLE, find


@pytest.fixture
def session(qapp, project):
    s = Session()
    s.open(project, annotator="tester")
    s.load(s.store.document_ids()[0])
    yield s
    s.close()


def recount(session) -> dict[str, int]:
    out = {"suggested": 0, "accepted": 0, "rejected": 0}
    for span in session.store.spans(session.doc.id):
        out[span.status] += 1
    return out


def test_an_intent_emits_the_change_the_store_committed(session):
    seen = []
    session.changed.connect(seen.append)
    span_id = session.label_range(*find(ARTICLE, "Rebels"), "NORP")
    (change,) = seen
    assert change.new_span_id == span_id and [s.id for s in change.spans] == [span_id]
    assert session.spans[span_id] == session.store.span(span_id)
    assert session.selected == span_id and session.doc.status == "in_progress"
    assert session.counts() == recount(session)
    norland = next(s for s in session.spans.values() if ARTICLE[s.start:s.end] == "Norland")
    assert session.accept_all(norland.label) == 2  # Norland and Port Ilse
    assert session.counts() == recount(session) and session.counts()[ACCEPTED] == 3
    session.reject_or_delete(span_id)
    assert span_id not in session.spans and session.counts() == recount(session)
    assert session.selected is None


def test_linking_twice_emits_nothing_the_second_time(session):
    quote = next(s for s in session.spans.values() if s.label == "QUOTE")
    she = session.label_range(*find(ARTICLE, "she"), "SPEAKER")
    seen = []
    session.changed.connect(seen.append)
    rel = session.link(quote.id, she, "SAID_BY")
    assert session.relations[rel].role == "SAID_BY" and len(seen) == 1
    assert session.link(quote.id, she, "SAID_BY") == rel and len(seen) == 1


def test_undo_availability_costs_no_query(session):
    session.label_range(*find(ARTICLE, "Rebels"), "NORP")
    statements = []
    session.store.db.conn.set_trace_callback(statements.append)
    try:
        assert session.can_undo and not session.can_redo
    finally:
        session.store.db.conn.set_trace_callback(None)
    assert statements == []
    session.undo()
    assert session.can_redo and not session.can_undo


def test_undo_of_another_document_goes_there(session):
    first = session.doc.id
    session.label_range(*find(ARTICLE, "Rebels"), "NORP")
    session.load(session.store.document_ids()[1])
    seen = []
    session.changed.connect(seen.append)
    change = session.undo()
    assert session.doc.id == first and change.removed_spans
    assert [c.kind for c in seen] == ["add_span"] and seen[0].doc_status == "new"
    assert session.counts() == recount(session) and session.counts()[SUGGESTED] == 5
