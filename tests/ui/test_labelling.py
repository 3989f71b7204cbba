"""The annotation workspace driven like a user: keys and mouse on the real window, a real DB.

Each test asserts on what the database holds (a second Store on the same file) and on what the
view shows (the highlighter's formats of the blocks).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain import ACCEPTED, DOC_DONE, DOC_IN_PROGRESS, REJECTED, SUGGESTED
from tests.ui.conftest import (
    ARTICLE,
    answer,
    char_point,
    click_span,
    find,
    formats_at,
    select,
    spans_by_text,
)

K = Qt.Key


def first_doc(window) -> int:
    return window.session.doc.id


def test_window_opens_the_project_on_the_first_unfinished_document(window, db):
    assert window.session.doc.text == ARTICLE
    assert window.view.text == ARTICLE
    assert window.corpus_model.rowCount() == 3
    assert window.corpus.current_doc_id() == first_doc(window)
    assert "Document 1 of 3" in window.position_label.text()
    assert "5 to review" in window.counts_label.text()
    # suggestions are shown as suggestions, unlabelled words not at all
    assert formats_at(window.view, *find(ARTICLE, "Amara Velko")) == ["suggested:PERSON"]
    assert formats_at(window.view, *find(ARTICLE, "warned")) == []


def test_select_text_and_press_a_label_key(qtbot, window, db):
    view = window.view
    start, end = find(ARTICLE, "Rebels")
    select(view, start, end)
    qtbot.keyClick(view, K.Key_5)  # NORP
    (span,) = spans_by_text(db, first_doc(window), "Rebels")
    assert (span.label, span.status, span.origin, span.annotator) == ("NORP", ACCEPTED, "human",
                                                                      "tester")
    assert formats_at(view, start, end) == ["accepted:NORP"]
    assert window.session.selected == span.id
    assert window.details.span.id == span.id
    assert db.document(first_doc(window)).status == DOC_IN_PROGRESS


def test_partial_selection_snaps_to_whole_words(qtbot, window, db):
    view = window.view
    start = ARTICLE.index("ebels")
    select(view, start, start + len("ebels den"))
    qtbot.keyClick(view, K.Key_E)
    (span,) = spans_by_text(db, first_doc(window), "Rebels denied")
    assert span.label == "EVENT"


def test_snapping_off_labels_exactly_the_selection(qtbot, window, db):
    window.actions.snap.setChecked(False)
    view = window.view
    start = ARTICLE.index("ebels")
    select(view, start, start + 3)
    qtbot.keyClick(view, K.Key_E)
    assert [s.label for s in spans_by_text(db, first_doc(window), "ebe")] == ["EVENT"]
    assert window.settings.value("view/snap") in (False, "false")


def test_keyboard_selection_then_key(qtbot, window, db):
    view = window.view
    start = ARTICLE.index("Rebels")
    select(view, start, start)  # caret before "Rebels"
    shift = Qt.KeyboardModifier.ShiftModifier
    for _ in range(len("Rebels den")):
        qtbot.keyClick(view, K.Key_Right, shift)
    assert view.textCursor().selectedText() == "Rebels den"
    qtbot.keyClick(view, K.Key_E)
    assert [s.label for s in spans_by_text(db, first_doc(window), "Rebels denied")] == ["EVENT"]


def test_mouse_drag_then_key(qtbot, window, db):
    view = window.view
    start, end = find(ARTICLE, "the claim")
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=char_point(view, start))
    qtbot.mouseMove(vp, pos=char_point(view, end - 1, after=True))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=char_point(view, end - 1, after=True))
    assert view.selection_range() == (start, end)
    qtbot.keyClick(view, K.Key_C)
    assert [s.label for s in spans_by_text(db, first_doc(window), "the claim")] == ["CUE"]


def test_tab_enter_accepts_and_delete_rejects(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    qtbot.keyClick(view, K.Key_Tab)  # first suggestion: Amara Velko
    velko = window.session.selected_span()
    assert ARTICLE[velko.start:velko.end] == "Amara Velko"
    assert window.details.status.text().startswith("suggestion")
    qtbot.keyClick(view, K.Key_Return)
    assert db.span(velko.id).status == ACCEPTED
    assert formats_at(view, velko.start, velko.end) == ["accepted:PERSON"]

    tuesday = window.session.selected_span()  # Enter moved on to the next suggestion
    assert ARTICLE[tuesday.start:tuesday.end] == "Tuesday"
    qtbot.keyClick(view, K.Key_Delete)
    assert db.span(tuesday.id).status == REJECTED
    assert formats_at(view, tuesday.start, tuesday.end) == []  # rejected: hidden
    after = window.session.selected_span()  # review goes on with the next suggestion
    assert after.status == SUGGESTED and ARTICLE[after.start:after.end] == "Norland"
    window.actions.show_rejected.setChecked(True)
    assert formats_at(view, tuesday.start, tuesday.end) == ["rejected:DATE"]

    # Shift+Tab goes back; Delete on an accepted span deletes it
    window.session.select(velko.id)
    qtbot.keyClick(view, K.Key_Delete)
    assert spans_by_text(db, doc, "Amara Velko") == []
    assert formats_at(view, velko.start, velko.end) == []


def test_shift_tab_goes_back(qtbot, window):
    view = window.view
    qtbot.keyClick(view, K.Key_Tab)
    qtbot.keyClick(view, K.Key_Tab)
    second = window.session.selected
    qtbot.keyClick(view, K.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    first = window.session.selected_span()
    assert ARTICLE[first.start:first.end] == "Amara Velko" and second != first.id


def test_label_key_on_a_selected_span_relabels_it(qtbot, window, db):
    view = window.view
    qtbot.keyClick(view, K.Key_Tab)
    velko = window.session.selected_span()
    qtbot.keyClick(view, K.Key_S)
    row = db.span(velko.id)
    assert (row.label, row.status) == ("SPEAKER", ACCEPTED)
    assert formats_at(view, velko.start, velko.end) == ["accepted:SPEAKER"]


def test_accept_all_of_a_label_is_one_step(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    norland = spans_by_text(db, doc, "Norland")[0]
    window.session.select(norland.id)
    qtbot.keyClick(view, K.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    gpe = [s for s in db.spans(doc) if s.label == "GPE"]
    assert len(gpe) == 2 and {s.status for s in gpe} == {ACCEPTED}
    assert {s.status for s in db.spans(doc) if s.label != "GPE"} == {SUGGESTED}
    assert formats_at(view, *find(ARTICLE, "Port Ilse")) == ["accepted:GPE"]
    qtbot.keyClick(view, K.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo: both back
    assert {s.status for s in db.spans(doc) if s.label == "GPE"} == {SUGGESTED}


def test_click_selects_and_overlapping_spans_stay_reachable(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    start, end = find(ARTICLE, "Amara Velko")
    select(view, *find(ARTICLE, "Minister Amara Velko"))
    qtbot.keyClick(view, K.Key_S)  # SPEAKER over "Minister Amara Velko", PERSON inside it
    speaker = spans_by_text(db, doc, "Minister Amara Velko")[0]
    # both visible where they overlap
    shown = formats_at(view, start, end)
    assert shown == ["accepted:SPEAKER|suggested:PERSON"]
    click_span(qtbot, view, start + 1)
    assert window.session.selected_span().label == "PERSON"  # innermost first
    click_span(qtbot, view, start + 1)
    assert window.session.selected == speaker.id  # the same spot again: the outer one
    click_span(qtbot, view, ARTICLE.index("warned"))
    assert window.session.selected is None


def test_link_a_quote_to_its_speaker(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    quote = spans_by_text(db, doc, "\u201cWe will not wait,\u201d")[0]
    select(view, *find(ARTICLE, "she"))
    qtbot.keyClick(view, K.Key_S)
    she = spans_by_text(db, doc, "she")[0]
    window.session.select(quote.id)
    qtbot.keyClick(view, K.Key_L)
    assert view.link_head == quote.id
    click_span(qtbot, view, she.start)
    (rel,) = db.relations(doc)
    assert (rel.head_id, rel.tail_id, rel.role, rel.status) == (quote.id, she.id, "SAID_BY",
                                                                ACCEPTED)
    assert view.link_head is None
    # matched highlight: with the quote selected, its speaker is framed with the role
    assert window.session.selected == quote.id and view.related == {she.id: "SAID_BY"}
    rows = [window.details.relations_list.item(i).text()
            for i in range(window.details.relations_list.count())]
    assert rows and "SAID_BY" in rows[0] and "she" in rows[0]
    # jump to the speaker from the details panel
    window.details.relations_list.setCurrentRow(0)
    window.details.jump_button.click()
    assert window.session.selected == she.id and view.related == {quote.id: "SAID_BY"}


def test_link_by_keyboard_and_role_choice(qtbot, window, db, monkeypatch):
    view = window.view
    doc = first_doc(window)
    select(view, *find(ARTICLE, "would respond"))
    qtbot.keyClick(view, K.Key_T)  # THREAT
    threat = spans_by_text(db, doc, "would respond")[0]
    asked = []
    monkeypatch.setattr(window.review, "choose_role",
                        lambda roles, pos: asked.append(roles) or "TARGET")
    qtbot.keyClick(view, K.Key_L)
    qtbot.keyClick(view, K.Key_Tab)  # candidates: spans a THREAT can link to
    cand = window.session.spans[view.link_candidate]
    assert cand.label in ("PERSON", "GPE", "QUOTE", "ORG", "NORP", "LOC", "SPEAKER")
    while ARTICLE[cand.start:cand.end] != "Norland":
        qtbot.keyClick(view, K.Key_Tab)
        cand = window.session.spans[view.link_candidate]
    qtbot.keyClick(view, K.Key_Return)
    assert asked == [["SOURCE", "TARGET"]]
    (rel,) = db.relations(doc)
    assert (rel.head_id, rel.tail_id, rel.role) == (threat.id, cand.id, "TARGET")


def test_escape_cancels_link_mode(qtbot, window):
    view = window.view
    qtbot.keyClick(view, K.Key_Tab)
    qtbot.keyClick(view, K.Key_L)
    assert view.link_head is not None
    qtbot.keyClick(view, K.Key_Escape)
    assert view.link_head is None


def test_set_attributes_in_the_details_panel(qtbot, window, db):
    doc = first_doc(window)
    quote = spans_by_text(db, doc, "\u201cWe will not wait,\u201d")[0]
    window.session.select(quote.id)
    kind = window.details.attribute_widgets["kind"]
    assert kind.__class__.__name__ == "QComboBox"
    assert [kind.itemText(i) for i in range(kind.count())][1:] == ["direct", "indirect", "partial"]
    kind.setCurrentIndex(kind.findData("direct"))
    assert db.span(quote.id).attrs == {"kind": "direct"}

    select(window.view, *find(ARTICLE, "Minister Amara Velko"))
    qtbot.keyClick(window.view, K.Key_S)
    speaker = spans_by_text(db, doc, "Minister Amara Velko")[0]
    role = window.details.attribute_widgets["role"]
    assert role.__class__.__name__ == "QLineEdit"
    qtbot.keyClicks(role, "Defence minister")
    qtbot.keyClick(role, K.Key_Return)
    assert db.span(speaker.id).attrs == {"role": "Defence minister"}
    # undo takes the attribute back, in the database and in the panel
    window.undo()
    assert db.span(speaker.id).attrs == {}
    assert window.details.attribute_widgets["role"].text() == ""


def test_relabel_from_the_details_panel(qtbot, window, db):
    doc = first_doc(window)
    norland = spans_by_text(db, doc, "Norland")[0]
    window.session.select(norland.id)
    box = window.details.label_box
    box.setCurrentIndex(box.findData("ORG"))
    assert (db.span(norland.id).label, db.span(norland.id).status) == ("ORG", ACCEPTED)
    assert formats_at(window.view, norland.start, norland.end) == ["accepted:ORG"]


def test_undo_and_redo_every_kind_of_action(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    start, end = find(ARTICLE, "Rebels")
    select(view, start, end)
    qtbot.keyClick(view, K.Key_5)
    assert len(spans_by_text(db, doc, "Rebels")) == 1
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(view, K.Key_Z, ctrl)
    assert spans_by_text(db, doc, "Rebels") == []
    assert formats_at(view, start, end) == []
    qtbot.keyClick(view, K.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert [s.status for s in spans_by_text(db, doc, "Rebels")] == [ACCEPTED]
    assert formats_at(view, start, end) == ["accepted:NORP"]

    # accept, reject, link: each one undo step
    qtbot.keyClick(view, K.Key_Tab)
    velko = window.session.selected_span()
    qtbot.keyClick(view, K.Key_Return)
    qtbot.keyClick(view, K.Key_Z, ctrl)
    assert db.span(velko.id).status == SUGGESTED
    assert formats_at(view, velko.start, velko.end) == ["suggested:PERSON"]
    assert window.actions.redo.isEnabled()
    qtbot.keyClick(view, K.Key_Y, ctrl)
    assert db.span(velko.id).status == ACCEPTED


def test_undo_in_another_document_goes_there(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    select(view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(view, K.Key_5)
    window.corpus.select_document(db.document_ids()[1])
    assert window.session.doc.id != doc
    window.undo()
    assert window.session.doc.id == doc
    assert window.corpus.current_doc_id() == doc
    assert spans_by_text(db, doc, "Rebels") == []


def test_mark_done_moves_to_the_next_unfinished_document(qtbot, window, db):
    view = window.view
    doc = first_doc(window)
    # five suggestions are left: Done asks first; Cancel leaves everything as it was
    asked = answer("cancel")
    qtbot.keyClick(view, K.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["This document still has 5 suggestion(s) nobody has reviewed."]
    assert db.document(doc).status != DOC_DONE and window.session.doc.id == doc
    qtbot.waitUntil(view.hasFocus)  # back in the article once the box has closed
    asked = answer("leave")
    qtbot.keyClick(view, K.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked and db.document(doc).status == DOC_DONE
    assert len(db.spans(doc, [SUGGESTED])) == 5  # left as suggestions
    nxt = window.session.doc.id
    assert nxt == db.document_ids()[1]
    assert window.corpus.current_doc_id() == nxt
    assert window.corpus_model.data(window.corpus_model.index(0, 2)) == "done"
    assert window.view.text == db.document(nxt).text
    window.undo()  # undo of the status: back to the first document, not done any more
    assert db.document(doc).status != DOC_DONE and window.session.doc.id == doc


def test_labels_from_a_second_thread_do_not_block(qtbot, window, db):
    """The UI Store and another connection write to the same file without locking up."""
    view = window.view
    select(view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(view, K.Key_5)
    db.set_document_status(db.document_ids()[2], DOC_DONE)
    select(view, *find(ARTICLE, "the claim"))
    qtbot.keyClick(view, K.Key_C)
    assert len(db.spans(first_doc(window), [ACCEPTED])) == 2
