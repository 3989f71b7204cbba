"""The Team menu's slots: assign, merge, agreement, curation, which layers the article shows.

One `TeamController` per window, a child QObject of it created on first use (`team(ctx)`), so the
commands in ui/commands.py reach it without the window knowing about team work. The work itself
runs as background jobs (ui/team/jobs.py); the windows it opens are ui/team/*_window.py.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu

from annotator.team.identity import CURATED
from annotator.ui import file_dialogs
from annotator.ui.team.jobs import AGREEMENT, ASSIGN, MERGE, agreement_job, assign_job, merge_job


def team(ctx) -> TeamController:
    found = ctx.window.findChild(TeamController, "teamController")
    return found if found is not None else TeamController(ctx)


class TeamController(QObject):
    def __init__(self, ctx):
        super().__init__(ctx.window)
        self.setObjectName("teamController")
        self.ctx = ctx
        self.agreement_window = None
        self.curation_window = None

    # --- assign -----------------------------------------------------------------------------------

    def assign(self) -> None:
        from annotator.ui.team.assign_dialog import AssignDialog

        store = self.ctx.session.store
        if store is None:
            return
        if store.pack_id():
            self.ctx.feedback.error("This is a pack", f"{store.path.name} is "
                                    f"{store.pack_annotator()}'s pack: assign from the project.")
            return
        dialog = AssignDialog(str(store.path.parent / f"{store.path.stem}-packs"),
                              self.ctx.window)
        if dialog.exec():
            self.start_assign(**dialog.values())

    def start_assign(self, annotators: list[str], out: str, overlap: float | None = None,
                     per_doc: int | None = None, seed: int = 0):
        return self.ctx.runner.start(ASSIGN, assign_job(annotators, out, overlap, per_doc, seed),
                                     count=len(annotators), out=out)

    def assigned(self, report) -> None:
        if report is None:
            return
        self.ctx.feedback.message(
            f"Wrote {len(report.packs)} pack(s): " + ", ".join(
                f"{p.annotator} {p.documents}" for p in report.packs)
            + f"; {report.done} done and {report.kept} dealt earlier were not sent.", 15000)

    # --- merge ------------------------------------------------------------------------------------

    def merge(self) -> None:
        if self.ctx.session.store is None:
            return
        paths, _ = file_dialogs.get_open_file_names(self.ctx.window, "Merge packs",
                                                    str(self.ctx.session.path.parent),
                                                    "News Annotator pack (*.db);;All files (*)")
        self.merge_paths(paths)

    def merge_paths(self, paths: list[str]):
        if not paths:
            return None
        return self.ctx.runner.start(MERGE, merge_job([str(p) for p in paths]), count=len(paths))

    def merged(self, report) -> None:
        if report is None:
            return
        self.ctx.window.refresh()
        lines = [p.summary() for p in report.packs]
        self.ctx.feedback.message(f"Merged {len(lines)} pack(s). " + " | ".join(
            line.split(": ", 1)[1] for line in lines), 15000)

    # --- agreement --------------------------------------------------------------------------------

    def agreement(self):
        if self.ctx.session.store is None:
            return None
        return self.ctx.runner.start(AGREEMENT, agreement_job())

    def measured(self, report) -> None:
        if report is None:
            return
        from annotator.ui.team.agreement_window import AgreementWindow

        if self.agreement_window is None:
            self.agreement_window = AgreementWindow(self.ctx.window)
            self.agreement_window.document_chosen.connect(self.curate)
            self.agreement_window.refresh_requested.connect(self.agreement)
        self.agreement_window.show_report(report)
        self.agreement_window.show()
        self.agreement_window.raise_()

    # --- curation ---------------------------------------------------------------------------------

    def curate_current(self) -> None:
        if self.ctx.session.doc is not None:
            self.curate(self.ctx.session.doc.id)

    def curate(self, doc_id: int) -> None:
        from annotator.ui.team.curation_window import CurationWindow

        store = self.ctx.session.store
        if store is None:
            return
        if self.curation_window is None:
            self.curation_window = CurationWindow(store.schema, self.ctx.window)
            self.curation_window.curated.connect(self._curated)
        self.curation_window.open_document(store, doc_id)
        self.curation_window.show()
        self.curation_window.raise_()
        self.curation_window.activateWindow()

    def _curated(self, doc_id: int) -> None:
        """A curation decision was saved: the main window re-reads that document if open."""
        session = self.ctx.session
        if session.doc is not None and session.doc.id == doc_id:
            session.reload_labels()
        self.ctx.window.update_enabled()

    # --- which layers the article shows ------------------------------------------------------------

    def fill_layers(self, menu: QMenu) -> None:
        """Team > Show Layer: every label, one annotator's, or the curated layer."""
        menu.clear()
        store = self.ctx.session.store
        group = QActionGroup(menu)
        shown = self.ctx.session.layers
        names = store.layer_names() if store is not None else []
        choices = [("&All Labels", None)] + [
            ("&Curated (gold)" if n == CURATED else n, frozenset({n})) for n in names]
        for text, layers in choices:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(layers == shown)
            action.setObjectName(f"layer:{','.join(sorted(layers)) if layers else '*'}")
            group.addAction(action)
            action.triggered.connect(lambda _c=False, x=layers: self.show_layers(x))

    def show_layers(self, layers: frozenset[str] | None) -> None:
        self.ctx.session.set_layers(layers)
        shown = "every label" if layers is None else ", ".join(sorted(layers))
        self.ctx.feedback.message(f"Showing {shown}.", 4000)

