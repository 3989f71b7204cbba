"""The label memory through the real window: one decision, and every other mention follows.

Each test labels with the keys and the mouse as an analyst would and then checks both what the
article shows (the highlighter's formats, right after the key press: no waiting) and what the
database holds (a second connection). Pre-annotation runs the real default pipeline.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, AnnotatedDocument, Document
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
