"""The main window: menus, toolbar, docks and status bar, wired to the session and the workers.

Wiring only. The logic lives in: session.py (intents -> Store, what changed), review.py (label
keys, accept/reject, Tab order, link mode), article_view.py (text, selection <-> offsets,
frames), highlighter.py (span painting), corpus_model.py /
corpus_panel.py (document list), details_panel.py (attributes, relations), actions.py
(commands and shortcuts), workers.py (pre-annotation, import, export, model loading off the UI
thread), backups.py (rolling backups, restoring one) and dialogs.py.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QActionGroup, QIcon
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.domain import ACCEPTED, DOC_DONE, DOC_IN_PROGRESS, REJECTED, SUGGESTED
from annotator.resources import resources_dir
from annotator.store import StoreError
from annotator.ui import dialogs
from annotator.ui.actions import Actions
from annotator.ui.article_view import ArticleView
from annotator.ui.backups import Backups
from annotator.ui.corpus_model import CorpusModel
from annotator.ui.corpus_panel import CorpusPanel
from annotator.ui.details_panel import DetailsPanel
from annotator.ui.legend import Legend
from annotator.ui.review import Review
from annotator.ui.session import Change, Session
from annotator.ui.workers import (
    Tasks,
    Worker,
    discover_models_job,
    export_job,
    import_job,
    load_model_job,
    preannotate_job,
)

RECENT_MAX = 8
BLANK_MODEL = "blank:en"
BUSY_TIMEOUT_SECONDS = 5.0  # how long to wait for another program's write lock


def app_icon() -> QIcon:
    """The app icon: PNGs in several sizes (crisp at any DPI) plus the SVG where supported."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for path in sorted(folder.glob("app-*.png")):
        icon.addFile(str(path))
    if (folder / "app.svg").exists():
        icon.addFile(str(folder / "app.svg"))
    return icon


