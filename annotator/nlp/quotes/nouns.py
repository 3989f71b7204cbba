"""Speech nouns: "Sorell's statement that ...", "her remarks on Sunday that ...", "the
announcement by the unions that ...".

The noun is the CUE, its possessor (or its "by/from" phrase) the SPEAKER and its that-clause the
content. Read from the word order around the noun, not from the parse: the small models often
tag "remarks" as a verb or hang the clause on the wrong word. The clause ends where the sentence
goes on about the saying itself: before the main verb the noun is the subject of ("... that the
works would continue *drew* a sharp reply"), or after a quotation closing inside the clause.
"""

from __future__ import annotations

from annotator.nlp.context import DocContext
from annotator.nlp.syntax import SENT_END, TokenRange, noun_phrase

POSSESSIVE_MARKS = ("'s", "’s", "'", "’")
POSSESSIVE_PRONOUNS = ("his", "her", "its", "their", "our", "my")
AGENT_PREPS = ("by", "from", "of")
MAX_TO_THAT = 5  # "remarks on Sunday that": tokens between the noun and "that"
BETWEEN_POS = ("ADP", "PROPN", "NOUN", "NUM", "DET", "ADJ")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
MAIN_VERB_AUX = ("aux", "auxpass", "neg")


def that_after(ctx: DocContext, i: int) -> int | None:
    """The "that" opening the noun's clause, within a few tokens after the noun at `i` (only a
    phrase such as "on Sunday" or "by the unions" may stand between)."""
    doc = ctx.doc
    _, s_end = ctx.sents.bounds(i)
    for j in range(i + 1, min(s_end, i + 1 + MAX_TO_THAT)):
        t = doc[j]
        if t.lower_ == "that":
            return j if j + 1 < s_end else None
        if t.is_punct or t.is_space or (ctx.parsed and t.pos_ not in BETWEEN_POS):
            return None
    return None


def noun_speaker(ctx: DocContext, cue_start: int) -> TokenRange | None:
    """The possessor before the noun ("Sorell's", "Her") or the agent of a "by/from" phrase
    between the noun and "that"."""
    doc = ctx.doc
    j = cue_start - 1
    if j >= 0 and doc[j].lower_ in POSSESSIVE_PRONOUNS:
        return TokenRange(j, j + 1)
    if j > 0 and doc[j].text in POSSESSIVE_MARKS:
        owner = doc[j - 1]
        np = noun_phrase(owner) if ctx.parsed else None
        start = np.start if np is not None and len(np) else j - 1
        ent = ctx.ents.at(j - 1)
        if ent is not None:
            start = min(start, ent.start)
        return TokenRange(start, j)
    that = that_after(ctx, cue_start)
    if that is None:
        return None
    for k in range(cue_start + 1, that):
        if doc[k].lower_ in AGENT_PREPS and k + 1 < that:
            return TokenRange(k + 1, that)
    return None


def noun_content(ctx: DocContext, cue_start: int) -> TokenRange | None:
    """The that-clause of the noun at `cue_start`, up to the main verb it is the subject of, or
    to the end of a quotation closing inside it."""
    doc = ctx.doc
    that = that_after(ctx, cue_start)
    if that is None:
        return None
    _, s_end = ctx.sents.bounds(cue_start)
    start, end = that + 1, s_end
    noun = doc[cue_start]
    if ctx.parsed and noun.dep_ in SUBJECT_DEPS and noun.head.i > that:
        verb = noun.head
        first = min([verb.i] + [c.i for c in verb.children if c.dep_ in MAIN_VERB_AUX and c.i > that])
        end = first
    q = ctx.in_quote
    for close in range(start + 1, end - 1):
        if q[close] and not q[close + 1] and not doc[close + 1].is_punct:
            end = close + 1  # 'that the unions were "holding the country hostage" angered ...'
            break
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in SENT_END or doc[end - 1].text == ","):
        end -= 1
    return TokenRange(start, end) if end > start else None
