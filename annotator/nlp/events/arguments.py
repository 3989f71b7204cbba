"""Stage 3 of news_events: PARTICIPANT, PLACE and TIME of an event, from entities in its sentence.

With a parse: compounds and possessives of a noun trigger ("Pakistan-Afghanistan peace talks"),
its "between/with/by" phrases, "in/at/near" places and dates under it (one level into phrases and
participle clauses: "the talks, held in Istanbul"), subject and object of a verb trigger, and the
subject of the verb a noun trigger is the object of ("Pakistan engaged in the peace process").
Without a parse: entities next to the trigger in the same sentence.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Span, Token

from annotator.nlp.context import DocContext
from annotator.nlp.events.triggers import WORDS
from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import TokenRange

PLACE_PREPS = wordset(WORDS, "place_preps")
PARTY_PREPS = wordset(WORDS, "party_preps")
HOLDER_VERBS = wordset(WORDS, "holder_verbs")

PARTICIPANT_LABELS = ("PERSON", "ORG", "GPE", "NORP")
PLACE_LABELS = ("GPE", "LOC", "FAC")
MODIFIER_DEPS = ("compound", "poss", "nmod", "amod")
VERB_ARG_DEPS = ("nsubj", "dobj", "agent")
TIME_DEPS = ("npadvmod", "tmod", "pobj")
FLAT_PLACE_REACH = 6
FLAT_PARTY_REACH = 4
FLAT_BEFORE_REACH = 2


class Argument(NamedTuple):
    """One argument of an event: its role and the entity filling it."""

    role: str
    ent: Span


def parsed_arguments(ctx: DocContext, head: Token, sent: tuple[int, int]) -> list[Argument]:
    """The arguments of the event headed by `head` in the sentence `sent` (see the docstring)."""
    return _ArgumentWalk(ctx, sent).run(head)


class _ArgumentWalk:
    """Collects arguments once each (conjuncts too: "between Pakistan and Afghanistan")."""

    def __init__(self, ctx: DocContext, sent: tuple[int, int]):
        self.ctx, self.sent = ctx, sent
        self.out: list[Argument] = []
        self.seen: set[tuple[int, int]] = set()

    def run(self, head: Token) -> list[Argument]:
        """Walk from the trigger (see the module docstring)."""
        ents = self.ctx.ents
        for c in head.children:
            if c.dep_ in MODIFIER_DEPS:
                ent = ents.at(c.i)
                if ent is not None:
                    if ent.label_ in PARTICIPANT_LABELS:
                        self.add("PARTICIPANT", c)
                    elif ent.label_ == "DATE":
                        self.add("TIME", c)
                    for g in c.children:  # compounds of compounds: "Pakistan - Afghanistan"
                        if g.dep_ in ("compound", "conj"):
                            self.add("PARTICIPANT", g)
        self.walk_preps(head)
        if head.pos_ == "VERB":
            for c in head.children:
                if c.dep_ in VERB_ARG_DEPS:
                    self.add("PARTICIPANT", c)
        else:
            self._holder(head)
        return self.out

    def _holder(self, head: Token) -> None:
        """A noun trigger: the places of its verb ("talks were held in Doha") or the subject of a
        verb that holds it ("Pakistan engaged in the peace process")."""
        verb = head.head
        if verb.pos_ == "ADP":
            verb = verb.head
        if verb.i == head.i or verb.pos_ != "VERB":
            return
        if head.dep_ in ("nsubj", "nsubjpass"):  # "talks were held in Doha", "talks collapse in Istanbul"
            self.walk_preps(verb)
        elif verb.lemma_ in HOLDER_VERBS or verb.head.lemma_ in HOLDER_VERBS:
            v = verb if verb.lemma_ in HOLDER_VERBS else verb.head
            for c in v.children:
                if c.dep_ == "nsubj":
                    self.add("PARTICIPANT", c)

    def add(self, role: str, tok: Token) -> None:
        """The entity at `tok` in `role`, when it lies in the sentence and its label fits."""
        ent = self.ctx.ents.at(tok.i)
        if ent is None or not (self.sent[0] <= ent.start < self.sent[1]):
            return
        label = ent.label_
        if role == "PLACE" and label not in PLACE_LABELS:
            return
        if role == "TIME" and label != "DATE":
            return
        if role == "PARTICIPANT" and label not in PARTICIPANT_LABELS:
            return
        key = (ent.start, ent.end)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.append(Argument(role, ent))
        for c in ent.root.children:  # conjuncts: "between Pakistan and Afghanistan"
            if c.dep_ == "conj":
                self.add(role, c)

    def walk_preps(self, tok: Token, depth: int = 0) -> None:
        """Dates, places and parties in the phrases under `tok` (one level deeper too)."""
        ents = self.ctx.ents
        for c in tok.children:
            if c.dep_ == "prep":
                low = c.lower_
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    ent = ents.at(g.i)
                    if ent is not None and ent.label_ == "DATE":
                        self.add("TIME", g)
                    elif low in PLACE_PREPS and ent is not None and ent.label_ in PLACE_LABELS:
                        self.add("PLACE", g)
                    elif low in PARTY_PREPS:
                        self.add("PARTICIPANT", g)
                    if depth < 1:
                        self.walk_preps(g, depth + 1)
            elif c.dep_ in TIME_DEPS:
                ent = ents.at(c.i)
                if ent is not None and ent.label_ == "DATE":
                    self.add("TIME", c)
            elif c.dep_ in ("acl", "relcl") and depth < 1:  # "the talks, held in Istanbul"
                self.walk_preps(c, depth + 1)


def flat_arguments(ctx: DocContext, trigger: TokenRange, sent: tuple[int, int]) -> list[Argument]:
    """No parse: dates in the sentence, places right after "in/at/near", parties right before the
    trigger or after "between/with/by"."""
    doc = ctx.doc
    s, e = trigger.start, trigger.end
    out = []
    for ent in ctx.ents.spans:
        if not (sent[0] <= ent.start < sent[1]):
            continue
        prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if ent.label_ == "DATE":
            out.append(Argument("TIME", ent))
        elif (
            ent.label_ in PLACE_LABELS and prev in PLACE_PREPS and ent.start >= e and ent.start - e <= FLAT_PLACE_REACH
        ):
            out.append(Argument("PLACE", ent))
        elif ent.label_ in PARTICIPANT_LABELS and (
            (ent.end <= s and s - ent.end <= FLAT_BEFORE_REACH)
            or (ent.start >= e and prev in PARTY_PREPS and ent.start - e <= FLAT_PARTY_REACH)
        ):
            out.append(Argument("PARTICIPANT", ent))
    return out
