"""Where the analyst was in each project: the open document and how far it was scrolled.

Kept in the setting `recent/positions` (one entry per project, newest first) so that opening a
project again shows the same article at the same place. The place is the first visible
character (a code point offset), not a scroll-bar value: it survives a different window size,
font or zoom.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QTextCursor

from annotator.settings import POSITIONS_MAX, Settings


def remember(prefs: Settings, project: Path, doc_id: int, offset: int) -> None:
    key = str(Path(project).resolve())
    kept = [e for e in prefs.get("recent/positions") if _parse(e)[2] != key]
    prefs.set("recent/positions", [f"{doc_id} {offset} {key}", *kept][:POSITIONS_MAX])


def recall(prefs: Settings, project: Path) -> tuple[int, int] | None:
    """(document id, first visible character) last seen in this project, or None."""
    key = str(Path(project).resolve())
    for entry in prefs.get("recent/positions"):
        doc_id, offset, path = _parse(entry)
        if path == key and doc_id is not None:
            return doc_id, offset
    return None


def _parse(entry: str) -> tuple[int | None, int, str]:
    parts = str(entry).split(" ", 2)
    try:
        return int(parts[0]), int(parts[1]), parts[2]
    except (IndexError, ValueError):
        return None, 0, ""


def top_offset(view) -> int:
    """The first character shown at the top of the article view (code points)."""
    if not view.offsets.length:
        return 0
    u16 = view.cursorForPosition(QPoint(0, 0)).position()
    return view.offsets.to_codepoint(min(u16, view.offsets.utf16_len))


def scroll_to_offset(view, offset: int) -> None:
    """Scroll so that the line holding `offset` is at the top of the view (the caret goes
    there too).

    The article view (a QPlainTextEdit) lays a long text out lazily and its scroll bar counts
    lines it has only estimated, so no scroll value can be computed up front; scrolling up
    to the caret from the end puts the caret's line at the top, exactly."""
    if offset <= 0 or not view.offsets.length:
        return
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(min(offset, view.offsets.length)))
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


class Places:
    """The window's memory of where the analyst was: kept when a document or project closes,
    given back when the project opens again (scrolled once the window is shown, when the
    text is laid out at its real width)."""

    def __init__(self, prefs: Settings, session, view, corpus_model, open_document):
        self.prefs = prefs
        self.session = session
        self.view = view
        self.corpus_model = corpus_model
        self.open_document = open_document  # the window's: opens and shows a document
        self.pending: tuple[int, int] | None = None  # (document, offset) to scroll to

    def remember(self) -> None:
        """Keep the open document and its scroll position for the next opening."""
        if self.session.doc is not None and self.session.path is not None:
            remember(self.prefs, self.session.path, self.session.doc.id, top_offset(self.view))

    def open_first(self) -> None:
        """The document (and place) last seen in this project, else the next unfinished
        one, else the first."""
        last = recall(self.prefs, self.session.path)
        if last is not None and self.corpus_model.row_of(last[0]) is not None:
            self.open_document(last[0])
            self.pending = last
            if self.view.isVisible():
                QTimer.singleShot(0, self.restore)
            return
        first = self.session.next_unfinished() or self.corpus_model.doc_id(0)
        if first is not None:
            self.open_document(first)

    def shown(self) -> None:
        """The window was shown: scroll the reopened document now that it has its size."""
        if self.pending is not None:
            QTimer.singleShot(0, self.restore)

    def restore(self) -> None:
        pending, self.pending = self.pending, None
        doc = self.session.doc
        if pending is not None and doc is not None and doc.id == pending[0]:
            self.view.window().layout().activate()  # the view at its real size first
            scroll_to_offset(self.view, pending[1])
