"""Stage 1d of news_threats: threats named by a noun ("its threat to close the border", "the
threat of sanctions", "remarks read as a threat to cut supplies").

The noun (a word of `threat_nouns`) followed by "to <verb>" or "of <noun>" names the threatened
action: THREAT is that action (a verb phrase, or the noun phrase after "of"). When the noun is
what some words "were read/seen/taken as", the threat is veiled: the speaker implied it. SOURCE
is the noun's possessor ("Vastria's threat"), else the subject of the verb the noun depends on
("Ondel repeated its threat to ..."). The mode comes from the action (`modes`).
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import TokenRange, hashes, noun_phrase, trim
from annotator.nlp.threats.context import ThreatContext
from annotator.nlp.threats.evidence import WORDS
from annotator.nlp.threats.modes import mode_of
from annotator.nlp.threats.records import Threat
from annotator.nlp.threats.reported import action_span

THREAT_NOUNS = wordset(WORDS, "threat_nouns")
READ_AS_VERBS = wordset(WORDS, "read_as_verbs")

POSSESSOR_DEPS = ("poss",)  # "its threat", "Ondel's threat"
OF_HEAD_POS = ("NOUN", "PROPN")


def nominal_threats(t: ThreatContext) -> list[Threat]:
    """The threats named by a threat noun with "to <verb>" or "of <noun>"; needs a parse."""
    if not t.parsed:
        return []
    doc = t.doc
    nouns = hashes(doc, THREAT_NOUNS)
    out = []
    for i, low in enumerate(t.ctx.lowers):
        if low in nouns and doc[i].pos_ == "NOUN":
            found = _threat_of(t, doc[i])
            if found is not None:
                out.append(found)
    return out


def _threat_of(t: ThreatContext, noun: Token) -> Threat | None:
    """The threat the noun names, or None."""
    action = _infinitive(noun) or (_of_phrase(noun) if _owned(noun) else None)
    if action is None:
        return None
    head, span = action
    mode = mode_of(head, list(t.doc[span.start : span.end]))
    veiled = _read_as(noun)
    row = {"id": "threat noun", "kind": "noun threat", "mode": mode or "", "type": "veiled" if veiled else "indirect"}
    verb = noun.head.head if veiled else noun.head
    verbal = verb if verb.pos_ in ("VERB", "AUX") else None
    return Threat(span, row, head, verbal, t.quote_at[head.i], None, "noun threat")


def _infinitive(noun: Token) -> tuple[Token, TokenRange] | None:
    """'threat to close the border': the verb and its action phrase."""
    doc = noun.doc
    for c in noun.rights:
        if c.dep_ in ("acl", "relcl", "advcl", "xcomp") and c.pos_ == "VERB" and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.lefts
        ):
            return c, action_span(doc, c, c)
    return None


def _of_phrase(noun: Token) -> tuple[Token, TokenRange] | None:
    """'the threat of sanctions': the noun phrase after "of" (with its own phrases)."""
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            obj = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ in OF_HEAD_POS), None)
            if obj is not None:
                np = noun_phrase(obj)
                s, e = trim(noun.doc, np.start, obj.right_edge.i + 1)
                return obj, TokenRange(s, e)
    return None


def _owned(noun: Token) -> bool:
    """'its threat of sanctions', 'Ondel's threats of ...': someone's threat, not a general danger
    ("the threat of war")."""
    return any(c.dep_ in POSSESSOR_DEPS for c in noun.children)


def _read_as(noun: Token) -> bool:
    """'were read as a threat': the noun is what the words were taken for (a veiled threat)."""
    prep = noun.head
    return prep.lower_ == "as" and prep.head.lower_ in READ_AS_VERBS
