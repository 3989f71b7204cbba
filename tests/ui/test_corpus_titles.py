"""The Documents dock at the default window size shows enough of a title to tell documents
apart (issue 26: "Norland ...collapse", fifteen characters, beside a Status column as wide)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.domain import DOC_DONE, DOC_IN_PROGRESS, DOC_NEW, AnnotatedDocument, Document
from annotator.store import Store
from annotator.ui.corpus_model import STATUS_ROLE
from tests.ui.conftest import open_window

TITLE = "Norland defence minister warns Red Ridge Brigade after border talks collapse"
MIN_CHARS = 28  # 30 here (DejaVu Sans); the old dock showed 16


@pytest.fixture
def titled_project(tmp_path):
    path = tmp_path / "titled.db"
    with Store(path, annotator="setup") as store:
        store.add_documents([AnnotatedDocument(Document(text=f"Text {i}.", title=TITLE))
                             for i in range(3)])
    return path


def shown_characters(table, row: int) -> int:
    """Characters of the title the view draws in its column (the rest elided)."""
    width = table.columnWidth(0) - 2 * (table.style().pixelMetric(
        table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    shown = table.fontMetrics().elidedText(table.model().index(row, 0).data(),
                                           Qt.TextElideMode.ElideMiddle, width)
    return len(shown.replace("\u2026", ""))


@pytest.mark.parametrize("size", [None, (1440, 900), (1280, 800)])
def test_titles_are_readable_at_the_default_window_size(qtbot, titled_project, settings, size):
    window = open_window(qtbot, titled_project, settings)
    if size:
        window.resize(*size)
    qtbot.waitUntil(lambda: window.corpus.table.columnWidth(0) > 0)
    qtbot.wait(50)  # the dock settles into the resized window
    shown = shown_characters(window.corpus.table, 0)
    assert shown >= MIN_CHARS


def test_status_stays_a_word_behind_the_circle(qtbot, window, db):
    """The circle replaces the word on screen only: filters, tooltips and tests read the word."""
    model = window.corpus_model
    for status, word in ((DOC_NEW, "new"), (DOC_IN_PROGRESS, "in progress"), (DOC_DONE, "done")):
        db.set_document_status(1, status)
        model.reload()
        index = model.index(model.row_of(1), 2)
        assert (index.data(), index.data(Qt.ItemDataRole.ToolTipRole)) == (word, word)
        assert index.data(STATUS_ROLE) == status
