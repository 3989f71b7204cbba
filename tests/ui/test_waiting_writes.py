"""A label key press is never refused because an import holds the project's write lock: the
write waits its turn (the window stays live) and is saved once the import commits."""

from __future__ import annotations

import json
import sqlite3
import threading

from PySide6.QtCore import Qt

from annotator.services.importing import import_paths
from annotator.store import Store
from tests.ui.conftest import ARTICLE, find, open_window, select

K = Qt.Key


def accepted(path) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT start, end, label FROM spans WHERE status = 'accepted' "
                            "ORDER BY start").fetchall()
    finally:
        conn.close()


def documents(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


def test_a_label_made_during_a_long_import_is_kept(qtbot, project, settings, tmp_path):
    settings.setValue("database/busy_timeout_seconds", 1.0)
    lines = tmp_path / "many.jsonl"
    lines.write_text("".join(json.dumps({"text": f"Article number {i} about the talks.",
                                         "title": f"A{i}"}) + "\n" for i in range(1000)),
                     encoding="utf-8")
    win = open_window(qtbot, project, settings)
    qtbot.waitUntil(lambda: not win.tasks.running("backup"))
    before = documents(project)
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold_after_first_batch(n: int) -> None:  # the import's transaction is open here
        holding.set()
        release.wait(60)

    def run_import() -> None:
        with Store(project, annotator="importer") as store:
            outcome["report"] = import_paths(store, [lines], on_documents=hold_after_first_batch)

    importer = threading.Thread(target=run_import)
    importer.start()
    try:
        assert holding.wait(60)
        select(win.view, *find(ARTICLE, "Rebels"))
        qtbot.keyClick(win.view, K.Key_5)  # NORP, while the import holds the write lock
        select(win.view, *find(ARTICLE, "the claim"))
        qtbot.keyClick(win.view, K.Key_C)  # CUE: waits behind the first, in order
        assert accepted(project) == []
        assert "Waiting to save" in win.statusBar().currentMessage()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not importer.is_alive(), timeout=60_000)
    importer.join()
    qtbot.waitUntil(lambda: len(accepted(project)) == 2, timeout=10_000)
    assert accepted(project) == [(*find(ARTICLE, "Rebels"), "NORP"),
                                 (*find(ARTICLE, "the claim"), "CUE")]
    assert outcome["report"].documents_added == 1000 and documents(project) == before + 1000
    # the window shows them, and the second (made last) is selected
    assert {(s.start, s.end, s.label) for s in win.session.spans.values()
            if s.status == "accepted"} == set(accepted(project))
    assert win.session.selected_span().label == "CUE"


def test_a_label_still_waiting_when_the_project_closes_is_named(qtbot, project, settings):
    settings.setValue("database/busy_timeout_seconds", 0.2)
    win = open_window(qtbot, project, settings)
    qtbot.waitUntil(lambda: not win.tasks.running("backup"))
    blocker = sqlite3.connect(project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program keeps the write lock
    try:
        select(win.view, *find(ARTICLE, "Rebels"))
        qtbot.keyClick(win.view, K.Key_5)
        assert len(win.session.waiting) == 1
        win.close_project()
        message = win.statusBar().currentMessage()
        assert "Not saved" in message and "The label NORP on 'Rebels'" in message
        assert len(win.session.waiting) == 0
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert accepted(project) == []
