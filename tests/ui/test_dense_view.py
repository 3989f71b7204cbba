"""Dense paragraphs at a glance: label tags, stacked underlines, margin bars, arcs, layers, zoom,
paragraph spacing, read from what the article view computes and paints (the overlay's Scene,
the highlighter's formats, pixels of the painted viewport) and driven as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from annotator.domain import ACCEPTED, SUGGESTED, AnnotatedDocument, Document, Span
from annotator.schema import load_schema
from annotator.store import Store
from annotator.ui.article_view import ZOOM_STEP, ArticleView
from annotator.ui.colours import delta_e
from tests.ui.conftest import background_at, char_point, find, formats_at, open_window

DENSE = ("Minister Amara Velko said that his forces would destroy its mountain bases if another "
         "attack occurred on Norlandic soil, on Tuesday.\nTalks resumed in Port Ilse.")
# id, words, label, status
LABELS = [
    (1, "Minister Amara Velko", "SPEAKER", ACCEPTED),
    (2, "Amara Velko", "PERSON", SUGGESTED),
    (3, "said", "CUE", ACCEPTED),
    (4, "his forces would destroy its mountain bases if another attack occurred on Norlandic "
        "soil", "QUOTE", ACCEPTED),
    (5, "destroy its mountain bases", "THREAT", ACCEPTED),
    (6, "if another attack occurred on Norlandic soil", "CONDITION", ACCEPTED),
    (7, "attack", "EVENT", SUGGESTED),
    (8, "Norlandic", "NORP", ACCEPTED),
    (9, "Tuesday", "DATE", SUGGESTED),
    (10, "Port Ilse", "GPE", ACCEPTED),
]
IDS = {label: i for i, _w, label, _s in LABELS}


def dense_spans() -> list[Span]:
    return [Span(1, *find(DENSE, words), label, status, id=i)
            for i, words, label, status in LABELS]


@pytest.fixture
def view(qtbot):
    v = ArticleView(load_schema())
    qtbot.addWidget(v)
    v.resize(520, 420)
    v.show()
    qtbot.waitExposed(v)
    v.set_document(DENSE, dense_spans())
    return v


def text_lines(view) -> list:
    """Every visual line's box on screen (viewport coordinates)."""
    out = []
    block = view.document().begin()
    offset = view.contentOffset()
    while block.isValid():
        geo = view.blockBoundingGeometry(block).translated(offset)
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            out.append(line.naturalTextRect().translated(geo.topLeft()))
        block = block.next()
    return out


def brush_at(view, pos: int):
    """The fill style the highlighter gives the character at stored offset `pos`."""
    u = view.offsets.to_utf16(pos)
    block = view.document().findBlock(u)
    for r in block.layout().formats():
        if block.position() + r.start <= u < block.position() + r.start + r.length:
            return r.format.background().style()
    return None


def pixels_near(view, x1: float, x2: float, y: float) -> list[QColor]:
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    out = []
    for x in range(int(x1) + 1, int(x2) - 1):
        for dy in (-1, 0, 1):
            out.append(image.pixelColor(int(x * ratio), int((y + dy) * ratio)))
    return out


# --- tags ----------------------------------------------------------------------------------------


def test_every_span_has_a_tag_over_its_start_that_covers_no_text(view):
    scene = view.build_scene()
    lines = text_lines(view)
    assert {t.span_id for t in scene.tags} == set(IDS.values())
    for tag in scene.tags:
        first = scene.segments[tag.span_id][0]
        assert tag.rect.bottom() <= first.rect.top() + 0.01, tag.label  # in the row above
        assert tag.rect.left() >= first.rect.left() - 0.01, tag.label
        assert tag.status == dict((i, s) for i, _w, _l, s in LABELS)[tag.span_id]
        assert not any(tag.rect.intersects(line) for line in lines), tag.label
    for a in scene.tags:
        for b in scene.tags:
            if a is not b:
                assert not a.rect.intersects(b.rect), (a.label, b.label)


