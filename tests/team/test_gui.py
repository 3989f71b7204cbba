"""The team loop through the real window: assign from the Team menu, label one pack with keys,
merge, the Agreement window, curating a document with the keyboard, the curated export."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.cli import main
from annotator.domain import ACCEPTED, REJECTED
from annotator.store import Store
from annotator.team.identity import CURATED
from tests.team.conftest import WORDS, at, make_project
from tests.ui.conftest import answer, open_window, select, settings  # noqa: F401 (fixture)


def _wait_job(qtbot, win, name: str, trigger, timeout=60000):
    with qtbot.waitSignal(win.task_done, timeout=timeout,
                          check_params_cb=lambda n, _r: n == name) as blocker:
        trigger()
    return blocker.args[1]


def _label_script(pack, accept, reject=()):
    with Store(pack) as store:
        for doc_id in store.document_ids():
            text = store.document(doc_id).text
            for span in store.spans(doc_id):
                if text[span.start:span.end] in accept:
                    store.accept_span(span.id)
                elif text[span.start:span.end] in reject:
                    store.reject_span(span.id)


def test_assign_label_merge_measure_curate_export(qtbot, tmp_path, settings, monkeypatch):  # noqa: F811 (fixture)
    project = tmp_path / "project.db"
    make_project(project, 4)
    out = tmp_path / "packs"
    win = open_window(qtbot, project, settings)
    # --- assign, through the Team menu's dialog
    from annotator.ui.team import assign_dialog

    def fill_and_accept(dialog):
        dialog.names.setText("alice, bob carol")
        dialog.overlap.setValue(1.0)
        dialog.out.setText(str(out))
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(assign_dialog.AssignDialog, "exec", fill_and_accept)
    report = _wait_job(qtbot, win, "assign", win.actions.team_assign.trigger)
    assert sorted(p.annotator for p in report.packs) == ["alice", "bob", "carol"]
    assert all((out / f"{n}.db").exists() for n in ("alice", "bob", "carol"))
    win.close()

    # --- alice labels her pack in the real window, with keys (the pack presets her name)
    alice = open_window(qtbot, out / "alice.db", settings)  # settings say "tester"
    view = alice.view
    text = alice.session.doc.text
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the first suggestion: Amara Velko
    assert text[alice.session.selected_span().start:alice.session.selected_span().end] \
        == WORDS["person"]
    qtbot.keyClick(view, Qt.Key.Key_Return)  # accepted; the selection moves on to Norland
    assert text[alice.session.selected_span().start:alice.session.selected_span().end] \
        == WORDS["gpe"]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    select(view, *at(text, WORDS["date"]))
    qtbot.keyClick(view, Qt.Key.Key_6)  # DATE
    first = alice.session.doc.id
    asked = answer("leave")  # the other suggestions stay suggestions (not her decision)
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done, next
    assert asked and "suggestion" in asked[0]
    alice.close()
    with Store(out / "alice.db") as store:
        spans = store.spans(first)
        decided = {(text[s.start:s.end], s.label, s.status, s.annotator) for s in spans
                   if s.status != "suggested"}
        assert decided == {(WORDS["date"], "DATE", ACCEPTED, "alice"),
                           (WORDS["person"], "PERSON", ACCEPTED, "alice"),
                           (WORDS["gpe"], "GPE", REJECTED, "alice")}
        assert store.document(first).status == "done"
    # --- bob and carol, scripted through the store
    _label_script(out / "bob.db", accept={WORDS["person"], WORDS["gpe"]})
    _label_script(out / "carol.db", accept={WORDS["person"]}, reject={WORDS["gpe"]})

    # --- merge from the window, then the Agreement window
    win = open_window(qtbot, project, settings)
    from annotator.ui.team.controller import team

    merged = _wait_job(qtbot, win, "merge", lambda: team(win.ctx).merge_paths(
        [str(out / f"{n}.db") for n in ("alice", "bob", "carol")]))
    assert [p.annotator for p in merged.packs] == ["alice", "bob", "carol"]
    report = _wait_job(qtbot, win, "agreement", win.actions.team_agreement.trigger)
    cli = subprocess.run([sys.executable, "-m", "annotator", "agreement", "--db", str(project),
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    expected = json.loads(cli.stdout)
    assert report["overall"] == expected["overall"]
    agreement = team(win.ctx).agreement_window
    assert agreement.isVisible()
    person = next(r for r in range(agreement.labels.rowCount())
                  if agreement.labels.item(r, 0).text() == "PERSON")
    figure = next(x for x in expected["per_label"] if x["label"] == "PERSON")
    assert agreement.labels.item(person, 1).text() == f"{figure['span_f1_exact']:.3f}"
    assert set(agreement.label_chart.bars) == {"F1 exact", "F1 overlap", "alpha"}
    # the lowest-agreement document first; double-clicking it opens the curation view
    first_doc = expected["documents_by_agreement"][0]["doc_id"]
    assert agreement.documents.item(0, 0).text() == str(first_doc)
    agreement.documents.cellDoubleClicked.emit(0, 0)
    curation = team(win.ctx).curation_window
    qtbot.waitUntil(lambda: curation.isVisible())
    assert curation.doc_id == first_doc

    # --- curate with the keyboard
    win.open_document(first_doc)
    curation.activateWindow()
    curation.view.setFocus()
    qtbot.waitUntil(lambda: curation.view.hasFocus())
    state = curation.state
    assert state.annotators == ["alice", "bob", "carol"]
    with Store(project) as store:
        ptext = store.document(first_doc).text
        auto = {(ptext[s.start:s.end], s.label) for s in store.layer_spans(first_doc, [CURATED])}
    assert (WORDS["person"], "PERSON") in auto  # everyone accepted it: merged automatically
    open_items = [x.describe(ptext) for x in state.open]
    assert f"{WORDS['gpe']!r}" in open_items  # bob accepted Norland, carol rejected it
    while curation.current_item().describe(ptext) != f"{WORDS['gpe']!r}":
        qtbot.keyClick(curation.view, Qt.Key.Key_Tab)
    qtbot.keyClick(curation.view, Qt.Key.Key_2)  # bob's version: Norland is a GPE
    with Store(project) as store:
        gold = {(ptext[s.start:s.end], s.label, s.status)
                for s in store.layer_spans(first_doc, [CURATED])}
    assert (WORDS["gpe"], "GPE", ACCEPTED) in gold
    # Tab walks the rest; U takes the union of each, until nothing is open
    for _ in range(10):
        if not curation.state.open:
            break
        qtbot.keyClick(curation.view, Qt.Key.Key_U)
    assert not curation.state.open and "curated" in curation.status.text()
    # an edit: select words, press E with the label chosen below
    curation.label_box.setCurrentText("GPE")
    select(curation.view, *at(ptext, WORDS["vell"]))
    qtbot.keyClick(curation.view, Qt.Key.Key_E)
    # and undo of it, with the keyboard
    qtbot.keyClick(curation.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with Store(project) as store:
        gold = {(ptext[s.start:s.end], s.label) for s in store.layer_spans(first_doc, [CURATED])
                if s.status == ACCEPTED}
    assert (WORDS["vell"], "GPE") not in gold and (WORDS["gpe"], "GPE") in gold
    # the main window shows the curated layer alone when asked
    team(win.ctx).show_layers(frozenset({CURATED}))
    assert {s.annotator for s in win.session.spans.values()} == {CURATED}
    team(win.ctx).show_layers(None)
    win.close()

    # --- the curated layer is the --curated export
    gold_file = tmp_path / "gold.jsonl"
    assert main(["export", "--db", str(project), "--curated", "--out", str(gold_file)]) == 0
    lines = [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1
    assert {(s["text"], s["label"]) for s in lines[0]["spans"]} == gold


def test_the_chart_works_without_the_qt_modules_the_executable_leaves_out(tmp_path):
    """pyqtgraph imports Qt's SVG and Test modules when they are there; the frozen app does not
    ship them (only the Qt modules annotator/ names), so the Agreement window must work without."""
    code = (
        "import sys\n"
        "for m in ('PySide6.QtSvg', 'PySide6.QtTest'):\n"
        "    sys.modules[m] = None\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from annotator.ui.team.agreement_window import BarChart\n"
        "chart = BarChart('c')\n"
        "chart.plot_groups(['PERSON', 'GPE'], [('F1', '#0072B2', [0.5, None])])\n"
        "chart.resize(300, 200)\n"
        "chart.grab()\n"
        "print(len(chart.bars))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env={**__import__("os").environ,
                                           "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"
