"""The main window: docks and status bar, wired to the session, the commands and the controllers.

Wiring only. The logic lives in: session.py (intents -> Store, what changed), review.py (label
keys, accept/reject, Tab order, link mode), commands.py (every command, declared once) and
actions.py (menus, toolbar, shortcuts built from it), tasks.py + jobs.py (background work),
models.py (which spaCy pipeline), projects.py (project files, recent, annotator name),
backups.py / recovery.py (rolling backups, a damaged project), article_view.py (text, spans),
corpus_model.py / corpus_panel.py (document list), details_panel.py, dialogs.py, documents.py
(delete, edit details, first step), positions.py (last place per project), learning.py (training,
the next most useful document), drops.py (files dropped on the window).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from annotator import __version__
from annotator.domain import ACCEPTED, DOC_DONE, REJECTED, SUGGESTED
from annotator.services.samples import is_demo
from annotator.settings import Settings
from annotator.store import StoreError
from annotator.ui import dialogs, drops, positions
from annotator.ui.actions import Actions
from annotator.ui.article_view import ArticleView
from annotator.ui.backups import Backups
from annotator.ui.commands import ui_state
from annotator.ui.context import Ctx
from annotator.ui.corpus_model import CorpusModel
from annotator.ui.corpus_panel import CorpusPanel
from annotator.ui.corpus_view import CorpusView
from annotator.ui.details_panel import DetailsPanel
from annotator.ui.documents import DocumentCommands
from annotator.ui.empty_state import EmptyState
from annotator.ui.feedback import Feedback
from annotator.ui.field_keys import WindowKeysInFields
from annotator.ui.icons import app_icon
from annotator.ui.jobs import (
    DEMO,
    EXPORT,
    IMPORT,
    PREANNOTATE,
    demo_job,
    export_job,
    import_job,
    preannotate_job,
)
from annotator.ui.learning import Learning
from annotator.ui.legend import Legend
from annotator.ui.link_banner import LinkBanner
from annotator.ui.models import ModelController
from annotator.ui.projects import ProjectFiles
from annotator.ui.recovery import Recovery, check_before_opening
from annotator.ui.review import Review
from annotator.ui.session import Change, Session
from annotator.ui.status import DocumentStatus
from annotator.ui.tasks import TaskRunner
from annotator.ui.view_options import install as install_view_options
from annotator.ui.workers import Worker, freeze_long_lived_objects


class MainWindow(QMainWindow):
    # A background task ended (name: "preannotate", "import", "export"; result or None), sent
    # from the UI thread after the window has shown the outcome.
    task_done = Signal(str, object)

    def __init__(self, db_path: str | Path | None = None, settings: QSettings | None = None,
                 annotator: str | None = None, data_dir: str | Path | None = None):
        """`data_dir`: the user's data folder, where the demo project is built (default: the
        platform's app data location)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else QSettings()
        self.prefs = Settings(self.settings)
        self._asked_name = False
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        from annotator.schema import load_schema

        schema = load_schema()
        self.view = ArticleView(schema)
        self.legend = Legend(schema, self.view.colours)
        self.details = DetailsPanel(schema)
        self.corpus_model = CorpusModel(parent=self)
        self.corpus = CorpusPanel(self.corpus_model)
        self.session = Session(self)
        self.feedback = Feedback(self)
        self.files = ProjectFiles(self.prefs, self.feedback, self.session, self.open_project,
                                  annotator, data_dir)
        self.runner = TaskRunner(self.feedback, lambda: (self.session.path, self.annotator), self)
        self.tasks = self.runner.tasks
        self.models = ModelController(self.runner, self.prefs, self.feedback, self)
        self.review = Review(self.session, self.view, self)
        self.backups = Backups(self.runner, self.prefs, self.feedback, self.session,
                               close_project=self.close_project,
                               reopen_project=self._reopen, parent=self)
        self.recovery = Recovery(self.feedback, self.runner, self.session,
                                 close=self.close_project,
                                 reopen=lambda path: self._reopen(path, None), parent=self)
        self.ctx = Ctx(window=self, session=self.session, review=self.review, runner=self.runner,
                       models=self.models, backups=self.backups, files=self.files,
                       feedback=self.feedback, prefs=self.prefs)
        self.runner.bind(self.ctx)
        self.learning = Learning(self.ctx, self)
        self.actions = Actions(self, self.view, schema, self.ctx)
        self.field_keys = WindowKeysInFields(self, list(self.actions.by_name.values()))
        self.corpus_view = CorpusView(self)  # tables, actors, overview (built when first shown)
        self._build_layout()
        self.actions.build_menus(self.menuBar())
        self.actions.build_toolbar(self)
        self.empty_state = EmptyState(self.view.viewport(), [
            self.actions.import_files, self.actions.import_folder, self.actions.open_demo])
        self.corpus.set_context_actions([self.actions.edit_document,
                                         self.actions.delete_document])
        self.documents = DocumentCommands(self)
        self.places = positions.Places(self.prefs, self.session, self.view, self.corpus_model,
                                       self.open_document)
        self._build_status_bar()
        self._connect()
        self._restore_settings()
        install_view_options(self.ctx)
        self.update_enabled()
        if db_path is not None:
            self.open_project(Path(db_path))
        self.models.discover()
        freeze_long_lived_objects()  # full collections in workers then stay short (no stall)

    @property
    def annotator(self) -> str:
        return self.files.annotator

    # --- construction -----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.view.setAccessibleName("Article")
        self.view.setAccessibleDescription("The article text with its labels; select words and "
                                           "press a label key")
        self.legend.setAccessibleName("Label legend")
        self.corpus.table.setAccessibleName("Documents")
        self.details.setAccessibleName("Details of the selected span")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.notice = self.models.notice
        self.link_banner = LinkBanner(self.view)
        self.storage_banner = self.recovery.banner
        for widget in (self.storage_banner, self.notice, self.learning.why, self.legend):
            layout.addWidget(widget)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.corpus_dock = self._dock("Documents", "corpusDock", self.corpus,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.details_dock = self._dock("Details", "detailsDock", self.details,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.corpus_dock, self.details_dock], [440, 320],
                         Qt.Orientation.Horizontal)
        self.resize(1280, 800)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        self.doc_status = DocumentStatus(self.session, self.corpus_model)
        self.position_label = self.doc_status.position_label
        self.counts_label = self.doc_status.counts_label
        self.model_label = self.models.label
        self.progress = self.runner.progress
        self.cancel_button = self.runner.cancel_button
        self.cancel_button.setDefaultAction(self.actions.cancel_task)
        for w in (self.position_label, self.counts_label, self.progress, self.cancel_button,
                  self.model_label):
            self.statusBar().addPermanentWidget(w)

    def _connect(self) -> None:
        s, r, d = self.session, self.review, self.details
        s.document_loaded.connect(self._document_loaded)
        s.changed.connect(self._changed)
        s.selection_changed.connect(self._selection_changed)
        s.error.connect(self.show_message)
        s.storage_failed.connect(self.recovery.storage_failed)
        self.recovery.passed.connect(self.backups.project_opened)
        s.waiting.notice.connect(lambda text: self.show_message(text, 15000))
        r.message.connect(self.show_message)
        r.state_changed.connect(self.update_enabled)
        r.link_prompt.connect(self.link_banner.show_prompt)
        self.runner.busy_changed.connect(self.update_enabled)
        self.runner.task_done.connect(self.task_done)
        self.view.span_clicked.connect(r.span_clicked)
        self.corpus.document_chosen.connect(self.open_document)
        self.corpus.delete_requested.connect(lambda doc_id: self.documents.delete(doc_id))
        self.legend.label_clicked.connect(r.apply_label)
        d.relabel_requested.connect(lambda sid, label: s.relabel(sid, label))
        d.attribute_changed.connect(lambda sid, n, v: s.set_attribute(sid, n, v))
        d.accept_requested.connect(lambda sid: s.accept(sid))
        d.reject_requested.connect(lambda sid: r.reject_selected())
        d.link_requested.connect(lambda sid: r.start_link())
        d.jump_requested.connect(r.jump_to)
        d.unlink_requested.connect(lambda rid: s.unlink(rid))
        d.accept_relation_requested.connect(lambda rid: s.accept_relation(rid))
        d.accept_links_requested.connect(lambda sid: r.accept_links())

    def _restore_settings(self) -> None:
        for key, restore in (("window/geometry", self.restoreGeometry),
                             ("window/state", self.restoreState)):
            value = self.prefs.get(key)
            if value is not None:
                restore(value)
        self.actions.snap.setChecked(self.prefs.get("view/snap"))
        self.actions.show_rejected.setChecked(self.prefs.get("view/show_rejected"))
        self.view.snap = self.actions.snap.isChecked()
        self.view.set_show_rejected(self.actions.show_rejected.isChecked())
        self.models.update_label()

    # --- project ----------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.annotator and not self._asked_name:
            self._asked_name = True
            QTimer.singleShot(0, self.files.ensure_annotator)  # over the window, not before it
        self.places.shown()

    def open_project(self, path: Path, create: bool = True) -> bool:
        self.places.remember()
        checked = check_before_opening(path)
        try:
            store = self.session.open(path, annotator=self.annotator, create=create,
                                      timeout=self.prefs.get("database/busy_timeout_seconds"),
                                      check=checked)
        except StoreError as exc:
            if not self.recovery.offer_if_damaged(exc, path):
                self.feedback.error("Cannot open project", str(exc))
            return False
        try:
            self._show_project(store, path)
        except sqlite3.DatabaseError as exc:  # damage met while reading the first things
            self.recovery.damage_met(exc)  # raised again unless it is damage
            return False
        if checked:
            self.backups.project_opened()
        else:  # a big project: no rolling backup of it before it passes (keep only good ones)
            self.recovery.check_in_background(path)
        return True

    def _show_project(self, store, path: Path) -> None:
        self.storage_banner.hide()
        schema = store.schema
        self.view.set_schema(schema)
        self.legend.set_colours(self.view.colours, schema)
        self.details.set_schema(schema)
        self.corpus.set_schema(schema)
        self.actions.set_schema(schema)
        self.corpus_model.set_store(store)
        self.corpus_view.set_store(store)
        self._clear_views()
        name = "Demo project" if is_demo(store) else path.name
        self.setWindowTitle(f"{name} \u2014 News Annotator")
        self.files.add_recent(path)
        self.places.open_first()
        self.documents.update_empty_state()
        self.update_enabled()
        self._update_status()

    def close_project(self) -> None:
        """Close the Store and empty the views (before a restore replaces the file)."""
        self.places.remember()
        self.backups.stop()
        self.review.cancel_link()
        self.session.close()
        self.corpus_model.set_store(None)
        self.corpus_view.set_store(None)
        self._clear_views()
        self.setWindowTitle("News Annotator")
        self.documents.update_empty_state()
        self.update_enabled()
        self._update_status()

    def _reopen(self, path: Path, doc_id: int | None) -> bool:
        opened = self.open_project(path, create=False)
        if opened and doc_id is not None:
            self.open_document(doc_id)
        return opened

    def _clear_views(self) -> None:
        self.view.clear_document()
        self.details.show_span(None)

    def refresh(self) -> None:
        """View > Refresh: re-read the document list and the open document from the database
        (labels made in another window or program since)."""
        if self.session.store is None:
            return
        try:  # reading a connection whose log another program deleted would show stale labels
            self.session.store.check_same_log()
        except StoreError as exc:
            self.feedback.error("Project changed behind the window", str(exc))
            return
        self.review.cancel_link()
        self.session.refresh()
        if self.session.doc is None:
            self._clear_views()
        self.reload_corpus()
        self.update_enabled()

    def reload_corpus(self) -> None:
        current = self.session.doc.id if self.session.doc else None
        self.corpus_model.reload()
        if current is not None:
            self.corpus.select_document(current, emit=False)
        self.documents.update_empty_state()
        self._update_status()

    # --- documents --------------------------------------------------------------------------------

    @Slot(int)
    def open_document(self, doc_id: int) -> None:
        self.review.cancel_link()
        if self.session.doc is not None and self.session.doc.id == doc_id:
            return
        self.places.remember()
        try:
            self.session.load(doc_id)
        except KeyError:
            return
        except sqlite3.DatabaseError as exc:  # damage met reading it: the way out, no traceback
            self.recovery.damage_met(exc)

    def _document_loaded(self, doc) -> None:
        self.view.set_document(doc.text, list(self.session.spans.values()))
        counts = self.session.counts()  # the label memory may have added suggestions
        self.corpus_model.update_document(doc.id, doc.status, counts[ACCEPTED], counts[SUGGESTED])
        self.corpus.select_document(doc.id, emit=False)
        self._update_status()
        self.update_enabled()

    def step_document(self, step: int) -> None:
        doc_id = self.corpus.neighbour(step)
        if doc_id is not None:
            self.corpus.select_document(doc_id)

    def mark_done_and_next(self) -> None:
        if self.session.doc is None:
            return
        self.session.set_status(DOC_DONE)
        nxt = self.session.next_unfinished()
        if nxt is None:
            self.show_message("All documents are done.")
            return
        self.open_document(nxt)

    def undo(self) -> None:
        self.review.undo()

    def redo(self) -> None:
        self.review.redo()

    # --- reacting to changes ----------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        """O(changed): re-paint the changed spans, refresh the selection's panels only if the
        change touches it, and the corpus row from the session's running counts."""
        if change.removed_documents or change.documents:
            self.documents.changed(change)
            if change.removed_documents:
                return
        if change.kind == "reload":
            self.view.reset_spans(list(self.session.spans.values()))
        elif change.spans or change.removed_spans:
            self.view.update_spans(change.spans, change.removed_spans)
        if self.session.affects_selection(change):
            self._show_selection(self.session.selected, scroll=False)
        doc = self.session.doc
        if doc is not None:
            counts = self.session.counts()
            self.corpus_model.update_document(doc.id, doc.status, counts[ACCEPTED],
                                              counts[SUGGESTED])
        self._update_status()
        self.update_enabled()

    def _selection_changed(self, span_id, scroll: bool = True) -> None:
        self._show_selection(span_id, scroll)
        self.update_enabled()

    def _show_selection(self, span_id, scroll: bool) -> None:
        span = self.session.spans.get(span_id) if span_id is not None else None
        relations = self.session.relations_of(span.id) if span else []
        related = {other.id: rel.role for rel, other, _out in relations
                   if rel.status != REJECTED}
        self.view.show_selected(span.id if span else None, related, scroll=scroll)
        self.details.show_span(span, self.session.doc.text if self.session.doc else "", relations)

    def update_enabled(self) -> None:
        self.actions.apply(ui_state(self.ctx))

    def _update_status(self) -> None:
        self.doc_status.update()

    def show_message(self, text: str, timeout: int = 6000) -> None:
        self.feedback.message(text, timeout)

    # --- view options and small dialogs -----------------------------------------------------------

    def set_show_rejected(self, on: bool) -> None:
        self.prefs.set("view/show_rejected", on)
        self.view.set_show_rejected(on)
        self._selection_changed(self.session.selected, scroll=False)

    def set_snap(self, on: bool) -> None:
        self.prefs.set("view/snap", on)
        self.view.snap = on

    def focus_details(self) -> None:
        self.details_dock.show()
        self.details.label_box.setFocus()

    def focus_search(self) -> None:
        self.corpus_dock.show()
        self.corpus.search.setFocus()
        self.corpus.search.selectAll()

    def show_schema(self) -> None:
        if self.session.store is not None:
            dialogs.show_html(self, "Label schema", dialogs.schema_html(self.session.schema))

    def show_shortcuts(self) -> None:
        dialogs.show_html(self, "Keyboard shortcuts",
                          dialogs.shortcuts_html(self.actions.shortcut_rows()), (560, 640))

    def show_about(self) -> None:
        QMessageBox.about(self, "About News Annotator",
                          dialogs.about_text(__version__, str(self.session.path or "-"),
                                             self.models.text()))

    # --- background jobs --------------------------------------------------------------------------

    def preannotate(self, current_only: bool = True) -> Worker | None:
        ids = [self.session.doc.id] if current_only and self.session.doc else None
        fn = preannotate_job(ids, self.models.name() or None, force=current_only)
        return self.runner.start(PREANNOTATE, fn,
                                 what="this document" if current_only else "all documents")

    def import_paths(self, paths: list[str]) -> Worker | None:
        if not paths:
            return None
        return self.runner.start(IMPORT, import_job([str(p) for p in paths]), count=len(paths))

    def open_demo(self) -> Worker | None:
        """Help > Open Demo Project: the sample articles with suggestions, in their own
        project in the user's data folder (built again if missing). Never the user's project."""
        path = self.files.demo_path()
        if path.exists() and self.open_project(path, create=False):
            return None
        return self.runner.start(DEMO, demo_job(path, self.models.name() or None))

    def export(self, fmt: str, out: str, include_suggestions: bool = False,
               doc_status: str = "", include_links: bool = False) -> Worker | None:
        job = export_job(fmt, out, include_suggestions, doc_status, include_links=include_links)
        which = f"{doc_status.replace('_', ' ')} " if doc_status else ""
        return self.runner.start(EXPORT, job, fmt=fmt, out=out, which=which)

    # --- drag and drop, palette, closing ----------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        drops.accept_files(event)

    def dropEvent(self, event) -> None:
        paths, refusal = drops.dropped(event, self.session.path)
        if refusal:
            self.feedback.error("Not imported", refusal)
        if paths:
            self.import_paths(paths)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the system switched light <-> dark
            self.actions.refresh_icons(self.palette())
            self.view.refresh_colours()
            self.legend.set_colours(self.view.colours)
        super().changeEvent(event)

    def closeEvent(self, event) -> None:
        self.places.remember()
        self.prefs.set("window/geometry", self.saveGeometry())
        self.prefs.set("window/state", self.saveState())
        self.prefs.sync()
        self.backups.stop()
        self.runner.stop_all()
        self.corpus_view.close()
        self.session.close()
        super().closeEvent(event)
