"""Which spaCy pipeline makes the suggestions: discovery, loading and the Model > Choose Model menu.

Discovery (slow: it imports spaCy) and loading run as background jobs through the TaskRunner;
the status-bar label says which model is in use, and an inline notice above the article says how
to install one when none is found (inline: it must not take the keyboard from the article).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu

from annotator.settings import Settings
from annotator.ui import file_dialogs
from annotator.ui.feedback import Feedback
from annotator.ui.jobs import DISCOVER_MODELS, LOAD_MODEL, discover_models_job, load_model_job
from annotator.ui.plain import plain_label
from annotator.ui.tasks import TaskRunner
from annotator.ui.workers import freeze_long_lived_objects

BLANK_MODEL = "blank:en"


class ModelController(QObject):
    def __init__(self, runner: TaskRunner, prefs: Settings, feedback: Feedback,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self.prefs = prefs
        self.feedback = feedback
        self.models: list[tuple[str, str]] = []  # (value for `model`, text), found installed
        self.origin = ""  # name/version of the loaded pipeline, once known
        self.label = plain_label()
        self.label.setObjectName("modelLabel")
        self.notice = QLabel()  # calm, inline notices above the article; hidden if none
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setStyleSheet("QLabel#notice { padding: 6px 10px; background: "
                                  "palette(tool-tip-base); color: palette(tool-tip-text); }")
        self.notice.hide()

    def name(self) -> str:
        """The chosen model (setting `model/name`); '' = the best installed."""
        return self.prefs.get("model/name")

    def text(self) -> str:
        name = self.name()
        if not name:
            name = f"default ({self.models[0][1]})" if self.models else "default"
        if name == BLANK_MODEL:
            name = "rules only"
        return f"{name} → {self.origin}" if self.origin else name

    def update_label(self) -> None:
        self.label.setText(f"Model: {self.text()}")
        self.label.setToolTip("The spaCy pipeline used for suggestions (Model menu)")

    def set_origin(self, origin: str) -> None:
        self.origin = str(origin or "")
        self.update_label()

    # --- discovery --------------------------------------------------------------------------------

    def discover(self) -> None:
        self.runner.start(DISCOVER_MODELS, discover_models_job(), on_done=self._found,
                          on_failed=self._found)

    @Slot(object)
    def _found(self, result) -> None:
        freeze_long_lived_objects()  # discovery imported spaCy: keep it out of full collections
        self.models = result if isinstance(result, list) else []
        self.update_label()
        if not self.models:
            self._notify_no_model()

    def _notify_no_model(self) -> None:
        from annotator.nlp.models import NO_MODEL_NOTICE  # spaCy is already imported by now

        self.label.setText("Model: rules only (no trained model installed)")
        self.label.setToolTip(NO_MODEL_NOTICE)
        self.notice.setText(NO_MODEL_NOTICE.replace("`", ""))
        self.notice.show()

    # --- choosing and loading ---------------------------------------------------------------------

    def fill_menu(self, menu: QMenu, from_folder: QAction) -> None:
        """Model > Choose Model, rebuilt each time it opens: default, installed, rules only."""
        menu.clear()
        group = QActionGroup(menu)
        current = self.name()
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
            act.triggered.connect(lambda _c=False, v=value: self.choose(v))
        if current and current not in {v for v, _ in choices}:
            act = menu.addAction(current)
            act.setCheckable(True)
            act.setChecked(True)
            group.addAction(act)
        menu.addSeparator()
        menu.addAction(from_folder)

    def choose_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self.feedback.parent,
                                                     "Folder with a trained spaCy pipeline")
        if folder:
            self.choose(folder)

    def choose(self, value: str) -> None:
        """Use this model from now on, and load it in the background (once)."""
        self.prefs.set("model/name", value)
        self.origin = ""
        self.update_label()
        if self.runner.running(LOAD_MODEL.name):
            return
        self.label.setText(f"Model: {value or 'default model'} (loading\u2026)")
        self.runner.start(LOAD_MODEL, load_model_job(value or None), on_done=self._loaded,
                          on_failed=self._failed)

    @Slot(object)
    def _loaded(self, origin) -> None:
        self.set_origin(origin)
        self.feedback.message(f"Model ready: {self.origin}", 4000)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.update_label()
        self.feedback.error("Cannot load the model", message)