def test_crowded_tags_shorten_and_move_right_instead_of_overlapping(view):
    scene = view.build_scene()
    speaker, person = scene.tag_of(IDS["SPEAKER"]), scene.tag_of(IDS["PERSON"])
    quote, threat = scene.tag_of(IDS["QUOTE"]), scene.tag_of(IDS["THREAT"])
    assert speaker.text == "SPEAKER" and quote.text == "QUOTE"  # room enough: the full name
    assert person.rect.left() >= speaker.rect.right()
    assert threat.rect.left() > quote.rect.left()
    # "said" is shorter than its tag and the quote's tag follows closely: CUE fits, QUOTE too
    cond, event = scene.tag_of(IDS["CONDITION"]), scene.tag_of(IDS["EVENT"])
    assert cond.rect.right() <= event.rect.left()


def test_tags_sit_in_room_the_layout_leaves_and_go_away_when_switched_off(view, qtbot):
    lines = text_lines(view)
    height = lines[0].height()
    gaps = [b.top() - a.bottom() for a, b in zip(lines, lines[1:])]
    assert min(gaps) >= view.metrics.tag_height  # every line has its tag row over it
    view.set_show_tags(False)
    assert view.build_scene().tags == []
    tight = text_lines(view)
    assert tight[1].top() - tight[0].top() < lines[1].top() - lines[0].top()
    assert tight[0].height() == height


def test_paragraphs_are_further_apart_than_lines(view):
    block = view.document().begin()
    first, second = block.layout(), block.next().layout()
    assert first.lineCount() >= 3
    within = first.lineAt(1).y() - first.lineAt(0).y()
    geo1 = view.blockBoundingGeometry(block)
    geo2 = view.blockBoundingGeometry(block.next())
    last = first.lineAt(first.lineCount() - 1)
    between = (geo2.top() + second.lineAt(0).y()) - (geo1.top() + last.y())
    assert between >= within + view.fontMetrics().height() * 0.5


# --- long spans, fills, stacked underlines --------------------------------------------------------


def test_a_quote_is_a_margin_bar_and_underlines_so_what_is_inside_stays_readable(view):
    scene = view.build_scene()
    quote = IDS["QUOTE"]
    segs = scene.segments[quote]
    assert len({s.line for s in segs}) >= 2
    (bar,) = scene.bars_of(quote)
    assert (bar.top, bar.bottom) == (segs[0].rect.top(), segs[-1].rect.bottom())
    assert bar.x + view.metrics.bar_width < min(s.rect.left() for s in segs)  # in the margin
    assert len(scene.underlines_of(quote)) == len(segs)
    # no fill where only the quote is; inside it the threat keeps its own fill
    start, _end = find(DENSE, "his forces would")
    assert formats_at(view, start, start + 3) == ["accepted:QUOTE"]
    assert brush_at(view, start) == Qt.BrushStyle.NoBrush
    threat = find(DENSE, "mountain")[0]
    assert background_at(view, threat) == view.colours.fill("THREAT")
    assert formats_at(view, threat, threat + 1) == ["accepted:THREAT|accepted:QUOTE"]


def test_stacked_labels_show_as_offset_underlines_in_their_own_colours(view):
    scene = view.build_scene()
    (speaker,) = scene.underlines_of(IDS["SPEAKER"])
    (person,) = scene.underlines_of(IDS["PERSON"])
    assert person.level == 0 and speaker.level == 1
    assert speaker.y - person.y == pytest.approx(view.metrics.underline_step)
    a, b = find(DENSE, "Amara Velko")
    (words,) = view.range_rects(a, b)
    assert (person.x1, person.x2) == (words.left(), words.right())
    # and that is what is painted: pixels of each colour at each line
    for line, label in ((speaker, "SPEAKER"), (person, "PERSON")):
        want = view.colours.line(label)
        near = [delta_e(p, want) for p in pixels_near(view, person.x1, person.x2, line.y)]
        assert min(near) < 6, label


def test_nested_spans_go_one_level_deeper_per_span_inside(view):
    scene = view.build_scene()
    level = {u.span_id: u.level for u in scene.underlines}
    assert level[IDS["EVENT"]] == 0
    assert level[IDS["CONDITION"]] == 1  # holds the event and the NORP
    assert level[IDS["QUOTE"]] == 2  # holds the condition


# --- arcs -----------------------------------------------------------------------------------------


