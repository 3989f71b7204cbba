"""Keys follow what is shown: with a layer hidden, no key selects, accepts or rejects one of its
spans (issue 26). Driven with the real window's keys; asserts on what the database holds."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED
from tests.ui.conftest import ARTICLE, formats_at, spans_by_text

K = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
QUOTE = "\u201cWe will not wait,\u201d"


def hide_entities(qtbot, window) -> None:
    qtbot.keyClick(window.view, K.Key_1, ALT)  # Show Entities off
    assert "entity" in window.view.hidden_groups


def test_enter_moves_on_to_shown_suggestions_only(qtbot, window, db):
    view, doc = window.view, window.session.doc.id
    hide_entities(qtbot, window)
    qtbot.keyClick(view, K.Key_Tab)  # the only shown suggestion: the quote
    quote = window.session.selected_span()
    assert ARTICLE[quote.start:quote.end] == QUOTE
    qtbot.keyClick(view, K.Key_Return)
    assert db.span(quote.id).status == ACCEPTED
    # the next suggestion in the text is GPE "Port Ilse", hidden: the selection stays on the quote
    assert window.session.selected == quote.id
    qtbot.keyClick(view, K.Key_Return)  # a second Enter decides nothing
    assert [s.status for s in spans_by_text(db, doc, "Port Ilse")] == [SUGGESTED]
    assert formats_at(view, *_where("Port Ilse")) == []  # still not shown


def test_delete_moves_on_to_shown_suggestions_only(qtbot, window, db):
    view, doc = window.view, window.session.doc.id
    hide_entities(qtbot, window)
    qtbot.keyClick(view, K.Key_Tab)
    quote = window.session.selected_span()
    qtbot.keyClick(view, K.Key_Delete)
    assert db.span(quote.id).status == REJECTED
    assert window.session.selected_span() is None  # the quote is gone; the next one is hidden
    qtbot.keyClick(view, K.Key_Return)
    qtbot.keyClick(view, K.Key_Delete)
    statuses = {s.label: s.status for s in db.spans(doc, ("suggested", "accepted", "rejected"))
                if s.label != "QUOTE"}
    assert set(statuses.values()) == {SUGGESTED}


def test_hiding_the_selected_spans_layer_drops_the_selection(qtbot, window, db):
    view, doc = window.view, window.session.doc.id
    qtbot.keyClick(view, K.Key_Tab)  # Amara Velko, PERSON
    velko = window.session.selected_span()
    assert velko.label == "PERSON"
    hide_entities(qtbot, window)
    assert window.session.selected_span() is None
    qtbot.keyClick(view, K.Key_Return)
    assert db.span(velko.id).status == SUGGESTED
    assert [s.status for s in spans_by_text(db, doc, "Amara Velko")] == [SUGGESTED]


def _where(words: str) -> tuple[int, int]:
    start = ARTICLE.index(words)
    return start, start + len(words)
