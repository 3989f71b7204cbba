"""Stage 3 of news_threats: the condition a threat depends on.

An explicit one is the "if/unless" clause on the threat's verb, a verb coordinated with it or
above it, else any if/unless clause of the sentence ("If Hamas fires one more rocket, we will
..."). An implicit one is a quantified subject under a modal ("Any attack ... shall give you
..."). Without a parse: from "if"/"unless" to the next comma or stop.
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import COND_MARKS, TokenRange, ancestors_upto, governing_verb, has_child, trim
from annotator.nlp.threats.context import ThreatContext
from annotator.nlp.threats.evidence import WORDS, modal

IMPLICIT_COND_DETS = wordset(WORDS, "implicit_cond_dets")

MARK_DEPS = frozenset({"mark"})
SUBJECT_DEPS = ("nsubj", "nsubjpass")
CLAUSE_ENDS = (",", ";", ".", "!", "?")
QUOTE_ENDS = ('"', "”")
VERB_DEPTH = 3


def condition_of(t: ThreatContext, head: Token) -> TokenRange | None:
    """The if/unless clause the threat headed by `head` depends on, as a token range."""
    s_start, s_end = t.ctx.sents.bounds(head.i)
    if not t.parsed:
        return _flat_condition(t, s_start, s_end)
    verb = governing_verb(head) or head
    seen = [verb]
    seen.extend(c for c in verb.children if c.dep_ == "conj")
    if verb.dep_ == "conj":
        seen.append(verb.head)
    seen.extend(ancestors_upto(verb, VERB_DEPTH))
    for v in seen:
        for c in v.children:
            if c.dep_ == "advcl" and has_child(c, MARK_DEPS, COND_MARKS):
                return TokenRange(c.left_edge.i, c.right_edge.i + 1)
    for i in t.cond_marks_in(s_start, s_end):
        mark = t.doc[i]
        if mark.dep_ == "mark":
            return TokenRange(mark.head.left_edge.i, mark.head.right_edge.i + 1)
    return None


def if_clause(t: ThreatContext, verb: Token) -> TokenRange | None:
    """The if/unless clause on `verb` itself (or on the verb it is coordinated with), without its
    mark: "would close the pit unless *work resumed*"."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):
        if v is None:
            continue
        for c in v.children:
            if c.dep_ == "advcl" and has_child(c, MARK_DEPS, COND_MARKS):
                found = without_mark(t, TokenRange(c.left_edge.i, c.right_edge.i + 1))
                if found is not None:
                    return found
    return None


def without_mark(t: ThreatContext, cond: TokenRange) -> TokenRange | None:
    """A condition without its leading "if"/"unless" and edge punctuation (None when nothing is
    left)."""
    doc = t.doc
    s, e = cond
    while s < e and (doc[s].lower_ in COND_MARKS or doc[s].is_punct or doc[s].is_space):
        s += 1
    s, e = trim(doc, s, e)
    return TokenRange(s, e) if e > s else None


def _flat_condition(t: ThreatContext, s_start: int, s_end: int) -> TokenRange | None:
    """No parse: the first if/unless of the sentence up to a comma, stop or closing mark."""
    doc = t.doc
    for i in t.cond_marks_in(s_start, s_end):
        end = i + 1
        while end < s_end and doc[end].text not in CLAUSE_ENDS and doc[end].text not in QUOTE_ENDS:
            end += 1
        return TokenRange(i, end)
    return None


def implicit_condition(t: ThreatContext, verb: Token | None) -> TokenRange | None:
    """'Any terrorist attack ... shall give you ...': the quantified subject is the condition."""
    if verb is None or not modal(t, verb, verb):
        return None
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS:
            if c.left_edge.lower_ in IMPLICIT_COND_DETS:
                return TokenRange(c.left_edge.i, c.right_edge.i + 1)
    return None
