"""Reviewing and labelling in the article: the label keys, accept / reject, moving between
suggestions, link mode, undo / redo. Turns what the user does in the view into session intents.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QMenu

from annotator import link_targets
from annotator.domain import ACCEPTED, SUGGESTED
from annotator.ui.article_view import ArticleView
from annotator.ui.session import Session


class Review(QObject):
    message = Signal(str, int)  # text for the status bar, timeout in ms
    state_changed = Signal()  # link mode entered or left: commands to enable change
    link_prompt = Signal(str)  # the link-mode banner's text; "" when link mode ends

    def __init__(self, session: Session, view: ArticleView, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.view = view
        self.link_head: int | None = None

    # --- labelling --------------------------------------------------------------------------------

    def apply_label(self, label: str) -> None:
        """The label key: label the selected words, or relabel the selected span."""
        if self.session.doc is None:
            return
        rng = self.view.selection_range()
        if rng is not None:
            same = [e.span for e in self.view.spans_exactly(*rng) if e.span.label == label]
            self.view.clear_text_selection()
            if same:  # the words already carry this label: accept and select it
                if same[0].status != ACCEPTED:
                    self.session.accept(same[0].id)
                self.session.select(same[0].id)
            else:
                self.session.label_range(rng[0], rng[1], label)
            return
        if self.view.textCursor().hasSelection():
            self.message.emit("Nothing to label: the selection holds no word.", 6000)
            return
        span = self.session.selected_span()
        if span is None:
            self.message.emit("Select some words first, then press the label's key.", 6000)
        elif span.label != label:
            self.session.relabel(span.id, label)
        elif span.status != ACCEPTED:
            self.session.accept(span.id)

    def accept_selected(self) -> None:
        """Enter: accept the selected suggestion and move on to the next one (as Delete does);
        in link mode, link to the candidate."""
        if self.link_head is not None:
            if self.view.link_candidate is not None:
                self.finish_link(self.view.link_candidate, self._candidate_pos())
            else:
                self.message.emit("Press Tab to pick a span, or click one; Esc leaves.", 4000)
            return
        span = self.session.selected_span()
        if span is None or span.status == ACCEPTED:
            return
        self.session.accept(span.id)
        entry = self.next_shown(SUGGESTED, after=span.id)
        if entry is not None:
            self.session.select(entry.id)
        else:
            self.message.emit("No suggestions left in this document.", 3000)

    def next_shown(self, status: str | None, after: int | None = None, pos: int = 0,
                   backwards: bool = False):
        """The next span on screen (of `status`, or any) after span `after` or position `pos`.
        The only way keys find where to go: a span of a hidden layer is never selected, so the
        next Enter or Delete cannot decide on a label nobody saw."""
        return self.view.index.neighbour(after, pos, backwards=backwards,
                                         pred=lambda e: self.view.visible(e)
                                         and (status is None or e.span.status == status))

    def accept_links(self) -> None:
        """Accept every open (suggested) link of the selected span, with their ends."""
        span = self.session.selected_span()
        if span is None:
            self.message.emit("Select a span first: its suggested links will be accepted.", 6000)
            return
        hidden = {other.id for _rel, other, _out in self.session.open_links(span.id)
                  if (entry := self.view.index.get(other.id)) is not None
                  and not self.view.visible(entry)}
        n = self.session.accept_links(span.id, leave=hidden)
        text = (f"Accepted {n} suggested link(s) of this {span.label}." if n
                else f"This {span.label} has no open links.")
        if hidden:  # a key decides only on what is shown
            text += f" {len(hidden)} link(s) to spans of hidden layers left open: show them first."
        self.message.emit(text, 6000)

    def reject_selected(self) -> None:
        span = self.session.selected_span()
        if span is None:
            return
        done = self.session.reject_or_delete(span.id)
        if done:
            self.message.emit(f"{span.label} {done}.", 3000)
        if done == "rejected" and not self.view.highlighter.show_rejected:
            # The rejected span disappears: carry on with the next suggestion, if any.
            entry = self.next_shown(SUGGESTED, after=span.id)
            self.session.select(entry.id if entry is not None else None)

    def accept_all(self) -> None:
        span = self.session.selected_span()
        if span is None:
            self.message.emit("Select a span first: its label's suggestions will be accepted.",
                              6000)
            return
        n = self.session.accept_all(span.label)
        self.message.emit(f"Accepted {n} {span.label} suggestion(s) in this document.", 4000)

    def step(self, status: str | None, direction: int) -> None:
        """Tab / Shift+Tab (suggestions) and Alt+arrows (any span); in link mode: candidates."""
        backwards = direction < 0
        pos = self.view.textCursor().position()
        if self.link_head is not None:
            self._step_candidate(direction)
            return
        entry = self.next_shown(status, self.session.selected, pos, backwards)
        if entry is None:
            self.message.emit("No suggestions left in this document." if status == SUGGESTED
                              else "No labels in this document.", 3000)
            return
        self.session.select(entry.id)

    def span_clicked(self, span_id, global_pos: QPoint) -> None:
        if self.link_head is not None:
            head = self.session.spans.get(self.link_head)
            stacked = [self.session.spans[i] for i in self.view.clicked_ids
                       if i in self.session.spans]
            target = link_targets.best_target(self.session.schema, head, stacked) if head else None
            if target is not None:
                self.finish_link(target.id, global_pos)
            elif stacked:
                self.message.emit(f"Nothing here can be linked to this {head.label}; click "
                                  "another span or press Esc.", 6000)
            return
        self.session.select(span_id)

    def jump_to(self, span_id: int) -> None:
        self.session.select(span_id)
        self.view.setFocus()

    def cancel(self) -> None:
        if self.link_head is not None:
            self.cancel_link()
            self.message.emit("Link cancelled.", 2000)
        else:
            self.view.clear_text_selection()
            self.session.select(None)

    def undo(self) -> None:
        self.cancel_link()
        action = self.session.undo()
        self.message.emit(f"Undone: {action.kind.replace('_', ' ')}." if action
                          else "Nothing to undo.", 3000)

    def redo(self) -> None:
        self.cancel_link()
        action = self.session.redo()
        self.message.emit(f"Redone: {action.kind.replace('_', ' ')}." if action
                          else "Nothing to redo.", 3000)

    # --- linking ----------------------------------------------------------------------------------

    def _roles(self, a, b) -> tuple[list[str], bool]:
        return link_targets.roles_between(self.session.schema, a, b)

    def _candidates(self, head) -> list:
        """Spans a link from `head` can reach, nearest first (link_targets.candidates)."""
        shown = [e.span for e in self.view.index.entries() if self.view.visible(e)]
        return link_targets.candidates(self.session.schema, head, shown)

    def _step_candidate(self, direction: int) -> None:
        """Tab / Shift+Tab in link mode: the next or previous candidate, nearest first."""
        head = self.session.spans.get(self.link_head)
        if head is None:
            return
        order = [s.id for s in self._candidates(head)]
        if not order:
            self.message.emit(f"Nothing in this document can be linked to this {head.label}.",
                              4000)
            return
        current = self.view.link_candidate
        if current in order:
            chosen = order[(order.index(current) + (1 if direction > 0 else -1)) % len(order)]
        else:
            chosen = order[0 if direction > 0 else -1]
        self.view.set_link_mode(self.link_head, chosen)
        self._prompt()

    def _prompt(self) -> None:
        head = self.session.spans.get(self.link_head) if self.link_head is not None else None
        if head is None or self.session.doc is None:
            self.link_prompt.emit("")
            return
        cand = self.session.spans.get(self.view.link_candidate) \
            if self.view.link_candidate is not None else None
        self.link_prompt.emit(link_targets.prompt(self.session.schema, head,
                                                  self.session.doc.text, cand))

    def start_link(self) -> None:
        span = self.session.selected_span()
        if span is None:
            self.message.emit("Select a quote, threat or event first, then press L.", 6000)
            return
        schema = self.session.schema
        if not any(span.label in r.heads or span.label in r.tails for r in schema.relations):
            self.message.emit(f"{span.label} takes part in no relation.", 6000)
            return
        self.link_head = span.id
        self.view.clear_text_selection()
        self.view.set_link_mode(span.id)
        self.state_changed.emit()
        self._prompt()

    def cancel_link(self) -> None:
        if self.link_head is not None:
            self.link_head = None
            self.view.set_link_mode(None)
            self.link_prompt.emit("")
            self.state_changed.emit()

    def _candidate_pos(self) -> QPoint:
        entry = self.view.index.get(self.view.link_candidate)
        rects = self.view.range_rects(entry.start, entry.end) if entry else []
        point = rects[0].bottomLeft().toPoint() if rects else QPoint(0, 0)
        return self.view.viewport().mapToGlobal(point)

    def choose_role(self, roles: list[str], global_pos: QPoint) -> str | None:
        """Ask which role when several fit (a small menu at the click). Tests replace this."""
        menu = QMenu(self.view)
        for role in roles:
            menu.addAction(role).setData(role)
        chosen = menu.exec(global_pos)
        return chosen.data() if chosen else None

    def finish_link(self, other_id: int, global_pos: QPoint) -> None:
        head = self.session.spans.get(self.link_head)
        other = self.session.spans.get(other_id)
        if head is None or other is None:
            self.cancel_link()
            return
        roles, swapped = self._roles(head, other)
        if not roles:
            self.message.emit(f"No relation joins {head.label} and {other.label}; "
                              "click another span or press Esc.", 6000)
            return
        role = roles[0] if len(roles) == 1 else self.choose_role(roles, global_pos)
        if not role:
            return
        h, t = (other, head) if swapped else (head, other)
        self.cancel_link()
        if self.session.link(h.id, t.id, role) is not None:
            self.session.select(head.id)
            self.message.emit(f"Linked: {h.label} {role} {t.label}.", 3000)
