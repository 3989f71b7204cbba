"""Links made and reviewed in the window: a click in link mode lands on the span that fits the
role, Tab cycles candidates nearest first, the banner says what is going on, open links show in
the details panel and are accepted in one step, exports say what they would miss."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator import link_targets
from annotator.domain import ACCEPTED, DOC_DONE, SUGGESTED, Span
from annotator.ui.dialogs import ExportDialog
from tests.ui.conftest import (
    ARTICLE,
    answer,
    click_span,
    find,
    select,
    spans_by_text,
    when_modal,
)

K = Qt.Key
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
QUOTE = "\u201cWe will not wait,\u201d"
WAIT = 60_000


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_click_in_link_mode_lands_on_the_accepted_speaker_not_the_person_on_top(
        qtbot, window, db):
    view = window.view
    doc = window.session.doc.id
    person = spans_by_text(db, doc, "Amara Velko")[0]  # a PERSON suggestion
    select(view, *find(ARTICLE, "Amara Velko"))
    qtbot.keyClick(view, K.Key_S)  # an accepted SPEAKER over the same words
    speaker = next(s for s in spans_by_text(db, doc, "Amara Velko") if s.label == "SPEAKER")
    quote = spans_by_text(db, doc, QUOTE)[0]
    click_span(qtbot, view, quote.start + 2)
    qtbot.keyClick(view, K.Key_Return)  # accept the quote
    window.session.select(quote.id)
    qtbot.keyClick(view, K.Key_L)
    banner = window.link_banner
    assert banner.isVisible()
    assert banner.text().startswith("Linking QUOTE \u201c\u201cWe will not wait,\u201d\u201d "
                                    "\u2192 SAID_BY: click the speaker")
    assert "Esc to leave" in banner.text()
    assert view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor
    # the innermost-first click (what selection uses) would pick the PERSON: link mode does not
    assert view.index.at(view.offsets.to_utf16(person.start + 1))[0].id == person.id
    click_span(qtbot, view, person.start + 1)
    (rel,) = db.relations(doc)
    assert (rel.head_id, rel.tail_id, rel.role, rel.status) == (quote.id, speaker.id, "SAID_BY",
                                                                ACCEPTED)
    assert db.span(person.id).status == SUGGESTED
    assert not banner.isVisible()
    assert view.viewport().cursor().shape() == Qt.CursorShape.IBeamCursor


def test_a_click_on_a_suggestion_links_and_accepts_it(qtbot, window, db):
    view = window.view
    doc = window.session.doc.id
    quote = spans_by_text(db, doc, QUOTE)[0]
    person = spans_by_text(db, doc, "Amara Velko")[0]
    window.session.select(quote.id)
    qtbot.keyClick(view, K.Key_L)
    click_span(qtbot, view, person.start + 1)
    assert db.span(person.id).status == ACCEPTED and db.span(quote.id).status == ACCEPTED
    assert db.relations(doc)[0].status == ACCEPTED
    qtbot.keyClick(view, K.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step back
    assert db.relations(doc) == []
    assert {db.span(i).status for i in (quote.id, person.id)} == {SUGGESTED}


def test_tab_in_link_mode_cycles_candidates_nearest_first(qtbot, window, db, monkeypatch):
    view = window.view
    doc = window.session.doc.id
    select(view, *find(ARTICLE, "would respond"))
    qtbot.keyClick(view, K.Key_T)
    threat = spans_by_text(db, doc, "would respond")[0]
    qtbot.keyClick(view, K.Key_L)
    assert "Linking THREAT \u201cwould respond\u201d \u2192 SOURCE / TARGET" \
        in window.link_banner.text()
    seen = []
    for _ in range(4):
        qtbot.keyClick(view, K.Key_Tab)
        seen.append(window.session.spans[view.link_candidate])
    texts = [ARTICLE[s.start:s.end] for s in seen]
    assert texts == ["Norland", QUOTE, "Amara Velko", "Port Ilse"]
    distances = [link_targets.distance(threat, s) for s in seen]
    assert distances == sorted(distances)
    assert "now: GPE \u201cPort Ilse\u201d" in window.link_banner.text()
    qtbot.keyClick(view, K.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.session.spans[view.link_candidate].id == seen[2].id
    monkeypatch.setattr(window.review, "choose_role", lambda roles, pos: "SOURCE")
    qtbot.keyClick(view, K.Key_Return)
    (rel,) = db.relations(doc)
    assert (rel.head_id, rel.tail_id, rel.role) == (threat.id, seen[2].id, "SOURCE")
    assert db.span(seen[2].id).status == ACCEPTED  # linked to: accepted


def test_escape_leaves_link_mode_and_hides_the_banner(qtbot, window):
    view = window.view
    qtbot.keyClick(view, K.Key_Tab)
    qtbot.keyClick(view, K.Key_L)
    assert window.link_banner.isVisible()
    qtbot.keyClick(view, K.Key_Escape)
    assert view.link_head is None and not window.link_banner.isVisible()


def _suggest_links(db, doc):
    """A model's suggestions with links, written by another connection, then F5."""
    spans = [Span(doc, *find(ARTICLE, QUOTE), "QUOTE"),
             Span(doc, *find(ARTICLE, "she"), "SPEAKER"),
             Span(doc, *find(ARTICLE, "would respond"), "THREAT"),
             Span(doc, *find(ARTICLE, "Norland"), "GPE"),
             Span(doc, *find(ARTICLE, "Amara Velko"), "SPEAKER")]
    db.replace_suggestions(doc, "test-model-2", spans,
                           [(0, 1, "SAID_BY"), (2, 3, "TARGET"), (2, 4, "SOURCE")])


