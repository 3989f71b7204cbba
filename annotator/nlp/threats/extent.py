"""How far a threat span reaches: a verb with its objects and particles ("wipe out Hamas"), a noun
with its phrase and target ("a strike on the camps"), an idiom with the verb it completes ("give
you the bitter taste"). Adverbial phrases ("after the talks") stay out."""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.lexicons import Match
from annotator.nlp.syntax import TokenRange, noun_phrase, trim
from annotator.nlp.threats.context import ThreatContext
from annotator.nlp.threats.evidence import ADVERBIAL_PREPS

VP_RIGHT_DEPS = frozenset({"dobj", "prt", "dative", "prep", "advmod", "npadvmod", "oprd", "acomp"})
VP_LEFT_DEPS = ("advmod", "neg")
NOUN_TARGET_PREPS = ("on", "against", "in", "inside")
IDIOM_VERB_DEPS = ("dobj", "advmod", "dative", "oprd")
IDIOM_VERB_REACH = 4
IDIOM_CUT_DEPS = frozenset({"advcl", "conj", "cc", "parataxis"})  # "would not sit back if ...": the condition is apart


def extent(t: ThreatContext, m: Match, head: Token, kind: str) -> TokenRange:
    """The threat's token range (the match itself, trimmed, without a parse)."""
    doc = t.doc
    if not t.parsed:
        return TokenRange(*trim(doc, m.start, m.end))
    if kind == "verb":
        return _verb_phrase(t, m, head)
    if kind == "noun":
        np = noun_phrase(head)
        e = max(m.end, np.end)
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ in NOUN_TARGET_PREPS:
                e = max(e, c.right_edge.i + 1)
        return TokenRange(*trim(doc, min(m.start, np.start), e))
    s, e = m.start, m.end
    h = head.head
    if h.i != head.i and h.pos_ == "VERB" and head.dep_ in IDIOM_VERB_DEPS and 0 < s - h.i <= IDIOM_VERB_REACH:
        s = h.i
    e = max([e] + [c.right_edge.i + 1 for c in head.rights if c.dep_ not in IDIOM_CUT_DEPS])
    return TokenRange(*trim(doc, s, e))


def _verb_phrase(t: ThreatContext, m: Match, head: Token) -> TokenRange:
    """A verb with an adverb or "not" right before it and its objects, particles and
    non-adverbial phrases after it."""
    s, e = m.start, m.end
    for c in head.lefts:
        if c.dep_ in VP_LEFT_DEPS and c.i == s - 1:
            s = c.i
    for c in head.rights:
        if c.dep_ in VP_RIGHT_DEPS and not (c.dep_ == "prep" and c.lower_ in ADVERBIAL_PREPS):
            e = max(e, c.right_edge.i + 1)
    return TokenRange(*trim(t.doc, s, e))
