"""The article view: widget positions vs stored offsets, painting, colours on both palettes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor

from annotator.app import dark_palette
from annotator.domain import ACCEPTED, AnnotatedDocument, Document, Span
from annotator.schema import load_schema
from annotator.store import Store
from annotator.ui.article_view import ArticleView
from annotator.ui.colours import LabelColours, contrast
from annotator.ui.highlighter import SPAN_PROPERTY
from tests.ui.conftest import formats_at, open_window, select, spans_by_text
from tests.ui.test_offsets import TEXTS

# Emoji (astral, ZWJ sequence, flag), CJK, combining marks, NBSP, and both Unicode separators:
# U+2028 stays inside a Qt block, U+2029 ends one, like "\n".
TRICKY = ("Zoe\u0308 \U0001F600 said \u738b\u5c0f\u660e met\u00a0her in \u6771\u4eac.\n"
          "\U0001F469\u200d\U0001F4BB wrote\u2028a line\u2029then \U0001F1F3\U0001F1F4 "
          "caf\u00e9 cafe\u0301 \U00020000\u5b57 ok")


@pytest.fixture
def view(qtbot):
    v = ArticleView(load_schema())
    qtbot.addWidget(v)
    v.resize(700, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def widget_char(view, pos_u16_start: int, pos_u16_end: int) -> str:
    cursor = QTextCursor(view.document())
    cursor.setPosition(pos_u16_start)
    cursor.setPosition(pos_u16_end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def shown(ch: str) -> str:
    """How QTextCursor.selectedText() reports a stored character (block separators as U+2029)."""
    return "\u2029" if ch == "\n" else ch


def test_every_stored_character_is_where_the_widget_has_it(view):
    view.set_document(TRICKY, [])
    m = view.offsets
    assert view.document().characterCount() - 1 == m.utf16_len
    for i, ch in enumerate(TRICKY):
        assert widget_char(view, m.to_utf16(i), m.to_utf16(i + 1)) == shown(ch), i


def test_unicode_separators_and_carriage_returns_keep_positions(view):
    text = "one\u2028two\u2029three\r\nfour\rfive \U0001F600\u2029\u2029end"
    view.set_document(text, [])
    m = view.offsets
    blocks = view.document().blockCount()
    assert blocks == 1 + text.count("\u2029") + text.count("\n") + text.count("\r")
    last = text.index("end")
    assert widget_char(view, m.to_utf16(last), m.to_utf16(last + 3)) == "end"
    assert view.text == text  # the stored string, not what the widget made of it


@hsettings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, data=st.data())
def test_selection_in_the_widget_round_trips_to_stored_offsets(view, text, data):
    view.set_document(text, [])
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    select(view, start, end)
    cursor = view.textCursor()
    assert view.offsets.range_to_codepoints(cursor.selectionStart(), cursor.selectionEnd()) \
        == (start, end)
    got = view.selection_range(snap=False)
    if got is None:
        assert text[start:end].strip() == ""
    else:
        assert text[got[0]:got[1]] == text[start:end].strip()


@pytest.mark.parametrize("words", ["\u738b\u5c0f\u660e", "\U0001F469\u200d\U0001F4BB",
                                   "\U0001F1F3\U0001F1F4", "cafe\u0301", "Zoe\u0308",
                                   "\U00020000\u5b57", "\u6771\u4eac"])
def test_a_span_made_in_the_view_covers_exactly_the_selected_characters(qtbot, tmp_path,
                                                                         settings, words):
    path = tmp_path / "tricky.db"
    with Store(path) as store:
        (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=TRICKY))])
    win = open_window(qtbot, path, settings)
    start = TRICKY.index(words)
    select(win.view, start, start + len(words))
    win.actions.snap.setChecked(False)
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    with Store(path) as check:
        (span,) = check.spans(doc_id)
        assert TRICKY[span.start:span.end] == words
        assert (span.start, span.end) == (start, start + len(words))
    assert formats_at(win.view, span.start, span.end) == ["accepted:PERSON"]
    # and no format leaks onto the neighbours
    assert formats_at(win.view, span.end, span.end + 1) == []
    if start:
        assert formats_at(win.view, start - 1, start) == []
    win.close()


def _span(i, start, end, label, status=ACCEPTED):
    return Span(1, start, end, label, status, id=i)


def test_highlighter_formats_for_suggested_accepted_and_nested(view):
    text = "The Defence Minister Amara Velko said so."
    a, b = text.index("Defence"), text.index(" said")
    p = text.index("Amara")
    view.set_document(text, [_span(1, a, b, "SPEAKER"), _span(2, p, b, "PERSON", "suggested")])
    block = view.document().begin()
    fmts = block.layout().formats()  # keep the list alive: its formats belong to it
    ranges = [(r.start, r.length, r.format) for r in fmts]
    assert [(s, n) for s, n, _ in ranges] == [(a, p - a), (p, b - p)]
    outer, both = ranges[0][2], ranges[1][2]
    colours = view.colours
    assert outer.background().color() == colours.fill("SPEAKER")
    # the inner suggestion keeps the outer accepted fill; its own style is the outline
    assert both.background().color() == colours.fill("SPEAKER")
    assert both.property(0x100001) == "accepted:SPEAKER|suggested:PERSON"
    # a lone suggestion: a faint tint only
    view.set_document(text, [_span(2, p, b, "PERSON", "suggested")])
    fmts = view.document().begin().layout().formats()
    fmt = fmts[0].format
    assert fmt.background().color() == colours.tint("PERSON")
    assert colours.tint("PERSON") != colours.fill("PERSON")


def test_nested_accepted_spans_show_the_outer_as_its_own_underline(view):
    """The inner span keeps its fill; the outer one is drawn as a line of its own colour under
    the inner one's (the overlay's stacked underlines), over its whole length."""
    text = "Port Ilse harbour"
    view.set_document(text, [_span(1, 0, 17, "LOC"), _span(2, 0, 9, "GPE")])
    fmts = view.document().begin().layout().formats()
    inner = fmts[0].format
    assert inner.background().color() == view.colours.fill("GPE")
    scene = view.build_scene()
    (outer_line,) = scene.underlines_of(1)
    (inner_line,) = scene.underlines_of(2)
    assert (outer_line.level, inner_line.level) == (1, 0)
    assert outer_line.y > inner_line.y
    (whole,) = view.range_rects(0, 17)
    (port,) = view.range_rects(0, 9)
    assert (outer_line.x1, outer_line.x2) == (whole.left(), whole.right())
    assert (inner_line.x1, inner_line.x2) == (port.left(), port.right())


def test_update_touches_only_the_changed_blocks(view, qtbot):
    paragraphs = [f"Paragraph {i} mentions Norland." for i in range(200)]
    text = "\n".join(paragraphs)
    spans = []
    for i, para in enumerate(paragraphs):
        start = text.index(para) + para.index("Norland")
        spans.append(_span(i + 1, start, start + 7, "GPE", "suggested"))
    view.set_document(text, spans)
    seen = []
    original = view.highlighter.highlightBlock
    view.highlighter.highlightBlock = lambda t: (seen.append(
        view.highlighter.currentBlock().blockNumber()), original(t))
    changed = Span(1, spans[150].start, spans[150].end, "GPE", ACCEPTED, id=151)
    view.update_spans([changed], [])
    assert seen == [150]
    assert formats_at(view, changed.start, changed.end) == ["accepted:GPE"]


def test_a_span_across_paragraphs_is_painted_in_each(view):
    text = "First line of a quote\nsecond line of it\nafter"
    view.set_document(text, [_span(1, 6, 30, "QUOTE")])
    assert formats_at(view, 6, 21) == ["accepted:QUOTE"]
    assert formats_at(view, 22, 30) == ["accepted:QUOTE"]
    assert formats_at(view, text.index("after"), len(text)) == []


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_label_colours_are_readable_on_both_palettes(qapp, palette):
    pal = dark_palette() if palette == "dark" else qapp.style().standardPalette()
    schema = load_schema()
    colours = LabelColours(pal, {lab.name: lab.colour for lab in schema.labels})
    text = pal.color(QPalette.ColorRole.Text)
    base = pal.color(QPalette.ColorRole.Base)
    assert colours.dark == (palette == "dark")
    for lab in schema.labels:
        assert contrast(colours.fill(lab.name), text) >= 4.5, lab.name
        assert contrast(colours.tint(lab.name), text) >= 4.5, lab.name
        assert contrast(colours.line(lab.name), base) >= 3.0, lab.name
        assert colours.fill(lab.name) != colours.tint(lab.name)


def test_palette_change_repaints_with_the_new_colours(view):
    text = "Norland replied."
    view.set_document(text, [_span(1, 0, 7, "GPE")])
    fmts = view.document().begin().layout().formats()
    light = QColor(fmts[0].format.background().color())
    view.setPalette(dark_palette())
    fmts = view.document().begin().layout().formats()
    dark = QColor(fmts[0].format.background().color())
    assert light != dark and dark == view.colours.fill("GPE") and view.colours.dark


def test_span_index_finds_spans_starting_in_earlier_blocks():
    from annotator.offsets import OffsetMap
    from annotator.ui.span_index import SpanIndex

    text = "x" * 100
    index = SpanIndex(OffsetMap(text), [_span(1, 0, 90, "QUOTE"), _span(2, 10, 12, "PERSON"),
                                        _span(3, 50, 55, "GPE")])
    assert [e.id for e in index.overlapping(60, 70)] == [1]
    assert [e.id for e in index.overlapping(0, 100)] == [1, 2, 3]
    assert [e.id for e in index.at(11)] == [2, 1]
    assert index.neighbour(None, pos=20).id == 3
    assert index.neighbour(3).id == 1  # wraps round
    assert index.neighbour(1, backwards=True).id == 3
    index.remove(2)
    assert [e.id for e in index.at(11)] == [1]


def test_spans_in_db_match_the_view_after_labelling(qtbot, window, db):
    view = window.view
    text = view.text
    select(view, text.index("Rebels"), text.index("Rebels") + 6)
    qtbot.keyClick(view, Qt.Key.Key_5)
    stored = {(s.start, s.end, s.label, s.status) for s in db.spans(window.session.doc.id)}
    in_view = {(e.span.start, e.span.end, e.span.label, e.span.status)
               for e in view.index.entries()}
    assert stored == in_view
    assert spans_by_text(db, window.session.doc.id, "Rebels")[0].label == "NORP"


def _long_article(n_paragraphs: int = 600):
    """Paragraphs naming Norland (GPE) and a suggested event (EVENT, another layer); an emoji
    in each moves UTF-16 positions away from code points."""
    paragraphs = [f"\U0001F600 Paragraph {i}: officials in Norland said Port Ilse talks resumed."
                  for i in range(n_paragraphs)]
    text = "\n".join(paragraphs)
    spans, pos = [], 0
    for i, para in enumerate(paragraphs):
        a = pos + para.index("Norland")
        b = pos + para.index("talks resumed")
        spans.append(_span(2 * i + 1, a, a + 7, "GPE"))
        spans.append(_span(2 * i + 2, b, b + 13, "EVENT", "suggested"))
        pos += len(para) + 1
    return text, spans


def _scroll_to_end(view, qtbot):
    bar = view.verticalScrollBar()
    view.moveCursor(QTextCursor.MoveOperation.End)
    view.ensureCursorVisible()
    bar.setValue(bar.maximum())
    view.viewport().repaint()  # paints (and so lays out and highlights) what is now on screen
    qtbot.wait(10)


def test_a_long_article_is_highlighted_where_it_is_scrolled_to(view, qtbot):
    """Blocks are highlighted lazily, as they are laid out for painting: after opening a long
    article and scrolling to its end, the spans at the end carry their formats (the block's
    own layout, as Qt paints it); a block never shown is formatted when asked."""
    text, spans = _long_article()
    view.set_document(text, spans)
    view.viewport().repaint()
    doc = view.document()
    last, middle = doc.lastBlock(), doc.findBlockByNumber(300)
    assert formats_at(view, spans[0].start, spans[0].end) == ["accepted:GPE"]
    _scroll_to_end(view, qtbot)
    assert view.firstVisibleBlock().blockNumber() > 550
    entries = [(view.index.get(s.id), s.label, s.status) for s in spans[-2:]]
    fmts = last.layout().formats()  # read straight off the layout: nothing formats it here
    shown = {(last.position() + r.start, last.position() + r.start + r.length,
              r.format.property(SPAN_PROPERTY)) for r in fmts}
    assert shown == {(e.start, e.end, f"{status}:{label}") for e, label, status in entries}
    by_span = {r.format.property(SPAN_PROPERTY): r.format.background().color() for r in fmts}
    assert by_span["accepted:GPE"] == view.colours.fill("GPE")
    assert by_span["suggested:EVENT"] == view.colours.tint("EVENT")
    # the middle was never on screen; asking for its formats gives the same as painting would
    assert [r.format.property(SPAN_PROPERTY) for r in view.highlighter.formats(middle)] \
        == ["accepted:GPE", "suggested:EVENT"]


def test_hiding_a_layer_reaches_blocks_shown_only_afterwards(view, qtbot):
    """A full re-highlight (a layer hidden) is lazy too: blocks formatted before it, and blocks
    first shown after it, show the new state when they are painted."""
    text, spans = _long_article()
    view.set_document(text, spans)
    _scroll_to_end(view, qtbot)  # the end is formatted with every layer shown
    group = next(lab.group for lab in view.schema.labels if lab.name == "GPE")
    view.verticalScrollBar().setValue(0)
    view.viewport().repaint()
    view.set_layer_visible(group, False)
    assert formats_at(view, spans[0].start, spans[0].end) == []  # on screen: at once
    _scroll_to_end(view, qtbot)
    last = view.document().lastBlock()
    names = [r.format.property(SPAN_PROPERTY) for r in last.layout().formats()]
    assert names == ["suggested:EVENT"]
    view.set_layer_visible(group, True)
    view.viewport().repaint()
    names = [r.format.property(SPAN_PROPERTY) for r in last.layout().formats()]
    assert "accepted:GPE" in names
