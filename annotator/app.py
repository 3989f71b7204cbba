"""QApplication bootstrap: settings, palette, default database, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ORG = "NewsAnnotator"
APP = "News Annotator"
DESKTOP_ID = "news-annotator"


def default_db_path() -> Path:
    QCoreApplication.setOrganizationName(ORG)
    QCoreApplication.setApplicationName(APP)
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "annotations.db"


def dark_palette() -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    window, base, text = QColor("#2b2d30"), QColor("#1e1f22"), QColor("#dfe1e5")
    for role, colour in {
        roles.Window: window, roles.WindowText: text, roles.Base: base,
        roles.AlternateBase: QColor("#26282b"), roles.ToolTipBase: QColor("#3c3f41"),
        roles.ToolTipText: text, roles.PlaceholderText: QColor("#8c8f94"), roles.Text: text,
        roles.Button: QColor("#35373b"), roles.ButtonText: text, roles.BrightText: QColor("#ff6b6b"),
        roles.Light: QColor("#45484d"), roles.Midlight: QColor("#3a3d41"),
        roles.Mid: QColor("#2f3134"), roles.Dark: QColor("#18191b"), roles.Shadow: QColor("#000"),
        roles.Highlight: QColor("#2f65ca"), roles.HighlightedText: QColor("#ffffff"),
        roles.Link: QColor("#6ea8fe"), roles.LinkVisited: QColor("#b490f5"),
    }.items():
        p.setColor(role, colour)
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f737a"))
    return p


def apply_color_scheme(app: QApplication, scheme: str) -> None:
    """'light' or 'dark' forces a palette (Fusion style); anything else follows the system."""
    scheme = (scheme or "").lower()
    if scheme not in ("light", "dark"):
        return
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+
        hints.setColorScheme(Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setDesktopFileName(DESKTOP_ID)
    from annotator.ui.icons import app_icon

    app.setWindowIcon(app_icon())
    apply_color_scheme(app, os.environ.get("ANNOTATOR_COLOR_SCHEME", ""))
    return app


def run_gui(db_path: str | None = None) -> int:
    app = make_app()
    from annotator.ui.main_window import MainWindow

    path = Path(db_path) if db_path else default_db_path()
    window = MainWindow(path)
    window.show()
    quit_after_ms = os.environ.get("ANNOTATOR_QUIT_AFTER_MS")  # smoke tests of the built app
    if quit_after_ms:
        QTimer.singleShot(int(quit_after_ms), app.quit)
    try:
        return app.exec()
    finally:
        from annotator.ui.jobs import stop_model_processes

        stop_model_processes()  # the model's worker process ends with the app
