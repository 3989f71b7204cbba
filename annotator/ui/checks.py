"""Questions before finishing: "Done" with unreviewed suggestions, exports that would miss links.

Both are where the analyst's output went wrong quietly: a document marked done with its
suggestions never looked at, a "who said what" table whose speaker column came out empty
because the SAID_BY links were still suggestions. Qt-free: the questions go through
`Feedback.ask`, the work through the session and the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.domain import SUGGESTED
from annotator.services.link_gaps import link_gaps

if TYPE_CHECKING:
    from annotator.ui.context import Ctx

ACCEPT, LEAVE, CANCEL = "accept", "leave", "cancel"
INCLUDE, AS_IS = "include", "as_is"


def mark_done(c: Ctx) -> None:
    """Ctrl+Enter: mark the document done and go on; with suggestions left, ask first whether
    to accept them all (one undo step), leave them as suggestions, or not mark it done."""
    session = c.session
    if session.doc is None:
        return
    left = session.counts()[SUGGESTED]
    if left:
        view = c.window.view
        hidden = sum(1 for e in view.index.entries()
                     if e.span.status == SUGGESTED and not view.visible(e))
        unseen = f" ({hidden} of them on hidden layers, not shown)" if hidden else ""
        answer = c.feedback.ask(
            "Unreviewed suggestions",
            f"This document still has {left} suggestion(s) nobody has reviewed{unseen}.",
            [(ACCEPT, "&Accept all"), (LEAVE, "&Leave them"), (CANCEL, "Cancel")],
            default=LEAVE,
            detail="Accept all: every suggestion becomes an accepted label (one step, Ctrl+Z "
                   "undoes it). Leave them: they stay suggestions, which accepted-only exports "
                   "leave out.")
        if answer is None:
            c.feedback.message("Not marked done.", 3000)
            return
        if answer == ACCEPT:
            n = session.accept_suggestions()
            c.feedback.message(f"Accepted {n} suggestion(s).", 4000)
    c.window.mark_done_and_next()


def export(c: Ctx) -> None:
    """File > Export: the dialog, then, for an accepted-only export, what it would miss."""
    values = c.files.choose_export()
    if not values:
        return
    if not values.get("include_suggestions") and c.session.store is not None:
        gaps = link_gaps(c.session.store, values.get("doc_status", ""))
        if gaps:
            answer = _ask_links(c, gaps)
            if answer is None:
                c.feedback.message("Export cancelled.", 3000)
                return
            values["include_links"] = answer == INCLUDE
    c.window.export(**values)


def _ask_links(c: Ctx, gaps) -> str | None:
    first, rest = gaps[0], gaps[1:]
    lines = [g.detail() + "." for g in gaps]
    fillable = sum(g.suggested for g in gaps)
    return c.feedback.ask(
        "Links missing from the export",
        f"{first.sentence()}{' (and more, below)' if rest else ''} - include suggested links?",
        [(INCLUDE, "&Include"), (AS_IS, "&Export as is"), (CANCEL, "Cancel")],
        default=INCLUDE if fillable else AS_IS,
        detail="\n".join(lines) + "\n\nInclude: the suggested links of accepted labels (and "
               "the spans they reach) are exported too, marked as suggestions.")
