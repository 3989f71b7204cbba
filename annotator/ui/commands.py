"""Every command of the window, declared once: text, keys, tip, icon, where it shows, what it
calls and when it is enabled.

One `Command` per command (napari's `_app_model/actions` style): ui/actions.py builds the
QActions, the menus, the toolbar, the F1 shortcut help and the enablement from this table, so
adding a command is adding one declaration here and the one slot it calls. A slot is a function
of the services (`Ctx`, ui/context.py); a checkable command's slot also gets the new state.
`enabled` is a predicate over `UiState`, a small frozen snapshot computed once per update
(`ui_state`); None = always enabled.

Menus are placed by (menu, group, order): groups sort by name and are separated by a line.
Submenus filled when they open (Open Recent, Label Selection, Choose Model) and actions owned by
widgets (the docks' toggles) are `Submenu`/`Provided` entries placed the same way. Commands with
`view=True` only fire while the article has the keyboard focus (single keys like Q, Tab, Enter,
Delete must not steal typing from the search field or an attribute field).

Qt-free: the builder lives in ui/actions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.analysis.table_specs import SPECS
from annotator.domain import ACCEPTED, DOC_IN_PROGRESS, SUGGESTED
from annotator.ui import checks, view_options

if TYPE_CHECKING:
    from annotator.schema import SpanLabel
    from annotator.ui.context import Ctx


@dataclass(frozen=True)
class UiState:
    """What enablement depends on; cheap to compute, never stored."""

    has_project: bool = False
    has_document: bool = False
    span_status: str | None = None  # status of the selected span; None = nothing selected
    link_mode: bool = False  # choosing the second span of a link
    can_undo: bool = False
    can_redo: bool = False
    user_task: bool = False  # a background task the user waits for is running

    @property
    def has_span(self) -> bool:
        return self.span_status is not None


def ui_state(c: Ctx) -> UiState:
    """The one place that looks at the services to decide what can be done."""
    store, span = c.session.store, c.session.selected_span()
    return UiState(
        has_project=store is not None,
        has_document=c.session.doc is not None,
        span_status=span.status if span is not None else None,
        link_mode=c.review.link_head is not None,
        can_undo=c.session.can_undo,
        can_redo=c.session.can_redo,
        user_task=bool(c.runner.user_tasks()),
    )


@dataclass(frozen=True)
class Place:
    where: str  # a top-level menu title ("&File"), or the toolbar ("Main")
    group: str  # sorted by name; a separator between groups
    order: int = 0


@dataclass(frozen=True)
class Command:
    name: str  # window.actions.<name>, the QAction's objectName
    text: str
    run: Callable[..., Any]  # run(ctx), or run(ctx, checked) if checkable
    keys: tuple[str, ...] = ()  # the first is shown in tooltips and menus
    tip: str = ""
    icon: str = ""  # freedesktop theme name, else resources/icons/actions/<icon>.svg
    menus: tuple[Place, ...] = ()
    toolbar: Place | None = None
    icon_text: str = ""  # the toolbar button's text, if not the menu text
    view: bool = False  # only while the article view has focus
    checkable: bool = False
    enabled: Callable[[UiState], bool] | None = None


@dataclass(frozen=True)
class Submenu:
    """A submenu rebuilt each time it opens: fill(ctx, menu)."""

    name: str
    title: str
    place: Place
    fill: Callable[[Ctx, Any], None]


@dataclass(frozen=True)
class Provided:
    """Actions other objects own (a dock's toggle), added to a menu once."""

    place: Place
    actions: Callable[[Ctx], list]


MENUS = ("&File", "&Edit", "&Annotate", "&Document", "&Model", "&View", "&Team", "&Help")
TOOLBAR = "Main"

# enablement predicates shared by several commands
def _project(s: UiState) -> bool:
    return s.has_project


def _document(s: UiState) -> bool:
    return s.has_document


def _span(s: UiState) -> bool:
    return s.has_span


F, E, A, D, M, V, T, H = MENUS


def _team(c: Ctx):
    """The Team menu's controller (ui/team/controller.py), made on first use."""
    from annotator.ui.team.controller import team

    return team(c)

def _show_table(name: str) -> Callable[[Ctx], Any]:
    """View > Speakers / Threats / Events (one command per table spec)."""
    return lambda c: c.window.corpus_view.show_table(name)


COMMANDS: tuple[Command, ...] = (
    # project
    Command("new_project", "&New Project\u2026", lambda c: c.files.new_project(), ("Ctrl+N",),
            "Create an empty project database", icon="document-new",
            menus=(Place(F, "1_project", 1),)),
    Command("open_project", "&Open Project\u2026", lambda c: c.files.choose_project(),
            ("Ctrl+O",), "Open a project database", icon="document-open",
            menus=(Place(F, "1_project", 2),), toolbar=Place(TOOLBAR, "1_files", 1),
            icon_text="Open"),
    Command("import_files", "&Import Files\u2026",
            lambda c: c.window.import_paths(c.files.choose_import()),
            ("Ctrl+I",),
            "Import articles (.txt .md .html .jsonl .csv); you can also drop files on the window",
            icon="document-import", menus=(Place(F, "2_transfer", 1),),
            toolbar=Place(TOOLBAR, "1_files", 2), icon_text="Import", enabled=_project),
    Command("import_folder", "Import &Folder\u2026",
            lambda c: c.window.import_paths(c.files.choose_import_folder()), ("Ctrl+Shift+I",),
            "Import every article file in a folder and its subfolders", icon="folder-open",
            menus=(Place(F, "2_transfer", 1),), enabled=_project),
    Command("export", "&Export\u2026", checks.export, ("Ctrl+E",),
            "Export labelled data in a chosen format", icon="document-export",
            menus=(Place(F, "2_transfer", 2),), toolbar=Place(TOOLBAR, "1_files", 3),
            enabled=_project),
    Command("restore_backup", "Restore &Backup\u2026", lambda c: c.backups.choose_and_restore(),
            (), "Replace the project with one of its automatic backups (the current state is "
            "backed up first)", icon="document-revert", menus=(Place(F, "3_backup", 1),),
            enabled=_project),
    Command("quit", "&Quit", lambda c: c.window.close(), ("Ctrl+Q",),
            "Close the window (everything is already saved)", icon="application-exit",
            menus=(Place(F, "9_quit", 1),)),
    # history
    Command("undo", "&Undo", lambda c: c.review.undo(), ("Ctrl+Z",), "Undo the last action",
            icon="edit-undo", menus=(Place(E, "1_history", 1),),
            toolbar=Place(TOOLBAR, "2_history", 1), enabled=lambda s: s.can_undo),
    Command("redo", "&Redo", lambda c: c.review.redo(), ("Ctrl+Shift+Z", "Ctrl+Y"),
            "Redo the action undone last", icon="edit-redo", menus=(Place(E, "1_history", 2),),
            toolbar=Place(TOOLBAR, "2_history", 2), enabled=lambda s: s.can_redo),
    # reviewing in the article
    Command("accept", "&Accept Suggestion", lambda c: c.review.accept_selected(),
            ("Return", "Enter"), "Accept the selected suggestion", view=True,
            icon="dialog-ok-apply", menus=(Place(A, "1_review", 1),),
            enabled=lambda s: s.has_span and s.span_status != ACCEPTED or s.link_mode),
    Command("reject", "&Reject / Delete", lambda c: c.review.reject_selected(),
            ("Delete", "Backspace"),
            "Reject the selected suggestion, or delete an accepted label", view=True,
            icon="edit-delete", menus=(Place(A, "1_review", 2),), enabled=_span),
    Command("accept_all", "Accept All of This &Label", lambda c: c.review.accept_all(),
            ("Ctrl+Shift+A",),
            "Accept every suggestion with the selected span's label in this document (one step)",
            menus=(Place(A, "1_review", 3),), enabled=_span),
    Command("accept_links", "Accept All L&inks of This Span", lambda c: c.review.accept_links(),
            ("Ctrl+Shift+L",),
            "Accept every suggested link of the selected span, and the spans they join (one "
            "step)", menus=(Place(A, "1_review", 4),), enabled=_span),
    Command("next_suggestion", "&Next Suggestion", lambda c: c.review.step(SUGGESTED, 1),
            ("Tab",), "Select the next suggestion", view=True, menus=(Place(A, "2_step", 1),)),
    Command("prev_suggestion", "&Previous Suggestion", lambda c: c.review.step(SUGGESTED, -1),
            ("Shift+Tab", "Shift+Backtab"), "Select the previous suggestion", view=True,
            menus=(Place(A, "2_step", 2),)),
    Command("next_span", "Next &Label (Any Status)", lambda c: c.review.step(None, 1),
            ("Alt+Right",), "Select the next span, accepted or suggested", view=True,
            menus=(Place(A, "2_step", 3),)),
    Command("prev_span", "Previous Label (Any Status)", lambda c: c.review.step(None, -1),
            ("Alt+Left",), "Select the previous span, accepted or suggested", view=True,
            menus=(Place(A, "2_step", 4),)),
    Command("link", "Lin&k to\u2026", lambda c: c.review.start_link(), ("L",),
            "Link the selected quote, threat or event to the span you click next "
            "(or pick with Tab and press Enter)", view=True, icon="insert-link",
            menus=(Place(A, "3_link", 1),), enabled=_span),
    Command("cancel", "Cancel Link / Clear Selection", lambda c: c.review.cancel(),
            ("Escape",), view=True, menus=(Place(A, "3_link", 2),)),
    # documents
    Command("mark_done", "Mark &Done and Next", checks.mark_done,
            ("Ctrl+Return", "Ctrl+Enter"),
            "Mark this document done and open the next unfinished one", icon="mark-done",
            menus=(Place(D, "1_status", 1),), toolbar=Place(TOOLBAR, "4_document", 1),
            icon_text="Done && Next", enabled=_document),
    Command("reopen", "Mark In &Progress", lambda c: c.session.set_status(DOC_IN_PROGRESS), (),
            "Set this document back to in progress", menus=(Place(D, "1_status", 2),),
            enabled=_document),
    Command("edit_document", "Edit Document &Details\u2026", lambda c: c.window.documents.edit(),
            (), "Correct the title, date and source of this document",
            icon="document-properties", menus=(Place(D, "3_edit", 1),), enabled=_document),
    Command("delete_document", "De&lete Document", lambda c: c.window.documents.delete(), (),
            "Delete this document and its labels (Delete in the document list; Undo brings "
            "it back)", icon="edit-delete", menus=(Place(D, "3_edit", 2),), enabled=_document),
    Command("next_document", "Next Document", lambda c: c.window.step_document(1),
            ("Ctrl+PgDown",), "Open the next document in the list",
            menus=(Place(D, "2_step", 1),), enabled=_document),
    Command("prev_document", "Previous Document", lambda c: c.window.step_document(-1),
            ("Ctrl+PgUp",), "Open the previous document in the list",
            menus=(Place(D, "2_step", 2),), enabled=_document),
    Command("resolve_dates", "Resolve &Dates in All Documents",
            lambda c: c.window.corpus_view.resolve_dates(), (),
            "Give every DATE label without one its calendar date (iso), counted from the "
            "document's dateline or published date", menus=(Place(D, "3_corpus", 1),),
            enabled=_project),
    Command("next_useful", "Next &Most Useful Document", lambda c: c.window.learning.next_useful(),
            ("Ctrl+Shift+U",), "Open the unfinished document whose labels would teach the model "
            "most (where it is unsure or disagrees with the rules), and say why",
            menus=(Place(D, "2_step", 3),), enabled=_project),
    # model
    Command("preannotate_doc", "Pre-annotate &This Document",
            lambda c: c.window.preannotate(current_only=True), ("Ctrl+R",),
            "Run the model over this document only and show its suggestions (all documents: "
            "Model > Pre-annotate All Documents, Ctrl+Shift+R)", icon="system-run",
            menus=(Place(M, "1_run", 1),), toolbar=Place(TOOLBAR, "3_model", 1),
            icon_text="Pre-annotate Document", enabled=_document),
    Command("preannotate_all", "Pre-annotate &All Documents",
            lambda c: c.window.preannotate(current_only=False), ("Ctrl+Shift+R",),
            "Run the model over every document not pre-annotated yet (runs in the background)",
            menus=(Place(M, "1_run", 2),), enabled=_project),
    Command("cancel_task", "&Cancel Running Task", lambda c: c.runner.cancel_user_tasks(),
            ("Ctrl+.",), "Stop the background task after the current batch (finished work is "
            "kept)", icon="process-stop", menus=(Place(M, "1_run", 3),),
            toolbar=Place(TOOLBAR, "3_model", 2), icon_text="Cancel",
            enabled=lambda s: s.user_task),
    Command("train_model", "&Train From My Labels\u2026", lambda c: c.window.learning.train(),
            (), "Train a model from your accepted labels (in the background), compare it with "
            "the default and use it", menus=(Place(M, "3_learn", 1),), enabled=_project),
    Command("choose_model_folder", "Model from &Folder\u2026", lambda c: c.models.choose_folder(),
            (), "Use a trained spaCy pipeline saved in a folder"),  # in the Choose Model submenu
    # view
    Command("show_rejected", "Show &Rejected Suggestions",
            lambda c, on: c.window.set_show_rejected(on), ("Ctrl+Shift+H",),
            "Show rejected suggestions, struck through", checkable=True,
            menus=(Place(A, "4_options", 2),)),
    Command("snap", "&Snap Selection to Words", lambda c, on: c.window.set_snap(on), (),
            "Widen selections to whole words (hold Alt while dragging to turn off once)",
            checkable=True, menus=(Place(A, "4_options", 1),)),
    Command("refresh", "&Refresh", lambda c: c.window.refresh(), ("F5",),
            "Re-read the document list and the open document (changes from other windows or "
            "programs)", icon="view-refresh", menus=(Place(V, "1_refresh", 1),),
            enabled=_project),
    # the corpus view (ui/corpus_view.py)
    *(Command(f"show_{spec.title.lower()}", spec.menu_text, _show_table(spec.name), (f"Ctrl+Shift+{n}",),
              spec.summary, menus=(Place(V, "5_corpus", n),), enabled=_project)
      for n, spec in enumerate(SPECS.values(), start=1)),
    Command("show_actors", "&Actors", lambda c: c.window.corpus_view.show_actors(),
            ("Ctrl+Shift+4",), "The corpus-wide actor registry: link, merge, split actors",
            menus=(Place(V, "5_corpus", 4),), enabled=_project),
    Command("show_overview", "Corpus &Overview", lambda c: c.window.corpus_view.show_overview(),
            ("Ctrl+Shift+O",), "Charts of the corpus; click a bar to see its rows",
            menus=(Place(V, "5_corpus", 5),), enabled=_project),
    # reading the article: text size, tags, layers (ui/view_options.py)
    Command("zoom_in", "Zoom &In", lambda c: view_options.zoom(c, 1), ("Ctrl++", "Ctrl+="),
            "Larger article text (remembered)", icon="zoom-in",
            menus=(Place(V, "5_text", 1),)),
    Command("zoom_out", "Zoom &Out", lambda c: view_options.zoom(c, -1), ("Ctrl+-",),
            "Smaller article text (remembered)", icon="zoom-out",
            menus=(Place(V, "5_text", 2),)),
    Command("zoom_reset", "&Actual Size", lambda c: view_options.zoom(c, 0), ("Ctrl+0",),
            "Article text at its default size", icon="zoom-original",
            menus=(Place(V, "5_text", 3),)),
    Command("show_tags", "Label &Tags", lambda c, on: view_options.set_tags(c, on),
            ("Ctrl+Shift+T",), "A small tag with the label's name over each span",
            checkable=True, menus=(Place(V, "5_text", 4),)),
    *(Command(f"layer_{group}", text, lambda c, on, g=group: view_options.set_layer(c, g, on),
              (f"Alt+{n}",), f"Show or hide the {view_options.layer_title(group).lower()} "
              "labels in the article", checkable=True, menus=(Place(V, "6_layers", n),))
      for n, (group, text) in enumerate(view_options.LAYER_COMMANDS, start=1)),
    Command("show_schema", "Label &Schema", lambda c: c.window.show_schema(), ("F2",),
            "Show labels, attributes and relation roles", menus=(Place(V, "4_schema", 1),)),
    Command("focus_article", "Go to &Article", lambda c: c.window.view.setFocus(), ("Ctrl+1",),
            "Move the keyboard focus to the article", menus=(Place(V, "3_focus", 1),)),
    Command("focus_corpus", "Go to &Documents", lambda c: c.window.corpus.table.setFocus(),
            ("Ctrl+2",), "Move the keyboard focus to the list", menus=(Place(V, "3_focus", 2),)),
    Command("focus_details", "Go to D&etails", lambda c: c.window.focus_details(), ("Ctrl+3",),
            "Move the keyboard focus to details", menus=(Place(V, "3_focus", 3),)),
    Command("find", "&Find Documents", lambda c: c.window.focus_search(), ("Ctrl+F",),
            "Search titles and text of all documents", icon="edit-find",
            menus=(Place(E, "2_find", 1),)),
    # help
    Command("shortcuts", "&Keyboard Shortcuts", lambda c: c.window.show_shortcuts(), ("F1",),
            "Every shortcut at a glance", icon="help-contents", menus=(Place(H, "1_help", 1),)),
    Command("about", "&About News Annotator", lambda c: c.window.show_about(), (),
            icon="help-about", menus=(Place(H, "1_help", 2),)),
    Command("open_demo", "Open &Demo Project", lambda c: c.window.open_demo(), (),
            "Open the sample articles with suggestions, as a separate project (your own "
            "project is left as it is)", icon="help-browser", menus=(Place(H, "2_demo", 1),)),
    # the annotator
    Command("annotator_name", "Annotator &Name\u2026", lambda c: c.files.ask_annotator_name(),
            menus=(Place(F, "4_name", 1),)),
    # team work (ui/team/)
    Command("team_assign", "&Assign to Annotators\u2026", lambda c: _team(c).assign(), (),
            "Write one pack per annotator: their share of the documents plus an overlap "
            "everyone gets", menus=(Place(T, "1_packs", 1),), enabled=_project),
    Command("team_merge", "&Merge Packs\u2026", lambda c: _team(c).merge(), (),
            "Bring annotators' packs back as their layers (merging again adds nothing)",
            menus=(Place(T, "1_packs", 2),), enabled=_project),
    Command("team_agreement", "A&greement", lambda c: _team(c).agreement(), ("Ctrl+Shift+G",),
            "Inter-annotator agreement per label, pair and document (runs in the background)",
            menus=(Place(T, "2_measure", 1),), enabled=_project),
    Command("team_curate", "&Curate This Document", lambda c: _team(c).curate_current(),
            ("Ctrl+Shift+J",), "Adjudicate the annotators' layers into the curated gold",
            menus=(Place(T, "2_measure", 2),), enabled=_document),
)

SUBMENUS: tuple[Submenu, ...] = (
    Submenu("recent", "Open &Recent", Place(F, "1_project", 3),
            lambda c, menu: c.files.fill_recent(menu)),
    Submenu("labels", "&Label Selection", Place(A, "1_review", 0),
            lambda c, menu: c.window.actions.fill_label_menu(menu)),
    Submenu("models", "&Choose Model", Place(M, "2_choose", 1),
            lambda c, menu: c.models.fill_menu(menu, c.window.actions.choose_model_folder)),
    Submenu("layers", "Show &Layer", Place(T, "3_layers", 1),
            lambda c, menu: _team(c).fill_layers(menu)),
)

PROVIDED: tuple[Provided, ...] = (
    Provided(Place(V, "2_docks", 1), lambda c: [c.window.corpus_dock.toggleViewAction(),
                                                c.window.details_dock.toggleViewAction()]),
)


def label_command(lab: SpanLabel) -> Command:
    """The label keys come from the schema: one generated command per label."""
    return Command(f"label_{lab.name}", lab.name,
                   lambda c, name=lab.name: c.review.apply_label(name),
                   (lab.key,) if lab.key else (),
                   f"Label the selection {lab.name} (or relabel the selected span)", view=True)


def plain(text: str) -> str:
    """Menu text without the mnemonic and the trailing ellipsis (tooltips, help)."""
    return text.replace("&", "").rstrip("\u2026")
