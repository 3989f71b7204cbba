"""Nothing drawn over the article covers its words (issue 26): on a sample article with every
label and link accepted, at the default window's article width, each role chip lies off the
text of every line, and a tag is cut to three letters only where the full tag has no room."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QFontMetricsF

from annotator.domain import ACCEPTED, Span
from annotator.resources import resources_dir
from annotator.schema import load_schema
from annotator.ui.article_view import ArticleView
from annotator.ui.overlay import TAG_GAP
from tests.ui.test_dense_view import text_lines


def _gold(name: str) -> dict:
    path = resources_dir() / "samples" / f"{name}.gold.jsonl"
    return json.loads(path.read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(params=["border-warning", "ceasefire-talks"])
def article(request, qtbot):
    """The sample with every span accepted, in a view as wide as the default window's article."""
    gold = _gold(request.param)
    view = ArticleView(load_schema())
    qtbot.addWidget(view)
    view.resize(446, 600)
    view.show()
    qtbot.waitExposed(view)
    spans = [Span(1, s["start"], s["end"], s["label"], ACCEPTED, id=s["id"] + 1)
             for s in gold["spans"]]
    view.set_document(gold["text"], spans)
    links: dict[int, dict[int, str]] = {}
    for rel in gold["relations"]:
        head, tail = rel["head"] + 1, rel["tail"] + 1
        links.setdefault(head, {})[tail] = rel["role"]
        links.setdefault(tail, {})[head] = rel["role"]
    return view, links


def test_role_chips_cover_no_words(article):
    view, links = article
    covered, chips = [], 0
    for head, related in links.items():
        view.show_selected(head, related)
        scene = view.build_scene()
        lines = text_lines(view)
        for arc in scene.arcs:
            if arc.edge:
                continue
            chips += 1
            hit = [line for line in lines if arc.label_rect.intersects(line)]
            if hit:
                covered.append((head, arc.role, arc.label_rect, hit[0]))
            assert not any(arc.label_rect.intersects(t.rect) for t in scene.tags), arc.role
    assert chips > 20
    assert covered == []


def test_tags_are_cut_only_where_the_full_tag_has_no_room(article):
    view, _links = article
    fm = QFontMetricsF(view.tag_font)
    view.verticalScrollBar().setValue(0)
    checked = 0
    for _page in range(20):
        scene = view.build_scene()
        rows: dict[float, list] = {}
        for tag in scene.tags:
            rows.setdefault(tag.rect.top(), []).append(tag)
        for row in rows.values():
            row.sort(key=lambda t: t.rect.left())
            for tag, nxt in zip(row, row[1:]):
                if tag.text == tag.label:
                    continue
                checked += 1
                full = fm.horizontalAdvance(tag.label) + 8.0
                seg = scene.segments[nxt.span_id][0]
                # room up to where the next tag can still sit over its own words
                room = seg.rect.right() - nxt.rect.width() - tag.rect.left()
                assert full + TAG_GAP > room, (tag.label, nxt.label)
            last = row[-1]
            assert last.text == last.label or \
                last.rect.left() + fm.horizontalAdvance(last.label) + 8.0 > view.viewport().width()
        bar = view.verticalScrollBar()
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + view.viewport().height() // 2)
    assert checked >= 0


def test_a_tag_stays_whole_where_the_next_span_leaves_room(qtbot):
    """"SPE" over "Asif" although the quote after it is long: its tag can move along it."""
    text = "Asif warned that the Taliban would face strikes across the border."
    quote = text.index("warned"), text.index(" across")
    view = ArticleView(load_schema())
    qtbot.addWidget(view)
    view.resize(446, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_document(text, [Span(1, 0, 4, "SPEAKER", ACCEPTED, id=1),
                             Span(1, *quote, "QUOTE", ACCEPTED, id=2)])
    scene = view.build_scene()
    speaker, said = scene.tag_of(1), scene.tag_of(2)
    assert speaker.text == "SPEAKER" and said.text == "QUOTE"
    assert speaker.rect.right() <= said.rect.left()
    assert said.rect.right() <= scene.segments[2][0].rect.right()  # still over its own words
    assert not speaker.rect.intersects(said.rect)


def test_a_blank_line_between_paragraphs_is_one_line_high(qtbot):
    """A blank line got its own tag row, underline room and paragraph spacing, and the
    paragraph after it another paragraph spacing: a gap of three lines."""
    view = ArticleView(load_schema())
    qtbot.addWidget(view)
    view.resize(446, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_document("Border talks fail\nFirst paragraph.\n\nSecond paragraph.", [])
    tops = [line.top() for line in text_lines(view)]
    line = QFontMetricsF(view.font()).height()  # no spans: no tag rows (ui/spacing.py)
    next_paragraph = tops[1] - tops[0]  # the next paragraph, no blank line between
    over_blank = tops[3] - tops[1]  # over a blank line
    assert next_paragraph > line * 1.5  # paragraphs keep their spacing
    assert over_blank <= next_paragraph + line  # the blank line costs at most one line more


def test_hovering_a_role_chip_names_the_whole_role(qtbot):
    """A chip shortened to three letters ("EXP") is expandable: its tooltip names the role."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from tests.ui.test_dense_view import DENSE, IDS, dense_spans

    view = ArticleView(load_schema())
    qtbot.addWidget(view)
    view.resize(520, 420)
    view.show()
    qtbot.waitExposed(view)
    view.set_document(DENSE, dense_spans())
    view.show_selected(IDS["QUOTE"], {IDS["THREAT"]: "EXPRESSED_IN"})
    view.build_scene()  # what the last paint drew: the tooltip reads it
    arc = view.scene.arc_to(IDS["THREAT"])
    assert arc is not None and arc.text in ("EXP", "EXPRESSED_IN")
    at = arc.label_rect.center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), event)
    assert "EXPRESSED_IN" in QToolTip.text()
    QToolTip.hideText()
