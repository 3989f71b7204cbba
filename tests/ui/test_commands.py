"""The command registry (ui/commands.py) on the real window: every command reaches its slot, the
menus, toolbar, F1 help and enablement come from the declarations, and adding a command is
adding one declaration."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QMessageBox,
    QToolBar,
)

from annotator.domain import DOC_DONE, SUGGESTED
from annotator.ui import actions as actions_module
from annotator.ui import backups as backups_ui
from annotator.ui import dialogs, file_dialogs
from annotator.ui.commands import COMMANDS, MENUS, Command, Place, UiState, ui_state
from annotator.ui.feedback import Feedback
from annotator.ui.team import assign_dialog
from tests.ui.conftest import ARTICLE, find, open_window, select, spans_by_text

K = Qt.Key


@pytest.fixture
def no_dialogs(monkeypatch):
    """Every modal dialog a command opens answers 'cancel' at once."""
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: ("", ""))
    monkeypatch.setattr(file_dialogs, "get_open_file_name", lambda *a, **k: ("", ""))
    monkeypatch.setattr(file_dialogs, "get_open_file_names", lambda *a, **k: ([], ""))
    monkeypatch.setattr(file_dialogs, "get_existing_directory", lambda *a, **k: "")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(dialogs.ExportDialog, "exec", lambda self: 0)
    monkeypatch.setattr(assign_dialog.AssignDialog, "exec", lambda self: 0)
    monkeypatch.setattr(backups_ui, "choose_backup", lambda *a: None)
    # questions (Done with suggestions left, links missing from an export): the default answer
    monkeypatch.setattr(Feedback, "ask", lambda self, *a, default="", **k: default)


def test_every_command_reaches_its_slot(qtbot, window, db, no_dialogs):
    """Each command triggered once (an exception in a slot fails the test), then the ones with
    an effect on the document checked."""
    window.settings.setValue("model/name", "blank:en")  # rules only: fast and always there
    select(window.view, *find(ARTICLE, "Rebels"))
    qtbot.keyClick(window.view, K.Key_5)
    last = ("next_document", "prev_document", "mark_done", "delete_document", "open_demo",
            "quit")
    for cmd in COMMANDS:
        if cmd.name not in last:
            action = window.actions.by_name[cmd.name]
            action.setEnabled(True)
            action.trigger()
            if cmd.checkable:
                action.trigger()  # and back
    qtbot.waitUntil(lambda: not window.runner.user_tasks(), timeout=120_000)
    doc = window.session.doc.id
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    assert {w.windowTitle() for w in shown} == {"Keyboard shortcuts", "Label schema",
                                                "Document details", "Train From My Labels"}
    for dialog in shown:
        dialog.close()
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    select(window.view, *find(ARTICLE, "the claim"))
    qtbot.keyClick(window.view, K.Key_C)
    assert spans_by_text(db, doc, "the claim", ("accepted",))
    window.actions.undo.trigger()
    assert not spans_by_text(db, doc, "the claim", ("accepted",))
    window.actions.redo.trigger()
    assert spans_by_text(db, doc, "the claim", ("accepted",))
    window.actions.next_document.trigger()
    assert window.session.doc.id == db.document_ids()[1]
    window.actions.prev_document.trigger()
    assert window.session.doc.id == doc
    window.actions.mark_done.trigger()
    assert db.document(doc).status == DOC_DONE and window.session.doc.id != doc
    gone = window.session.doc.id
    window.actions.delete_document.trigger()
    assert gone not in db.document_ids() and window.session.doc.id != gone
    with qtbot.waitSignal(window.task_done, timeout=120_000):
        window.actions.open_demo.trigger()
    assert window.windowTitle().startswith("Demo project")
    window.actions.quit.trigger()
    assert not window.isVisible()


def test_menus_and_toolbar_follow_the_declarations(window):
    bar = window.menuBar()
    assert [a.text() for a in bar.actions()] == list(MENUS)
    menus = {a.text(): a.menu() for a in bar.actions()}
    for cmd in COMMANDS:
        for place in cmd.menus:
            assert window.actions.by_name[cmd.name] in menus[place.where].actions(), cmd.name
    file_items = [a.objectName() or a.text() for a in menus["&File"].actions()
                  if not a.isSeparator()]
    assert file_items[:3] == ["new_project", "open_project", "Open &Recent"]
    assert file_items[-1] == "quit"
    toolbar = window.findChild(QToolBar, "mainToolBar")
    shown = [a.objectName() or "|" for a in toolbar.actions()]
    assert shown == ["open_project", "import_files", "export", "|", "undo", "redo", "|",
                     "preannotate_doc", "cancel_task", "|", "mark_done"]
    assert window.actions.mark_done.iconText() == "Done && Next"


def test_enablement_follows_the_ui_state(qtbot, window):
    a = window.actions
    assert ui_state(window.ctx) == UiState(has_project=True, has_document=True)
    assert not a.accept.isEnabled() and not a.undo.isEnabled() and not a.cancel_task.isEnabled()
    assert a.mark_done.isEnabled() and a.import_files.isEnabled()
    qtbot.keyClick(window.view, K.Key_Tab)
    assert ui_state(window.ctx).span_status == SUGGESTED
    assert a.accept.isEnabled() and a.reject.isEnabled() and a.link.isEnabled()
    first = window.session.selected
    qtbot.keyClick(window.view, K.Key_Return)
    assert a.undo.isEnabled()
    # Enter moved on to the next suggestion, which can be accepted in turn...
    assert window.session.selected != first and a.accept.isEnabled()
    window.session.select(first)
    assert not a.accept.isEnabled()  # ...while the one just accepted cannot
    window.close_project()
    assert ui_state(window.ctx) == UiState()
    assert not a.import_files.isEnabled() and not a.mark_done.isEnabled()


def test_adding_a_command_is_one_declaration(qtbot, project, settings, monkeypatch):
    seen = []
    extra = Command("count_words", "Count &Words", lambda c: seen.append(len(c.session.doc.text)),
                    ("Ctrl+Shift+W",), "Count the words of this document",
                    menus=(Place("&Document", "3_tools", 1),),
                    toolbar=Place("Main", "5_tools", 1), enabled=lambda s: s.has_document)
    monkeypatch.setattr(actions_module, "COMMANDS", (*COMMANDS, extra))
    win = open_window(qtbot, project, settings)
    action = win.actions.count_words
    menus = {a.text(): a.menu() for a in win.menuBar().actions()}
    document = menus["&Document"].actions()
    assert document[-1] is action and document[-2].isSeparator()
    assert win.findChild(QToolBar, "mainToolBar").actions()[-1] is action
    assert ("Ctrl+Shift+W", "Count the words of this document") in win.actions.shortcut_rows()
    assert action.isEnabled()
    qtbot.keyClick(win.view, K.Key_W, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert seen == [len(ARTICLE)]
    win.close_project()
    assert not action.isEnabled()
    win.close()


def test_label_commands_come_from_the_schema(window):
    labels = window.actions.labels
    assert set(labels) == {lab.name for lab in window.session.schema.labels}
    rows = dict(window.actions.shortcut_rows())
    assert rows["Q"] == "Label the selection QUOTE (or relabel the selected span)"
    assert labels["QUOTE"].shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
