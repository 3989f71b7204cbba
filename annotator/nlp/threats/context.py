"""What the threat stages read about one document: the shared `DocContext` plus what the quote
stage wrote (which quote each token is in, who said it) and the positions of if/unless marks."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Span

from annotator.nlp.context import DocContext
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.syntax import COND_MARKS, hashes

TARGET_LABELS = ("ORG", "NORP", "GPE", "PERSON", "LOC")


class QuoteRef(NamedTuple):
    """The QUOTE a token is in: its annotation index, its speaker's (or None) and its kind."""

    index: int
    speaker: int | None
    kind: str


@dataclass
class ThreatContext:
    """One document as the threat stages see it."""

    ctx: DocContext
    ann: NewsAnnotations
    cue_words: frozenset[str]
    quote_at: list[QuoteRef | None] = field(default_factory=list)  # per token
    own_side: set[str] = field(default_factory=set)  # speakers' affiliations: never a target
    targets: list[Span] = field(default_factory=list)  # entities that may be a target, in order
    target_starts: list[int] = field(default_factory=list)
    cond_marks: list[int] = field(default_factory=list)  # tokens "if" / "unless"
    quotes: list[tuple[QuoteRef, Span]] = field(default_factory=list)  # every QUOTE, in text order
    cue_of: dict[int, str] = field(default_factory=dict)  # QUOTE index -> its cue, lower case
    modal_heads: list[int] | None = None  # verbs under a future modal (found on first use)

    @classmethod
    def build(cls, ctx: DocContext, ann: NewsAnnotations, cue_words: frozenset[str]) -> ThreatContext:
        """Read the quotes and speakers already annotated; direct quotes win over indirect ones."""
        t = cls(ctx, ann, cue_words, quote_at=[None] * len(ctx.doc))
        said_by: dict[int, int] = {}
        for h, tl, role in ann.relations:
            if role == "SAID_BY" and h not in said_by:
                said_by[h] = tl
            elif role == "CUE" and h not in t.cue_of:
                t.cue_of[h] = ann.spans[tl].text.lower()
        quotes = list(ann.of_label("QUOTE"))
        quotes.sort(key=lambda x: ann.get_attrs(x[0]).get("kind") != "indirect")
        for qi, span in quotes:
            ref = QuoteRef(qi, said_by.get(qi), ann.get_attrs(qi).get("kind", "direct"))
            t.quotes.append((ref, span))
            for i in range(span.start, span.end):
                t.quote_at[i] = ref
        t.quotes.sort(key=lambda x: x[1].start)
        for si, _span in ann.of_label("SPEAKER"):
            affiliation = ann.get_attrs(si).get("affiliation")
            if affiliation:
                t.own_side.add(affiliation)
        t.targets = [e for e in ctx.ents.spans if e.label_ in TARGET_LABELS]
        t.target_starts = [e.start for e in t.targets]
        marks = hashes(ctx.doc, COND_MARKS)
        t.cond_marks = [i for i, low in enumerate(ctx.lowers) if low in marks]
        return t

    @property
    def doc(self):
        """The spaCy Doc."""
        return self.ctx.doc

    @property
    def parsed(self) -> bool:
        """Whether the doc has a dependency parse (else the rules fall back on word order)."""
        return self.ctx.parsed

    def cond_marks_in(self, start: int, end: int) -> list[int]:
        """The if/unless tokens in [start, end)."""
        k = bisect_left(self.cond_marks, start)
        out = []
        while k < len(self.cond_marks) and self.cond_marks[k] < end:
            out.append(self.cond_marks[k])
            k += 1
        return out
