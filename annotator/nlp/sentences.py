"""The "news_paragraph_sentences" component: sentences never cross a paragraph break.

Placed before the parser (or after a sentencizer), it marks the first token after a newline as a
sentence start. Every other token is left as it is (``is_sent_start`` None), so the parser still
decides the sentences inside a paragraph. Headlines ("'Will push them back into caves'") thus
stay apart from the paragraph that follows them, and so does a dateline ("KORVEL, Vastria
(Baltwire) –") from the lead it opens: parsed together, the city becomes the lead's subject.
"""

from __future__ import annotations

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from annotator.nlp.dateline import find_dateline
from annotator.nlp.syntax import doc_text


class ParagraphSentences:
    """Marks the first token after a newline as a sentence start (see the module docstring)."""
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2 or doc.has_annotation("DEP"):
            return doc  # already parsed: sentence starts can no longer be set (place us before the parser)
        spaces = doc.to_array([IS_SPACE])
        n = len(doc)
        for i in spaces.nonzero()[0].tolist():
            tok = doc[i]
            if "\n" not in tok.text:
                continue
            j = i + 1
            while j < n and spaces[j]:
                j += 1
            if j < n:
                doc[j].is_sent_start = True
        _split_dateline(doc)
        return doc


def _split_dateline(doc: Doc) -> None:
    """Start a sentence where the lead after a dateline begins."""
    found = find_dateline(doc_text(doc))
    if found is None:
        return
    lead = doc.char_span(found.end, found.end + 1, alignment_mode="expand")
    if lead is not None and 0 < lead.start < len(doc):
        doc[lead.start].is_sent_start = True


@Language.factory("news_paragraph_sentences")
def make_paragraph_sentences(nlp: Language, name: str) -> ParagraphSentences:
    """The spaCy factory (no config)."""
    return ParagraphSentences()
