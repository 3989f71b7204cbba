"""Every command of the window as a QAction: text, shortcuts, tooltip (with the shortcut), icon.

One table, so menus, the toolbar, the shortcut help and the tests agree. Actions marked `view`
only fire while the article has the keyboard focus (single keys like Q, Tab, Enter, Delete must
not steal typing from the search field or an attribute field); the others work window-wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QWidget

from annotator.schema import LabelSchema
from annotator.ui.icons import themed_icon


@dataclass(frozen=True)
class Spec:
    name: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    view: bool = False  # only while the article view has focus
    checkable: bool = False
    icon: str = ""  # freedesktop theme name, else resources/icons/actions/<icon>.svg

SPECS: tuple[Spec, ...] = (
    # project
    Spec("new_project", "&New Project\u2026", ("Ctrl+N",), "Create an empty project database",
         icon="document-new"),
    Spec("open_project", "&Open Project\u2026", ("Ctrl+O",), "Open a project database",
         icon="document-open"),
    Spec("import_files", "&Import Files\u2026", ("Ctrl+I",),
         "Import articles (.txt .md .html .jsonl .csv); you can also drop files on the window",
         icon="document-import"),
    Spec("export", "&Export\u2026", ("Ctrl+E",), "Export labelled data in a chosen format",
         icon="document-export"),
    Spec("restore_backup", "Restore &Backup\u2026", (),
         "Replace the project with one of its automatic backups (the current state is backed "
         "up first)", icon="document-revert"),
    Spec("quit", "&Quit", ("Ctrl+Q",), "Close the window (everything is already saved)",
         icon="application-exit"),
    # history
    Spec("undo", "&Undo", ("Ctrl+Z",), "Undo the last action", icon="edit-undo"),
    Spec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the action undone last",
         icon="edit-redo"),
    # reviewing in the article
    Spec("accept", "&Accept Suggestion", ("Return", "Enter"), "Accept the selected suggestion",
         view=True, icon="dialog-ok-apply"),
    Spec("reject", "&Reject / Delete", ("Delete", "Backspace"),
         "Reject the selected suggestion, or delete an accepted label", view=True,
         icon="edit-delete"),
    Spec("accept_all", "Accept All of This &Label", ("Ctrl+Shift+A",),
         "Accept every suggestion with the selected span's label in this document (one step)"),
    Spec("next_suggestion", "&Next Suggestion", ("Tab",), "Select the next suggestion",
         view=True),
    Spec("prev_suggestion", "&Previous Suggestion", ("Shift+Tab", "Shift+Backtab"),
         "Select the previous suggestion", view=True),
    Spec("next_span", "Next &Label (Any Status)", ("Alt+Right",),
         "Select the next span, accepted or suggested", view=True),
    Spec("prev_span", "Previous Label (Any Status)", ("Alt+Left",),
         "Select the previous span, accepted or suggested", view=True),
    Spec("link", "Lin&k to\u2026", ("L",),
         "Link the selected quote, threat or event to the span you click next "
         "(or pick with Tab and press Enter)", view=True, icon="insert-link"),
    Spec("cancel", "Cancel Link / Clear Selection", ("Escape",), "", view=True),
    # documents
    Spec("mark_done", "Mark &Done and Next", ("Ctrl+Return", "Ctrl+Enter"),
         "Mark this document done and open the next unfinished one",
         icon="mark-done"),
    Spec("reopen", "Mark In &Progress", (), "Set this document back to in progress"),
    Spec("next_document", "Next Document", ("Ctrl+PgDown",), "Open the next document in the list"),
    Spec("prev_document", "Previous Document", ("Ctrl+PgUp",),
         "Open the previous document in the list"),
    # model
    Spec("preannotate_doc", "Pre-annotate &This Document", ("Ctrl+R",),
         "Run the model over this document and show its suggestions",
         icon="system-run"),
    Spec("preannotate_all", "Pre-annotate &All Documents", ("Ctrl+Shift+R",),
         "Run the model over every document not pre-annotated yet (runs in the background)"),
    Spec("cancel_task", "&Cancel Running Task", ("Ctrl+.",),
         "Stop the background task after the current batch (finished work is kept)",
         icon="process-stop"),
    Spec("choose_model_folder", "Model from &Folder\u2026", (),
         "Use a trained spaCy pipeline saved in a folder"),
    # view
    Spec("show_rejected", "Show &Rejected Suggestions", ("Ctrl+Shift+H",),
         "Show rejected suggestions, struck through", checkable=True),
    Spec("snap", "&Snap Selection to Words", (),
         "Widen selections to whole words (hold Alt while dragging to turn off once)",
         checkable=True),
    Spec("refresh", "&Refresh", ("F5",),
         "Re-read the document list and the open document (changes from other windows or "
         "programs)", icon="view-refresh"),
    Spec("show_schema", "Label &Schema", ("F2",), "Show labels, attributes and relation roles"),
    Spec("focus_article", "Go to &Article", ("Ctrl+1",), "Move the keyboard focus to the article"),
    Spec("focus_corpus", "Go to &Documents", ("Ctrl+2",), "Move the keyboard focus to the list"),
    Spec("focus_details", "Go to D&etails", ("Ctrl+3",), "Move the keyboard focus to details"),
    Spec("find", "&Find Documents", ("Ctrl+F",), "Search titles and text of all documents",
         icon="edit-find"),
    # help
    Spec("shortcuts", "&Keyboard Shortcuts", ("F1",), "Every shortcut at a glance",
         icon="help-contents"),
    Spec("about", "&About News Annotator", (), "", icon="help-about"),
)


def _with_keys(text: str, keys: tuple[str, ...]) -> str:
    plain = text.replace("&", "").rstrip("\u2026")
    if not keys:
        return plain
    shown = QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{plain} ({shown})"


def make_action(parent: QObject, spec: Spec, palette: QPalette | None = None) -> QAction:
    action = QAction(spec.text, parent)
    action.setObjectName(spec.name)
    if spec.keys:
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
    if spec.view:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    tip = spec.tip or spec.text.replace("&", "")
    action.setToolTip(_with_keys(tip, spec.keys))
    action.setStatusTip(spec.tip)
    action.setCheckable(spec.checkable)
    if spec.icon and palette is not None:
        action.setIcon(themed_icon(spec.icon, palette))
    return action


class Actions:
    """All actions by name (attribute access), plus the label actions."""

    def __init__(self, window: QWidget, view: QWidget, schema: LabelSchema):
        self.window = window
        self.view = view
        self.by_name: dict[str, QAction] = {}
        for spec in SPECS:
            action = make_action(window, spec, window.palette())
            self.by_name[spec.name] = action
            (view if spec.view else window).addAction(action)
        self.labels: dict[str, QAction] = {}
        self.set_schema(schema)

    def refresh_icons(self, palette: QPalette) -> None:
        """Redraw the bundled icons in the new palette's colours (light <-> dark)."""
        for spec in SPECS:
            if spec.icon:
                self.by_name[spec.name].setIcon(themed_icon(spec.icon, palette))

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["by_name"][name]
        except KeyError:
            raise AttributeError(name) from None

    def set_schema(self, schema: LabelSchema) -> None:
        for action in self.labels.values():
            self.view.removeAction(action)
            action.deleteLater()
        self.labels = {}
        for lab in schema.labels:
            spec = Spec(f"label_{lab.name}", lab.name, (lab.key,) if lab.key else (),
                        f"Label the selection {lab.name} (or relabel the selected span)",
                        view=True)
            action = make_action(self.window, spec)
            action.setData(lab.name)
            self.view.addAction(action)
            self.labels[lab.name] = action

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what) for the help dialog."""
        rows = []
        for action in [*self.labels.values(), *self.by_name.values()]:
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                             for k in action.shortcuts())
            if keys:
                rows.append((keys, action.toolTip().rsplit(" (", 1)[0]))
        return rows
