"""Stage 2 of news_threats: what the words around a candidate say about it.

Short predicates, each one fact a decision in `judge` weighs: is the candidate governed by a
threat cue ("threatening to obliterate"), under a future modal ("will destroy"), after "or" (an
ultimatum), the speaker's own act ("we", an imperative), in the past, the object of a cue ("warned
of consequences")? Each works with a parse and falls back on word order without one.
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import (
    FINITE_TAGS,
    FIRST_PERSON,
    FUTURE_MODALS,
    ancestors_upto,
    has_child,
    is_past,
    subject_of,
)
from annotator.nlp.threats.context import ThreatContext

WORDS = "threat_words.jsonl"
ADVERBIAL_PREPS = wordset(WORDS, "adverbial_preps")
ULTIMATUM_WORDS = wordset(WORDS, "ultimatum_words")

THREAT_MODALS = FUTURE_MODALS | {"going", "must"}
AUX_DEPS = frozenset({"aux"})
CUE_OBJECT_PREPS = ("of", "with")  # "warned of consequences", "threatened them with arrest"
PARTICLES = ("out", "away", "back")  # "pull out of the deal"
OBJECT_PREPS = ("of", "from", "on")  # "withdraw from the agreement"
OBJECT_DEPS = ("dobj", "nsubjpass", "attr", "oprd")
CUE_DEPTH = 3
FLAT_CUE_WINDOW = 6
FLAT_OBJECT_WINDOW = 6
FLAT_MODAL_WINDOW = 3
STOPS = (".", "!", "?")


def cue_governed(t: ThreatContext, tok: Token) -> bool:
    """A threat cue within three steps above `tok` ("vowed to crush"); not across an adverbial
    preposition ("warns X after a strike": the strike is no threat)."""
    if t.parsed:
        for a in ancestors_upto(tok, CUE_DEPTH):
            if a.lower_ in t.cue_words:
                return True
            if a.dep_ == "prep" and a.lower_ in ADVERBIAL_PREPS:
                return False
        return False
    s, _ = t.ctx.sents.bounds(tok.i)
    return any(w.lower_ in t.cue_words for w in t.doc[max(s, tok.i - FLAT_CUE_WINDOW) : tok.i])


def ultimatum(t: ThreatContext, head: Token) -> bool:
    """'Return by Monday or lose your jobs', 'free him, or else ...': the act after "or"."""
    doc = t.doc
    j = head.i - 1
    while j >= 0 and (doc[j].is_punct and doc[j].text not in STOPS or doc[j].is_space):
        j -= 1
    return j >= 0 and doc[j].lower_ in ULTIMATUM_WORDS


def first_person(verb: Token | None) -> bool:
    """The verb's subject is "I" or "we": the speaker's own act."""
    if verb is None:
        return False
    subj = subject_of(verb, max_up=3)
    return subj is not None and subj.lower_ in FIRST_PERSON


def speakers_side(t: ThreatContext, verb: Token | None) -> bool:
    """Inside a quote: the speaker's side acts ("we", "I", an infinitive or an imperative),
    not a third party ("They can arrest a hundred of us")."""
    if not t.parsed or verb is None:
        return True
    subj = subject_of(verb, max_up=3)
    return subj is None or subj.lower_ in FIRST_PERSON


def cue_object(t: ThreatContext, tok: Token) -> bool:
    """'warned of consequences', 'threatened them with arrest': the noun a threat cue governs
    through "of" / "with"."""
    prep = tok.head
    return (
        tok.dep_ == "pobj"
        and prep.dep_ == "prep"
        and prep.lower_ in CUE_OBJECT_PREPS
        and prep.head.lower_ in t.cue_words
    )


def has_object(t: ThreatContext, head: Token, objects) -> bool:
    """Whether the verb (or a verb coordinated with it) has one of `objects` as its object: "freeze"
    threatens only with assets, accounts, aid..."""
    doc = t.doc
    if not t.parsed:
        return any(w.lower_ in objects for w in doc[head.i + 1 : min(len(doc), head.i + FLAT_OBJECT_WINDOW)])
    verbs = [head] + [c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if head.dep_ == "conj":  # "close and seal the border": the object sits on the last verb
        verbs.append(head.head)
    return any(_object_in(c, objects) for v in verbs for c in v.children)


def _object_in(c: Token, objects) -> bool:
    """Whether the child `c` of a verb is (or holds, through a preposition) one of `objects`."""
    cands = [c]
    if c.dep_ in ("prep", "prt") and c.lower_ in PARTICLES:
        c = next((g for g in c.children if g.dep_ == "prep"), c)  # "pull out of the deal"
    if c.dep_ == "prep" and c.lower_ in OBJECT_PREPS:  # "withdraw from the agreement"
        cands = [g for g in c.children if g.dep_ == "pobj"]
    elif c.dep_ not in OBJECT_DEPS:
        return False
    for o in cands:
        if o.lower_ in objects or o.lemma_.lower() in objects:
            return True
        if any(g.dep_ == "conj" and g.lower_ in objects for g in o.children):
            return True
    return False


def modal(t: ThreatContext, verb: Token | None, tok: Token) -> bool:
    """A future or obligation modal on the verb (or the verb it complements): "will destroy",
    "is going to strike", "must pay"; a coordinated verb shares it only in its base form ("would
    set out plans and attack", not "would set out plans and attacked the Tory plans")."""
    if t.parsed:
        if verb is None:
            return False
        shares = verb.dep_ == "xcomp" or (verb.dep_ == "conj" and verb.tag_ not in FINITE_TAGS)
        for v in (verb, verb.head if shares else None):
            if v is not None and has_child(v, AUX_DEPS, THREAT_MODALS):
                return True
        return False
    return any(w.lower_ in FUTURE_MODALS for w in t.doc[max(0, tok.i - FLAT_MODAL_WINDOW) : tok.i])


def past(t: ThreatContext, verb: Token | None, tok: Token) -> bool:
    """Done already ("destroyed", "has destroyed"): a report, not a threat."""
    if t.parsed:
        return verb is not None and is_past(verb)
    return tok.lower_.endswith("ed")
