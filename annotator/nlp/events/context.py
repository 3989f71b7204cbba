"""What the event stages read about one document, and what they remember while going through it.

Beside the shared `DocContext`: the CONDITION and THREAT spans the threat stage wrote (a threatened
act has not happened), the CUE spans the quote stage wrote (a speech verb is a cue, not an event),
the heads of if/unless clauses, the type each trigger token was matched with, the tokens already
taken by an event, and the sense of the article's earlier "strike"s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from annotator.nlp.context import DocContext
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.lexicons import Match
from annotator.nlp.syntax import COND_MARKS, hashes

DEFAULT_TYPE = "OTHER"
CEASEFIRE_TYPE = "AGREEMENT_CEASEFIRE"


@dataclass
class EventContext:
    """One document as the event stages see it."""

    ctx: DocContext
    ann: NewsAnnotations
    conditions: list[Span] = field(default_factory=list)
    cond_heads: set[int] = field(default_factory=set)  # verbs carrying an if/unless mark
    in_threat: bytearray = field(default_factory=bytearray)
    in_cue: bytearray = field(default_factory=bytearray)  # tokens of a speech CUE (a cue is no event)
    in_condition: bytearray = field(default_factory=bytearray)
    ceasefire_at: int = -1  # first token of the article's first ceasefire or truce trigger
    labour: bool | None = None  # whether the article is about unions and pay (found on first use)
    trigger_type: dict[int, str] = field(default_factory=dict)  # token -> type of its first match
    taken: set[int] = field(default_factory=set)  # tokens of events written so far
    strike_sense: list[tuple[int, str]] = field(default_factory=list)  # (token, type) of earlier strikes

    @classmethod
    def build(cls, ctx: DocContext, ann: NewsAnnotations, matches: list[Match]) -> EventContext:
        """Read the threat stage's spans and the matches' trigger types."""
        n = len(ctx.doc)
        e = cls(ctx, ann, in_threat=bytearray(n), in_cue=bytearray(n), in_condition=bytearray(n))
        e.conditions = [s for _, s in ann.of_label("CONDITION")]
        e.cond_heads = cond_heads(ctx) if ctx.parsed else set()
        for mask, label in ((e.in_threat, "THREAT"), (e.in_cue, "CUE"), (e.in_condition, "CONDITION")):
            for _, span in ann.of_label(label):
                for i in range(span.start, span.end):
                    mask[i] = 1
        for m in matches:
            for i in range(m.start, m.end):
                e.trigger_type.setdefault(i, m.row.get("type", DEFAULT_TYPE))
            if m.row.get("type") == CEASEFIRE_TYPE and (e.ceasefire_at < 0 or m.start < e.ceasefire_at):
                e.ceasefire_at = m.start
        return e

    @property
    def doc(self):
        """The spaCy Doc."""
        return self.ctx.doc

    @property
    def parsed(self) -> bool:
        """Whether the doc has a dependency parse."""
        return self.ctx.parsed


def cond_heads(ctx: DocContext) -> set[int]:
    """Indices of the verbs that carry an "if"/"unless" mark (found from the LOWER hashes, so only
    those few tokens are built)."""
    marks = hashes(ctx.doc, COND_MARKS)
    out = set()
    for i, low in enumerate(ctx.lowers):
        if low in marks:
            t = ctx.doc[i]
            if t.dep_ == "mark":
                out.add(t.head.i)
    return out
