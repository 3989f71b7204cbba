"""QApplication bootstrap: settings, default database, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QApplication

ORG = "NewsAnnotator"
APP = "News Annotator"


def default_db_path() -> Path:
    QCoreApplication.setOrganizationName(ORG)
    QCoreApplication.setApplicationName(APP)
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "annotations.db"


def ensure_sample(store) -> None:
    """A new, empty project opens on the bundled sample article so there is something to see."""
    if store.document_count():
        return
    from annotator.resources import resources_dir
    from annotator.services.importing import import_paths

    samples = sorted((resources_dir() / "samples").glob("*.txt"))
    if samples:
        import_paths(store, samples[:1])


def run_gui(db_path: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    from annotator.ui.main_window import MainWindow

    path = Path(db_path) if db_path else default_db_path()
    window = MainWindow(path)
    window.show()
    return app.exec()
