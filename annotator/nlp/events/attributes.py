"""Stage 2 of news_events: EVENT.modality and EVENT.outcome from the words around the trigger.

modality: negated ("without an agreement", "no talks"), hypothetical (inside a CONDITION or an
if-clause, "any/another attack"), future (under "will"), generic (a bare plural under a
non-finite verb, "a rise in attacks"), else asserted. outcome: failure when the trigger
"collapsed/failed/ended without" or is what "the collapse of" names, success when it "resulted".
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.events.context import EventContext
from annotator.nlp.events.triggers import WORDS
from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import FUTURE_MODALS, governing_verb

FAIL_WORDS = wordset(WORDS, "fail_words")
FAILURE_NOUNS = wordset(WORDS, "failure_nouns")
SUCCESS_VERBS = wordset(WORDS, "success_verbs")
TREND_NOUNS = wordset(WORDS, "trend_nouns")

HYPOTHETICAL_DETS = frozenset({"any", "another"})
NEGATORS = ("no", "not", "never")
FLAT_NEGATORS = ("without", "no")
NEG_DET_DEPS = ("det", "neg")
DETERMINER_DEPS = ("det", "poss", "nummod")
NON_FINITE_TAGS = ("VB", "VBG")
COND_DEPTH = 6


def modality(ec: EventContext, head: Token) -> str:
    """EVENT.modality of the event headed by `head` (see the module docstring)."""
    if any(c.start <= head.i < c.end for c in ec.conditions):
        return "hypothetical"
    if not ec.parsed:
        return _flat_modality(ec, head)
    kids = [(c.dep_, c.lower_) for c in head.children]
    if head.head.lower_ == "without" or any(d in NEG_DET_DEPS and w in NEGATORS for d, w in kids):
        return "negated"
    if any(d == "det" and w in HYPOTHETICAL_DETS for d, w in kids):
        return "hypothetical"
    if _under_condition(ec, head):
        return "hypothetical"
    verb = governing_verb(head)
    if verb is None:
        return "asserted"
    vkids = kids if verb.i == head.i else [(c.dep_, c.lower_) for c in verb.children]
    if head.pos_ == "VERB" and any(d == "neg" for d, _ in vkids):
        return "negated"
    if any(d == "aux" and w in FUTURE_MODALS for d, w in vkids):
        return "future"
    if head.tag_ == "NNS" and _generic_plural(head, verb, kids):
        return "generic"
    return "asserted"


def _flat_modality(ec: EventContext, head: Token) -> str:
    """No parse: the three words before the trigger decide."""
    prev = [t.lower_ for t in ec.doc[max(0, head.i - 3) : head.i]]
    if any(w in prev for w in FLAT_NEGATORS):
        return "negated"
    if any(w in prev for w in HYPOTHETICAL_DETS):
        return "hypothetical"
    if any(w in FUTURE_MODALS for w in prev):
        return "future"
    return "asserted"


def _under_condition(ec: EventContext, head: Token) -> bool:
    """Whether an if/unless verb lies at or above `head` (within six steps)."""
    if not ec.cond_heads:
        return False
    t = head
    for _ in range(COND_DEPTH):
        if t.i in ec.cond_heads:
            return True
        if t.head.i == t.i:
            break
        t = t.head
    return False


def _generic_plural(head: Token, verb: Token, kids: list[tuple[str, str]]) -> bool:
    """A bare plural under a non-finite verb ("to prevent attacks") or a trend noun ("a rise in
    attacks"): no particular event."""
    if not any(d in DETERMINER_DEPS for d, _ in kids) and verb.tag_ in NON_FINITE_TAGS:
        return True
    return (
        head.head.pos_ == "ADP"
        and head.head.head.lower_ in TREND_NOUNS
        and not any(d in ("det", "poss") for d, _ in kids)
    )


def outcome(ec: EventContext, head: Token) -> str | None:
    """EVENT.outcome from the parse (or the two words after the trigger), or None."""
    if not ec.parsed:
        nxt = [t.lower_ for t in ec.doc[head.i + 1 : head.i + 3]]
        return "failure" if any(w in FAIL_WORDS for w in nxt) else None
    h = head.head
    if head.dep_ in ("nsubj", "compound") and h.lower_ in FAIL_WORDS:
        if h.lower_ != "ended" or any(c.lower_ == "without" for c in h.children):
            return "failure"
    if head.dep_ == "pobj" and h.lower_ == "of" and h.head.lower_ in FAILURE_NOUNS:
        return "failure"
    if head.dep_ == "nsubj" and h.lower_ in SUCCESS_VERBS:
        return "success"
    return None
