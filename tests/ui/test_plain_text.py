"""Strings from articles, schemas and colleagues show as written, never as HTML.

An article containing `<img src=... width=2000>` drew an image from disk in the details panel;
names and descriptions went into rich text unescaped. Each place is checked by what the user
sees: the label is PlainText with the literal markup, or the rich text renders to the literal
markup (a QTextDocument given the same HTML shows `<img ...>` as characters, not an image).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator.domain import AnnotatedDocument, Document, Span
from annotator.schema import load_schema, parse_schema
from annotator.store import Store
from tests.ui.conftest import click_span, find, open_window

IMG = '<img src="/local.png" width=2000 height=2000>'
LINK = '<a href="file:///etc/passwd">here</a>'
TEXT = f"Minister {IMG} spoke. {LINK}, Velko said."
NAME = '<a href="file:///">Mallory</a>'
TITLE = "<img src=title.png> Breaking"
DESCRIPTION = 'A named person. <img src="/d.png"> <a href="file:///x">more</a>'


def _rendered(rich: str) -> str:
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def _shows_literally(label, words: str) -> bool:
    if label.textFormat() == Qt.TextFormat.PlainText:
        return words in label.text()
    return words in _rendered(label.text())


def _hostile_project(path) -> int:
    schema = parse_schema(load_schema().source_text.replace(
        'description = "A named person."', f"description = '{DESCRIPTION}'"))
    with Store(path, schema=schema, annotator="setup") as store:
        (doc,) = store.add_documents([AnnotatedDocument(Document(text=TEXT, title=TITLE))])
        store.replace_suggestions(doc, "model-1", [Span(doc, *find(TEXT, LINK), "QUOTE"),
                                                   Span(doc, *find(TEXT, IMG), "PERSON")],
                                  [(0, 1, "SAID_BY")])
    with Store(path, annotator=NAME) as colleague:
        colleague.add_span(doc, *find(TEXT, "Velko"), "PERSON")
    return doc


def test_article_names_titles_and_descriptions_show_as_written(qtbot, tmp_path, settings):
    path = tmp_path / "hostile.db"
    _hostile_project(path)
    win = open_window(qtbot, path, settings)
    details = win.details
    # the article's words in the quote line and in the open-links line
    click_span(qtbot, win.view, find(TEXT, LINK)[0] + 12)
    assert details.quote.textFormat() == Qt.TextFormat.PlainText
    assert LINK in details.quote.text()
    assert details.open_links.isVisible()
    assert "1 link(s) still open" in _rendered(details.open_links.text())
    assert _shows_literally(details.open_links, IMG[:25])  # cut at 30
    # a colleague's name in the origin line
    click_span(qtbot, win.view, find(TEXT, "Velko")[0] + 1)
    assert details.origin.textFormat() == Qt.TextFormat.PlainText
    assert NAME in details.origin.text()
    # the span tooltip names the colleague as written
    velko = next(e for e in win.view.index.entries() if e.span.annotator == NAME)
    assert NAME in _rendered(win.view._tooltip([velko]))
    # the title's tooltip in the corpus list
    model = win.corpus_model
    index = model.index(0, 0)
    tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img" in tooltip and TITLE in _rendered(tooltip)
    # the label description in the legend's tooltip
    from annotator.ui.legend import chip_tip

    assert DESCRIPTION in _rendered(chip_tip(win.session.store.schema.label("PERSON")))
    win.close()


def test_annotator_names_in_the_curation_legend_and_agreement_summary(qtbot, tmp_path):
    from annotator.team.agreement import agreement
    from annotator.ui.team.agreement_window import AgreementWindow
    from annotator.ui.team.curation_window import CurationWindow

    path = tmp_path / "team.db"
    doc = _hostile_project(path)
    with Store(path, annotator="bob") as bob:
        bob.add_span(doc, *find(TEXT, "Minister"), "PERSON")
    with Store(path, annotator="lead") as store:
        curation = CurationWindow(store.schema)
        qtbot.addWidget(curation)
        curation.open_document(store, doc)
        assert _shows_literally(curation.legend, NAME)
        assert "Mallory" in _rendered(curation.legend.text())
        report = agreement(store)
    window = AgreementWindow()
    qtbot.addWidget(window)
    window.show_report(report)
    assert NAME in report["annotators"]
    assert _shows_literally(window.summary, NAME)


def test_actor_names_in_the_registry_tooltips_show_as_written(qtbot, tmp_path):
    from annotator.ui.actors_panel import ActorListModel

    path = tmp_path / "actors.db"
    _hostile_project(path)
    with Store(path, annotator="lead") as store:
        store.create_actor(IMG)
        model = ActorListModel()
        model.set_actors(store.actors())
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 0)) == IMG  # the list shows it as text already
    assert "&lt;img" in tooltip and IMG in _rendered(tooltip)
