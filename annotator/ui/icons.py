"""Toolbar and menu icons that follow the palette.

The desktop's icon theme wins where there is one (freedesktop names). Otherwise the bundled
line icons in resources/icons/actions/*.svg are drawn in the palette's button-text colour, so
they stay visible on a dark palette, at several sizes for high-DPI screens.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from annotator.resources import resources_dir

SIZES = (16, 20, 24, 32, 48, 64)


@lru_cache(maxsize=64)
def _svg(name: str) -> str | None:
    path = resources_dir() / "icons" / "actions" / f"{name}.svg"
    return path.read_text(encoding="utf-8") if path.exists() else None


def _pixmap(svg: str, colour: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode("utf-8")))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return QPixmap.fromImage(image)


def themed_icon(name: str, palette: QPalette) -> QIcon:
    if not name:
        return QIcon()
    if QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    svg = _svg(name)
    if svg is None:
        return QIcon()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText).name()
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(_pixmap(svg, normal, size), QIcon.Mode.Normal)
        icon.addPixmap(_pixmap(svg, disabled, size), QIcon.Mode.Disabled)
    return icon


def app_icon() -> QIcon:
    """The app icon: PNGs in several sizes (crisp at any DPI) plus the SVG where supported."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for path in sorted(folder.glob("app-*.png")):
        icon.addFile(str(path))
    if (folder / "app.svg").exists():
        icon.addFile(str(folder / "app.svg"))
    return icon
