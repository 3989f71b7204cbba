"""Team > Assign to Annotators: the names, overlap or K per document, the seed, the folder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from annotator.team.identity import check_annotator_name
from annotator.ui import file_dialogs


class AssignDialog(QDialog):
    def __init__(self, out_dir: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle("Assign to annotators")
        self.names = QLineEdit()
        self.names.setObjectName("names")
        self.names.setPlaceholderText("alice bob carol")
        self.names.setToolTip("The annotators' names, separated by spaces or commas; each gets "
                              "a pack NAME.db")
        self.by_overlap = QRadioButton("Everyone gets a share plus an &overlap of")
        self.by_overlap.setChecked(True)
        self.overlap = QDoubleSpinBox()
        self.overlap.setObjectName("overlap")
        self.overlap.setRange(0.0, 1.0)
        self.overlap.setSingleStep(0.05)
        self.overlap.setValue(0.2)
        self.by_k = QRadioButton("Every document to &K annotators:")
        self.per_doc = QSpinBox()
        self.per_doc.setObjectName("perDoc")
        self.per_doc.setRange(1, 99)
        self.per_doc.setValue(2)
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 2**31 - 1)
        self.out = QLineEdit(out_dir)
        self.out.setObjectName("out")
        browse = QPushButton("Choose\u2026")
        browse.clicked.connect(self._browse)
        folder = QHBoxLayout()
        folder.addWidget(self.out, 1)
        folder.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("&Annotators:", self.names)
        form.addRow(self.by_overlap, self.overlap)
        form.addRow(self.by_k, self.per_doc)
        form.addRow("&Seed:", self.seed)
        form.addRow("&Folder:", folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.error = ""

    def _browse(self) -> None:
        path = file_dialogs.get_existing_directory(self, "Folder for the packs", self.out.text())
        if path:
            self.out.setText(path)

    def annotators(self) -> list[str]:
        return [n for n in self.names.text().replace(",", " ").split() if n]

    def accept(self) -> None:
        """Refuse (and say why in the names' tooltip) names that cannot be packs."""
        try:
            names = [check_annotator_name(n) for n in self.annotators()]
            if not names:
                raise ValueError("name at least one annotator")
        except ValueError as exc:
            self.error = str(exc)
            self.names.setToolTip(self.error)
            self.names.setFocus()
            return
        super().accept()

    def values(self) -> dict:
        return {"annotators": self.annotators(), "out": self.out.text(),
                "overlap": self.overlap.value() if self.by_overlap.isChecked() else None,
                "per_doc": self.per_doc.value() if self.by_k.isChecked() else None,
                "seed": self.seed.value()}
