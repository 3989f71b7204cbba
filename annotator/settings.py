"""Every setting the app keeps between runs: one table of key, default and type, one reader.

Why a table: otherwise the defaults scatter over the window and the backups (and the ini files
QSettings writes give back "true" and "10" as strings). Here each key is declared once; `Settings`
reads through the table and converts, so a caller gets a real bool/int/float/list or the default,
never a string it has to parse. Qt-free: the backend is anything with `value(key)` and
`setValue(key, value)` (QSettings in the app, a dict-like object in a test).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: type | None  # str, bool, int, float, list; None = stored as is (Qt byte arrays)
    doc: str
    minimum: float | None = None  # numbers below are raised to it


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("annotator/name", "", str, "Name recorded with every label (asked once)"),
    Setting("model/name", "", str,
            "spaCy pipeline for suggestions: package, folder, 'blank:en'; '' = best installed"),
    Setting("view/snap", True, bool, "Widen selections to whole words"),
    Setting("view/show_rejected", False, bool, "Show rejected suggestions, struck through"),
    Setting("view/zoom", 0, int, "Article text size in steps of 10% (Ctrl + / Ctrl - / Ctrl 0)",
            minimum=-5),
    Setting("view/tags", True, bool, "A small label tag over each span"),
    Setting("view/hidden_layers", [], list,
            "Label groups (entity, speech, threat, event) hidden in the article"),
    Setting("database/busy_timeout_seconds", 5.0, float,
            "How long to wait for another program's write lock", minimum=0.0),
    Setting("backup/interval_minutes", 10.0, float,
            "Minutes between rolling backups (fractions allowed); 0 = only when a project opens"),
    Setting("backup/keep", 10, int, "Rolling backups kept per project", minimum=1),
    Setting("recent/projects", [], list, "Recently opened projects, newest first"),
    Setting("recent/positions", [], list,
            "Last open document and scroll position per project, newest first: "
            "'<doc id> <first visible character> <project path>'"),
    Setting("import/folder", "", str, "Folder the last import came from"),
    Setting("export/format", "", str, "Format of the last export"),
    Setting("export/folder", "", str, "Folder the last export went to"),
    Setting("window/geometry", None, None, "Window size and position (QByteArray)"),
    Setting("window/state", None, None, "Toolbar and dock layout (QByteArray)"),
)}

RECENT_MAX = 8  # entries kept in recent/projects
POSITIONS_MAX = 32  # projects whose last document and scroll position are kept


def _convert(kind: type, value: Any) -> Any:
    if kind is bool:
        return value.strip().lower() in ("1", "true", "yes", "on") if isinstance(value, str) \
            else bool(value)
    if kind is list:
        if isinstance(value, str):  # QSettings gives a one-element list back as its element
            return [value] if value else []
        return [str(v) for v in value]
    return kind(value)


def convert(setting: Setting, value: Any) -> Any:
    """A stored value as the setting's type; the default when missing or unreadable."""
    if value is None or setting.kind is None:
        return setting.default if value is None else value
    try:
        value = _convert(setting.kind, value)
    except (TypeError, ValueError):
        return setting.default
    if setting.minimum is not None:
        value = max(type(value)(setting.minimum), value)
    return value


class Settings:
    """Typed access to the settings backend; unknown keys are an error (declare them above)."""

    def __init__(self, backend):
        self.backend = backend

    def get(self, key: str) -> Any:
        return convert(SETTINGS[key], self.backend.value(key))

    def set(self, key: str, value: Any) -> None:
        SETTINGS[key]  # noqa: B018 -- KeyError for an undeclared key
        self.backend.setValue(key, value)

    def sync(self) -> None:
        self.backend.sync()
