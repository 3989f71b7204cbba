"""Tag rows only where spans are (issue 26: "tag rows double every line's height"): a line no
span touches keeps its natural height; a line holding a suggestion has its row already, so
accepting or rejecting it moves no text; only a first label on an untouched line opens one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, Span
from annotator.schema import load_schema
from annotator.ui.article_view import ArticleView
from tests.ui.conftest import find
from tests.ui.test_dense_view import text_lines

PLAIN = ("The delegations met again on the second day and talked for many hours about the "
         "roads, the wells, the markets and the schools of the valley.")
NAMED = "Minister Amara Velko said the army would answer any attack on Norland."
TEXT = f"{PLAIN}\n{NAMED}"


def _view(qtbot, spans) -> ArticleView:
    view = ArticleView(load_schema())
    qtbot.addWidget(view)
    view.resize(446, 600)  # the default window's article width: PLAIN wraps
    view.show()
    qtbot.waitExposed(view)
    view.set_document(TEXT, spans)
    return view


def _tops(view) -> list[float]:
    return [line.top() for line in text_lines(view)]


def test_a_paragraph_without_spans_has_its_natural_line_height(qtbot):
    velko = Span(1, *find(TEXT, "Amara Velko"), "PERSON", SUGGESTED, id=1)
    view = _view(qtbot, [velko])
    lines = text_lines(view)
    plain_lines = view.document().begin().layout().lineCount()
    assert plain_lines >= 2
    natural = view.document().begin().layout().lineAt(0).height()  # what the plain layout gives
    for line, under in zip(lines[:plain_lines - 1], lines[1:plain_lines], strict=True):
        assert under.top() - line.top() == natural  # no tag row, no underline room
    # the named paragraph's line has its tag row: further down than paragraph spacing alone
    spacing = view.spaced.spacing
    assert lines[plain_lines].top() - lines[plain_lines - 1].bottom() \
        >= spacing.paragraph + spacing.above


def test_accepting_or_rejecting_a_suggestion_moves_no_text(qtbot):
    velko = Span(1, *find(TEXT, "Amara Velko"), "PERSON", SUGGESTED, id=1)
    norland = Span(1, *find(TEXT, "Norland"), "GPE", SUGGESTED, id=2)
    view = _view(qtbot, [velko, norland])
    before = _tops(view)
    view.update_spans([replace(velko, status=ACCEPTED), replace(norland, status=REJECTED)], [])
    assert _tops(view) == before
    # a first label on the plain paragraph opens a row over its line (the text below moves)
    roads = Span(1, *find(TEXT, "roads"), "LOC", ACCEPTED, id=3)
    view.update_spans([roads], [])
    assert _tops(view)[-1] > before[-1]


def test_a_line_a_quote_only_runs_through_gets_underline_room_but_no_tag_row(qtbot):
    quote = Span(1, *find(TEXT, PLAIN), "QUOTE", ACCEPTED, id=1)
    view = _view(qtbot, [quote])
    lines = text_lines(view)
    natural = view.document().begin().layout().lineAt(0).height()
    spacing = view.spaced.spacing
    assert lines[0].top() - view.document().documentMargin() == spacing.above  # its tag's row
    for line, under in zip(lines[:2], lines[1:3], strict=True):  # PLAIN wraps to three lines
        # Qt keeps line positions in 1/64 px
        assert under.top() - line.top() == pytest.approx(natural + spacing.below, abs=1 / 32)


def test_rows_follow_the_lines_when_the_view_is_narrowed(qtbot):
    """Placed blocks are remembered (painting asks again and again); a new width wraps the
    lines anew and the rows must follow them: the quote's tag row stays over its first line."""
    quote = Span(1, *find(TEXT, "Minister Amara Velko said"), "QUOTE", ACCEPTED, id=1)
    view = _view(qtbot, [quote])
    view.resize(260, 600)
    qtbot.waitUntil(lambda: view.document().begin().layout().lineCount() > 3)
    lines = text_lines(view)
    plain_lines = view.document().begin().layout().lineCount()
    natural = view.document().begin().layout().lineAt(0).height()
    for line, under in zip(lines[:plain_lines - 1], lines[1:plain_lines], strict=True):
        assert under.top() - line.top() == natural
    spacing = view.spaced.spacing
    assert lines[plain_lines].top() - lines[plain_lines - 1].top() \
        == pytest.approx(natural + spacing.paragraph + spacing.above, abs=1 / 32)
