"""Every file dialog of the app: they list a folder without opening any file in it.

Why: the open project is guarded by SQLite's POSIX advisory locks, and POSIX drops every lock a
process holds on a file as soon as the process closes ANY descriptor of that file. Qt's widget
file dialog (used offscreen and on many Linux desktops) looks up each listed file's MIME type
and icon by reading its first bytes: listing the project's own folder opened `PROJECT.db`,
`-wal` and `-shm` and closed them again, which silently dropped the window's locks (/proc/locks
1 -> 0), so the next CLI run believed it was alone and deleted the window's write-ahead log.

So each dialog here is Qt's widget dialog with `NameOnlyIcons`, which answers icons and the type
column from the file name alone (checked with strace and /proc/locks: no open at all). On Windows
the native dialog stays: its locks belong to the handle that took them, not to the process.
The functions mirror QFileDialog's static ones, so tests replace them the same way.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

Mode = QFileDialog.FileMode


class NameOnlyIcons(QFileIconProvider):
    """Folder or file icon, and 'TXT File'-like types, from the name: never opens the file."""

    def __init__(self):
        super().__init__()
        self.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)

    def icon(self, what):  # noqa: D102 - Qt calls it with a QFileInfo or an IconType
        if isinstance(what, QFileInfo):
            kind = QFileIconProvider.IconType.Folder if what.isDir() else QFileIconProvider.IconType.File
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} File" if suffix else "File"


_icons: NameOnlyIcons | None = None  # one provider for every dialog (Qt does not own it)


def make_dialog(parent: QWidget | None, caption: str, folder: str = "", name_filter: str = "",
                mode: Mode = Mode.ExistingFile, save: bool = False) -> QFileDialog:
    """A file dialog that opens no file to list a folder (see the module docstring)."""
    global _icons
    if _icons is None:
        _icons = NameOnlyIcons()
    dialog = QFileDialog(parent, caption, folder, name_filter)
    if sys.platform != "win32":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setIconProvider(_icons)
    dialog.setFileMode(mode)
    if mode == Mode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        return dialog.selectedFiles() if dialog.exec() else []
    finally:
        dialog.deleteLater()


def get_open_file_name(parent, caption: str, folder: str = "", name_filter: str = "") -> tuple[str, str]:
    chosen = _run(make_dialog(parent, caption, folder, name_filter))
    return (chosen[0], name_filter) if chosen else ("", "")


def get_open_file_names(parent, caption: str, folder: str = "",
                        name_filter: str = "") -> tuple[list[str], str]:
    chosen = _run(make_dialog(parent, caption, folder, name_filter, Mode.ExistingFiles))
    return chosen, name_filter if chosen else ""


def get_save_file_name(parent, caption: str, folder: str = "", name_filter: str = "") -> tuple[str, str]:
    chosen = _run(make_dialog(parent, caption, folder, name_filter, Mode.AnyFile, save=True))
    return (chosen[0], name_filter) if chosen else ("", "")


def get_existing_directory(parent, caption: str, folder: str = "") -> str:
    chosen = _run(make_dialog(parent, caption, folder, mode=Mode.Directory))
    return chosen[0] if chosen else ""
