"""The status bar's document labels: where the open document is in the list, its status, and
how many labels it has accepted, to review and rejected."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from annotator.domain import ACCEPTED, DOC_DONE, DOC_IN_PROGRESS, REJECTED, SUGGESTED
from annotator.ui.corpus_model import CorpusModel
from annotator.ui.session import Session


class DocumentStatus:
    def __init__(self, session: Session, corpus_model: CorpusModel):
        self.session = session
        self.corpus_model = corpus_model
        self.position_label = QLabel()
        self.position_label.setObjectName("positionLabel")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")

    def update(self) -> None:
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
