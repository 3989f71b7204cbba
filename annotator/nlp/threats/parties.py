"""Stage 5a of news_threats: who threatens (SOURCE) and whom (TARGET).

SOURCE is the speaker of the enclosing quote, else the acting verb's subject (as its SPEAKER span
or its entity). TARGET is the object of the threat or its verb ("against/on" phrases too), else
the one a cue warns ("Iran warns Israel of a crushing response"); a pronoun resolves to the
nearest earlier entity not on the source's side, and the source's own side is never the target.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Token

from annotator.nlp.syntax import ALL_PRONOUNS, FIRST_PERSON, ancestors_upto, noun_phrase, subject_of
from annotator.nlp.threats.context import TARGET_LABELS, ThreatContext
from annotator.nlp.threats.records import Threat

SOURCE_LABELS = ("PERSON", "ORG", "GPE", "NORP")
OBJECT_DEPS = ("dobj", "dative")
TARGET_PREPS = ("against", "on")
FLAT_TARGET_PRONOUNS = ("them", "you", "him", "her")
ADJECTIVAL_DEPS = ("amod", "compound")  # "Afghan territory": an adjective, not an actor
SOURCE_DEPTH = 5
CUE_DEPTH = 4
ANTECEDENT_REACH = 40


def source_of(t: ThreatContext, f: Threat) -> int | None:
    """The SOURCE's annotation index: the quote's speaker, else the acting verb's subject."""
    source = f.quote.speaker if f.quote is not None else None
    if source is None and t.parsed and f.verb is not None:
        subj = subject_of(f.verb, max_up=SOURCE_DEPTH)
        if subj is not None:
            source = _entity_or_speaker(t, subj)
    return source


def source_names(t: ThreatContext, source: int | None) -> set[str]:
    """Names of the source's side (its text, canonical name, affiliation, and every speaker's
    affiliation): none of them is a target."""
    names = set(t.own_side)
    if source is not None:
        names.add(t.ann.spans[source].text)
        a = t.ann.get_attrs(source)
        for k in ("canonical_name", "affiliation"):
            if a.get(k):
                names.add(a[k])
    return names


def _entity_or_speaker(t: ThreatContext, tok: Token) -> int | None:
    """The SPEAKER span over `tok`'s noun phrase, else the first source entity in it."""
    ann = t.ann
    np = noun_phrase(tok)
    sp = ann.find(np.start, np.end, "SPEAKER")
    if sp is not None:
        return sp
    ents = t.ctx.ents.within(np.start, np.end)
    if not ents and t.parsed:  # "The regional police chief, Marek Dovin, gave ...": the apposition
        ents = [e for c in tok.children if c.dep_ == "appos" for e in [t.ctx.ents.at(c.i)] if e is not None]
    for ent in ents:
        if ent.label_ in SOURCE_LABELS:
            sp = ann.find(ent.start, ent.end, "SPEAKER")
            return sp if sp is not None else ann.add(ent.start, ent.end, ent.label_)
    return None


def target_of(t: ThreatContext, f: Threat, own: set[str]) -> int | None:
    """The TARGET's annotation index (see the module docstring), or None."""
    obj = f.target if f.target is not None else _object(t, f)
    if obj is None and t.parsed:
        obj = _warned(t, f.head)
    if obj is None:
        return None
    if obj.lower_ in ALL_PRONOUNS:
        if obj.lower_ in FIRST_PERSON:
            return None
        return _antecedent(t, obj.i, own)
    ents, ann = t.ctx.ents, t.ann
    np = noun_phrase(obj) if t.parsed else t.doc[obj.i : obj.i + 1]
    for ent in ents.within(np.start, np.end):
        if ent.label_ in TARGET_LABELS and ent.text not in own:
            return ann.add(ent.start, ent.end, ent.label_)
    ent = ents.at(obj.i)
    if ent is not None and ent.label_ in TARGET_LABELS and ent.text not in own:
        return ann.add(ent.start, ent.end, ent.label_)
    return None


def _object(t: ThreatContext, f: Threat) -> Token | None:
    """The object of the threat's head or verb (from the threat on), or its against/on phrase;
    without a parse the first pronoun or target entity in or right after the threat."""
    if not t.parsed:
        s, e = f.span
        for w in t.doc[s : min(len(t.doc), e + 2)]:
            if w.lower_ in FLAT_TARGET_PRONOUNS or w.ent_type_ in TARGET_LABELS:
                return w
        return None
    holders = [f.head]
    if f.verb is not None and f.verb.i != f.head.i:
        holders.append(f.verb)
    for h in holders:
        for c in h.children:
            if c.dep_ in OBJECT_DEPS and c.i >= f.span.start - 1:
                return c
            if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
    return None


def _warned(t: ThreatContext, head: Token) -> Token | None:
    """'Iran warns Israel of a crushing response': the object of the nearest cue above."""
    for a in ancestors_upto(head, CUE_DEPTH):
        if a.lower_ in t.cue_words:
            return next((c for c in a.children if c.dep_ in OBJECT_DEPS), None)
    return None


def _antecedent(t: ThreatContext, i: int, own: set[str]) -> int | None:
    """The nearest entity before token i that is an actor and not on the source's side."""
    k = bisect_left(t.target_starts, i)
    for j in range(k - 1, max(-1, k - ANTECEDENT_REACH), -1):
        ent = t.targets[j]
        if ent.end > i or ent.text in own or ent.label_ == "LOC":
            continue
        if t.parsed and ent.label_ == "NORP" and ent.root.dep_ in ADJECTIVAL_DEPS:
            continue
        if any(o and (o in ent.text or ent.text in o) for o in own):
            continue
        return t.ann.add(ent.start, ent.end, ent.label_)
    return None
