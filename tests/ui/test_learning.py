"""Teaching the tool through the real window: Model > Train From My Labels on a tiny labelled
project (real spaCy training, a few steps), Use This Model, the model's confidence in the details
panel, Cancel, and Document > Next Most Useful Document on a crafted case."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from annotator.domain import AnnotatedDocument, Document
from annotator.store import Store
from bench.labelled_corpus import add_to_store, labelled_documents
from tests.ui.conftest import click_span, open_window

pytestmark = pytest.mark.slow  # real spaCy training, in the window or for the session's model
WAIT = 300_000
LEFT = Qt.MouseButton.LeftButton
NEW_ARTICLE = ("\u201cWe will not accept these terms,\u201d the foreign minister said on "
               "Monday.\nOfficials in the capital said talks would resume next week.")
TINY = "Rain fell."


def labelled_project(path: Path, unfinished: list[str]) -> list[int]:
    """Six short labelled documents (done) and unlabelled ones; the ids of the latter."""
    with Store(path) as store:
        add_to_store(store, labelled_documents(6, seed=1, max_chars=900, templates=3))
        return store.add_documents([AnnotatedDocument(Document(text=t, title=t[:20]))
                                    for t in unfinished])


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "labelled.db"
    ids = labelled_project(path, [NEW_ARTICLE])
    return path, ids[0]


@pytest.fixture
def trained_model(trained):
    """The session's pipeline trained (a few steps) on the same kind of project (tests/conftest.py)."""
    return str(trained[0])


def rows(table) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def test_train_from_my_labels_then_use_the_model(qtbot, project, settings):
    path, new_id = project
    win = open_window(qtbot, path, settings)
    win.actions.train_model.trigger()
    dialog = win.learning.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.train_button.isEnabled(), timeout=WAIT)
    counts = rows(dialog.counts)
    assert "will train (entity recognizer)" in counts["PERSON"][3]
    assert "will train (span model)" in counts["QUOTE"][3]
    assert any("too few: needs" in r[3] for r in counts.values())  # and says what is missing
    dialog.steps.setValue(6)
    with qtbot.waitSignal(win.task_done, timeout=WAIT) as blocker:
        qtbot.mouseClick(dialog.train_button, LEFT)
        assert dialog.cancel_button.isVisible() and not dialog.train_button.isEnabled()
        assert win.progress.isVisible()  # the status bar shows it too
    name, result = blocker.args
    assert name == "train" and not result.cancelled and result.steps == 6
    assert (Path(result.model_dir) / "config.cfg").is_file()
    assert Path(result.model_dir).parent == path.parent / "labelled-models"
    table = rows(dialog.results)
    assert "PERSON" in table and "all" in table and len(table["all"]) == 8
    assert "Step 6 of 6" in dialog.state.text() or "Trained in" in dialog.state.text()
    assert dialog.use_button.isVisible()
    qtbot.mouseClick(dialog.use_button, LEFT)
    qtbot.waitUntil(lambda: win.models.origin == result.origin, timeout=WAIT)
    assert win.prefs.get("model/name") == result.model_dir
    assert result.origin in win.model_label.text()
    # the app now suggests with it: pre-annotate the unlabelled article
    dialog.close()
    win.open_document(new_id)
    with qtbot.waitSignal(win.task_done, timeout=WAIT):
        win.actions.preannotate_doc.trigger()
    with Store(path) as db:
        made = [s for s in db.spans(new_id) if s.origin == result.origin]
    assert made, "the trained model made the suggestions"
    scored = [s for s in made if "score" in s.attrs]
    assert scored, [(s.label, s.attrs) for s in made]
    # the model's confidence is shown in the details panel, read-only
    click_span(qtbot, win.view, scored[0].start)
    assert win.details.span.id == scored[0].id
    shown = win.details.attribute_widgets["score"]
    assert isinstance(shown, QLabel) and not isinstance(shown, QLineEdit)
    assert shown.objectName() == "attr_score"
    qtbot.waitUntil(lambda: shown.isVisibleTo(win.details))  # shown once the layout runs
    assert shown.text() == scored[0].attrs["score"]
    assert all(w.objectName() != "attr_score" for w in win.details.findChildren(QLineEdit))
    win.close()


def test_cancel_keeps_the_model_in_use(qtbot, project, settings):
    path, _ = project
    win = open_window(qtbot, path, settings)
    before = win.prefs.get("model/name")
    dialog = win.learning.train()
    qtbot.waitUntil(lambda: dialog.train_button.isEnabled(), timeout=WAIT)
    dialog.steps.setValue(400)  # the second evaluation would come at step 100
    out = Path(dialog.out.text())
    with qtbot.waitSignal(win.task_done, timeout=WAIT) as blocker:
        qtbot.mouseClick(dialog.train_button, LEFT)
        qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=WAIT)
        qtbot.mouseClick(dialog.cancel_button, LEFT)
    _name, result = blocker.args
    assert result.cancelled and result.steps < 100
    # spaCy's loop evaluates at step 0 too: that checkpoint is saved, never switched to
    assert result.model_dir == str(out) and (out / "config.cfg").is_file()
    assert "Cancelled after" in dialog.state.text() and "unchanged" in dialog.state.text()
    assert dialog.use_button.isVisible() and dialog.train_button.isEnabled()
    assert not dialog.results.isVisible()  # not scored: it was stopped
    assert win.prefs.get("model/name") == before
    win.close()


def test_next_most_useful_opens_the_document_the_model_is_least_sure_about(
        qtbot, tmp_path, settings, trained_model):
    path = tmp_path / "queue.db"
    tiny, rich = labelled_project(path, [TINY, NEW_ARTICLE])  # a tie would pick the tiny one
    settings.setValue("model/name", trained_model)
    win = open_window(qtbot, path, settings)
    win.open_document(1)  # a finished document
    assert not win.learning.why.isVisible()
    with qtbot.waitSignal(win.task_done, timeout=WAIT) as blocker:
        qtbot.keyClick(win.view, Qt.Key.Key_U,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    name, result = blocker.args
    assert name == "queue" and result.considered == 2
    assert [it.doc_id for it in result.items] == [rich, tiny]
    assert result.items[0].value > result.items[1].value
    assert win.session.doc.id == rich
    assert win.learning.why.isVisible()
    assert "uncertain span" in win.learning.why.text()
    assert result.items[0].why() in win.statusBar().currentMessage()
    win.open_document(tiny)  # opening another document by hand: the reason goes
    assert not win.learning.why.isVisible()
    win.close()
