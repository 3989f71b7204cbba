"""Links follow their spans (store/links.py): every span decision carries its suggested links
along in the same logged action, and one undo takes both back."""

from __future__ import annotations

import pytest

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, Span
from tests.conftest import ARTICLE


def _find(words: str) -> tuple[int, int]:
    start = ARTICLE.index(words)
    return start, start + len(words)


@pytest.fixture
def suggested(store, doc_id):
    """A model's suggestions: a quote SAID_BY a speaker (with a PERSON stacked under it), a
    threat with a SOURCE; returns their ids by name."""
    spans = [Span(doc_id, *_find("\u201cWe will not wait,\u201d"), "QUOTE"),
             Span(doc_id, *_find("Amara Velko"), "SPEAKER"),
             Span(doc_id, *_find("Amara Velko"), "PERSON"),
             Span(doc_id, *_find("would respond"), "THREAT"),
             Span(doc_id, *_find("Norland"), "GPE")]
    store.replace_suggestions(doc_id, "model-1", spans,
                              [(0, 1, "SAID_BY"), (3, 1, "SOURCE"), (3, 4, "TARGET"),
                               (1, 2, "SAME_AS")])
    by = {}
    text = store.document(doc_id).text
    for s in store.spans(doc_id):
        by[f"{s.label}:{text[s.start:s.end]}"] = s.id
    return {"quote": by["QUOTE:\u201cWe will not wait,\u201d"], "speaker": by["SPEAKER:Amara Velko"],
            "person": by["PERSON:Amara Velko"], "threat": by["THREAT:would respond"],
            "norland": by["GPE:Norland"]}


def _rel(store, doc_id, head, tail, role):
    (rel,) = [r for r in store.relations(doc_id)
              if (r.head_id, r.tail_id, r.role) == (head, tail, role)]
    return rel


def test_accepting_the_second_end_accepts_the_link_in_the_same_action(store, doc_id, suggested):
    q, sp = suggested["quote"], suggested["speaker"]
    store.accept_span(q)
    assert _rel(store, doc_id, q, sp, "SAID_BY").status == SUGGESTED  # one end only
    change = store.accept_span(sp)
    said = _rel(store, doc_id, q, sp, "SAID_BY")
    assert (said.status, said.annotator) == (ACCEPTED, "tester")
    # the Change carries the relation, so the window re-frames it without re-reading
    assert [(r.id, r.status) for r in change.relations] == [(said.id, ACCEPTED)]
    assert len(store.actions()) == 2  # no extra action for the link
    # the THREAT's SOURCE stays open: its head is not accepted
    assert _rel(store, doc_id, suggested["threat"], sp, "SOURCE").status == SUGGESTED
    undo = store.undo()
    assert store.span(sp).status == SUGGESTED
    assert _rel(store, doc_id, q, sp, "SAID_BY").status == SUGGESTED
    assert {r.id for r in undo.relations} == {said.id}
    store.redo()
    assert _rel(store, doc_id, q, sp, "SAID_BY").status == ACCEPTED


def test_rejecting_or_deleting_an_end_takes_its_suggested_links(store, doc_id, suggested):
    q, sp, person = suggested["quote"], suggested["speaker"], suggested["person"]
    change = store.reject_span(person)
    assert _rel(store, doc_id, sp, person, "SAME_AS").status == REJECTED
    assert change.relations and change.relations[0].status == REJECTED
    store.accept_span(q)
    change = store.delete_span(q)
    assert not [r for r in store.relations(doc_id) if q in (r.head_id, r.tail_id)]
    assert len(change.removed_relations) == 1
    store.undo()
    assert _rel(store, doc_id, q, sp, "SAID_BY").status == SUGGESTED


