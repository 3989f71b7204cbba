"""The "news_quotes" spaCy component: runs the quote stages and writes their results on the Doc.

`match` runs the stages (marks -> scare quotes -> cues -> attribution -> reported speech) and
returns what they found; `set_annotations` writes QUOTE, CUE and SPEAKER spans with SAID_BY, CUE and SAME_AS
relations (the split of spaCy's SpanRuler, so a caller can inspect findings without writing).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from annotator.nlp.context import DocContext
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.quotes.attribution import Attributor
from annotator.nlp.quotes.cues import CueFinder, channel_of
from annotator.nlp.quotes.marks import token_quotes
from annotator.nlp.quotes.records import Quote, Reported
from annotator.nlp.quotes.reported import ReportedFinder
from annotator.nlp.quotes.resolution import SpeakerRegistry
from annotator.nlp.quotes.scare import mark_scare_quotes, unattributed_fragment
from annotator.nlp.quotes.speakers import SpeakerFinder
from annotator.nlp.syntax import person_titles


@dataclass
class SpeechFindings:
    """What the stages found in one doc: direct quotes (attributed) and reported speech."""

    ctx: DocContext
    quotes: list[Quote]
    reported: list[Reported]


class QuoteFinder:
    """Direct and reported speech, its cue and its speaker (see `annotator.nlp.quotes`)."""

    def __init__(self, vocab, speech_verbs: str = "speech_verbs.jsonl", max_after: int = 6):
        self.cues = CueFinder(vocab, speech_verbs)
        self.max_after = max_after
        self.titles = person_titles()

    def __call__(self, doc: Doc) -> Doc:
        """Find the speech in `doc` and write it (nothing for an empty doc)."""
        if not len(doc):
            return doc
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> SpeechFindings:
        """Run the stages; nothing is written on the doc."""
        ctx = DocContext.build(doc, titles=self.titles)
        quotes = token_quotes(ctx)
        ctx.with_quotes(quotes)
        mark_scare_quotes(ctx, quotes)
        cues = self.cues(ctx)
        speakers = SpeakerFinder(ctx)
        Attributor(ctx, cues, speakers, self.max_after)(quotes)
        reported = ReportedFinder(ctx, cues, speakers)(quotes)
        return SpeechFindings(ctx, quotes, reported)

    def set_annotations(self, doc: Doc, found: SpeechFindings) -> None:
        """Write quotes, cues and speakers (a fragment quoted inside reported speech is covered by
        the reported QUOTE and gets no span of its own), then resolve the speakers."""
        ann = NewsAnnotations(doc)
        registry = SpeakerRegistry(found.ctx, ann)
        for q in found.quotes:
            if q.scare or unattributed_fragment(q):
                continue  # a quoted term, nobody's words
            if q.kind == "partial" and any(r.start <= q.start and q.end <= r.end for r in found.reported):
                continue
            qi = ann.add(q.start, q.end, "QUOTE", {"kind": q.kind})
            if q.cue is not None:
                ann.set_attr(qi, "speech_act", q.cue.speech_act)
                ann.set_attr(qi, "channel", channel_of(found.ctx, q.cue))
                ann.relate(qi, ann.add(q.cue.start, q.cue.end, "CUE"), "CUE")
            else:
                ann.set_attr(qi, "speech_act", "statement", overwrite=False)
            if q.speaker is not None:
                ann.relate(qi, registry.add(q.speaker), "SAID_BY")
        for r in found.reported:
            qi = ann.add(r.start, r.end, "QUOTE", {"kind": r.kind, "speech_act": r.cue.speech_act})
            ann.set_attr(qi, "channel", channel_of(found.ctx, r.cue), overwrite=False)
            ann.relate(qi, ann.add(r.cue.start, r.cue.end, "CUE"), "CUE")
            ann.relate(qi, registry.add(r.speaker), "SAID_BY")
        registry.resolve()
        ann.commit()


@Language.factory(
    "news_quotes",
    default_config={"speech_verbs": "speech_verbs.jsonl", "max_after": 6},
)
def make_news_quotes(nlp: Language, name: str, speech_verbs: str, max_after: int) -> QuoteFinder:
    """The spaCy factory (config: the speech-verb lexicon and how far after a quote its cue may be)."""
    return QuoteFinder(nlp.vocab, speech_verbs=speech_verbs, max_after=max_after)
