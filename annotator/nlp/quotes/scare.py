"""Stage 1b of news_quotes: scare quotes, the quoted terms that report nobody's words.

'the so-called "peace corridor"', 'a "rapid response" unit': marks around a short term that the
writer keeps at a distance. Such a term is no QUOTE of its own, and inside reported speech it
leaves the reported clause `indirect` (it does not make it `partial`). A short quote is a scare
quote when "so-called" (or a word of `scare_lead`) stands before it, or when it only modifies a
noun outside the marks. Short unattributed fragments left after attribution are dropped by the
component (`unattributed_fragment`).
"""

from __future__ import annotations

from annotator.nlp.context import DocContext
from annotator.nlp.lexicons import wordset
from annotator.nlp.quotes.cues import WORDS
from annotator.nlp.quotes.records import Quote
from annotator.nlp.syntax import phrase_head

SCARE_LEAD = wordset(WORDS, "scare_lead")

MAX_SCARE_TOKENS = 4  # a scare-quoted term is a few words
MODIFIER_DEPS = ("compound", "amod", "nmod")  # 'a "rapid response" unit'
MAX_FRAGMENT_TOKENS = 3  # an unattributed quote this short is a term, not a quotation


def mark_scare_quotes(ctx: DocContext, quotes: list[Quote]) -> None:
    """Set `Quote.scare` on the scare-quoted terms (see the module docstring)."""
    doc = ctx.doc
    for q in quotes:
        if q.end - q.start > MAX_SCARE_TOKENS or q.group >= 0:
            continue
        j = q.open_i - 1
        while j >= 0 and doc[j].is_space:
            j -= 1
        if j >= 0 and _word_before(doc, j) in SCARE_LEAD:
            q.scare = True
        elif ctx.parsed and _modifies_noun_outside(ctx, q):
            q.scare = True


def _word_before(doc, j: int) -> str:
    """The lower-case word ending at token j, hyphenated parts joined ("so - called" -> "so-called")."""
    if j > 1 and doc[j - 1].text == "-" and not doc[j - 1].whitespace_ and not doc[j - 2].whitespace_:
        return f"{doc[j - 2].lower_}-{doc[j].lower_}"
    return doc[j].lower_


def _modifies_noun_outside(ctx: DocContext, q: Quote) -> bool:
    """'a "rapid response" unit': the quoted phrase modifies a noun right after the marks."""
    head = phrase_head(ctx.doc, q.start, q.end)
    outer = head.head
    return head.dep_ in MODIFIER_DEPS and outer.i > q.close_i and outer.pos_ in ("NOUN", "PROPN")


def unattributed_fragment(q: Quote) -> bool:
    """A short quote with neither cue nor speaker: a quoted term, no quotation."""
    return q.speaker is None and q.cue is None and q.end - q.start <= MAX_FRAGMENT_TOKENS