def test_open_links_show_and_are_accepted_in_one_step(qtbot, window, db):
    view = window.view
    doc = window.session.doc.id
    _suggest_links(db, doc)
    qtbot.keyClick(view, K.Key_F5)
    threat = spans_by_text(db, doc, "would respond")[0]
    window.session.select(threat.id)
    shown = window.details.open_links
    assert shown.isVisible()
    assert "2 link(s) still open" in shown.text()
    assert "TARGET \u2192 GPE \u201cNorland\u201d" in shown.text()
    assert window.details.accept_links_button.isEnabled()
    qtbot.keyClick(view, K.Key_L, CTRL_SHIFT)  # Accept All Links of This Span
    rels = [r for r in db.relations(doc) if r.head_id == threat.id]
    assert {r.status for r in rels} == {ACCEPTED}
    assert {db.span(r.tail_id).status for r in rels} == {ACCEPTED}
    assert db.span(threat.id).status == ACCEPTED
    assert not shown.isVisible() or "still open" not in shown.text()
    assert set(view.related) == {r.tail_id for r in rels}
    qtbot.keyClick(view, K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {r.status for r in db.relations(doc)} == {SUGGESTED}
    assert "2 link(s) still open" in shown.text()


def test_accepting_both_ends_with_enter_accepts_their_link(qtbot, window, db):
    view = window.view
    doc = window.session.doc.id
    _suggest_links(db, doc)
    qtbot.keyClick(view, K.Key_F5)
    quote = spans_by_text(db, doc, QUOTE)[0]
    she = spans_by_text(db, doc, "she")[0]
    window.session.select(quote.id)
    qtbot.keyClick(view, K.Key_Return)
    window.session.select(she.id)
    qtbot.keyClick(view, K.Key_Return)
    (said,) = [r for r in db.relations(doc) if r.role == "SAID_BY"]
    assert said.status == ACCEPTED
    window.session.select(quote.id)
    assert view.related == {she.id: "SAID_BY"}
    assert "still open" not in window.details.open_links.text()


def _fill_export(fmt: str, out):
    def fill(dialog: ExportDialog) -> None:
        assert dialog.status_box.currentData() == DOC_DONE  # done documents by default
        assert dialog.scope_note.text().startswith("By default only documents marked done")
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        dialog.target.setText(str(out))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    return fill


def test_an_export_says_what_it_would_miss(qtbot, window, db, tmp_path):
    view = window.view
    doc = window.session.doc.id
    _suggest_links(db, doc)
    qtbot.keyClick(view, K.Key_F5)
    quote = spans_by_text(db, doc, QUOTE)[0]
    window.session.select(quote.id)
    qtbot.keyClick(view, K.Key_Return)  # the quote accepted, its speaker still a suggestion
    window.session.set_status(DOC_DONE)

    out = tmp_path / "tables"
    filled = when_modal(ExportDialog, _fill_export("csv", out))
    asked = answer("as_is")
    with qtbot.waitSignal(window.task_done, timeout=WAIT):
        window.actions.export.trigger()
    assert filled and asked == ["1 of 1 accepted quotes have no accepted speaker - include "
                                "suggested links?"]
    assert [r["speaker"] for r in _rows(out / "quotes.csv")] == [""]

    qtbot.waitUntil(view.hasFocus)
    when_modal(ExportDialog, _fill_export("csv", out))
    answer("include")
    with qtbot.waitSignal(window.task_done, timeout=WAIT):
        window.actions.export.trigger()
    assert [r["speaker"] for r in _rows(out / "quotes.csv")] == ["she"]
    assert "Exported 1 done document(s)" in window.statusBar().currentMessage()

    qtbot.waitUntil(view.hasFocus)
    (out / "quotes.csv").unlink()
    when_modal(ExportDialog, _fill_export("csv", out))
    asked = answer("cancel")
    window.actions.export.trigger()
    assert asked and not (out / "quotes.csv").exists()
