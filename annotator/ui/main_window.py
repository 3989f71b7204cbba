"""Main window (interim): document list and read-only article view."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QListWidget, QMainWindow, QPlainTextEdit, QSplitter

from annotator.store import Store


class MainWindow(QMainWindow):
    def __init__(self, db_path: Path):
        super().__init__()
        from annotator.app import ensure_sample

        self.store = Store(db_path)
        ensure_sample(self.store)
        self.setWindowTitle(f"News Annotator - {db_path.name}")
        self.docs = QListWidget()
        self.view = QPlainTextEdit(readOnly=True)
        splitter = QSplitter()
        splitter.addWidget(self.docs)
        splitter.addWidget(self.view)
        self.setCentralWidget(splitter)
        self.ids = []
        for row in self.store.document_rows():
            self.ids.append(row["id"])
            self.docs.addItem(row["title"] or f"Document {row['id']}")
        self.docs.currentRowChanged.connect(self._show)
        if self.ids:
            self.docs.setCurrentRow(0)
        self.resize(1100, 700)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.ids):
            self.view.setPlainText(self.store.document(self.ids[row]).text)

    def closeEvent(self, event) -> None:
        self.store.close()
        super().closeEvent(event)
