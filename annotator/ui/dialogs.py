"""Small dialogs: export (format chosen from the registry), a document's details, a list of
problems, schema, shortcuts, about."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import DOC_DONE, DOC_IN_PROGRESS, DOC_NEW, Document, ValidationError
from annotator.schema import LabelSchema
from annotator.store.document_edits import check_date
from annotator.ui import file_dialogs
from annotator.ui.plain import plain_label


class ExportDialog(QDialog):
    """Choose a format (every registered exporter), a target and what to include."""

    def __init__(self, formats: dict, start_dir: str = "", parent: QWidget | None = None,
                 fmt: str = "", doc_counts: dict[str, int] | None = None):
        """`start_dir`, `fmt`: where the last export went and in which format; `doc_counts`:
        documents per status, shown beside each choice of documents."""
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.formats = formats
        self.start_dir = start_dir
        form = QFormLayout()
        self.format_box = QComboBox()
        self.format_box.setObjectName("formatBox")
        for name, info in sorted(formats.items()):
            self.format_box.addItem(f"{name} \u2014 {info.description}", name)
        if self.format_box.findData(fmt) >= 0:
            self.format_box.setCurrentIndex(self.format_box.findData(fmt))
        form.addRow("&Format", self.format_box)
        self.format_note = QLabel()  # what the chosen format keeps and leaves out
        self.format_note.setObjectName("formatNote")
        self.format_note.setWordWrap(True)
        form.addRow("", self.format_note)
        self.target = QLineEdit()
        self.target.setObjectName("exportTarget")
        add_path_row(form, "&Save to", self.target, self._browse)
        self.suggestions = QCheckBox("Include suggestions not yet reviewed")
        form.addRow("", self.suggestions)
        self.status_box = QComboBox()
        self.status_box.setObjectName("docStatusBox")
        counts = doc_counts or {}
        for text, value in (("done only", DOC_DONE), ("all documents", ""),
                            ("in progress only", DOC_IN_PROGRESS), ("new only", DOC_NEW)):
            if doc_counts is not None:
                n = counts.get(value, 0) if value else sum(counts.values())
                text += f" ({n})"
            self.status_box.addItem(text, value)
        self.status_box.setCurrentIndex(0)  # done documents: what the analyst has finished
        form.addRow("&Documents", self.status_box)
        self.scope_note = QLabel("By default only documents marked done (Ctrl+Enter) are "
                                 "exported; choose \u201call documents\u201d for the rest too.")
        self.scope_note.setObjectName("exportScopeNote")
        self.scope_note.setWordWrap(True)
        form.addRow("", self.scope_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._suggest_target)
        self._suggest_target()
        self.resize(560, self.sizeHint().height())

    def fmt(self) -> str:
        return self.format_box.currentData()

    def _suffix(self) -> str:
        return self.formats[self.fmt()].suffix

    def _suggest_target(self) -> None:
        self.format_note.setText(self.formats[self.fmt()].keeps)
        current = self.target.text().strip()
        base = Path(current).with_suffix("") if current else Path(self.start_dir or ".") / "export"
        suffix = self._suffix()
        self.target.setText(str(base.with_name(base.name + (suffix or ""))))

    def _browse(self) -> None:
        if self._suffix():
            path, _ = file_dialogs.get_save_file_name(self, "Export to", self.target.text(),
                                                      f"{self.fmt()} (*{self._suffix()})")
        else:
            path = file_dialogs.get_existing_directory(self, "Export into folder", self.start_dir)
        if path:
            self.target.setText(path)

    def values(self) -> dict:
        return {"fmt": self.fmt(), "out": self.target.text().strip(),
                "include_suggestions": self.suggestions.isChecked(),
                "doc_status": self.status_box.currentData()}


class DocumentDialog(QDialog):
    """Correct a document's title, date and source. The date is checked before the dialog
    closes, so a typo is shown here rather than refused later."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setWindowTitle("Document details")
        self.title = QLineEdit(doc.title)
        self.title.setObjectName("documentTitle")
        self.published = QLineEdit(doc.published)
        self.published.setObjectName("documentDate")
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.source = QLineEdit(doc.source)
        self.source.setObjectName("documentSource")
        self.problem = plain_label()
        self.problem.setObjectName("documentProblem")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Date", self.published)
        form.addRow("&Source", self.source)
        form.addRow("", self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        try:
            check_date(self.published.text().strip())
        except ValidationError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            self.published.setFocus()
            return
        super().accept()

    def values(self) -> dict[str, str]:
        return {"title": self.title.text().strip(), "published": self.published.text().strip(),
                "source": self.source.text().strip()}


class ListDialog(QDialog):
    """A summary and a long list (refused files, problems): scrollable, selectable, with a
    Copy button, and never taller than the screen it opens on."""

    def __init__(self, title: str, summary: str, items: list[str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorList")
        self.setWindowTitle(title)
        self.summary = plain_label(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setVisible(bool(summary))
        self.list = QPlainTextEdit()
        self.list.setObjectName("errorListText")
        self.list.setReadOnly(True)
        self.list.setPlainText("\n".join(items))
        self.list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("&Copy All", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_all)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else None) or \
            QGuiApplication.primaryScreen()
        room = screen.availableGeometry().height()
        lines = self.list.fontMetrics().lineSpacing() * (len(items) + 2)
        self.setMaximumHeight(room)
        self.resize(680, min(max(240, lines + 120), int(room * 0.8)))

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.list.toPlainText())


def add_path_row(form: QFormLayout, text: str, edit: QLineEdit, browse,
                 button_text: str = "&Browse\u2026") -> None:
    """A form row "text: [path field] [Browse]"; the label's mnemonic focuses the field (a row
    holding a layout gets no buddy by itself, and its "&" would show as is)."""
    label = QLabel(text)
    label.setBuddy(edit)
    row = QHBoxLayout()
    button = QPushButton(button_text)
    button.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(button)
    form.addRow(label, row)


def schema_html(schema: LabelSchema) -> str:
    esc = html.escape
    out = [f"<h3>Schema \u201c{esc(schema.name)}\u201d</h3><table cellpadding=4>",
           ("<tr><th align=left>Key</th><th align=left>Label</th><th align=left>Meaning</th>"
            "<th align=left>Attributes</th></tr>")]
    for lab in schema.labels:
        attrs = "<br>".join(
            f"<i>{esc(a.name)}</i>: {esc(' | '.join(a.values)) if a.values else 'free text'}"
            for a in lab.attributes)
        out.append(f"<tr><td><b>{esc(lab.key)}</b></td>"
                   f"<td><span style='background:{esc(lab.colour)}'>&nbsp;&nbsp;</span> "
                   f"{esc(lab.name)}</td><td>{esc(lab.description)}</td><td>{attrs}</td></tr>")
    out.append("</table><h3>Relations (L, then click the second span)</h3><table cellpadding=4>"
               "<tr><th align=left>Role</th><th align=left>From</th><th align=left>To</th></tr>")
    for rel in schema.relations:
        out.append(f"<tr><td><b>{esc(rel.role)}</b></td><td>{esc(', '.join(sorted(rel.heads)))}"
                   f"</td><td>{esc(', '.join(sorted(rel.tails)))}</td></tr>")
    out.append("</table>")
    return "".join(out)


def show_html(parent: QWidget, title: str, body: str, size=(720, 560)) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    browser = QTextBrowser()
    browser.setOpenExternalLinks(True)
    browser.setHtml(body)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(*size)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def shortcuts_html(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return ("<h3>Keyboard</h3><p>Select words with the mouse or Shift+arrows, then press a "
            "label key. Selections snap to whole words; hold Alt while dragging to turn that "
            f"off.</p><table cellpadding=3>{body}</table>")


def about_text(version: str, db: str, model: str) -> str:
    return (f"<h3>News Annotator {html.escape(version)}</h3>"
            "<p>Turn news articles into labelled data: speakers and quotes, threats, events. "
            "spaCy suggests, you decide. Every action is saved at once.</p>"
            f"<p>Project: {html.escape(db)}<br>Model: {html.escape(model)}</p>")
