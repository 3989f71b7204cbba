"""Candidate spans for the trained span categorizer: short n-grams plus clause-like stretches.

The labels the spancat learns differ wildly in length: a CUE or an EVENT trigger is one or two
tokens, a SPEAKER up to five, a THREAT or CONDITION a clause, a QUOTE a whole sentence or two
(up to ~40 tokens). All n-grams up to 40 tokens would be ~40 candidates per token; instead we
propose every n-gram up to `max_ngram` tokens plus every stretch of up to `max_length` tokens
that starts and ends at a clause boundary: next to punctuation and quote marks, modal and finite
verbs ("would | destroy its bases", "said | Norland had agreed ..."), conjunctions and clause
words ("if | another attack occurs"), within one sentence unless it opens after a quote mark. On
the project's dev gold (max_ngram 5, max_length 40) this proposes ~5 candidates per token of ~5.6
tokens on average, and covers 99% of the gold spans (QUOTE 94/96, all THREAT, CONDITION, EVENT,
CUE and SPEAKER spans). Without the sentence limit it was 8 per token of ~10 tokens, and the
spancat's training time grows with the candidates' total length.

Registered as ``news.clause_candidates.v1`` in spaCy's ``misc`` registry (and as a
``spacy_misc`` entry point), so a trained pipeline's config.cfg resolves it on `spacy.load`.
Boundaries use the tagger's fine-grained tags when the doc has them, else a small word list.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Callable, Iterable, Optional

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Ops, get_current_ops
from thinc.types import Ragged

# Penn Treebank tags after or before which a clause may start or end: modals, coordinating
# conjunctions, "to", wh-determiners and finite verbs (the speech verb before reported speech).
BOUNDARY_TAGS = frozenset({"MD", "CC", "TO", "WDT", "VBD", "VBZ", "VBP"})
CLAUSE_WORDS = frozenset({"if", "unless", "that", "because", "whether", "while", "until",
                          "after", "before", "as", "than"})
# Without tags: the same idea from the words alone.
UNTAGGED_WORDS = CLAUSE_WORDS | frozenset({
    "and", "or", "but", "to", "would", "will", "could", "can", "should", "may", "might", "must",
    "shall", "said", "says", "told", "warned", "added", "is", "was", "are", "were", "has", "had",
})


def is_boundary(token, tagged: bool) -> bool:
    if token.is_punct or token.is_quote or token.is_space or token.is_bracket:
        return True
    lower = token.lower_
    if not tagged:
        return lower in UNTAGGED_WORDS
    tag = token.tag_
    return tag in BOUNDARY_TAGS or (tag == "IN" and lower in CLAUSE_WORDS)


def _sentence_stops(doc: Doc) -> list[int]:
    return [t.i for t in doc if t.text in (".", "?", "!") or "\n" in t.text]


def doc_candidates(doc: Doc, max_ngram: int, max_length: int) -> list[tuple[int, int]]:
    """Token spans (start, end) proposed for one doc, sorted, without duplicates. A stretch ends
    at the first full stop (or line break) after its start -- except one that starts after a
    quote mark: direct quotes run over several sentences."""
    n = len(doc)
    if n == 0:
        return []
    tagged = doc.has_annotation("TAG")
    bounds = [t.i for t in doc if is_boundary(t, tagged)]
    starts = sorted({0, *(i + 1 for i in bounds if i + 1 < n)})
    ends = sorted({n, *(i for i in bounds if i > 0)})
    stops = _sentence_stops(doc)
    out = {(i, i + k) for i in range(n) for k in range(1, max_ngram + 1) if i + k <= n}
    for s in starts:
        limit = s + max_length
        if not (s > 0 and doc[s - 1].is_quote):
            k = bisect_left(stops, s)
            if k < len(stops):
                limit = min(limit, stops[k] + 1)
        lo, hi = bisect_right(ends, s), bisect_right(ends, limit)
        out.update((s, e) for e in ends[lo:hi])
    # no span starts with punctuation or space, or ends with space ("-", ", said", "said ")
    edge = [t.is_punct or t.is_space for t in doc]
    return sorted((s, e) for s, e in out if not edge[s] and not doc[e - 1].is_space)


@registry.misc("news.clause_candidates.v1")
def make_clause_candidates(max_ngram: int = 5, max_length: int = 40) -> Callable:
    """A spancat suggester: n-grams up to `max_ngram` tokens and boundary-to-boundary stretches
    up to `max_length` tokens."""

    def suggest(docs: Iterable[Doc], *, ops: Optional[Ops] = None) -> Ragged:
        ops = ops or get_current_ops()
        rows: list[tuple[int, int]] = []
        lengths: list[int] = []
        for doc in docs:
            found = doc_candidates(doc, max_ngram, max_length)
            rows.extend(found)
            lengths.append(len(found))
        data = ops.asarray2i(rows) if rows else ops.xp.zeros((0, 0), dtype="i")
        return Ragged(data, ops.asarray1i(lengths))

    return suggest
