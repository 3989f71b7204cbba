"""Commands on whole documents: delete one (Undo brings it back), correct its title, date and
source; and what the window shows when documents come and go: the list follows, the document
now in the deleted one's row opens, an empty project shows its first step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from annotator.changes import Change
from annotator.ui.dialogs import DocumentDialog

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class DocumentCommands:
    def __init__(self, window: MainWindow):
        self.window = window
        self.session = window.session
        self.corpus_model = window.corpus_model

    def _doc_id(self, doc_id: int | None) -> int | None:
        if doc_id is not None:
            return doc_id
        return self.session.doc.id if self.session.doc is not None else None

    def delete(self, doc_id: int | None = None) -> None:
        """Document > Delete Document, Delete in the list (default: the open document)."""
        doc_id = self._doc_id(doc_id)
        if doc_id is None or self.session.store is None:
            return
        self.window.review.cancel_link()
        title = self.corpus_model.title_of(doc_id)
        change = self.session.delete_document(doc_id)
        if change is not None and not change.empty:
            self.window.show_message(
                f"Deleted \u201c{title}\u201d and its {len(change.removed_spans)} label(s). "
                "Undo (Ctrl+Z) brings it back.", 10000)

    def edit(self, doc_id: int | None = None) -> DocumentDialog | None:
        """Document > Edit Document Details: one undoable action when saved."""
        doc_id = self._doc_id(doc_id)
        if doc_id is None or self.session.store is None:
            return None
        doc = (self.session.doc if self.session.doc and self.session.doc.id == doc_id
               else self.session.store.document(doc_id))
        dialog = DocumentDialog(doc, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.session.edit_document(doc_id, **dialog.values()))
        dialog.open()
        return dialog

    def changed(self, change: Change) -> None:
        """Documents were deleted, brought back or corrected: re-read the list; if the open
        one went, open the one now in its row."""
        rows = [r for r in (self.corpus_model.row_of(i, fetch=False)
                            for i in change.removed_documents) if r is not None]
        self.window.reload_corpus()
        if self.session.doc is None:
            self.window.view.clear_document()
            self.window.details.show_span(None)
            count = self.corpus_model.rowCount()
            if count:
                self.window.open_document(self.corpus_model.doc_id(min(min(rows, default=0),
                                                                       count - 1)))
        self.window.update_enabled()

    def update_empty_state(self) -> None:
        store = self.session.store
        self.window.empty_state.set_shown(store is None or not store.document_count(),
                                          no_project=store is None)