def test_selected_quote_has_arcs_with_roles_to_its_speaker_and_cue(view):
    view.show_selected(IDS["QUOTE"], {IDS["SPEAKER"]: "SAID_BY", IDS["CUE"]: "CUE"})
    scene = view.build_scene()
    quote_tag, speaker_tag = scene.tag_of(IDS["QUOTE"]), scene.tag_of(IDS["SPEAKER"])
    said = scene.arc_to(IDS["SPEAKER"])
    assert said.role == "SAID_BY" and said.edge == 0
    assert said.start == QPointF(quote_tag.rect.center().x(), quote_tag.rect.top())
    assert said.end == QPointF(speaker_tag.rect.center().x(), speaker_tag.rect.top())
    assert said.arrow_at_end is True  # quote -> speaker, as the schema says
    assert scene.arc_to(IDS["CUE"]).role == "CUE"
    labels = [a.label_rect for a in scene.arcs]
    assert not labels[0].intersects(labels[1])
    framed = {f.span_id: f.kind for f in scene.frames}
    assert framed == {IDS["SPEAKER"]: "linked", IDS["CUE"]: "linked", IDS["QUOTE"]: "selected"}
    view.show_selected(None)
    assert view.build_scene().arcs == []


def test_a_link_within_one_line_keeps_its_role_chip_off_the_text_above(view):
    """QUOTE -> THREAT on the same line: the chip goes in the tag row between the two tags
    (shortened when the role does not fit), not at the arc's peak over the line above."""
    view.show_selected(IDS["QUOTE"], {IDS["THREAT"]: "EXPRESSED_IN"})
    scene = view.build_scene()
    quote_tag, threat_tag = scene.tag_of(IDS["QUOTE"]), scene.tag_of(IDS["THREAT"])
    assert quote_tag.rect.top() == threat_tag.rect.top()  # one row: the case under test
    arc = scene.arc_to(IDS["THREAT"])
    assert arc.text in ("EXPRESSED_IN", "EXP")
    assert arc.label_rect.top() == quote_tag.rect.top()
    assert quote_tag.rect.right() <= arc.label_rect.left() < arc.label_rect.right() \
        <= threat_tag.rect.left()
    assert not any(arc.label_rect.intersects(line) for line in text_lines(view))
    assert not any(arc.label_rect.intersects(t.rect) for t in scene.tags)


def test_an_arc_to_a_span_off_screen_ends_at_the_edge_and_names_it(qtbot):
    text = "Amara Velko spoke.\n" + "Filler line.\n" * 60 + "\u201cWe will not wait,\u201d she said."
    spans = [Span(1, *find(text, "Amara Velko"), "SPEAKER", ACCEPTED, id=1),
             Span(1, *find(text, "\u201cWe will not wait,\u201d"), "QUOTE", ACCEPTED, id=2)]
    v = ArticleView(load_schema())
    qtbot.addWidget(v)
    v.resize(500, 300)
    v.show()
    qtbot.waitExposed(v)
    v.set_document(text, spans)
    v.show_selected(2, {1: "SAID_BY"})  # scrolls to the quote
    scene = v.build_scene()
    (arc,) = scene.arcs
    assert arc.edge == -1 and arc.end.y() < 5
    assert "SAID_BY" in arc.text and "Amara Velko" in arc.text
    assert 0 <= arc.label_rect.top() and arc.label_rect.right() <= v.viewport().width()


# --- the whole window: layers, zoom, tags, clicks ------------------------------------------------


@pytest.fixture
def dense_project(tmp_path):
    path = tmp_path / "dense.db"
    with Store(path, annotator="setup") as store:
        (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=DENSE, title="Dense"))])
        spans = [Span(doc_id, s.start, s.end, s.label) for s in dense_spans()]
        index = {label: n for n, (_i, _w, label, _s) in enumerate(LABELS)}
        store.replace_suggestions(doc_id, "test-model", spans, [
            (index["QUOTE"], index["SPEAKER"], "SAID_BY"), (index["QUOTE"], index["CUE"], "CUE")])
        for span in store.spans(doc_id):
            if span.label in ("SPEAKER", "QUOTE", "THREAT", "NORP"):
                store.accept_span(span.id)
    return path


def _id(win, label: str) -> int:
    return next(s.id for s in win.session.spans.values() if s.label == label)


