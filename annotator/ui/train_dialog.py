"""Model > Train From My Labels: what will train, the options, progress, and base vs trained.

The dialog only shows and asks; ui/learning.py starts the background jobs (counting the labels,
training) and feeds it their results. It is not modal: training runs in a worker, the status
bar shows its progress too, and closing the dialog leaves the training running (it comes back
with the results).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.training.corpus import MIN_DOCS, MIN_SPANS  # no spaCy: that loads in the worker
from annotator.ui import file_dialogs
from annotator.ui.dialogs import add_path_row
from annotator.ui.plain import plain_label

COUNT_HEADERS = ("Label", "Accepted", "Documents", "Training")
RESULT_HEADERS = ("Label", "Gold", "Base P", "Base R", "Base F1", "Trained P", "Trained R",
                  "Trained F1")


class TrainDialog(QDialog):
    start_requested = Signal(object)  # the options (TrainOptions fields)
    cancel_requested = Signal()
    use_requested = Signal(str)  # the trained pipeline's folder
    # (step, total, loss, dev scores) from the training thread; queued into this one
    progress_seen = Signal(int, int, object, object)

    def __init__(self, bases: list[tuple[str, str]], out: Path, parent: QWidget | None = None):
        """`bases`: (value, text) of the pipelines training may start from ('' = default)."""
        super().__init__(parent)
        self.setObjectName("trainDialog")
        self.setWindowTitle("Train From My Labels")
        self.model_dir: str | None = None
        self.entity: set[str] = set()
        layout = QVBoxLayout(self)
        self.intro = QLabel("Counting your accepted labels\u2026")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.counts = _table(COUNT_HEADERS, "labelCounts")
        self.counts.setToolTip(f"A label trains with at least {MIN_SPANS} accepted spans in "
                               f"{MIN_DOCS} documents; tick the labels to train")
        layout.addWidget(self.counts, 1)

        form = QFormLayout()
        self.base = QComboBox()
        self.base.setObjectName("trainBase")
        for value, text in bases:
            self.base.addItem(text, value)
        form.addRow("&Base pipeline", self.base)
        self.steps = QSpinBox()
        self.steps.setObjectName("trainSteps")
        self.steps.setRange(0, 5000)
        self.steps.setSpecialValueText("automatic")
        self.steps.setToolTip("Training steps (about 1000 words each); automatic: about ten "
                              "passes over your labelled words, 60 to 400 steps")
        form.addRow("&Steps at most", self.steps)
        self.out = QLineEdit(str(out))
        self.out.setObjectName("trainOut")
        add_path_row(form, "Save &to", self.out, self._browse, "Bro&wse\u2026")
        layout.addLayout(form)

        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setFormat("step %v / %m")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.state = plain_label()
        self.state.setObjectName("trainState")
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.state)
        self.results = _table(RESULT_HEADERS, "trainResults")
        self.results.setToolTip("Exact span matches on the held-out dev documents: the default "
                                "suggestions (base) and the trained model's, side by side")
        self.results.hide()
        layout.addWidget(self.results, 1)

        buttons = QHBoxLayout()
        self.train_button = QPushButton("&Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setDefault(True)
        self.train_button.setEnabled(False)
        self.train_button.clicked.connect(self._start)
        self.cancel_button = QPushButton("&Cancel Training")
        self.cancel_button.setObjectName("cancelTrainingButton")
        self.cancel_button.setToolTip("Stop now; the best model so far is kept (if there is one)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()
        self.use_button = QPushButton("&Use This Model")
        self.use_button.setObjectName("useModelButton")
        self.use_button.setToolTip("Make suggestions with the trained model from now on")
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.model_dir or ""))
        self.use_button.hide()
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addStretch(1)
        for b in (self.train_button, self.cancel_button, self.use_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.progress_seen.connect(self.show_progress)
        self.resize(720, 620)

    # --- before training --------------------------------------------------------------------------

    def show_counts(self, readiness, entity_labels: set[str]) -> None:
        """The accepted labels per label (training.Readiness): which train, what is missing."""
        self.entity = set(entity_labels)
        counts = list(readiness.counts.values())
        self.counts.setRowCount(len(counts))
        trainable = 0
        for row, c in enumerate(counts):
            enough = c.enough(MIN_SPANS, MIN_DOCS)
            trainable += enough
            name = QTableWidgetItem(c.label)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            name.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if enough else flags)
            name.setCheckState(Qt.CheckState.Checked if enough else Qt.CheckState.Unchecked)
            if enough:
                what = "entity recognizer" if c.label in self.entity else "span model"
                status = f"will train ({what})"
            else:
                status = (f"too few: needs {max(0, MIN_SPANS - c.spans)} more span(s)"
                          + (f" and {MIN_DOCS - c.documents} more document(s)"
                             if c.documents < MIN_DOCS else ""))
            cells = (name, _cell(c.spans), _cell(c.documents), QTableWidgetItem(status))
            for col, item in enumerate(cells):
                if not enough:
                    item.setForeground(self.palette().placeholderText())
                self.counts.setItem(row, col, item)
        self.train_button.setEnabled(trainable > 0)
        self.intro.setText(
            f"{trainable} label(s) have enough accepted spans to train (at least {MIN_SPANS} in "
            f"{MIN_DOCS} documents). Documents marked done teach the most: their unlabelled "
            "text counts as \u201cnot this label\u201d." if trainable else
            f"No label has enough accepted spans yet: each needs at least {MIN_SPANS} in "
            f"{MIN_DOCS} documents. Accept or label more, then train.")

    def chosen_labels(self) -> tuple[str, ...]:
        out = []
        for row in range(self.counts.rowCount()):
            item = self.counts.item(row, 0)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and \
                    item.checkState() == Qt.CheckState.Checked:
                out.append(item.text())
        return tuple(out)

    def options(self) -> dict:
        """The fields of training.TrainOptions the dialog sets (a plain dict: TrainOptions is
        made in the worker, where spaCy is imported, never on the UI thread)."""
        return {"out": str(Path(self.out.text().strip())), "labels": self.chosen_labels(),
                "base": self.base.currentData() or None, "max_steps": self.steps.value() or None}

    def _browse(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "Folder for the trained model",
                                                     str(Path(self.out.text()).parent))
        if folder:
            self.out.setText(str(Path(folder) / Path(self.out.text()).name))

    def _start(self) -> None:
        if not self.chosen_labels():
            self.state.setText("Tick at least one label to train.")
            return
        self.start_requested.emit(self.options())

    # --- while training ---------------------------------------------------------------------------

    def training_started(self) -> None:
        self.model_dir = None
        for w in (self.train_button, self.counts, self.base, self.steps, self.out):
            w.setEnabled(False)
        self.results.hide()
        self.use_button.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.state.setText("Preparing the training data\u2026")

    @Slot(int, int, object, object)
    def show_progress(self, step: int, total: int, loss, scores) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(step)
        parts = [f"Step {step} of {total}"]
        if loss is not None:
            parts.append(f"loss {loss:.2f}")
        if scores:
            named = [f"{_score_name(k)} {v:.2f}" for k, v in scores.items() if k != "score"]
            parts.append("dev F1: " + (", ".join(named) or f"{scores.get('score', 0):.2f}"))
        self.state.setText("; ".join(parts))

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.state.setText(self.state.text() + " \u2014 stopping; the best model so far is kept")

    # --- after ------------------------------------------------------------------------------------

    def show_result(self, result) -> None:
        """A TrainResult: the base-vs-trained table, notes, and Use This Model."""
        self._idle()
        self.model_dir = result.model_dir
        rows = result.scores
        self.results.setRowCount(len(rows))
        for row, score in enumerate(rows):
            cells = (score.label, score.gold, score.base.p, score.base.r, score.base.f,
                     score.trained.p, score.trained.r, score.trained.f)
            for col, value in enumerate(cells):
                self.results.setItem(row, col, _cell(value))
        self.results.setVisible(bool(rows))
        if result.model_dir is None:
            head = ("Cancelled before the first checkpoint: nothing was saved, the model in "
                    "use is unchanged.")
        elif result.cancelled:
            head = (f"Cancelled after {result.steps} steps: the best checkpoint so far was "
                    f"saved to {result.model_dir}. The model in use is unchanged until you "
                    "choose this one.")
        else:
            head = (f"Trained in {result.seconds:.0f} s ({result.steps} steps) and saved to "
                    f"{result.model_dir}.")
        learned = [f"entities {', '.join(result.ner_labels)}" if result.ner_labels else "",
                   f"spans {', '.join(result.span_labels)}" if result.span_labels else ""]
        lines = [head, f"Learned {'; '.join(x for x in learned if x)} from "
                       f"{result.train_docs} document(s) ({result.train_words:,} words); scored "
                       f"on {result.dev_docs} held-out document(s)."]
        lines += [f"Left out: {s}" for s in result.skipped] + [f"Note: {n}" for n in result.notes]
        self.state.setText("\n".join(lines))
        self.use_button.setVisible(result.model_dir is not None)
        self.use_button.setEnabled(result.model_dir is not None)

    def show_failed(self, message: str = "") -> None:
        self._idle()
        self.state.setText("Training did not finish" + (f": {message}" if message else "."))

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        for w in (self.train_button, self.counts, self.base, self.steps, self.out):
            w.setEnabled(True)


def _table(headers: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(value) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{value:.2f}" if isinstance(value, float) else str(value))
    if not isinstance(value, str):
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _score_name(key: str) -> str:
    return {"ents_f": "entities"}.get(key, "spans" if key.startswith("spans_") else key)
