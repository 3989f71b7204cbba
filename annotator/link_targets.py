"""Which span a link made by hand lands on, the Tab order of candidates, the link-mode prompt.

Spans stack: an accepted SPEAKER over a suggested PERSON over the same words, a PERSON inside an
accepted QUOTE. A click must land on the span that fits the role being linked, not on whichever
is drawn on top (a link to the PERSON suggestion was lost from accepted-only exports). Order:
the role (the head's roles in schema order: an actor for SAID_BY/SOURCE before the QUOTE a
THREAT is EXPRESSED_IN), then accepted before suggested, then the role's preferred label (its
first tail in the schema: SPEAKER for SAID_BY), then innermost. Qt-free, no store.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.domain import ACCEPTED, Span
from annotator.schema import LabelSchema, RelationRole

NOUNS = {"SAID_BY": "the speaker", "SOURCE": "the source", "TARGET": "the target",
         "CUE": "the speech verb", "CONDITION": "the condition", "EXPRESSED_IN": "the quote",
         "PARTICIPANT": "a participant", "PLACE": "the place", "TIME": "the time",
         "CASUALTIES": "the casualties", "SAME_AS": "the same entity"}


def roles_between(schema: LabelSchema, a: Span, b: Span) -> tuple[list[str], bool]:
    """Roles that can join span a to span b, or else b to a (then swapped=True)."""
    roles = [r.role for r in schema.roles_for(a.label, b.label)]
    if roles:
        return roles, False
    return [r.role for r in schema.roles_for(b.label, a.label)], True


def _rank(schema: LabelSchema, head: Span, span: Span) -> tuple | None:
    """Sort key of `span` as the other end of a link from `head`; None: no role fits."""
    roles, swapped = roles_between(schema, head, span)
    if not roles:
        return None
    order = [r.role for r in schema.relations]
    role = min(roles, key=order.index)
    spec = schema.role(role)
    preferred = not swapped and bool(spec.tail_order) and spec.tail_order[0] == span.label
    return (order.index(role), span.status != ACCEPTED, not preferred, span.end - span.start,
            span.start, span.id or 0)


def fits(schema: LabelSchema, head: Span, span: Span) -> bool:
    return span.id != head.id and _rank(schema, head, span) is not None


def best_target(schema: LabelSchema, head: Span, stacked: Iterable[Span]) -> Span | None:
    """Of the spans under a click, the one a link from `head` lands on."""
    ranked = [(k, s) for s in stacked if s.id != head.id and (k := _rank(schema, head, s))]
    return min(ranked, key=lambda t: t[0])[1] if ranked else None


def distance(a: Span, b: Span) -> int:
    """Characters between two spans; 0 when they touch or overlap."""
    return max(0, b.start - a.end, a.start - b.end)


def candidates(schema: LabelSchema, head: Span, spans: Iterable[Span]) -> list[Span]:
    """Every span a link from `head` can reach, nearest first (then as a click would rank
    stacked spans): the Tab / Shift+Tab order of link mode."""
    ranked = [((distance(head, s), *k), s) for s in spans
              if s.id != head.id and (k := _rank(schema, head, s))]
    return [s for _k, s in sorted(ranked, key=lambda t: t[0])]


def _prompt_roles(schema: LabelSchema, label: str) -> tuple[list[RelationRole], bool]:
    """The roles link mode names for a head label: its first role as a head and those sharing
    tails with it (SOURCE / TARGET), else its first role as a tail (swapped)."""
    heads = [r for r in schema.relations if label in r.heads and r.role != "SAME_AS"]
    if heads:
        first = heads[0]
        return [r for r in heads if r is first or r.tails & first.tails], False
    tails = [r for r in schema.relations if label in r.tails and r.role != "SAME_AS"]
    return tails[:1], True


def prompt(schema: LabelSchema, head: Span, text: str, candidate: Span | None = None) -> str:
    """The link-mode banner: what is being linked, to what, and the keys."""
    words = _short(head.text_in(text))
    roles, swapped = _prompt_roles(schema, head.label)
    if roles:
        names = " / ".join(r.role for r in roles)
        if swapped:
            what = f"\u2190 {names}: click the {_head_noun(roles[0])}"
        else:
            what = f"\u2192 {names}: click " + " or ".join(
                NOUNS.get(r.role, r.role.lower().replace("_", " ")) for r in roles)
    else:
        what = "\u2192 SAME_AS: click the same entity"
    line = (f"Linking {head.label} \u201c{words}\u201d {what}, Tab/Shift+Tab to cycle, "
            "Enter to link, Esc to leave")
    if candidate is not None:
        line += f"  \u2014  now: {candidate.label} \u201c{_short(candidate.text_in(text))}\u201d"
    return line


def _head_noun(role: RelationRole) -> str:
    return " or ".join(sorted(h.lower() for h in role.heads))


def _short(words: str, limit: int = 40) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1] + "\u2026"
