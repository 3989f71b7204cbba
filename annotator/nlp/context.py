"""One per-document context for the rule stages of a news component.

Each component call builds one `DocContext` and hands it to every stage, so a stage asks for the
sentence of a token, the entity at a token or the token under a character without rebuilding any
of it, and never takes more than a context and its own inputs. Everything here is a fact about
the document (parse, sentences, paragraphs, entities, quote marks); what a stage decides lives in
that stage's own named results.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from spacy.attrs import IDX
from spacy.tokens import Doc

from annotator.nlp.dateline import find_dateline
from annotator.nlp.syntax import (
    Ents,
    Paragraphs,
    Sentences,
    TokenRange,
    doc_text,
    is_parsed,
    lower_hashes,
    person_titles,
)


@dataclass
class DocContext:
    """What the stages read about `doc`; the costly parts are computed on first use.

    `in_quote` marks the tokens inside quotation marks (opening and closing mark included); it is
    all zeros unless the caller found the quotes first (`with_quotes`)."""

    doc: Doc
    parsed: bool
    sents: Sentences
    ents: Ents
    titles: frozenset[str]
    in_quote: bytearray = field(default_factory=bytearray)

    @classmethod
    def build(cls, doc: Doc, titles: frozenset[str] | None = None) -> DocContext:
        """The context of `doc` (titles default to resources/patterns/person_titles.txt)."""
        return cls(
            doc=doc,
            parsed=is_parsed(doc),
            sents=Sentences(doc),
            ents=Ents(doc),
            titles=person_titles() if titles is None else titles,
            in_quote=bytearray(len(doc)),
        )

    def with_quotes(self, spans) -> DocContext:
        """Mark the tokens of `spans` (objects with ``open_i``/``close_i`` token indices) as quoted."""
        n = len(self.doc)
        for q in spans:
            for i in range(q.open_i, min(q.close_i + 1, n)):
                self.in_quote[i] = 1
        return self

    @cached_property
    def paras(self) -> Paragraphs:
        """Paragraph bounds (a newline starts one)."""
        return Paragraphs(self.doc)

    @cached_property
    def text(self) -> str:
        """`doc.text`, built once (spaCy rebuilds it on every access)."""
        return doc_text(self.doc)

    @cached_property
    def char_starts(self) -> list[int]:
        """The character offset of each token, for character -> token look-ups."""
        return self.doc.to_array([IDX]).tolist()

    @cached_property
    def lowers(self) -> list[int]:
        """LOWER hashes per token (compare with `syntax.hashes(doc, words)`)."""
        return lower_hashes(self.doc)

    @cached_property
    def dateline(self) -> TokenRange | None:
        """The tokens of the dateline ("KORVEL, Vastria (Baltwire) –"), or None."""
        found = find_dateline(self.text)
        if found is None:
            return None
        span = self.doc.char_span(found.start, found.end, alignment_mode="expand")
        return None if span is None else TokenRange(span.start, span.end)

    def token_at_char(self, ch: int) -> int:
        """The token holding character `ch` (clamped to the doc)."""
        return max(0, min(len(self.doc) - 1, bisect_right(self.char_starts, ch) - 1))
