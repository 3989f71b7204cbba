"""Choosing files and who is annotating: File > New / Open / Open Recent / Import / Export, the
annotator's name, where the demo project lives.

The window opens the chosen project (it rewires the views) and starts imports and exports; this
object only asks and remembers:
the recent projects (setting `recent/projects`), the annotator's name (`annotator/name`,
asked once over the shown window, else ANNOTATOR_NAME or the login name), the folder of the
last import (`import/folder`) and the format and folder of the last export (`export/...`).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QInputDialog, QMenu

from annotator.domain import DOC_STATUSES
from annotator.services.project_files import is_project_file
from annotator.settings import RECENT_MAX, Settings
from annotator.ui import file_dialogs
from annotator.ui.feedback import Feedback
from annotator.ui.session import Session


class ProjectFiles:
    def __init__(self, prefs: Settings, feedback: Feedback, session: Session,
                 open_project: Callable[..., bool], annotator: str | None = None,
                 data_dir: str | Path | None = None):
        """`open_project(path, create=...)` is the window's: it opens and shows a project.
        `data_dir`: the user's data folder (default: the platform's app data location)."""
        self.data_dir = Path(data_dir) if data_dir else Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation))
        self.prefs = prefs
        self.feedback = feedback
        self.session = session
        self.open_project = open_project
        self.annotator = (annotator or prefs.get("annotator/name")
                          or os.environ.get("ANNOTATOR_NAME", ""))

    # --- the annotator ---------------------------------------------------------------------------

    def ensure_annotator(self) -> str:
        """The annotator's name: from the constructor, the settings, ANNOTATOR_NAME, or asked
        once (then kept in the settings)."""
        if not self.annotator:
            self.ask_annotator_name()
        if not self.annotator:
            self._set_annotator(getpass.getuser() or "annotator")
        else:
            self._name_store()
        return self.annotator

    def ask_annotator_name(self) -> None:
        name, ok = QInputDialog.getText(
            self.feedback.parent, "Your name",
            "Your name or initials, recorded with every label you make:",
            text=self.annotator or getpass.getuser())
        if ok and name.strip():
            self._set_annotator(name.strip())

    def _set_annotator(self, name: str) -> None:
        self.annotator = name
        self.prefs.set("annotator/name", name)
        self._name_store()

    def _name_store(self) -> None:
        """The open project records labels under this name, unless it is a pack: a pack's
        labels are its annotator's layer (set when it opens)."""
        store = self.session.store
        if store is not None:
            store.annotator = store.pack_annotator() or self.annotator

    # --- project files ---------------------------------------------------------------------------

    def project_dir(self) -> str:
        return str(self.session.path.parent) if self.session.path else str(Path.home())

    def new_project(self) -> None:
        path, _ = file_dialogs.get_save_file_name(self.feedback.parent, "New project",
                                                  self.project_dir(), "News Annotator project (*.db)")
        if path:
            path = Path(path).with_suffix(".db") if not Path(path).suffix else Path(path)
            if self.session.path and is_project_file(path, self.session.path):
                self.feedback.error("New project", f"{path} is the open project: choose another name")
                return
            if path.exists():
                path.unlink()  # the dialog asked to overwrite
            self.open_project(path)

    def choose_project(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self.feedback.parent, "Open project",
                                                  self.project_dir(),
                                                  "News Annotator project (*.db);;All files (*)")
        if path:
            self.open_project(Path(path), create=False)

    def demo_path(self) -> Path:
        """The demo project (the bundled samples), apart from the analyst's own projects."""
        return self.data_dir / "demo" / "News Annotator demo.db"

    def import_dir(self) -> str:
        folder = self.prefs.get("import/folder")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def choose_import(self) -> list[str]:
        paths, _ = file_dialogs.get_open_file_names(
            self.feedback.parent, "Import articles", self.import_dir(),
            "Articles (*.txt *.md *.html *.htm *.csv *.jsonl *.json *.ann);;All files (*)")
        if paths:
            self.prefs.set("import/folder", str(Path(paths[0]).parent))
        return paths

    def choose_import_folder(self) -> list[str]:
        """A folder to import (walked recursively for every importable file), or []."""
        folder = file_dialogs.get_existing_directory(self.feedback.parent, "Import a folder",
                                                     self.import_dir())
        if not folder:
            return []
        self.prefs.set("import/folder", folder)
        return [folder]

    def choose_export(self) -> dict | None:
        """The export dialog's values (fmt, out, include_suggestions, doc_status), or None.
        Opens on the format and folder of the last export, and remembers the new ones."""
        from annotator.formats import exporters
        from annotator.ui.dialogs import ExportDialog

        folder = self.prefs.get("export/folder")
        start = folder if folder and Path(folder).is_dir() else self.project_dir()
        store = self.session.store
        counts = ({st: store.document_count(status=st) for st in DOC_STATUSES}
                  if store is not None else None)
        dialog = ExportDialog(exporters(), start, self.feedback.parent,
                              fmt=self.prefs.get("export/format"), doc_counts=counts)
        if not dialog.exec() or not dialog.values()["out"]:
            return None
        values = dialog.values()
        self.prefs.set("export/format", values["fmt"])
        self.prefs.set("export/folder", str(Path(values["out"]).parent))  # a file or a folder
        return values

    # --- recent projects -------------------------------------------------------------------------

    def recent(self) -> list[str]:
        return self.prefs.get("recent/projects")

    def add_recent(self, path: Path) -> None:
        here = str(path.resolve())
        self.prefs.set("recent/projects", ([here] + [p for p in self.recent() if p != here])
                       [:RECENT_MAX])

    def fill_recent(self, menu: QMenu) -> None:
        """File > Open Recent, rebuilt each time it opens."""
        menu.clear()
        for i, p in enumerate(self.recent(), start=1):
            act = menu.addAction(f"&{i} {Path(p).name}  \u2014  {Path(p).parent}")
            act.setEnabled(Path(p).exists())
            act.triggered.connect(lambda _c=False, p=p: self.open_project(Path(p), create=False))
        if not menu.actions():
            menu.addAction("(none yet)").setEnabled(False)
