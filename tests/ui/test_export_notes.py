"""The export dialog says, under the format chooser, what the chosen format keeps and leaves out."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.formats import exporters
from annotator.ui.dialogs import ExportDialog


def test_each_format_says_what_it_keeps_and_leaves_out(qtbot):
    formats = exporters()
    dialog = ExportDialog(formats, fmt="conll")
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.findChild(QLabel, "formatNote")
    assert note is not None and note.isVisible()
    dialog.format_box.setFocus()
    seen = {}
    qtbot.keyClick(dialog.format_box, Qt.Key.Key_Home)
    for _ in formats:  # walk the chooser with the keyboard, as a user would
        seen[dialog.fmt()] = note.text()
        qtbot.keyClick(dialog.format_box, Qt.Key.Key_Down)
    assert seen == {name: info.keeps for name, info in formats.items()}
    assert all(text.startswith("Keeps") for text in seen.values())
    assert "links" in seen["spacy"] and "leaves out" in seen["conll"]
