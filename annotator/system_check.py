"""Before the window opens: are the system libraries Qt's X11 (xcb) platform plugin needs there?

PySide6 wheels carry Qt itself but not the X11/xcb libraries of the desktop. On a bare Linux
install Qt then aborts with one terse line that names only the first library it missed (and
sometimes the wrong one). We ask the dynamic linker about every library the xcb plugin needs,
before Qt is imported, and print every missing one with the exact install command for Debian/
Ubuntu and Fedora. No Qt import here: this runs before QApplication exists.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# soname -> (Debian/Ubuntu package, Fedora package). The xcb plugin's and Qt Gui's runtime
# dependencies as listed in Qt 6's "Qt for X11 Requirements", plus what the wheels link to.
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

NON_XCB_PLATFORMS = ("offscreen", "minimal", "wayland", "eglfs", "linuxfb", "vnc", "vkkhrdisplay")


@dataclass(frozen=True)
class Missing:
    soname: str
    debian: str  # package name, "" when unknown
    fedora: str


def qt_plugin_dir() -> Path | None:
    """Where PySide6's Qt plugins are, installed or frozen, without importing Qt."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "PySide6" / "Qt" / "plugins")
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            candidates += [Path(loc) / "Qt" / "plugins", Path(loc) / "plugins"]
    return next((c for c in candidates if (c / "platforms").is_dir()), None)


def uses_xcb(environ: os._Environ | dict = os.environ, platform: str = sys.platform) -> bool:
    """Qt will try the xcb plugin: Linux, and no other platform chosen explicitly."""
    if not platform.startswith("linux"):
        return False
    chosen = (environ.get("QT_QPA_PLATFORM") or "").split(";")[0].split(":")[0].strip().lower()
    if not chosen and environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return False  # Qt picks its Wayland plugin on a Wayland session
    return chosen not in NON_XCB_PLATFORMS


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _ldd_not_found(binary: Path) -> list[str]:
    """Sonames the dynamic linker cannot find for `binary` (via ldd, when there is one)."""
    ldd = shutil.which("ldd")
    if ldd is None or not binary.exists():
        return []
    try:
        out = subprocess.run([ldd, str(binary)], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]


def missing_libraries(loadable=_loadable, plugin_dir: Path | None = None) -> list[Missing]:
    """Every library the xcb plugin needs that cannot be loaded, known ones with packages."""
    missing = {soname: Missing(soname, *packages) for soname, packages in XCB_LIBRARIES.items()
               if not loadable(soname)}
    plugin_dir = plugin_dir if plugin_dir is not None else qt_plugin_dir()
    if plugin_dir is not None:
        xcb = plugin_dir / "platforms" / "libqxcb.so"
        qpa = plugin_dir.parent / "lib" / "libQt6XcbQpa.so.6"
        for binary in (xcb, qpa):
            for soname in _ldd_not_found(binary):
                if soname not in missing and not soname.startswith("libQt6"):
                    missing[soname] = Missing(soname, "", "")
    return sorted(missing.values(), key=lambda m: m.soname)


def install_advice(missing: list[Missing]) -> str:
    """The message for the terminal: what is missing and the exact commands that install it."""
    debian = sorted({m.debian for m in missing if m.debian})
    fedora = sorted({m.fedora for m in missing if m.fedora})
    lines = ["News Annotator cannot open its window: Qt's X11 (xcb) platform plugin needs "
             "system libraries that are not installed:"]
    lines += [f"  {m.soname}" + (f"  (Debian/Ubuntu: {m.debian}, Fedora: {m.fedora})"
                                 if m.debian else "  (package unknown)") for m in missing]
    if debian:
        lines += ["", "Install them with:",
                  f"  Debian/Ubuntu:  sudo apt-get install {' '.join(debian)}",
                  f"  Fedora:         sudo dnf install {' '.join(fedora)}"]
    lines += ["", "(The command line works without them: `annotator --help`.)"]
    return "\n".join(lines)


def check_gui_libraries(environ=os.environ) -> str | None:
    """None when the GUI can start, else the message to print (and exit non-zero)."""
    if not uses_xcb(environ):
        return None
    missing = missing_libraries()
    return install_advice(missing) if missing else None
