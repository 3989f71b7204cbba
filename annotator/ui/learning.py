"""Teaching the tool from the window: Model > Train From My Labels and Document > Next Most
Useful Document.

Both run as background jobs (ui/jobs.py: COUNT_LABELS, TRAIN, QUEUE) through the TaskRunner, so
the UI thread never waits for spaCy; this controller starts them and shows what they found: the
train dialog (ui/train_dialog.py) with the label counts, the progress and the base-vs-trained
table, "Use This Model" switching the model controller to the trained folder; the most useful
document opened, with why it is next in the status bar and the notice line above the article.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot

from annotator.ui.jobs import (
    COUNT_LABELS,
    QUEUE,
    TRAIN,
    forget_pipeline,
    label_counts_job,
    queue_job,
    train_job,
)
from annotator.ui.models import BLANK_MODEL
from annotator.ui.plain import plain_label, tip
from annotator.ui.train_dialog import TrainDialog

if TYPE_CHECKING:
    from annotator.ui.context import Ctx


class Learning(QObject):
    def __init__(self, ctx: Ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: TrainDialog | None = None
        self.worker = None  # the training running, if any
        self.why = plain_label()  # why the document opened by Next Most Useful is next
        self.why.setObjectName("whyNext")
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.why.setStyleSheet("QLabel#whyNext { padding: 4px 10px; background: "
                               "palette(alternate-base); }")
        self.why.hide()
        self._why_doc: int | None = None
        ctx.session.document_loaded.connect(self._document_loaded)

    # --- training ---------------------------------------------------------------------------------

    def train(self) -> TrainDialog | None:
        """Model > Train From My Labels: the dialog, with the label counts read in the back."""
        path = self.ctx.session.path
        if path is None:
            return None
        if self.dialog is None:
            bases = ([("", "Default (best installed)")] + list(self.ctx.models.models)
                     + [(BLANK_MODEL, "Blank (no trained base: slower to learn)")])
            self.dialog = TrainDialog(bases, default_out(path), self.ctx.window)
            self.dialog.start_requested.connect(self._start)
            self.dialog.cancel_requested.connect(self._cancel)
            self.dialog.use_requested.connect(self.use)
        if self.worker is None:  # not training: fresh counts, and a new folder for this one
            self.dialog.out.setText(str(default_out(path)))
            self.ctx.runner.start(COUNT_LABELS, label_counts_job(), on_done=self._counted,
                                  on_failed=self._count_failed)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    @Slot(object)
    def _counted(self, readiness) -> None:
        if self.dialog is not None and self.worker is None:
            schema = self.ctx.session.schema
            self.dialog.show_counts(readiness, {lab.name for lab in schema.labels
                                                if lab.group == "entity"})

    @Slot(str)
    def _count_failed(self, message: str) -> None:
        if self.dialog is not None:
            self.dialog.intro.setText(f"Could not count the accepted labels: {message}")

    def _start(self, options) -> None:
        self.worker = self.ctx.runner.start(TRAIN, train_job(options, self.dialog.progress_seen.emit))
        if self.worker is not None:
            self.dialog.training_started()
            self.ctx.runner.task_done.connect(self._task_done)

    def _cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.dialog.cancelling()

    def _task_done(self, name: str, result) -> None:
        if name != TRAIN.name:
            return
        self.ctx.runner.task_done.disconnect(self._task_done)
        self.worker = None
        if result is None and self.dialog is not None:  # it failed (the box says why)
            self.dialog.show_failed()

    def trained(self, result) -> None:
        """The TRAIN job's result (UI thread)."""
        self.worker = None
        if result is None:
            return
        state = "stopped" if result.cancelled else "done"
        where = f": {result.model_dir}" if result.model_dir else ": nothing saved"
        self.ctx.feedback.message(f"Training {state} after {result.steps} step(s){where}", 10000)
        if self.dialog is not None:
            self.dialog.show_result(result)
            self.dialog.show()
            self.dialog.raise_()

    def use(self, model_dir: str) -> None:
        """Use This Model: suggestions come from the trained pipeline from now on."""
        if not model_dir:
            return
        forget_pipeline(model_dir)  # a folder trained into again is loaded afresh
        self.ctx.models.choose(model_dir)
        self.ctx.feedback.message(f"Suggestions now come from {model_dir} (Model > Pre-annotate "
                                  "to apply it to your documents).", 10000)

    # --- most useful next -------------------------------------------------------------------------

    def next_useful(self):
        """Document > Next Most Useful Document: rank the unfinished documents in the back."""
        doc = self.ctx.session.doc
        return self.ctx.runner.start(QUEUE, queue_job(self.ctx.models.name() or None),
                                     current=doc.id if doc is not None else None)

    def queued(self, result, params: dict) -> None:
        """The QUEUE job's result (UI thread): open the first document other than this one."""
        if result is None:
            self.ctx.feedback.message("Next most useful document: cancelled.")
            return
        items = [it for it in result.items if it.doc_id != params.get("current")]
        if not items:
            self.ctx.feedback.message("No other unfinished document.", 6000)
            return
        best = items[0]
        self.ctx.window.open_document(best.doc_id)
        text = (f"Most useful next (of {result.considered} unfinished, value {best.value:.2f}, "
                f"model {result.origin}): {best.why()}")
        if result.notes:
            text += " \u2014 " + "; ".join(result.notes)
        self._why_doc = best.doc_id
        self.why.setText(text)
        self.why.setToolTip(tip(text))
        self.why.show()
        self.ctx.feedback.message(f"Opened \u201c{best.title}\u201d: {best.why()}", 30000)

    def _document_loaded(self, doc) -> None:
        if doc.id != self._why_doc:
            self.why.hide()
            self._why_doc = None


def default_out(project: Path) -> Path:
    """A new folder beside the project for each training: earlier models stay usable."""
    return project.parent / f"{project.stem}-models" / f"trained-{time.strftime('%Y%m%d-%H%M%S')}"
