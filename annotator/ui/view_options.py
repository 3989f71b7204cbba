"""How the article is shown, kept between runs: text zoom, label tags, hidden layers.

The View menu's commands (ui/commands.py) and the legend's layer switches call these; `install`
restores the settings into a new window and wires the legend and Ctrl + wheel to them. Qt-free:
it only calls the view, the legend, the actions and the settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.context import Ctx

# The layers of the default schema with a command (and key) each; the legend switches any group.
LAYER_COMMANDS = (("entity", "Show &Entities"), ("speech", "Show S&peech"),
                  ("threat", "Show T&hreats"), ("event", "Show E&vents"))
_TITLES = {"entity": "Entities", "speech": "Speech", "threat": "Threats", "event": "Events"}


def layer_title(group: str) -> str:
    return _TITLES.get(group, group.replace("_", " ").capitalize())


def zoom(c: Ctx, step: int) -> None:
    """One step larger (1) or smaller (-1), or back to the default size (0)."""
    view = c.window.view
    c.prefs.set("view/zoom", view.set_zoom(view.zoom + step if step else 0))


def set_tags(c: Ctx, on: bool) -> None:
    c.window.view.set_show_tags(on)
    c.prefs.set("view/tags", on)


def set_layer(c: Ctx, group: str, visible: bool) -> None:
    view = c.window.view
    view.set_layer_visible(group, visible)
    selected = view.index.get(c.session.selected) if c.session.selected is not None else None
    if selected is not None and not view.visible(selected):
        c.session.select(None)  # Enter or Delete must not decide on a span no longer shown
    c.prefs.set("view/hidden_layers", sorted(view.hidden_groups))
    c.window.legend.set_hidden(view.hidden_groups)
    action = c.window.actions.by_name.get(f"layer_{group}")
    if action is not None and action.isChecked() != visible:
        action.setChecked(visible)  # the legend switched it: the menu follows


def _toggle_from_legend(c: Ctx, group: str) -> None:
    set_layer(c, group, group in c.window.view.hidden_groups)


def install(c: Ctx) -> None:
    """Restore zoom, tags and hidden layers from the settings, and connect the legend's layer
    switches, Ctrl + wheel and the arcs' relation source."""
    window, view = c.window, c.window.view
    view.relation_source = c.session.relations_of
    view.set_zoom(c.prefs.get("view/zoom"))
    view.zoom_changed.connect(lambda steps: c.prefs.set("view/zoom", steps))
    hidden = set(c.prefs.get("view/hidden_layers"))
    for group in hidden:
        view.set_layer_visible(group, False)
    for group, _text in LAYER_COMMANDS:
        window.actions.by_name[f"layer_{group}"].setChecked(group not in hidden)
    window.actions.show_tags.setChecked(c.prefs.get("view/tags"))
    view.set_show_tags(c.prefs.get("view/tags"))
    window.legend.set_hidden(view.hidden_groups)
    window.legend.layer_clicked.connect(lambda group: _toggle_from_legend(c, group))
