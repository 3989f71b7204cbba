"""Deleting a document and correcting its title, date and source: logged, undoable intents.

Deleting logs the whole document row (text included), its spans, relations and pre-annotation
marks, so undo brings it back exactly: same id, same labels, same search entry (the full-text
index follows through its triggers).
"""

from __future__ import annotations

from datetime import datetime

from annotator.changes import Change
from annotator.domain import ValidationError
from annotator.store.rows import DOC_EDITABLE, PREANNOTATION_COLUMNS, now


class DocumentEdits:
    """Intents on whole documents (a mixin over History and Reading)."""

    _lengths: dict[int, int]
    _texts: dict[int, str]

    def delete_document(self, doc_id: int) -> Change:
        """Remove a document with all its labels: one action, one undo step."""
        with self._action("delete_document", doc_id) as pending:
            row = self._row("documents", doc_id)  # KeyError if there is none
            for rel in self._rows("relations", "doc_id = ?", [doc_id]):
                pending.deleted("relations", rel)
            self.db.execute("DELETE FROM relations WHERE doc_id = ?", [doc_id])
            for span in self._rows("spans", "doc_id = ?", [doc_id]):
                pending.deleted("spans", span)
            self.db.execute("DELETE FROM spans WHERE doc_id = ?", [doc_id])
            for mark in self.db.execute("SELECT doc_id, origin, finished FROM preannotations"
                                        " WHERE doc_id = ?", [doc_id]).fetchall():
                pending.deleted("preannotations", dict(zip(PREANNOTATION_COLUMNS, mark)),
                                row_id=doc_id)
            self.db.execute("DELETE FROM preannotations WHERE doc_id = ?", [doc_id])
            pending.deleted("documents", row)
            self.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        self._lengths.pop(doc_id, None)
        self._texts.pop(doc_id, None)  # its id may be given to a new document
        return pending.change

    def edit_document(self, doc_id: int, title: str | None = None,
                      published: str | None = None, source: str | None = None) -> Change:
        """Correct a document's title, date (published) or source; None leaves one as it is.
        Nothing differs: nothing is logged (an empty Change)."""
        values = {k: v.strip() for k, v in (("title", title), ("published", published),
                                             ("source", source)) if v is not None}
        if "published" in values:
            check_date(values["published"])
        with self._action("edit_document", doc_id) as pending:
            cols = ("id", *DOC_EDITABLE, "updated")
            found = self.db.execute(f"SELECT {', '.join(cols)} FROM documents WHERE id = ?",
                                    [doc_id]).fetchone()
            if found is None:
                raise KeyError(f"no document {doc_id}")
            before = dict(zip(cols, found))
            changed = {k: v for k, v in values.items() if (before[k] or "") != v}
            if changed:
                self._update(pending, "documents", before, **changed, updated=now())
        return pending.change if changed else self._no_change("edit_document", doc_id)


def check_date(value: str) -> None:
    """'' (no date) or an ISO date, optionally with a time: 2024-05-07, 2024-05-07T10:30Z."""
    if not value:
        return
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"date {value!r} is not a date like 2024-05-07") from None
