"""Builds the window's commands from the registry (ui/commands.py): QActions, menus, toolbar,
the F1 shortcut help and enablement. The one place that turns a `Command` into Qt.

`window.actions.<name>` is the QAction of a command; `labels` holds the label actions generated
from the schema.
"""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QToolBar, QWidget

from annotator.schema import LabelSchema
from annotator.ui.commands import (
    COMMANDS,
    MENUS,
    PROVIDED,
    SUBMENUS,
    TOOLBAR,
    Command,
    UiState,
    label_command,
    plain,
)
from annotator.ui.icons import themed_icon


def _native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def tooltip(cmd: Command) -> str:
    text = plain(cmd.tip or cmd.text)
    return f"{text} ({_native(cmd.keys[0])})" if cmd.keys else text


def make_action(parent: QObject, cmd: Command, palette: QPalette | None = None) -> QAction:
    action = QAction(cmd.text, parent)
    action.setObjectName(cmd.name)
    if cmd.keys:
        action.setShortcuts([QKeySequence(k) for k in cmd.keys])
    if cmd.view:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(tooltip(cmd))
    action.setStatusTip(cmd.tip)
    action.setCheckable(cmd.checkable)
    if cmd.icon_text:
        action.setIconText(cmd.icon_text)
    if cmd.icon and palette is not None:
        action.setIcon(themed_icon(cmd.icon, palette))
    return action


class Actions:
    """All command actions by name (attribute access), plus the label actions."""

    def __init__(self, window: QWidget, view: QWidget, schema: LabelSchema, ctx):
        self.window = window
        self.view = view
        self.ctx = ctx
        self.by_name: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}  # top-level menus and submenus by title / name
        for cmd in COMMANDS:
            action = make_action(window, cmd, window.palette())
            self._connect(action, cmd)
            self.by_name[cmd.name] = action
            (view if cmd.view else window).addAction(action)
        self.labels: dict[str, QAction] = {}
        self._label_commands: list[Command] = []
        self.set_schema(schema)

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["by_name"][name]
        except KeyError:
            raise AttributeError(name) from None

    def _connect(self, action: QAction, cmd: Command) -> None:
        if cmd.checkable:
            action.toggled.connect(lambda on, run=cmd.run: run(self.ctx, on))
        else:
            action.triggered.connect(lambda _c=False, run=cmd.run: run(self.ctx))

    # --- menus and toolbar -----------------------------------------------------------------------

    def build_menus(self, bar: QMenuBar) -> None:
        """The menu bar: each menu's entries by group (separated) and order."""
        entries: dict[str, list] = {title: [] for title in MENUS}
        for cmd in COMMANDS:
            for place in cmd.menus:
                entries[place.where].append((place, "action", self.by_name[cmd.name]))
        for sub in SUBMENUS:
            entries[sub.place.where].append((sub.place, "submenu", sub))
        for prov in PROVIDED:
            entries[prov.place.where].append((prov.place, "provided", prov))
        for title in MENUS:
            menu = bar.addMenu(title)
            self.menus[title] = menu
            self._fill(menu, entries[title])

    def _fill(self, menu: QMenu, entries: list) -> None:
        entries.sort(key=lambda e: (e[0].group, e[0].order))
        for i, (_group, items) in enumerate(groupby(entries, key=lambda e: e[0].group)):
            if i:
                menu.addSeparator()
            for _place, kind, item in items:
                if kind == "action":
                    menu.addAction(item)
                elif kind == "provided":
                    menu.addActions(item.actions(self.ctx))
                else:
                    sub = menu.addMenu(item.title)
                    sub.aboutToShow.connect(
                        lambda s=sub, fill=item.fill: fill(self.ctx, s))
                    self.menus[item.name] = sub

    def build_toolbar(self, window: QMainWindow) -> QToolBar:
        bar = window.addToolBar(TOOLBAR)
        bar.setObjectName("mainToolBar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        placed = sorted(((c.toolbar.group, c.toolbar.order), c.name) for c in COMMANDS
                        if c.toolbar is not None)
        for i, (_group, items) in enumerate(groupby(placed, key=lambda p: p[0][0])):
            if i:
                bar.addSeparator()
            bar.addActions([self.by_name[name] for _key, name in items])
        return bar

    def fill_label_menu(self, menu: QMenu) -> None:
        menu.clear()
        menu.addActions(list(self.labels.values()))

    # --- state ------------------------------------------------------------------------------------

    def apply(self, state: UiState) -> None:
        """Enable each command by its predicate (commands without one stay enabled)."""
        for cmd in COMMANDS:
            if cmd.enabled is not None:
                self.by_name[cmd.name].setEnabled(cmd.enabled(state))

    def refresh_icons(self, palette: QPalette) -> None:
        """Redraw the bundled icons in the new palette's colours (light <-> dark)."""
        for cmd in COMMANDS:
            if cmd.icon:
                self.by_name[cmd.name].setIcon(themed_icon(cmd.icon, palette))

    def set_schema(self, schema: LabelSchema) -> None:
        for action in self.labels.values():
            self.view.removeAction(action)
            action.deleteLater()
        self.labels = {}
        self._label_commands = [label_command(lab) for lab in schema.labels]
        for cmd, lab in zip(self._label_commands, schema.labels, strict=True):
            action = make_action(self.window, cmd)
            action.setData(lab.name)
            self._connect(action, cmd)
            self.view.addAction(action)
            self.labels[lab.name] = action

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what) for the help dialog: the labels, then every command with keys."""
        return [(", ".join(_native(k) for k in cmd.keys), plain(cmd.tip or cmd.text))
                for cmd in [*self._label_commands, *COMMANDS] if cmd.keys]
