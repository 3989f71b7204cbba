"""Stage 4 of news_threats: decide whether a candidate is a threat, and how far it reaches.

Per lexicon ``kind`` (see `annotator.nlp.threats`): an ``idiom`` always is; a ``weak`` idiom only
quoted or under a cue; a harm ``verb`` when a cue governs it, a modal marks it, it follows "or", or
a speaker says it of their own side and not in the past (``needs: "cue"`` rows ask for more); a
harm ``noun`` under a cue or a modal, or as the speaker's own act, never as what a clause is about
("the strike would go on"). Nothing inside its own condition and nothing negated ("we will not
attack") is a threat.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from annotator.nlp.lexicons import Match, wordset
from annotator.nlp.syntax import (
    FIRST_PERSON,
    TokenRange,
    governing_verb,
    has_child,
    phrase_head,
    subject_of,
    trim,
)
from annotator.nlp.threats.conditions import condition_of, implicit_condition, without_mark
from annotator.nlp.threats.context import QuoteRef, ThreatContext
from annotator.nlp.threats.evidence import (
    WORDS,
    cue_governed,
    cue_object,
    first_person,
    has_object,
    modal,
    past,
    speakers_side,
    ultimatum,
)
from annotator.nlp.threats.extent import extent
from annotator.nlp.threats.records import Threat

NOUN_DETS = wordset(WORDS, "noun_dets")
CAUSATIVES = wordset(WORDS, "causatives")
BLANK_VERB_CUES = wordset(WORDS, "blank_verb_cues")

NOUN_THREAT_DEPS = frozenset({"dobj", "attr", "nsubjpass", "oprd", "conj", "appos", "ROOT", "nsubj", "xcomp"})
MODIFIER_DEPS = ("amod", "compound")  # "a destroyed village", "war drums"
COMPLEMENT_DEPS = ("ccomp", "xcomp")
VERBAL_POS = ("VERB", "AUX")
NEG_DEPS = frozenset({"neg"})
PREP_DEPS = frozenset({"prep"})
CLAUSAL_SUBJECT = frozenset({"csubj"})
PASSIVE_AUX = frozenset({"auxpass"})
OF = frozenset({"of"})
FLAT_SIDE_WINDOW = 3
MIN_CONDITION_TOKENS = 2


class Evidence(NamedTuple):
    """The facts about one candidate that the decision weighs."""

    quote: QuoteRef | None
    cue: bool
    modal: bool
    cond: TokenRange | None
    implicit: TokenRange | None
    ultimatum: bool

    def in_condition(self, i: int) -> bool:
        """Whether token i lies inside the (explicit or implicit) condition."""
        return any(c is not None and c.start <= i < c.end for c in (self.cond, self.implicit))


def judge(t: ThreatContext, m: Match) -> Threat | None:
    """The threat the candidate `m` makes, or None."""
    doc, row = t.doc, m.row
    kind = row.get("kind", "verb")
    if kind == "verb" and not t.parsed and m.start > 0 and doc[m.start - 1].lower_ in NOUN_DETS:
        kind = "noun"  # no tagger: "any attack" is a noun
    head = phrase_head(doc, m.start, m.end) if t.parsed else doc[m.start]
    if row.get("objects") and not has_object(t, head, row["objects"]):
        return None  # "freeze" threatens only with assets, accounts, aid... as its object (checked first: cheap)
    if t.parsed and kind == "verb" and head.pos_ not in VERBAL_POS and len(row["pattern"]) == 1:
        return None  # a one-word harm verb used as a noun or adjective
    verb = _acting_verb(t, head)
    e = _evidence(t, head, verb)
    if kind == "idiom":
        ok = True
    elif kind == "weak":
        ok = e.quote is not None or e.cue
    elif kind == "verb":
        ok = _verb_threatens(t, row, head, verb, e)
    else:
        ok = _noun_threatens(t, row, head, verb, e)
    if ok and t.parsed and kind in ("verb", "noun"):
        negated = head if kind == "verb" else verb
        if negated is not None and has_child(negated, NEG_DEPS):
            ok = False  # "we will not attack", "we do not seek war"
    if not ok:
        return None
    span = extent(t, m, head, kind)
    return Threat(span, row, head, verb, e.quote, _trimmed_condition(t, e, span), kind)


def _acting_verb(t: ThreatContext, head: Token) -> Token | None:
    """The verb whose subject acts: the one governing the head, or a causative above it ("we
    will make them pay": the making is the speaker's act)."""
    if not t.parsed:
        return None
    verb = governing_verb(head)
    if verb is not None and verb.dep_ in COMPLEMENT_DEPS and verb.head.lower_ in CAUSATIVES:
        verb = verb.head
    return verb


def _evidence(t: ThreatContext, head: Token, verb: Token | None) -> Evidence:
    """The facts of `evidence` and `conditions` for one candidate."""
    cond = condition_of(t, head)
    return Evidence(
        quote=t.quote_at[head.i],
        cue=cue_governed(t, head),
        modal=modal(t, verb, head),
        cond=cond,
        implicit=implicit_condition(t, verb) if cond is None and t.parsed else None,
        ultimatum=ultimatum(t, head),
    )


def _verb_threatens(t: ThreatContext, row: dict, head: Token, verb: Token | None, e: Evidence) -> bool:
    """A harm verb: under a cue, a modal, after "or", or said by its own side (not in the past)."""
    if t.parsed and head.dep_ in MODIFIER_DEPS:
        return False
    if t.parsed:
        side = speakers_side(t, verb)
    else:  # no tagger: "we/I/to/will <verb>" shows a verb of the speaker's side
        side = any(w.lower_ in BLANK_VERB_CUES for w in t.doc[max(0, head.i - FLAT_SIDE_WINDOW) : head.i])
    if not _subject_fits(t, row, head, verb):
        return False
    if e.in_condition(head.i):
        return False
    if row.get("needs") == "cue":
        # sanctions, closures, suspensions: plans unless a threat cue, a condition, an
        # ultimatum or the speaker's own "we will" makes them a threat
        return bool(
            e.cue
            or e.cond is not None
            or e.ultimatum
            or (e.modal and e.quote is not None and side and first_person(verb))
        )
    own_act = e.quote is not None and not past(t, verb, head) and side and not _passive(t, head)
    return bool(e.cue or e.ultimatum or e.modal or own_act)


def _passive(t: ThreatContext, head: Token) -> bool:
    """'are unlikely to be prosecuted': what the target undergoes says nobody's resolve without a
    cue, a modal or an ultimatum."""
    return t.parsed and has_child(head, PASSIVE_AUX)


def _subject_fits(t: ThreatContext, row: dict, head: Token, verb: Token | None) -> bool:
    """A row's ``subjects`` / ``not_subjects``: "they will pay for this" (not "the state will pay
    for the bridge"), "workers would strike" (a walkout)."""
    if not t.parsed:
        return True
    if verb is not None and has_child(verb, CLAUSAL_SUBJECT):
        return False  # "cutting jobs will hit morale": an effect, nobody acts
    if row.get("subjects"):
        subj = subject_of(head, max_up=3)
        causative = head.head.lower_ in CAUSATIVES
        if not causative and (subj is None or subj.lower_ not in row["subjects"]):
            return False
    if row.get("not_subjects") and verb is not None:
        subj = subject_of(verb, max_up=3)
        if subj is not None and subj.lower_ in row["not_subjects"]:
            return False
    return True


def _noun_threatens(t: ThreatContext, row: dict, head: Token, verb: Token | None, e: Evidence) -> bool:
    """A harm noun: the threatened act under a cue or a modal, or the speaker's own act."""
    doc = t.doc
    if t.parsed:
        if head.dep_ == "compound":
            return False  # "war drums"
        if head.dep_ not in NOUN_THREAT_DEPS and not cue_object(t, head):
            return False  # "respond to the strike": not the threatened act
        if head.dep_ == "nsubj" and not e.cue:
            return False  # "the strike would go on": what the clause is about, not the threatened act
        if row.get("no_of") and has_child(head, PREP_DEPS, OF):
            return False  # "the consequences of the war": no threat
    elif row.get("no_of") and head.i + 1 < len(doc) and doc[head.i + 1].lower_ == "of":
        return False
    own_act = False
    if verb is not None and e.quote is not None:
        subj = subject_of(verb)
        own_act = subj is not None and subj.lower_ in FIRST_PERSON
    if e.in_condition(head.i):
        return False
    if row.get("needs") == "cue":
        return bool(e.cue or e.ultimatum)
    return bool(e.cue or e.modal or own_act)


def _trimmed_condition(t: ThreatContext, e: Evidence, span: TokenRange) -> TokenRange | None:
    """The condition without the threat itself ("if you wish so, at your peril") and its edge
    punctuation; an explicit condition of one token is none; else the implicit one."""
    cond = e.cond
    if cond is not None and cond.start <= span.start < cond.end:
        cond = TokenRange(cond.start, span.start)
    if cond is not None:
        cond = without_mark(t, cond)
        if cond is not None and cond.end - cond.start < MIN_CONDITION_TOKENS:
            cond = None
    implicit = TokenRange(*trim(t.doc, *e.implicit)) if e.implicit is not None else None
    return cond or implicit