class MainWindow(QMainWindow):
    # A background task ended (name: "preannotate", "import", "export"; result or None), sent
    # from the UI thread after the window has shown the outcome.
    task_done = Signal(str, object)

    def __init__(self, db_path: str | Path | None = None, settings: QSettings | None = None,
                 annotator: str | None = None, with_sample: bool = False):
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else QSettings()
        self.annotator = (annotator or str(self.settings.value("annotator/name", "") or "")
                          or os.environ.get("ANNOTATOR_NAME", ""))
        self.with_sample = with_sample
        self.session = Session(self)
        self.tasks = Tasks(self)
        self.models: list[tuple[str, str]] = []
        self.model_origin = ""
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
        self.actions = Actions(self, self.view, schema)
        self.review = Review(self.session, self.view, self)
        self.backups = Backups(self)
        self._build_layout()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._restore_settings()
        self._update_enabled()
        if db_path is not None:
            self.open_project(Path(db_path))
        self._discover_models()

    # --- construction -------------------------------------------------------------------------------

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
        self.notice = QLabel()  # calm, inline notices (e.g. no model installed); hidden if none
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setStyleSheet("QLabel#notice { padding: 6px 10px; "
                                  "background: palette(tool-tip-base); color: palette(tool-tip-text); }")
        self.notice.hide()
        layout.addWidget(self.notice)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.corpus_dock = QDockWidget("Documents", self)
        self.corpus_dock.setObjectName("corpusDock")
        self.corpus_dock.setWidget(self.corpus)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.corpus_dock)
        self.details_dock = QDockWidget("Details", self)
        self.details_dock.setObjectName("detailsDock")
        self.details_dock.setWidget(self.details)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)
        self.resizeDocks([self.corpus_dock, self.details_dock], [380, 320],
                         Qt.Orientation.Horizontal)
        self.resize(1280, 800)

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addActions([a.new_project, a.open_project])
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        m.addActions([a.import_files, a.export])
        m.addSeparator()
        m.addAction(a.restore_backup)
        m.addSeparator()
        self.name_action = m.addAction("Annotator &Name\u2026", self.ask_annotator_name)
        m.addSeparator()
        m.addAction(a.quit)

        m = bar.addMenu("&Edit")
        m.addActions([a.undo, a.redo])
        m.addSeparator()
        m.addAction(a.find)

        m = bar.addMenu("&Annotate")
        self.label_menu = m.addMenu("&Label Selection")
        self.label_menu.aboutToShow.connect(self._fill_label_menu)
        m.addActions([a.accept, a.reject, a.accept_all])
        m.addSeparator()
        m.addActions([a.next_suggestion, a.prev_suggestion, a.next_span, a.prev_span])
        m.addSeparator()
        m.addActions([a.link, a.cancel])
        m.addSeparator()
        m.addActions([a.snap, a.show_rejected])

        m = bar.addMenu("&Document")
        m.addActions([a.mark_done, a.reopen])
        m.addSeparator()
        m.addActions([a.next_document, a.prev_document])

        m = bar.addMenu("&Model")
        m.addActions([a.preannotate_doc, a.preannotate_all, a.cancel_task])
        m.addSeparator()
        self.model_menu = m.addMenu("&Choose Model")
        self.model_menu.aboutToShow.connect(self._fill_model_menu)

        m = bar.addMenu("&View")
        m.addAction(a.refresh)
        m.addSeparator()
        m.addActions([self.corpus_dock.toggleViewAction(), self.details_dock.toggleViewAction()])
        m.addSeparator()
        m.addActions([a.focus_article, a.focus_corpus, a.focus_details])
        m.addSeparator()
        m.addAction(a.show_schema)

        m = bar.addMenu("&Help")
        m.addActions([a.shortcuts, a.about])

        a.preannotate_doc.setIconText("Pre-annotate")
        a.cancel_task.setIconText("Cancel")
        a.mark_done.setIconText("Done && Next")
        a.open_project.setIconText("Open")
        a.import_files.setIconText("Import")
        tb = self.addToolBar("Main")
        tb.setObjectName("mainToolBar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addActions([a.open_project, a.import_files, a.export])
        tb.addSeparator()
        tb.addActions([a.undo, a.redo])
        tb.addSeparator()
        tb.addActions([a.preannotate_doc, a.cancel_task])
        tb.addSeparator()
        tb.addAction(a.mark_done)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.position_label = QLabel()
        self.position_label.setObjectName("positionLabel")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.model_label = QLabel()
        self.model_label.setObjectName("modelLabel")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("%v / %m")
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setDefaultAction(self.actions.cancel_task)
        self.cancel_button.hide()
        for w in (self.position_label, self.counts_label, self.progress, self.cancel_button,
                  self.model_label):
            sb.addPermanentWidget(w)

    def _connect(self) -> None:
        a = self.actions
        s = self.session
        s.document_loaded.connect(self._document_loaded)
        s.changed.connect(self._changed)
        s.selection_changed.connect(self._selection_changed)
        s.error.connect(self.show_message)
        r = self.review
        r.message.connect(self.show_message)
        r.state_changed.connect(self._update_enabled)
        self.view.span_clicked.connect(r.span_clicked)
        self.corpus.document_chosen.connect(self.open_document)
        self.legend.label_clicked.connect(r.apply_label)
        d = self.details
        d.relabel_requested.connect(lambda sid, label: self.session.relabel(sid, label))
        d.attribute_changed.connect(lambda sid, n, v: self.session.set_attribute(sid, n, v))
        d.accept_requested.connect(lambda sid: self.session.accept(sid))
        d.reject_requested.connect(lambda sid: r.reject_selected())
        d.link_requested.connect(lambda sid: r.start_link())
        d.jump_requested.connect(r.jump_to)
        d.unlink_requested.connect(lambda rid: self.session.unlink(rid))
        d.accept_relation_requested.connect(lambda rid: self.session.accept_relation(rid))
        self._connect_labels()
        handlers = {
            "new_project": self.new_project, "open_project": self.choose_project,
            "import_files": self.choose_import, "export": self.choose_export,
            "restore_backup": self.backups.choose_and_restore, "refresh": self.refresh,
            "quit": self.close, "undo": self.undo, "redo": self.redo,
            "accept": r.accept_selected, "reject": r.reject_selected,
            "accept_all": r.accept_all, "next_suggestion": lambda: r.step(SUGGESTED, 1),
            "prev_suggestion": lambda: r.step(SUGGESTED, -1),
            "next_span": lambda: r.step(None, 1), "prev_span": lambda: r.step(None, -1),
            "link": r.start_link, "cancel": r.cancel,
            "mark_done": self.mark_done_and_next,
            "reopen": lambda: self.session.set_status(DOC_IN_PROGRESS),
            "next_document": lambda: self.step_document(1),
            "prev_document": lambda: self.step_document(-1),
            "preannotate_doc": lambda: self.preannotate(current_only=True),
            "preannotate_all": lambda: self.preannotate(current_only=False),
            "cancel_task": self.cancel_tasks, "choose_model_folder": self.choose_model_folder,
            "show_schema": self.show_schema, "focus_article": self.view.setFocus,
            "focus_corpus": self.corpus.table.setFocus, "focus_details": self.focus_details,
            "find": self.focus_search, "shortcuts": self.show_shortcuts, "about": self.show_about,
        }
        for name, fn in handlers.items():
            a.by_name[name].triggered.connect(lambda _c=False, fn=fn: fn())
        a.show_rejected.toggled.connect(self._show_rejected)
        a.snap.toggled.connect(self._snap)

    def _connect_labels(self) -> None:
        for action in self.actions.labels.values():
            action.triggered.connect(
                lambda _c=False, act=action: self.review.apply_label(act.data()))

    def _restore_settings(self) -> None:
        st = self.settings
        geometry = st.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = st.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.actions.snap.setChecked(_bool(st.value("view/snap", True)))
        self.actions.show_rejected.setChecked(_bool(st.value("view/show_rejected", False)))
        self.view.snap = self.actions.snap.isChecked()
        self.view.set_show_rejected(self.actions.show_rejected.isChecked())
        self._update_model_label()

    # --- project --------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.annotator and not self._asked_name:
            self._asked_name = True
            QTimer.singleShot(0, self.ensure_annotator)  # over the window, not before it

    def ensure_annotator(self) -> str:
        """The annotator's name: from the constructor, the settings, ANNOTATOR_NAME, or asked
        once (then kept in the settings)."""
        if not self.annotator:
            self.ask_annotator_name()
        if not self.annotator:
            self.annotator = getpass.getuser() or "annotator"
            self.settings.setValue("annotator/name", self.annotator)
        if self.session.store is not None:
            self.session.store.annotator = self.annotator
        self._update_status()
        return self.annotator

    def ask_annotator_name(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Your name", "Your name or initials, recorded with every label you make:",
            text=self.annotator or getpass.getuser())
        if ok and name.strip():
            self.annotator = name.strip()
            self.settings.setValue("annotator/name", self.annotator)
            if self.session.store is not None:
                self.session.store.annotator = self.annotator
            self._update_status()

    def open_project(self, path: Path, create: bool = True) -> bool:
        try:
            store = self.session.open(path, annotator=self.annotator, create=create,
                                      timeout=self.busy_timeout())
        except StoreError as exc:
            self.show_error("Cannot open project", str(exc))
            return False
        fresh_sample = False
        if self.with_sample and not store.document_count():
            from annotator.app import ensure_sample

            ensure_sample(store)
            fresh_sample = bool(store.document_count())
        schema = store.schema
        self.view.set_schema(schema)
        self.legend.set_colours(self.view.colours, schema)
        self.details.set_schema(schema)
        self.corpus.set_schema(schema)
        self.actions.set_schema(schema)
        self._connect_labels()
        self.corpus_model.set_store(store)
        self.view.clear_document()
        self.details.show_span(None)
        self.setWindowTitle(f"{path.name} \u2014 News Annotator")
        self._add_recent(path)
        first = self.session.next_unfinished() or self.corpus_model.doc_id(0)
        if first is not None:
            self.open_document(first)
        self._update_enabled()
        self._update_status()
        self.backups.project_opened()
        if fresh_sample:  # first start: show the sample articles with suggestions
            QTimer.singleShot(0, lambda: self.preannotate(current_only=False))
        return True

    def close_project(self) -> None:
        """Close the Store and empty the views (before a restore replaces the file)."""
        self.backups.stop()
        self.review.cancel_link()
        self.session.close()
        self.corpus_model.set_store(None)
        self.view.clear_document()
        self.details.show_span(None)
        self.setWindowTitle("News Annotator")
        self._update_enabled()
        self._update_status()

    def busy_timeout(self) -> float:
        """Seconds to wait for another program's write lock (`database/busy_timeout_seconds`)."""
        try:
            return max(0.0, float(self.settings.value("database/busy_timeout_seconds",
                                                      BUSY_TIMEOUT_SECONDS)))
        except (TypeError, ValueError):
            return BUSY_TIMEOUT_SECONDS

    def refresh(self) -> None:
        """View > Refresh: re-read the document list and the open document from the database
        (labels made in another window or program since)."""
        if self.session.store is None:
            return
        self.review.cancel_link()
        self.session.refresh()
        if self.session.doc is None:
            self.view.clear_document()
            self.details.show_span(None)
        self._reload_corpus()
        self._update_enabled()

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", self._project_dir(),
                                              "News Annotator project (*.db)")
        if path:
            path = Path(path).with_suffix(".db") if not Path(path).suffix else Path(path)
            if path.exists():
                path.unlink()  # the dialog asked to overwrite
            self.open_project(path)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._project_dir(),
                                              "News Annotator project (*.db);;All files (*)")
        if path:
            self.open_project(Path(path), create=False)

    def _project_dir(self) -> str:
        return str(self.session.path.parent) if self.session.path else str(Path.home())

    def _recent(self) -> list[str]:
        value = self.settings.value("recent/projects", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _add_recent(self, path: Path) -> None:
        recent = [str(path.resolve())] + [p for p in self._recent() if p != str(path.resolve())]
        self.settings.setValue("recent/projects", recent[:RECENT_MAX])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for i, p in enumerate(self._recent(), start=1):
            act = self.recent_menu.addAction(f"&{i} {Path(p).name}  \u2014  {Path(p).parent}")
            act.setEnabled(Path(p).exists())
            act.triggered.connect(lambda _c=False, p=p: self.open_project(Path(p), create=False))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # --- documents --------------------------------------------------------------------------------

    @Slot(int)
    def open_document(self, doc_id: int) -> None:
        self.review.cancel_link()
        if self.session.doc is not None and self.session.doc.id == doc_id:
            return
        try:
            self.session.load(doc_id)
        except KeyError:
            return

    def _document_loaded(self, doc) -> None:
        self.view.set_document(doc.text, list(self.session.spans.values()))
        self.corpus.select_document(doc.id, emit=False)
        self._update_status()
        self._update_enabled()

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

    # --- history --------------------------------------------------------------------------------------

    def undo(self) -> None:
        self.review.cancel_link()
        action = self.session.undo()
        self.show_message(f"Undone: {action.kind.replace('_', ' ')}." if action
                          else "Nothing to undo.", 3000)

    def redo(self) -> None:
        self.review.cancel_link()
        action = self.session.redo()
        self.show_message(f"Redone: {action.kind.replace('_', ' ')}." if action
                          else "Nothing to redo.", 3000)

    # --- reacting to changes -------------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        if change.kind == "reload":
            self.view.reset_spans(list(self.session.spans.values()))
        elif change.spans or change.removed:
            self.view.update_spans(change.spans, change.removed)
        self._selection_changed(self.session.selected, scroll=False)
        doc = self.session.doc
        if doc is not None:
            counts = self.session.counts()
            self.corpus_model.update_document(doc.id, doc.status, counts[ACCEPTED],
                                              counts[SUGGESTED])
        self._update_status()
        self._update_enabled()

    def _selection_changed(self, span_id, scroll: bool = True) -> None:
        span = self.session.spans.get(span_id) if span_id is not None else None
        relations = self.session.relations_of(span.id) if span else []
        related = {other.id: rel.role for rel, other, _out in relations
                   if rel.status != REJECTED}
        self.view.show_selected(span.id if span else None, related, scroll=scroll)
        self.details.show_span(span, self.session.doc.text if self.session.doc else "", relations)
        self._update_enabled()

    def _update_enabled(self) -> None:
        store, doc = self.session.store, self.session.doc
        span = self.session.selected_span()
        a = self.actions
        a.undo.setEnabled(bool(store and store.can_undo()))
        a.redo.setEnabled(bool(store and store.can_redo()))
        for name in ("import_files", "export", "preannotate_all", "restore_backup", "refresh"):
            a.by_name[name].setEnabled(store is not None)
        for name in ("mark_done", "reopen", "preannotate_doc", "next_document", "prev_document"):
            a.by_name[name].setEnabled(doc is not None)
        a.accept.setEnabled(span is not None and span.status != ACCEPTED
                            or self.review.link_head is not None)
        a.reject.setEnabled(span is not None)
        a.accept_all.setEnabled(span is not None)
        a.link.setEnabled(span is not None)
        a.cancel_task.setEnabled(bool(self._user_tasks()))

    def _user_tasks(self) -> list[Worker]:
        """Running tasks the user started (not model discovery or warm-up)."""
        return [w for w in self.tasks.running()
                if w.name not in ("discover", "load_model", "backup")]

    def _update_status(self) -> None:
        doc = self.session.doc
        if doc is None:
            self.position_label.setText("No document")
            self.counts_label.setText("")
            return
        row = self.corpus_model.row_of(doc.id, fetch=False)
        total = self.corpus_model.total()
        where = f"Document {row + 1:,} of {total:,}" if row is not None else f"Document #{doc.id}"
        status = {DOC_DONE: "done", DOC_IN_PROGRESS: "in progress"}.get(doc.status, "new")
        self.position_label.setText(f"{where} \u00b7 {status}")
        c = self.session.counts()
        self.counts_label.setText(f"{c[ACCEPTED]} accepted \u00b7 {c[SUGGESTED]} to review"
                                  + (f" \u00b7 {c[REJECTED]} rejected" if c[REJECTED] else ""))

    def show_message(self, text: str, timeout: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout)

    def show_error(self, title: str, text: str) -> None:
        """In the status bar and in a window-modal box that does not block the caller."""
        self.show_message(f"{title}: {text}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("errorBox")
        box.open()

    # --- view options ----------------------------------------------------------------------------------

    def _show_rejected(self, on: bool) -> None:
        self.settings.setValue("view/show_rejected", on)
        self.view.set_show_rejected(on)
        self._selection_changed(self.session.selected, scroll=False)

    def _snap(self, on: bool) -> None:
        self.settings.setValue("view/snap", on)
        self.view.snap = on

    def focus_details(self) -> None:
        self.details_dock.show()
        self.details.label_box.setFocus()

    def focus_search(self) -> None:
        self.corpus_dock.show()
        self.corpus.search.setFocus()
        self.corpus.search.selectAll()

    def _fill_label_menu(self) -> None:
        self.label_menu.clear()
        self.label_menu.addActions(list(self.actions.labels.values()))

    def show_schema(self) -> None:
        if self.session.store is not None:
            dialogs.show_html(self, "Label schema", dialogs.schema_html(self.session.schema))

    def show_shortcuts(self) -> None:
        dialogs.show_html(self, "Keyboard shortcuts",
                          dialogs.shortcuts_html(self.actions.shortcut_rows()), (560, 640))

    def show_about(self) -> None:
        QMessageBox.about(self, "About News Annotator",
                          dialogs.about_text(__version__, str(self.session.path or "-"),
                                             self._model_text()))

    # --- models ------------------------------------------------------------------------------------------

    def model_name(self) -> str:
        return str(self.settings.value("model/name", "") or "")

    def _model_text(self) -> str:
        name = self.model_name()
        if not name:
            name = f"default ({self.models[0][1]})" if self.models else "default"
        if name == BLANK_MODEL:
            name = "rules only"
        return f"{name} → {self.model_origin}" if self.model_origin else name

    def _update_model_label(self) -> None:
        self.model_label.setText(f"Model: {self._model_text()}")
        self.model_label.setToolTip("The spaCy pipeline used for suggestions (Model menu)")

    def _discover_models(self) -> None:
        worker = Worker(discover_models_job(), name="discover")
        worker.finished.connect(self._models_found)
        worker.failed.connect(self._models_found)
        self.tasks.start(worker)

    @Slot(object)
    def _models_found(self, result) -> None:
        self.models = result if isinstance(result, list) else []
        self._update_model_label()
        if not self.models:
            self._notify_no_model()

    def _notify_no_model(self) -> None:
        """No trained pipeline: say so above the article, with how to install one.

        Inline rather than a dialog: it must not take the keyboard from the article."""
        from annotator.nlp.models import NO_MODEL_NOTICE  # spaCy is already imported by now

        self.model_label.setText("Model: rules only (no trained model installed)")
        self.model_label.setToolTip(NO_MODEL_NOTICE)
        self.notice.setText(NO_MODEL_NOTICE.replace("`", ""))
        self.notice.show()

    def _fill_model_menu(self) -> None:
        menu = self.model_menu
        menu.clear()
        group = QActionGroup(menu)
        current = self.model_name()
        choices = [("", "Default (best installed)")] + self.models
        if not self.models:
            choices.append(("", "(no installed pipelines found yet)"))
        choices.append((BLANK_MODEL, "Rules only (no trained model)"))
        for value, text in choices:
            act = menu.addAction(text)
            if text.startswith("(no installed"):
                act.setEnabled(False)
                continue
            act.setCheckable(True)
            act.setChecked(value == current)
            group.addAction(act)
            act.triggered.connect(lambda _c=False, v=value: self.choose_model(v))
        if current and current not in {v for v, _ in choices}:
            act = menu.addAction(current)
            act.setCheckable(True)
            act.setChecked(True)
            group.addAction(act)
        menu.addSeparator()
        menu.addAction(self.actions.choose_model_folder)

    def choose_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with a trained spaCy pipeline")
        if folder:
            self.choose_model(folder)

    def choose_model(self, value: str) -> None:
        self.settings.setValue("model/name", value)
        self.model_origin = ""
        self._update_model_label()
        if any(w.name == "load_model" for w in self.tasks.running()):
            return
        self.model_label.setText(f"Model: {value or 'default model'} (loading\u2026)")
        worker = Worker(load_model_job(value or None), name="load_model")
        worker.finished.connect(self._model_loaded)
        worker.failed.connect(self._model_failed)
        self.tasks.start(worker)
        self._update_enabled()

    @Slot(object)
    def _model_loaded(self, origin) -> None:
        self.model_origin = str(origin or "")
        self._update_model_label()
        self.show_message(f"Model ready: {self.model_origin}", 4000)
        self._update_enabled()

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self._update_model_label()
        self.show_error("Cannot load the model", message)
        self._update_enabled()

    # --- background tasks ----------------------------------------------------------------------------------

    def _start_task(self, worker: Worker, label: str, on_done) -> None:
        worker.progress.connect(self._task_progress)
        worker.finished.connect(on_done)
        worker.failed.connect(self._task_failed)
        self.progress.setRange(0, 0)
        self.progress.setToolTip(label)
        self.progress.show()
        self.cancel_button.show()
        self.show_message(f"{label}\u2026", 0)
        self.tasks.start(worker)
        self._update_enabled()

    def _task_finished_ui(self) -> None:
        if len(self._user_tasks()) <= 1:  # the one finishing is still registered until its thread ends
            self.progress.hide()
            self.cancel_button.hide()
        self._update_enabled()

    @Slot(int, int)
    def _task_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    @Slot(str)
    def _task_failed(self, message: str) -> None:
        sender = self.sender()
        self._task_finished_ui()
        self.show_error("The task failed", message)
        self.task_done.emit(getattr(sender, "name", "task"), None)

    def cancel_tasks(self) -> None:
        for worker in self._user_tasks():
            worker.cancel()
        self.show_message("Stopping after the current batch\u2026", 4000)

    def preannotate(self, current_only: bool = True) -> Worker | None:
        if self.session.store is None:
            return None
        if any(w.name == "preannotate" for w in self.tasks.running()):
            self.show_message("Pre-annotation is already running.")
            return None
        ids = [self.session.doc.id] if current_only and self.session.doc else None
        worker = Worker(preannotate_job(ids, self.model_name() or None, force=current_only),
                        db_path=self.session.path, annotator=self.annotator, name="preannotate")
        what = "this document" if current_only else "all documents"
        self._start_task(worker, f"Pre-annotating {what}", self._preannotated)
        return worker

    @Slot(object)
    def _preannotated(self, result) -> None:
        self._task_finished_ui()
        if result is None:
            self.show_message("Pre-annotation cancelled.")
            self.task_done.emit("preannotate", None)
            return
        self.model_origin = result.origin
        self._update_model_label()
        state = "stopped" if result.cancelled else "done"
        self.show_message(f"Pre-annotation {state}: {result.processed} document(s) with "
                          f"{result.origin}, {result.skipped} already done "
                          f"({result.words_per_second:,.0f} words/s).", 10000)
        self.session.reload_labels()
        self._reload_corpus()
        self.task_done.emit("preannotate", result)

    def _reload_corpus(self) -> None:
        current = self.session.doc.id if self.session.doc else None
        self.corpus_model.reload()
        if current is not None:
            self.corpus.select_document(current, emit=False)
        self._update_status()

    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", str(Path.home()),
            "Articles (*.txt *.md *.html *.htm *.csv *.jsonl *.json *.ann);;All files (*)")
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> Worker | None:
        if self.session.store is None:
            return None
        worker = Worker(import_job([str(p) for p in paths]), db_path=self.session.path,
                        annotator=self.annotator, name="import")
        self._start_task(worker, f"Importing {len(paths)} file(s)", self._imported)
        return worker

    @Slot(object)
    def _imported(self, report) -> None:
        self._task_finished_ui()
        self._reload_corpus()
        self.show_message(f"Imported {report.documents_added} document(s) from {report.files} "
                          f"file(s); {report.documents_skipped} already present.", 10000)
        if self.session.doc is None and report.added_ids:
            self.open_document(report.added_ids[0])
        if report.problems:
            self.show_error("Some files were refused", "\n".join(report.problems[:20]))
        self.task_done.emit("import", report)

    def choose_export(self) -> None:
        from annotator.formats import exporters

        dialog = dialogs.ExportDialog(exporters(), self._project_dir(), self)
        if dialog.exec() and dialog.values()["out"]:
            self.export(**dialog.values())

    def export(self, fmt: str, out: str, include_suggestions: bool = False,
               doc_status: str = "") -> Worker:
        worker = Worker(export_job(fmt, out, include_suggestions, doc_status),
                        db_path=self.session.path, annotator=self.annotator, name="export")
        self._export_target = out
        self._start_task(worker, f"Exporting {fmt}", self._exported)
        return worker

    @Slot(object)
    def _exported(self, count) -> None:
        self._task_finished_ui()
        self.show_message(f"Exported {count} document(s) to {self._export_target}.", 10000)
        self.task_done.emit("export", count)

    # --- drag and drop, closing --------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the system switched light <-> dark
            self.actions.refresh_icons(self.palette())
            self.view.refresh_colours()
            self.legend.set_colours(self.view.colours)
        super().changeEvent(event)

    def closeEvent(self, event) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.backups.stop()
        self.tasks.cancel_all()
        self.session.close()
        super().closeEvent(event)


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)
