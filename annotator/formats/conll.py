"""CoNLL-2003-style IOB2 columns for the entity labels (PERSON ORG GPE LOC NORP DATE).

    -DOCSTART-\tO
    <blank>
    Minister\tO
    Amara\tB-PERSON
    Velko\tI-PERSON
    ...
    <blank>   (between sentences)

Two tab-separated columns, `token` and `label`, IOB2 tags (every entity starts with `B-`),
a `-DOCSTART-` line and a blank line before each article. Only labels of the schema's `entity`
group are tagged; where they overlap the longest, then earliest, wins. Tokens come from
`spacy.blank("en")`, further split at any whitespace (no token holds a space, tab, NBSP or
line break; whitespace-only tokens are dropped). Sentences come from spaCy's rule-based
sentencizer, plus a break at every line break; a sentence break never falls inside an entity.
Suggestions (when included) are tagged like accepted labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.atomic_files import open_replacing
from annotator.domain import AnnotatedDocument
from annotator.formats.base import ExportOptions
from annotator.formats.tokens import blank_nlp, non_overlapping, token_bounds, trim
from annotator.schema import LabelSchema

DOCSTART = "-DOCSTART-"
_SPACE = re.compile(r"\s")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029\x85]")


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """[start, end) split at whitespace into non-empty pieces."""
    i = start
    while i < end:
        while i < end and text[i].isspace():
            i += 1
        j = i
        while j < end and not text[j].isspace():
            j += 1
        if i < j:
            yield i, j
        i = j


def document_sentences(bundle: AnnotatedDocument, labels: set[str]
                       ) -> list[list[tuple[str, str]]]:
    """The article as sentences of (token, IOB2 tag)."""
    text = bundle.document.text
    ranges = []
    for span in bundle.spans:
        if span.label in labels:
            a, b = trim(text, span.start, span.end)
            if a < b:
                ranges.append((a, b, span.label))
    ents = non_overlapping(ranges)
    doc = blank_nlp(sentences=True)(text)
    # tokens: (start, end, sentence-start?) with whitespace split off
    tokens: list[list] = []
    first = True
    for start, end, _, sent_start in token_bounds(doc, sentences=True):
        if sent_start or _LINE_BREAK.search(text, start, end):
            first = True  # a sentence starts, or a line break ends the one before
        if _SPACE.search(text, start, end) is None:
            tokens.append([start, end, first, "O"])
            first = False
            continue
        for a, b in _pieces(text, start, end):
            tokens.append([a, b, first, "O"])
            first = False
    # tags: a token belongs to an entity when they overlap
    k = 0
    for a, b, label in ents:
        while k < len(tokens) and tokens[k][1] <= a:
            k += 1
        inside = False
        j = k
        while j < len(tokens) and tokens[j][0] < b:
            tokens[j][3] = ("I-" if inside else "B-") + label
            if inside:
                tokens[j][2] = False  # never break a sentence inside an entity
            inside = True
            j += 1
        k = j
    sentences: list[list[tuple[str, str]]] = []
    for a, b, first, tag in tokens:
        if first or not sentences:
            sentences.append([])
        sentences[-1].append((text[a:b], tag))
    return sentences


def write_conll(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                options: ExportOptions) -> int:
    labels = {lab.name for lab in schema.labels if lab.group == "entity"}
    count = 0
    with open_replacing(out, "w", encoding="utf-8", newline="\n") as fh:
        for bundle in bundles:
            count += 1
            fh.write(f"{DOCSTART}\tO\n\n")
            for sentence in document_sentences(bundle, labels):
                fh.write("".join(f"{token}\t{tag}\n" for token, tag in sentence))
                fh.write("\n")
    return count
