"""A clean project, driven through the real window: a new user starts on an empty project with
a first step, the samples open as a separate demo project, documents can be deleted (and
brought back) and their details corrected, and the window remembers where the analyst was."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from annotator.services.samples import sample_paths
from annotator.store import Store
from annotator.ui import dialogs, file_dialogs, positions
from annotator.ui.dialogs import DocumentDialog, ListDialog
from tests.ui.conftest import ARTICLE, SECOND, find, open_window, select

K = Qt.Key
WAIT = 120_000  # ms; loading a spaCy model on a slow CI machine


def rows(store: Store, doc_id: int) -> dict:
    """Everything stored about one document."""
    q = store.db.execute
    return {"document": q("SELECT * FROM documents WHERE id = ?", [doc_id]).fetchall(),
            "spans": q("SELECT * FROM spans WHERE doc_id = ? ORDER BY id", [doc_id]).fetchall(),
            "relations": q("SELECT * FROM relations WHERE doc_id = ?", [doc_id]).fetchall()}


def search(window, words: str) -> int:
    window.corpus.search.setText(words)
    window.corpus.apply_filter()
    found = window.corpus_model.total()
    window.corpus.search.clear()
    window.corpus.apply_filter()
    return found


@pytest.fixture
def first_start(qtbot, tmp_path, settings):
    """The app as a new user first sees it: a project file that does not exist yet."""
    settings.setValue("model/name", "blank:en")  # rules only: fast and always there
    win = open_window(qtbot, tmp_path / "annotations.db", settings)
    yield win
    win.close()


# --- first start and the demo -------------------------------------------------------------------


def test_first_start_is_an_empty_project_with_a_first_step(first_start, tmp_path):
    win = first_start
    assert win.empty_state.isVisible()
    assert "Import articles (Ctrl+I) or drop files here; or open the demo project (Help)" in \
        win.empty_state.text.text()
    shown = {b.defaultAction().objectName() for b in win.empty_state.buttons}
    assert shown == {"import_files", "import_folder", "open_demo"}
    assert all(b.isEnabled() for b in win.empty_state.buttons)
    assert win.corpus_model.rowCount() == 0 and win.session.doc is None
    assert not win.runner.user_tasks()  # nothing is imported or pre-annotated behind its back
    with Store(tmp_path / "annotations.db") as store:
        assert store.document_count() == 0
    assert win.view.hasFocus()  # the overlay does not take the keyboard away


def test_open_demo_project_keeps_the_samples_out_of_the_users_project(qtbot, first_start,
                                                                     tmp_path):
    win = first_start
    assert not win.actions.cancel_task.isEnabled()
    with qtbot.waitSignal(win.task_done, timeout=WAIT) as blocker:
        win.actions.open_demo.trigger()
        assert win.actions.cancel_task.isEnabled()  # only while something runs
    demo = blocker.args[1]
    assert demo == tmp_path / "data" / "demo" / "News Annotator demo.db"
    qtbot.waitUntil(lambda: not win.runner.running())
    assert not win.actions.cancel_task.isEnabled()
    assert win.session.path == demo and win.windowTitle().startswith("Demo project")
    assert win.corpus_model.total() == len(sample_paths()) >= 5
    assert not win.empty_state.isVisible() and win.session.doc is not None
    with Store(demo) as store:
        assert sum(r["suggested"] for r in store.document_rows()) > 0  # with suggestions
    with Store(tmp_path / "annotations.db") as store:
        assert store.document_count() == 0  # the user's own project is untouched
    assert not list(demo.parent.glob("*.partial*"))

    # Opening it again opens the same file; a missing demo is built again.
    assert win.open_project(tmp_path / "annotations.db")
    assert win.empty_state.isVisible()
    assert win.open_demo() is None and win.session.path == demo
    win.close_project()
    demo.unlink()
    with qtbot.waitSignal(win.task_done, timeout=WAIT):
        assert win.open_demo() is not None
    assert win.session.path == demo and win.corpus_model.total() == len(sample_paths())


# --- deleting and correcting documents ------------------------------------------------------


def test_delete_a_document_in_the_list_then_undo_restores_text_labels_and_search(
        qtbot, window, db):
    doc = window.session.doc.id
    qtbot.keyClick(window.view, K.Key_Tab)
    qtbot.keyClick(window.view, K.Key_Return)  # accept a suggestion
    select(window.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(window.view, K.Key_5)  # and a label by hand
    before = rows(db, doc)
    assert len(before["spans"]) == 6 and search(window, "Velko") == 1

    window.corpus.table.setFocus()
    qtbot.waitUntil(window.corpus.table.hasFocus)
    qtbot.keyClick(window.corpus.table, K.Key_Delete)
    assert doc not in db.document_ids() and rows(db, doc)["spans"] == []
    assert window.corpus_model.rowCount() == 2 and window.corpus_model.row_of(doc) is None
    assert window.session.doc.text == SECOND  # the document now in its row opens
    assert search(window, "Velko") == 0
    assert "Undo" in window.statusBar().currentMessage()

    qtbot.keyClick(window.corpus.table, K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(db, doc) == before  # text, labels and their statuses exactly as they were
    assert window.session.doc.id == doc and window.view.text == ARTICLE
    assert len(window.view.index) > 0 and window.corpus_model.row_of(doc) is not None
    assert search(window, "Velko") == 1


def test_delete_from_the_document_menu_and_the_list_menu(qtbot, window, db):
    menu = window.corpus.context_menu()
    assert [a.objectName() for a in menu.actions()] == ["edit_document", "delete_document"]
    menu.close()
    ids = db.document_ids()
    window.actions.delete_document.trigger()
    window.actions.delete_document.trigger()
    window.actions.delete_document.trigger()
    assert db.document_ids() == [] and window.session.doc is None
    assert window.empty_state.isVisible() and not window.actions.delete_document.isEnabled()
    window.actions.undo.trigger()
    assert db.document_ids() == ids[-1:] and not window.empty_state.isVisible()
    assert window.session.doc.id == ids[-1]


def _dialog(window) -> DocumentDialog:
    dialog = window.findChild(DocumentDialog, "documentDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _save(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_edit_title_date_and_source_then_undo(qtbot, window, db):
    doc = window.session.doc.id
    window.actions.edit_document.trigger()
    dialog = _dialog(window)
    assert (dialog.title.text(), dialog.published.text()) == ("Velko warns Norland",
                                                              "2024-05-07")
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "Velko threatens Norland")
    dialog.published.selectAll()
    qtbot.keyClicks(dialog.published, "last Tuesday")
    qtbot.keyClicks(dialog.source, "Wire service")
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.problem.isVisible()  # a bad date is shown, not saved
    assert db.document(doc).title == "Velko warns Norland"
    dialog.published.selectAll()
    qtbot.keyClicks(dialog.published, "2024-05-08")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: window.findChild(DocumentDialog, "documentDialog") is None)
    stored = db.document(doc)
    assert (stored.title, stored.published, stored.source) == ("Velko threatens Norland",
                                                               "2024-05-08", "Wire service")
    row = window.corpus_model.row_of(doc)
    assert window.corpus_model.index(row, 0).data() == "Velko threatens Norland"
    assert window.corpus_model.index(row, 1).data() == "2024-05-08"
    assert window.session.doc.title == "Velko threatens Norland"
    assert search(window, "threatens") == 1

    window.actions.undo.trigger()
    stored = db.document(doc)
    assert (stored.title, stored.published, stored.source) == ("Velko warns Norland",
                                                               "2024-05-07", "")
    assert window.corpus_model.index(row, 0).data() == "Velko warns Norland"
    assert search(window, "threatens") == 0
    window.actions.redo.trigger()
    assert db.document(doc).title == "Velko threatens Norland"


# --- remembering ------------------------------------------------------------------------------


def test_reopening_a_project_shows_the_last_document_where_it_was_scrolled(
        qtbot, tmp_path, settings):
    path = tmp_path / "long.db"
    long_text = "\n".join(f"Paragraph {i}: Norland and Velko met again in Port Ilse." for i in
                          range(400))
    from annotator.domain import AnnotatedDocument, Document

    with Store(path) as store:
        first, second, _ = store.add_documents([
            AnnotatedDocument(Document(text=ARTICLE, title="Short")),
            AnnotatedDocument(Document(text=long_text, title="Long")),
            AnnotatedDocument(Document(text=SECOND, title="Other"))])
    win = open_window(qtbot, path, settings)
    assert win.session.doc.id == first
    win.corpus.select_document(second)
    assert win.session.doc.id == second
    bar = win.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    line = long_text[:positions.top_offset(win.view)].count("\n")
    assert line > 50
    win.close()

    again = open_window(qtbot, path, settings)
    assert again.session.doc.id == second
    qtbot.waitUntil(lambda: long_text[:positions.top_offset(again.view)].count("\n") == line)

    other = tmp_path / "other.db"  # each project keeps its own place
    with Store(other) as store:
        _, other_second = store.add_documents([AnnotatedDocument(Document(text="One.")),
                                               AnnotatedDocument(Document(text="Two."))])
    assert again.open_project(other) and again.session.doc.text == "One."
    again.corpus.select_document(other_second)
    assert again.open_project(path) and again.session.doc.id == second
    assert again.open_project(other) and again.session.doc.id == other_second
    again.close()


def test_folder_import_from_the_window_remembers_the_folder(qtbot, window, db, tmp_path,
                                                            monkeypatch):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    long_line = ("Minister Amara Velko warned on Tuesday that Norland would close the northern "
                 "border crossings to all freight traffic until further notice.")
    (folder / "a.txt").write_text(long_line + " More.\nSecond line.", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Port strike\n\nDockers walked out.", encoding="utf-8")
    (folder / "sub" / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    asked = []
    monkeypatch.setattr(file_dialogs, "get_existing_directory",
                        staticmethod(lambda parent, title, start: asked.append(start)
                                     or str(folder)))
    with qtbot.waitSignal(window.task_done, timeout=WAIT) as blocker:
        window.actions.import_folder.trigger()
    report = blocker.args[1]
    assert report.documents_added == 2 and len(report.problems) == 1
    titles = {db.document(i).title for i in report.added_ids}
    assert titles == {"Port strike", "Minister Amara Velko warned on Tuesday that Norland would "
                                     "close the northern\u2026"}
    refused = window.findChild(ListDialog, "errorList")
    assert refused is not None and "bad.jsonl" in refused.list.toPlainText()
    refused.close()
    assert window.prefs.get("import/folder") == str(folder)

    seen = []
    monkeypatch.setattr(file_dialogs, "get_open_file_names",
                        staticmethod(lambda parent, title, start, filt: seen.append(start)
                                     or ([], "")))
    window.actions.import_files.trigger()
    window.actions.import_folder.trigger()
    assert seen == [str(folder)] and asked[-1] == str(folder)


def test_export_remembers_its_format_and_folder(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "exports"
    out.mkdir()
    opened = []

    def answer(dialog):
        opened.append((dialog.fmt(), dialog.target.text()))
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("doccano"))
        dialog.target.setText(str(out / "labels.jsonl"))
        dialog.status_box.setCurrentIndex(dialog.status_box.findData(""))  # not only done ones
        return 1

    monkeypatch.setattr(dialogs.ExportDialog, "exec", answer)
    with qtbot.waitSignal(window.task_done, timeout=WAIT):
        window.actions.export.trigger()
    assert len((out / "labels.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    monkeypatch.setattr(dialogs.ExportDialog, "exec", lambda d: opened.append(
        (d.fmt(), d.target.text())) and 0)
    window.actions.export.trigger()
    assert opened[-1] == ("doccano", str(out / "export.jsonl"))
    json.loads((out / "labels.jsonl").read_text(encoding="utf-8").splitlines()[0])


# --- error lists, the toolbar ---------------------------------------------------------------


def test_a_long_error_list_scrolls_copies_and_fits_the_screen(qtbot, window):
    items = [f"/data/wire/article-{i:03}.jsonl line {i}: not a JSON object" for i in range(500)]
    dialog = window.feedback.error_list("Some files were refused",
                                        "500 of 500 file(s) were refused", items)
    qtbot.waitExposed(dialog)
    room = dialog.screen().availableGeometry().height()
    assert dialog.frameGeometry().height() <= room and dialog.height() < room
    assert dialog.list.verticalScrollBar().maximum() > 0  # scrolls instead of growing
    assert dialog.list.toPlainText().splitlines() == items
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().splitlines() == items
    dialog.close()

    window.feedback.error("The task failed", "\n".join(items[:40]))  # long text: a list too
    (shown,) = [d for d in window.findChildren(ListDialog, "errorList")
                if d.windowTitle() == "The task failed"]
    assert shown.list.toPlainText().splitlines() == items[:40]


def test_the_toolbar_says_pre_annotate_is_for_this_document(window):
    action = window.actions.preannotate_doc
    assert action.iconText() == "Pre-annotate Document"
    assert "this document only" in action.toolTip() and "all documents" in action.toolTip()
    assert "All Documents" in window.actions.preannotate_all.text()


def test_places_survive_a_settings_file_and_paths_with_spaces(tmp_path):
    from PySide6.QtCore import QSettings

    from annotator.settings import POSITIONS_MAX, Settings

    ini = str(tmp_path / "s.ini")
    prefs = Settings(QSettings(ini, QSettings.Format.IniFormat))
    demo = tmp_path / "demo" / "News Annotator demo.db"
    positions.remember(prefs, demo, 7, 1234)
    prefs.sync()
    again = Settings(QSettings(ini, QSettings.Format.IniFormat))  # the next run reads strings
    assert positions.recall(again, demo) == (7, 1234)
    for i in range(POSITIONS_MAX + 5):
        positions.remember(again, tmp_path / f"p{i}.db", i, 0)
    assert len(again.get("recent/positions")) == POSITIONS_MAX
    assert positions.recall(again, demo) is None and positions.recall(again, tmp_path / "x.db") \
        is None
