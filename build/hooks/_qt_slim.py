"""Which Qt plugins and translations the bundle keeps (used by the PySide6 hooks beside this file).

PyInstaller's own PySide6 hooks collect every plugin of every type a Qt module can use (virtual
keyboard, eglfs, vnc, SQL drivers, TLS ...), and the libraries those plugins link (QtQuick, QtQml,
QtNetwork ...) then follow as dependencies. Filtering inside the hook, before the dependency scan,
keeps those libraries out; filtering the TOC after Analysis would leave them in.

A plugin type missing from KEEP is dropped whole; ALL keeps every plugin of that type.
Translations are dropped: the interface is English only.
"""

from __future__ import annotations

import os
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

ALL = None
_PLATFORMS = {
    "linux": ("xcb", "wayland", "offscreen"),   # X11, Wayland, headless (tests, CI)
    "win32": ("windows", "offscreen", "direct2d"),
    "darwin": ("cocoa", "offscreen"),
}

KEEP: dict[str, tuple[str, ...] | None] = {
    "platforms": _PLATFORMS.get(sys.platform, _PLATFORMS["linux"]),
    "platforms/darwin": ALL,              # macOS: cocoa's helpers
    # Not gtk3: it links GTK/pango/cairo, which PyInstaller would bundle from the build machine
    # and mix with the user's system GTK; the portal theme gives native dialogs over D-Bus.
    "platformthemes": ("xdgdesktopportal",),
    "platforminputcontexts": ("compose", "ibus"),  # dead keys, input methods (no virtual keyboard)
    "iconengines": ALL,                   # SVG icons
    "imageformats": ("svg", "ico"),       # PNG is built into QtGui
    "styles": ALL,                        # Windows 11 / macOS styles
    "accessiblebridge": ALL,
    "wayland-shell-integration": ("xdg-shell",),
    "wayland-decoration-client": ALL,
}


def _plugin_type(dest_dir: str) -> str | None:
    parts = dest_dir.replace("\\", "/").split("/")
    if "plugins" not in parts:
        return None
    return "/".join(parts[parts.index("plugins") + 1:])


def keep_binary(src: str, dest_dir: str) -> bool:
    kind = _plugin_type(dest_dir)
    if kind is None:
        return True
    if kind not in KEEP:
        return False
    wanted = KEEP[kind]
    if wanted is ALL:
        return True
    stem = os.path.basename(src).split(".")[0]
    return any(token in stem for token in wanted)


def keep_data(src: str, dest_dir: str) -> bool:
    return "translations" not in dest_dir.replace("\\", "/").split("/")


def slim_qt6_dependencies(hook_file: str):
    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    binaries = [(s, d) for s, d in binaries if keep_binary(s, d)]
    datas = [(s, d) for s, d in datas if keep_data(s, d)]
    return hiddenimports, binaries, datas