def test_arcs_in_the_window_follow_the_stored_links(qtbot, dense_project, settings):
    win = open_window(qtbot, dense_project, settings)
    win.session.select(_id(win, "QUOTE"))
    scene = win.view.build_scene()
    said, cue = scene.arc_to(_id(win, "SPEAKER")), scene.arc_to(_id(win, "CUE"))
    assert said.role == "SAID_BY" and cue.role == "CUE"
    # both ends of SAID_BY were accepted, so the link was too (links follow their spans); the
    # CUE span is still a suggestion, and so is its link: dashed
    assert not said.suggested and said.arrow_at_end is True
    assert cue.suggested and cue.arrow_at_end is True
    rel = next(r for r in win.session.relations.values() if r.role == "CUE")
    win.session.accept_relation(rel.id)
    assert not win.view.build_scene().arc_to(_id(win, "CUE")).suggested
    win.close()


def test_clicking_a_tag_selects_its_span_however_deeply_nested(qtbot, dense_project, settings):
    win = open_window(qtbot, dense_project, settings)
    scene = win.view.build_scene()
    person = _id(win, "PERSON")
    tag = scene.tag_of(person)
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=tag.rect.center().toPoint())
    assert win.session.selected == person
    assert win.view.build_scene().tag_of(person).selected
    win.close()