def test_accept_all_of_a_label_accepts_the_links_between_accepted_ends(store, doc_id, suggested):
    store.accept_span(suggested["threat"])
    change = store.accept_all(doc_id, "SPEAKER")
    assert change.count == 1
    assert _rel(store, doc_id, suggested["threat"], suggested["speaker"], "SOURCE").status \
        == ACCEPTED
    assert _rel(store, doc_id, suggested["quote"], suggested["speaker"], "SAID_BY").status \
        == SUGGESTED  # the quote is still a suggestion
    change = store.accept_all(doc_id, "QUOTE")
    assert [r.role for r in change.relations] == ["SAID_BY"]
    store.undo()
    assert store.span(suggested["quote"]).status == SUGGESTED
    assert _rel(store, doc_id, suggested["quote"], suggested["speaker"], "SAID_BY").status \
        == SUGGESTED


def test_accept_all_links_of_a_span(store, doc_id, suggested):
    t = suggested["threat"]
    change = store.accept_links(t)
    assert change.count == 2
    assert {store.span(i).status for i in (t, suggested["speaker"], suggested["norland"])} \
        == {ACCEPTED}
    assert _rel(store, doc_id, t, suggested["norland"], "TARGET").status == ACCEPTED
    assert _rel(store, doc_id, t, suggested["speaker"], "SOURCE").status == ACCEPTED
    # the speaker's other links follow only where their other end is accepted too
    assert _rel(store, doc_id, suggested["quote"], suggested["speaker"], "SAID_BY").status \
        == SUGGESTED
    store.undo()
    assert {store.span(i).status for i in (t, suggested["speaker"], suggested["norland"])} \
        == {SUGGESTED}
    assert {r.status for r in store.relations(doc_id)} == {SUGGESTED}


def test_accept_every_suggestion_of_a_document_is_one_step(store, doc_id, suggested):
    change = store.accept_suggestions(doc_id)
    assert change.count == 5
    assert {s.status for s in store.spans(doc_id)} == {ACCEPTED}
    assert {r.status for r in store.relations(doc_id)} == {ACCEPTED}
    assert [a.kind for a in store.actions()] == ["accept_document"]
    store.undo()
    assert {s.status for s in store.spans(doc_id)} == {SUGGESTED}
    assert {r.status for r in store.relations(doc_id)} == {SUGGESTED}


def test_a_hand_link_to_a_suggestion_accepts_it(store, doc_id, suggested):
    q, person = suggested["quote"], suggested["person"]
    store.accept_span(q)
    change = store.link(q, person, "SAID_BY")
    assert store.span(person).status == ACCEPTED
    assert _rel(store, doc_id, q, person, "SAID_BY").status == ACCEPTED
    # accepting the PERSON settled its SAME_AS? no: the SPEAKER end is still a suggestion
    assert _rel(store, doc_id, suggested["speaker"], person, "SAME_AS").status == SUGGESTED
    assert {s.id for s in change.spans} == {person}
    store.undo()
    assert store.span(person).status == SUGGESTED
    assert not [r for r in store.relations(doc_id) if r.tail_id == person and r.head_id == q]


def test_accepting_a_link_accepts_its_suggested_ends(store, doc_id, suggested):
    rel = _rel(store, doc_id, suggested["quote"], suggested["speaker"], "SAID_BY")
    store.accept_relation(rel.id)
    assert store.span(suggested["quote"]).status == ACCEPTED
    assert store.span(suggested["speaker"]).status == ACCEPTED
    store.undo()
    assert store.span(suggested["quote"]).status == SUGGESTED


def test_a_relabel_that_breaks_the_role_leaves_the_link_open(store, doc_id, suggested):
    store.accept_span(suggested["quote"])
    store.relabel_span(suggested["speaker"], "DATE")  # SAID_BY cannot end at a DATE
    assert _rel(store, doc_id, suggested["quote"], suggested["speaker"], "SAID_BY").status \
        == SUGGESTED
    store.relabel_span(suggested["speaker"], "PERSON")
    assert _rel(store, doc_id, suggested["quote"], suggested["speaker"], "SAID_BY").status \
        == ACCEPTED
