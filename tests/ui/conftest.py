"""Fixtures for the UI tests: a real project database and the real main window on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.domain import AnnotatedDocument, Document, Span
from annotator.store import Store
from annotator.ui.highlighter import SPAN_PROPERTY

# Whatever a test does, nothing goes into the real user's data folder (the demo project).
QStandardPaths.setTestModeEnabled(True)

ARTICLE = (
    "Minister Amara Velko warned on Tuesday that Norland would respond.\n"
    "\u201cWe will not wait,\u201d she said in Port Ilse.\n"
    "Rebels denied the claim."
)
SECOND = "Talks resumed in Geneva on Friday.\nBoth sides said little."
THIRD = "Protesters gathered outside the parliament in Vell."


def find(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def project(tmp_path):
    """A project with three documents; the first has suggestions from a 'model'."""
    path = tmp_path / "project.db"
    with Store(path, annotator="setup") as store:
        ids = store.add_documents([
            AnnotatedDocument(Document(text=ARTICLE, title="Velko warns Norland",
                                       published="2024-05-07")),
            AnnotatedDocument(Document(text=SECOND, title="Geneva talks")),
            AnnotatedDocument(Document(text=THIRD, title="Protest in Vell")),
        ])
        spans = [
            Span(ids[0], *find(ARTICLE, "Amara Velko"), "PERSON"),
            Span(ids[0], *find(ARTICLE, "Tuesday"), "DATE"),
            Span(ids[0], *find(ARTICLE, "Norland"), "GPE"),
            Span(ids[0], *find(ARTICLE, "\u201cWe will not wait,\u201d"), "QUOTE"),
            Span(ids[0], *find(ARTICLE, "Port Ilse"), "GPE"),
        ]
        store.replace_suggestions(ids[0], "test-model-1.0", spans, [])
    return path


@pytest.fixture
def settings(tmp_path):
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    s.setValue("annotator/name", "tester")
    return s


def open_window(qtbot, path, settings, **kwargs):
    """The real main window on a project, shown, active, the article focused. Its data folder
    (where the demo project is built) is `data` beside the project."""
    from annotator.ui.main_window import MainWindow

    kwargs.setdefault("data_dir", Path(path).parent / "data")
    win = MainWindow(path, settings=settings, **kwargs)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(lambda: win.view.hasFocus())
    return win


@pytest.fixture
def window(qtbot, project, settings):
    win = open_window(qtbot, project, settings)
    yield win
    win.close()


@pytest.fixture
def db(project):
    """A second connection, as another program would see the database."""
    with Store(project) as store:
        yield store


# --- helpers shared by the tests ------------------------------------------------------------------


def spans_by_text(store: Store, doc_id: int, text: str, statuses=("suggested", "accepted",
                                                                   "rejected")):
    doc_text = store.document(doc_id).text
    return [s for s in store.spans(doc_id, statuses) if doc_text[s.start:s.end] == text]


def formats_at(view, start: int, end: int) -> list[str]:
    """What the highlighter shows over stored code points [start, end): the SPAN_PROPERTY of
    every format range overlapping it (e.g. 'accepted:PERSON')."""
    u_start, u_end = view.offsets.to_utf16(start), view.offsets.to_utf16(end)
    out = []
    block = view.document().findBlock(u_start)
    while block.isValid() and block.position() < u_end:
        for r in block.layout().formats():
            a, b = block.position() + r.start, block.position() + r.start + r.length
            if a < u_end and b > u_start:
                out.append(r.format.property(SPAN_PROPERTY) or "")
        block = block.next()
    return out


def background_at(view, start: int):
    u = view.offsets.to_utf16(start)
    block = view.document().findBlock(u)
    for r in block.layout().formats():
        if block.position() + r.start <= u < block.position() + r.start + r.length:
            return r.format.background().color()
    return None


def select(view, start: int, end: int) -> None:
    """Select stored code points [start, end) with a QTextCursor, as the keyboard would."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(start))
    cursor.setPosition(view.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def char_point(view, pos: int, after: bool = False) -> QPoint:
    """Viewport point in the middle of the character at stored offset `pos` (or at its
    right edge with `after`)."""
    u = view.offsets.to_utf16(pos)
    rects = view.range_rects(u, view.offsets.to_utf16(pos + 1))
    rect = rects[0]
    x = rect.right() - 1 if after else rect.center().x()
    return QPoint(int(x), int(rect.center().y()))


def click_span(qtbot, view, start: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=char_point(view, start))


class Watch(list):
    """What a `when_modal` timer saw (the dialogs' texts); `stop()` ends the wait."""

    timer: QTimer

    def stop(self) -> None:
        self.timer.stop()


def when_modal(kind, act, name: str = "", popup: bool = False) -> Watch:
    """Act on the next modal dialog of class `kind` (objectName `name`, if given) once it is
    open: `act(dialog)`, from a timer, since `exec()` blocks the test until it closes. With
    `popup`, on the next popup (a QMenu.exec) instead. Returns a Watch that gets the dialog's
    text (or title) once it was seen."""
    timer = QTimer(QApplication.instance())  # parented: not collected while it waits
    timer.setInterval(20)
    seen = Watch()
    seen.timer = timer

    def poll() -> None:
        dialog = QApplication.activePopupWidget() if popup else QApplication.activeModalWidget()
        if isinstance(dialog, kind) and (not name or dialog.objectName() == name):
            timer.stop()
            timer.deleteLater()
            seen.append(getattr(dialog, "text", dialog.windowTitle)())
            act(dialog)

    timer.timeout.connect(poll)
    timer.start()
    return seen


def answer(key: str) -> Watch:
    """Click the answer `key` of the next question box (Feedback.ask), as the user would;
    the Watch gets the question's text once it was asked."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    return when_modal(QMessageBox, lambda box: box.findChild(QPushButton, f"answer_{key}").click(),
                      "questionBox")


def choose_in_menu(text: str) -> Watch:
    """Pick the entry `text` of the next popup menu with the keyboard (the role menu of a link
    that several roles fit)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMenu

    def pick(menu) -> None:
        menu.setActiveAction(next(a for a in menu.actions() if a.text() == text))
        QTest.keyClick(menu, Qt.Key.Key_Return)

    return when_modal(QMenu, pick, popup=True)
