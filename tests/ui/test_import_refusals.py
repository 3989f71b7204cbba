"""Importing a folder from the window: a link leading out of the folder is refused and named in
the list of refused files; the folder's good article is stored."""

from __future__ import annotations

import os

from annotator.ui.dialogs import ListDialog


def test_import_folder_refuses_a_link_out_of_it_and_names_it(qtbot, window, db, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "good.txt").write_text("Minister Amara Velko said the talks had failed.",
                                     encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "notes.txt")
    before = db.document_count()
    with qtbot.waitSignal(window.task_done, timeout=60_000) as blocker:
        assert window.import_paths([str(folder)]) is not None
    name, report = blocker.args
    assert name == "import" and report.documents_added == 1
    texts = [d.text for d in db.iter_documents()]
    assert len(texts) == before + 1 and "Minister Amara Velko said the talks had failed." in texts
    assert not any("root:x" in text for text in texts)
    dialog = window.findChild(ListDialog, "errorList")
    assert dialog is not None and dialog.windowTitle() == "Some files were refused"
    assert f"{folder / 'notes.txt'}: symbolic link out of the folder" in dialog.list.toPlainText()
