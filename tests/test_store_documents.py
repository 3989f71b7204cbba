"""Deleting documents and editing their metadata: one logged action each, undone exactly."""

from __future__ import annotations

import pytest

from annotator.domain import ACCEPTED, AnnotatedDocument, Document, Span, ValidationError
from annotator.store import Store, StoreError
from tests.conftest import ARTICLE


def _snapshot(store: Store, doc_id: int) -> dict:
    """Everything stored about one document, as raw rows."""
    q = store.db.execute
    return {
        "document": q("SELECT * FROM documents WHERE id = ?", [doc_id]).fetchall(),
        "spans": q("SELECT * FROM spans WHERE doc_id = ? ORDER BY id", [doc_id]).fetchall(),
        "relations": q("SELECT * FROM relations WHERE doc_id = ? ORDER BY id", [doc_id]).fetchall(),
        "preannotations": q("SELECT * FROM preannotations WHERE doc_id = ?", [doc_id]).fetchall(),
    }


def _search(store: Store, words: str) -> list[int]:
    return [r["id"] for r in store.document_rows(words)]


@pytest.fixture
def labelled(store, doc_id):
    """The article with a model's suggestions (and their link), some accepted by hand."""
    t = ARTICLE
    quote = t.index("\u201c"), t.index("\u201d") + 1
    she = t.index("she"), t.index("she") + 3
    store.replace_suggestions(doc_id, "model-1", [
        Span(doc_id, 9, 20, "PERSON"), Span(doc_id, *quote, "QUOTE"), Span(doc_id, *she, "SPEAKER"),
    ], [(1, 2, "SAID_BY")])
    spans = {s.label: s for s in store.spans(doc_id)}
    store.accept_span(spans["QUOTE"].id)
    store.add_span(doc_id, 44, 51, "GPE")
    return doc_id


def test_delete_then_undo_restores_the_document_exactly(store, labelled):
    other = store.add_documents([AnnotatedDocument(Document(text="Talks resumed in Geneva."))])[0]
    before = _snapshot(store, labelled)
    assert _search(store, "Velko") == [labelled]
    change = store.delete_document(labelled)
    assert change.removed_documents == [labelled] and change.doc_id == labelled
    assert len(change.removed_spans) == 4 and len(change.removed_relations) == 1
    assert store.document_ids() == [other]
    assert _snapshot(store, labelled) == {"document": [], "spans": [], "relations": [],
                                          "preannotations": []}
    assert _search(store, "Velko") == [] and store.document_count("Velko") == 0
    with pytest.raises(KeyError):
        store.document(labelled)

    undone = store.undo()
    assert undone.documents == [labelled] and undone.doc_status == "in_progress"
    assert _snapshot(store, labelled) == before  # text, labels, links, marks: all as they were
    assert _search(store, "Velko") == [labelled]
    assert store.document(labelled).text == ARTICLE
    store.redo()
    assert store.document_ids() == [other] and _search(store, "Velko") == []


def test_delete_is_one_action_and_does_not_touch_the_status(store, doc_id):
    store.delete_document(doc_id)
    (action,) = store.actions(10)
    assert action.kind == "delete_document" and action.doc_id == doc_id
    assert {e["table"] for e in action.changes} == {"documents"}
    assert action.changes[0]["before"]["text"] == ARTICLE
    store.undo()
    assert store.document(doc_id).status == "new"  # not moved to 'in progress'


def test_undo_of_a_delete_never_overwrites_what_was_imported_since(store, doc_id):
    store.delete_document(doc_id)
    (again,) = store.add_documents([AnnotatedDocument(Document(text=ARTICLE, title="Again"))])
    with pytest.raises(StoreError, match="nothing was changed"):
        store.undo()
    assert store.document(again).title == "Again" and store.document_ids() == [again]
    assert store.can_undo()  # the delete is still there to undo once the copy is gone


def test_edit_title_date_and_source_then_undo(store, doc_id):
    change = store.edit_document(doc_id, title=" Velko warns ", published="2024-05-07",
                                 source="Wire")
    assert change.documents == [doc_id] and change.doc_status is None
    doc = store.document(doc_id)
    assert (doc.title, doc.published, doc.source, doc.status) == ("Velko warns", "2024-05-07",
                                                                  "Wire", "new")
    assert _search(store, "warns") == [doc_id]  # the search index follows the title
    (entry,) = store.actions(1)[0].changes
    assert set(entry["after"]) == {"title", "published", "source", "updated"}
    store.undo()
    doc = store.document(doc_id)
    assert (doc.title, doc.published, doc.source) == ("Velko", "", "")
    assert _search(store, "warns") == []
    store.redo()
    assert store.document(doc_id).title == "Velko warns"


def test_edit_that_changes_nothing_logs_nothing_and_bad_dates_are_refused(store, doc_id):
    assert store.edit_document(doc_id, title="Velko").empty
    assert store.actions(10) == []
    with pytest.raises(ValidationError, match="2024-05-07"):
        store.edit_document(doc_id, published="last Tuesday")
    assert store.document(doc_id).published == "" and store.actions(10) == []
    store.edit_document(doc_id, published="2024-05-07T10:30:00+00:00")
    assert store.document(doc_id).published.startswith("2024-05-07")


def test_deleting_one_document_keeps_the_others_labels(store, labelled):
    (other,) = store.add_documents([AnnotatedDocument(Document(text="Talks resumed in Geneva."))])
    store.add_span(other, 17, 23, "GPE")
    store.delete_document(labelled)
    assert [s.status for s in store.spans(other)] == [ACCEPTED]
