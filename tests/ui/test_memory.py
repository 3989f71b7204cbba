"""The label memory through the real window: one decision, and every other mention follows.

Each test labels with the keys and the mouse as an analyst would and then checks both what the
article shows (the highlighter's formats, right after the key press: no waiting) and what the
database holds (a second connection). Pre-annotation runs the real default pipeline.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, AnnotatedDocument, Document, Span
from annotator.store import Store
from tests.ui.conftest import click_span, find, formats_at, open_window, select, spans_by_text

K = Qt.Key
WAIT = 120_000

FIRST = ("The Red Ridge Brigade attacked a convoy near Vell on Monday.\n"
         "Later the Red Ridge Brigade withdrew to the hills.")
SECOND = "Villagers said the Red Ridge Brigade had left. The army did not comment."
THIRD = "A spokesman for the Red Ridge Brigade denied the report."
QUOTED = ("\u201cWe will respond with force,\u201d the defence minister said on Monday.\n"
          "Talks were suspended.")
LATER = ("\u201cThere will be no talks,\u201d the defence minister said in the capital on "
         "Thursday.\nOfficials did not comment.")


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "memory.db"
    with Store(path, annotator="setup") as store:
        store.add_documents([AnnotatedDocument(Document(text=t, title=f"doc {i}"))
                             for i, t in enumerate((FIRST, SECOND, THIRD, QUOTED, LATER), 1)])
    return path


@pytest.fixture
def win(qtbot, corpus, settings):
    w = open_window(qtbot, corpus, settings)
    yield w
    w.close()


def memory_spans(db, doc_id, text, status=SUGGESTED):
    return [s for s in spans_by_text(db, doc_id, text, (status,)) if s.origin == "memory"]


def test_one_accept_suggests_the_other_mention_within_the_key_press(qtbot, win, corpus):
    view = win.view
    assert win.session.doc.text == FIRST
    first = find(FIRST, "Red Ridge Brigade")
    second = find(FIRST, "Red Ridge Brigade", 1)
    assert formats_at(view, *second) == []
    select(view, *first)
    qtbot.keyClick(view, K.Key_2)  # ORG
    # right after the key press, before any other event is processed
    assert formats_at(view, *first) == ["accepted:ORG"]
    assert formats_at(view, *second) == ["suggested:ORG"]
    assert "1 to review" in win.counts_label.text()
    with Store(corpus) as db:
        (made,) = memory_spans(db, 1, "Red Ridge Brigade")
        assert (made.start, made.end, made.label) == (*second, "ORG")
        assert [(e.text, e.label, e.decision) for e in db.memory_entries()] == [
            ("Red Ridge Brigade", "ORG", ACCEPTED)]
    # another document gets it when opened
    win.open_document(2)
    there = find(SECOND, "Red Ridge Brigade")
    assert formats_at(view, *there) == ["suggested:ORG"]
    with Store(corpus) as db:
        assert [(s.start, s.end) for s in memory_spans(db, 2, "Red Ridge Brigade")] == [there]
    model = win.corpus_model  # the list counts it at once
    assert model.data(model.index(model.row_of(2), 4)) == 1
    # and undoing the accept takes the suggestions of the open document with it
    win.open_document(1)
    win.actions.undo.trigger()
    assert formats_at(view, *first) == [] and formats_at(view, *second) == []
    with Store(corpus) as db:
        assert db.memory_entries() == [] and memory_spans(db, 1, "Red Ridge Brigade") == []


def test_a_rejected_text_is_not_suggested_again(qtbot, win, corpus):
    view = win.view
    select(view, *find(FIRST, "Red Ridge Brigade"))
    qtbot.keyClick(view, K.Key_2)
    win.open_document(2)  # gets its memory suggestion
    there = find(SECOND, "Red Ridge Brigade")
    click_span(qtbot, view, there[0])
    qtbot.keyClick(view, K.Key_Delete)  # reject it: the analyst's latest decision
    assert formats_at(view, *there) == []
    with Store(corpus) as db:
        assert [s.status for s in spans_by_text(db, 2, "Red Ridge Brigade")] == [REJECTED]
        assert [(e.text, e.decision) for e in db.memory_entries()] == [
            ("Red Ridge Brigade", REJECTED)]
    # the first document's memory suggestion goes when it is opened again, and a document
    # never opened gets none
    win.open_document(1)
    assert formats_at(view, *find(FIRST, "Red Ridge Brigade", 1)) == []
    win.open_document(3)
    assert formats_at(view, *find(THIRD, "Red Ridge Brigade")) == []
    # nor does the model suggest it again: the real pipeline's NER finds it, the memory drops it
    with qtbot.waitSignal(win.task_done, timeout=WAIT):
        win.actions.preannotate_doc.trigger()
    with Store(corpus) as db:
        assert not [s for s in spans_by_text(db, 3, "Red Ridge Brigade") if s.label == "ORG"]
        assert [s.label for s in db.spans(3) if s.origin != "memory"]  # it did suggest others
    assert formats_at(view, *find(THIRD, "Red Ridge Brigade")) == []


def test_a_speakers_canonical_name_carries_to_a_later_document(qtbot, win, corpus):
    view = win.view
    win.open_document(4)
    words = find(QUOTED, "the defence minister")
    select(view, *words)
    qtbot.keyClick(view, K.Key_S)  # SPEAKER
    field = win.details.findChild(QLineEdit, "attr_canonical_name")
    field.setFocus()
    qtbot.keyClicks(field, "Khawaja Asif")
    qtbot.keyClick(field, K.Key_Return)
    with Store(corpus) as db:
        (span,) = spans_by_text(db, 4, "the defence minister", (ACCEPTED,))
        assert span.attrs["canonical_name"] == "Khawaja Asif"
        assert [(e.text, e.label, e.canonical) for e in db.memory_entries()] == [
            ("the defence minister", "SPEAKER", "Khawaja Asif")]
    # the later document: the real pipeline suggests the speaker, the memory names it
    win.open_document(5)
    with qtbot.waitSignal(win.task_done, timeout=WAIT):
        win.actions.preannotate_doc.trigger()
    later = find(LATER, "the defence minister")
    with Store(corpus) as db:
        (suggested,) = [s for s in spans_by_text(db, 5, "the defence minister", (SUGGESTED,))
                        if s.label == "SPEAKER"]
        assert suggested.attrs.get("canonical_name") == "Khawaja Asif"
    click_span(qtbot, view, later[0] + 4)
    assert win.details.span.label == "SPEAKER"
    shown = win.details.findChild(QLineEdit, "attr_canonical_name")
    assert shown.text() == "Khawaja Asif"


# --- corrections and longer names (issue 26) ----------------------------------------------------

MALI = ("Mali closed its border on Monday. Officials in Mali said the decision was final.\n"
        "Boats on the Niger River were stopped; Niger said nothing.")
MALI_AGAIN = "Mali and Niger met in Bamako."
BARGES = "Barges on the Niger River carried grain."


@pytest.fixture
def sahel(tmp_path):
    """Two documents where the model read "Mali" as a person (and found the Niger River)."""
    path = tmp_path / "sahel.db"
    with Store(path, annotator="setup") as store:
        a, b, c = store.add_documents([AnnotatedDocument(Document(text=t, title=f"sahel {i}"))
                                       for i, t in enumerate((MALI, MALI_AGAIN, BARGES), 1)])
        store.replace_suggestions(a, "model-1", [
            Span(a, *find(MALI, "Mali"), "PERSON"), Span(a, *find(MALI, "Mali", 1), "PERSON"),
            Span(a, *find(MALI, "Niger River"), "LOC")], [])
        store.replace_suggestions(b, "model-1", [Span(b, *find(MALI_AGAIN, "Mali"), "PERSON")], [])
        store.add_span(c, *find(BARGES, "Niger River"), "LOC")
    return path


@pytest.fixture
def sahel_win(qtbot, sahel, settings):
    w = open_window(qtbot, sahel, settings)
    yield w
    w.close()


def labels_at(db, doc_id, text, words, nth=0, statuses=(SUGGESTED,)):
    start, end = find(text, words, nth)
    return sorted((s.label, s.origin) for s in db.spans(doc_id, statuses)
                  if (s.start, s.end) == (start, end))


def test_relabelling_a_suggestion_replaces_the_old_label_on_the_other_mentions(qtbot, sahel_win, sahel):
    win, view = sahel_win, sahel_win.view
    assert win.session.doc.text == MALI
    second = find(MALI, "Mali", 1)
    click_span(qtbot, view, find(MALI, "Mali")[0])
    assert win.session.selected_span().label == "PERSON"
    qtbot.keyClick(view, K.Key_3)  # GPE: the correction
    # within the key press the other "Mali" is a GPE suggestion, no longer a PERSON one
    assert formats_at(view, *second) == ["suggested:GPE"]
    with Store(sahel) as db:
        assert labels_at(db, 1, MALI, "Mali", 1) == [("GPE", "memory")]
        assert {(e.text, e.label, e.decision) for e in db.memory_entries() if e.text == "Mali"} == {
            ("Mali", "GPE", ACCEPTED), ("Mali", "PERSON", REJECTED)}
    # one undo step takes the correction back, the model's suggestion with it
    win.actions.undo.trigger()
    with Store(sahel) as db:
        assert labels_at(db, 1, MALI, "Mali", 1) == [("PERSON", "model-1")]
        assert labels_at(db, 1, MALI, "Mali") == [("PERSON", "model-1")]
        assert [e for e in db.memory_entries() if e.text == "Mali"] == []
    # another document opened after the correction: GPE, no longer PERSON
    win.actions.redo.trigger()
    win.open_document(2)
    assert formats_at(view, *find(MALI_AGAIN, "Mali")) == ["suggested:GPE"]
    with Store(sahel) as db:
        assert labels_at(db, 2, MALI_AGAIN, "Mali") == [("GPE", "memory")]


def test_relabelling_an_accepted_label_rejects_the_old_one(qtbot, sahel_win, sahel):
    """PERSON "Mali" accepted in two documents, then corrected in one: the memory now says
    GPE, and the other mention's memory suggestion follows in the same key press."""
    win, view = sahel_win, sahel_win.view
    win.open_document(2)
    click_span(qtbot, view, find(MALI_AGAIN, "Mali")[0])
    qtbot.keyClick(view, K.Key_Return)  # accept PERSON (the analyst's first reading)
    win.open_document(1)
    first = find(MALI, "Mali")
    click_span(qtbot, view, first[0])
    qtbot.keyClick(view, K.Key_Return)
    with Store(sahel) as db:
        assert labels_at(db, 1, MALI, "Mali", 1) == [("PERSON", "model-1")]
    click_span(qtbot, view, first[0])
    qtbot.keyClick(view, K.Key_3)  # no: GPE
    assert formats_at(view, *find(MALI, "Mali", 1)) == ["suggested:GPE"]
    with Store(sahel) as db:
        assert labels_at(db, 1, MALI, "Mali", 1) == [("GPE", "memory")]
        assert {(e.label, e.decision) for e in db.memory_entries() if e.text == "Mali"} == {
            ("GPE", ACCEPTED), ("PERSON", REJECTED)}


def test_memory_suggests_nothing_inside_a_longer_name(qtbot, sahel_win, sahel):
    win, view = sahel_win, sahel_win.view
    inside = find(MALI, "Niger")  # the "Niger" of "Niger River"
    alone = find(MALI, "Niger", 1)
    select(view, *alone)
    qtbot.keyClick(view, K.Key_3)  # GPE "Niger"
    # the "Niger River" the model suggests as LOC keeps its "Niger" free of a GPE suggestion
    assert not [f for f in formats_at(view, *inside) if "GPE" in f]
    with Store(sahel) as db:
        assert labels_at(db, 1, MALI, "Niger") == []
    # documents opened afterwards: "Niger" alone is suggested, inside an accepted
    # "Niger River" it is not
    win.open_document(2)
    win.open_document(3)
    with Store(sahel) as db:
        assert labels_at(db, 2, MALI_AGAIN, "Niger") == [("GPE", "memory")]
        assert labels_at(db, 3, BARGES, "Niger") == []
