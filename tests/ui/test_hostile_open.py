"""Opening someone else's tampered project from the window: refused in a message box naming the
file and what is refused; the project open before stays open, the other file unchanged."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.domain import AnnotatedDocument, Document
from annotator.store import Store


def test_a_project_with_a_trigger_of_its_own_is_refused_in_the_window(window, tmp_path):
    theirs = tmp_path / "from-a-colleague" / "theirs.db"
    theirs.parent.mkdir()
    with Store(theirs) as store:
        store.add_documents([AnnotatedDocument(Document(text="Rebels met in Vell."))])
    conn = sqlite3.connect(theirs)
    conn.execute("CREATE TRIGGER eat AFTER INSERT ON spans BEGIN DELETE FROM spans; END")
    conn.commit()
    before = list(conn.iterdump())
    conn.close()
    ours = window.session.store.path
    assert window.open_project(theirs, create=False) is False
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.windowTitle() == "Cannot open project"
    assert str(theirs) in box.text() and "trigger 'eat'" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert window.session.store is not None and window.session.store.path == ours
    conn = sqlite3.connect(theirs)
    assert list(conn.iterdump()) == before
    conn.close()