def test_hiding_a_layer_hides_its_spans_everywhere_and_is_remembered(qtbot, dense_project,
                                                                     settings):
    win = open_window(qtbot, dense_project, settings)
    view = win.view
    quote_at = find(DENSE, "his forces")[0]
    threat_at = find(DENSE, "mountain")[0]
    assert formats_at(view, threat_at, threat_at + 1) == ["accepted:THREAT|accepted:QUOTE"]
    qtbot.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # Show Threats off
    assert not win.actions.layer_threat.isChecked()
    assert formats_at(view, threat_at, threat_at + 1) == ["accepted:QUOTE"]
    assert background_at(view, threat_at) != view.colours.fill("THREAT")
    labels = {t.label for t in view.build_scene().tags}
    assert "THREAT" not in labels and "CONDITION" not in labels and "QUOTE" in labels
    # Tab walks the suggestions of the shown layers only; speech hidden from the legend
    rect = win.legend.switch_rect("speech")
    qtbot.mouseClick(win.legend, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert not win.actions.layer_speech.isChecked()
    assert formats_at(view, quote_at, quote_at + 1) == []
    seen = set()
    for _ in range(8):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        seen.add(win.session.selected_span().label)
    assert seen == {"PERSON", "EVENT", "DATE", "GPE"}  # not the CUE, not the CONDITION
    assert sorted(settings.value("view/hidden_layers")) == ["speech", "threat"]
    win.close()
    again = open_window(qtbot, dense_project, settings)
    assert not again.actions.layer_threat.isChecked()
    assert again.legend.hidden == {"speech", "threat"}
    assert formats_at(again.view, threat_at, threat_at + 1) == []
    again.actions.layer_threat.trigger()
    assert formats_at(again.view, threat_at, threat_at + 1) == ["accepted:THREAT"]
    again.close()


def test_zoom_keys_change_the_text_size_and_it_is_remembered(qtbot, dense_project, settings):
    win = open_window(qtbot, dense_project, settings)
    view = win.view
    size = view.point_size()
    tag_size = view.tag_font.pointSizeF()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size() == pytest.approx(size * ZOOM_STEP ** 2, abs=0.01)
    assert view.tag_font.pointSizeF() / view.point_size() == pytest.approx(tag_size / size)
    assert int(settings.value("view/zoom")) == 2
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert int(settings.value("view/zoom")) == 1
    win.close()
    again = open_window(qtbot, dense_project, settings)
    assert again.view.point_size() == pytest.approx(size * ZOOM_STEP, abs=0.01)
    qtbot.keyClick(again.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.view.point_size() == pytest.approx(size, abs=0.01)
    assert int(settings.value("view/zoom")) == 0
    again.close()


def test_ctrl_wheel_zooms_and_is_remembered(qtbot, dense_project, settings):
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    win = open_window(qtbot, dense_project, settings)
    size = win.view.point_size()
    pos = QPointF(50, 50)
    event = QWheelEvent(pos, win.view.viewport().mapToGlobal(pos), P(0, 0), P(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(win.view.viewport(), event)
    assert win.view.point_size() == pytest.approx(size * ZOOM_STEP, abs=0.01)
    assert int(settings.value("view/zoom")) == 1
    win.close()


def test_tags_switch_is_remembered(qtbot, dense_project, settings):
    win = open_window(qtbot, dense_project, settings)
    assert win.actions.show_tags.isChecked() and win.view.build_scene().tags
    win.actions.show_tags.trigger()
    assert win.view.build_scene().tags == []
    win.close()
    again = open_window(qtbot, dense_project, settings)
    assert not again.actions.show_tags.isChecked() and again.view.build_scene().tags == []
    again.close()


# --- offsets with the spaced layout ---------------------------------------------------------------

TRICKY_LINES = [
    "Zoe\u0308 \U0001F600 said \u738b\u5c0f\u660e met\u00a0her in \u6771\u4eac, a very long "
    "line that wraps around in a narrow view \U0001F469\u200d\U0001F4BB ok.\r\n"
    "Second\r\nthird \U0001F1F3\U0001F1F4 caf\u00e9 cafe\u0301\u2028same block \U00020000\u5b57 "
    "end.\rlast",
]


@pytest.mark.parametrize("text", TRICKY_LINES)
def test_hit_testing_finds_every_character_where_the_spaced_layout_put_it(qtbot, text):
    v = ArticleView(load_schema())
    qtbot.addWidget(v)
    v.resize(360, 600)
    v.show()
    qtbot.waitExposed(v)
    v.set_document(text, [Span(1, 0, 3, "PERSON", ACCEPTED, id=1)])
    assert v.spaced.spacing.above > 0 and v.spaced.spacing.paragraph > 0
    for i, ch in enumerate(text):
        if ch.isspace() or "\u0300" <= ch <= "\u036f" or ch in "\u200d\ufe0f":
            continue  # no box of its own to hit (or shaped into its neighbour)
        rects = v.range_rects(v.offsets.to_utf16(i), v.offsets.to_utf16(i + 1))
        if not rects or rects[0].width() < 2:
            continue
        assert v.char_at(char_point(v, i)) is not None, i
        assert v.offsets.to_codepoint(v.char_at(char_point(v, i))) in (i, i - 1), (i, ch)


@pytest.mark.parametrize("text", TRICKY_LINES)
@pytest.mark.parametrize("words", ["\u738b\u5c0f\u660e", "\U0001F469\u200d\U0001F4BB",
                                   "\U0001F1F3\U0001F1F4", "cafe\u0301", "third",
                                   "same block", "\U00020000\u5b57"])
def test_a_mouse_drag_selects_exactly_the_stored_characters(qtbot, text, words):
    v = ArticleView(load_schema())
    qtbot.addWidget(v)
    v.resize(360, 600)
    v.show()
    qtbot.waitExposed(v)
    v.set_document(text, [])
    start = text.index(words)
    end = start + len(words)
    a = v.range_rects(v.offsets.to_utf16(start), v.offsets.to_utf16(start + 1))[0]
    b = v.range_rects(v.offsets.to_utf16(end - 1), v.offsets.to_utf16(end))[0]
    press = QPoint(int(a.left()) + 1, int(a.center().y()))
    release = QPoint(int(b.right()) - 1, int(b.center().y()))
    qtbot.mousePress(v.viewport(), Qt.MouseButton.LeftButton, pos=press)
    qtbot.mouseMove(v.viewport(), pos=release)
    qtbot.mouseRelease(v.viewport(), Qt.MouseButton.LeftButton, pos=release)
    got = v.selection_range(snap=False)
    assert got is not None and text[got[0]:got[1]] == words


def test_only_the_blocks_on_screen_are_drawn_over(qtbot):
    paragraphs = [f"Paragraph {i} mentions Norland." for i in range(3000)]
    text = "\n".join(paragraphs)
    spans, pos = [], 0
    for i, para in enumerate(paragraphs):
        start = pos + para.index("Norland")
        spans.append(Span(1, start, start + 7, "GPE", SUGGESTED, id=i + 1))
        pos += len(para) + 1
    v = ArticleView(load_schema())
    qtbot.addWidget(v)
    v.resize(500, 400)
    v.show()
    qtbot.waitExposed(v)
    v.set_document(text, spans)
    scene = v.build_scene()
    assert 0 < len(scene.tags) < 30
    assert len(scene.segments) == len(scene.tags)
    v.verticalScrollBar().setValue(v.verticalScrollBar().maximum())
    last = v.build_scene()
    assert max(t.span_id for t in last.tags) == 3000
