"""Shared helpers of the token-based formats (spaCy, Prodigy, CoNLL): tokenisation and units.

Tokenisation is spaCy's rule-based English tokenizer (`spacy.blank("en")`): fast, needs no
model, and is what `spacy train` with a blank English pipeline sees. Nothing here touches the
store or Qt.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from functools import lru_cache

from annotator.domain import Span


@lru_cache(maxsize=2)
def blank_nlp(sentences: bool = False):
    """A blank English pipeline; with `sentences`, plus the rule-based sentencizer."""
    import spacy

    nlp = spacy.blank("en")
    if sentences:
        nlp.add_pipe("sentencizer")
    return nlp


def tokenize(text: str):
    """A spaCy `Doc` of `text` (tokens only)."""
    return blank_nlp()(text)


def token_bounds(doc, sentences: bool = False) -> list[list[int]]:
    """[start, end, trailing space (0/1)] of every token (plus, with `sentences`, 1 where a
    sentence starts), read from the Doc's arrays: no Token object per token (the export hot
    path). A token's text is `text[start:end]` (spaCy's tokenizer never changes the text)."""
    from spacy.attrs import IDX, LENGTH, SENT_START, SPACY

    rows = doc.to_array([IDX, LENGTH, SPACY, SENT_START] if sentences else [IDX, LENGTH, SPACY])
    out = rows.tolist()
    for row in out:
        row[1] += row[0]
    if sentences:
        for k, row in enumerate(out):
            row[3] = 1 if k == 0 or row[3] == 1 else 0
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past leading and trailing whitespace; (x, x) if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_units(text: str, spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Cut `text` into paragraphs (lines) without cutting any span.

    Returns (start, end) ranges, each a maximal run of lines that no span crosses, trimmed of
    surrounding whitespace; ranges with no visible text are dropped.
    """
    cuts = []  # candidate cut points: the offset of every newline
    pos = text.find("\n")
    while pos != -1:
        cuts.append(pos)
        pos = text.find("\n", pos + 1)
    if not cuts:
        start, end = trim(text, 0, len(text))
        return [(start, end)] if start < end else []
    # a cut at newline offset p is forbidden if some span has start <= p < end: the union of
    # the spans' ranges, merged and searched (not a per-character sweep of the text)
    merged: list[list[int]] = []
    for a, b in sorted((span.start, span.end) for span in spans if span.start < span.end):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]

    def blocked(p: int) -> bool:
        i = bisect.bisect_right(starts, p) - 1
        return i >= 0 and p < merged[i][1]

    units = []
    start = 0
    for p in cuts:
        if blocked(p):
            continue
        units.append((start, p))
        start = p + 1
    units.append((start, len(text)))
    out = []
    for a, b in units:
        a, b = trim(text, a, b)
        if a < b:
            out.append((a, b))
    return out


def non_overlapping(spans: Iterable[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Keep the longest, then earliest, of overlapping (start, end, payload) ranges; sorted."""
    ordered = sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0], s[1]))
    starts: list[int] = []  # of the kept ranges, sorted; kept ranges never overlap
    kept: list[tuple[int, int, object]] = []
    for item in ordered:
        i = bisect.bisect_right(starts, item[0])
        if i > 0 and kept[i - 1][1] > item[0]:
            continue  # the kept range starting at or before us reaches into us
        if i < len(kept) and kept[i][0] < item[1]:
            continue  # the next kept range starts inside us
        starts.insert(i, item[0])
        kept.insert(i, item)
    return kept
