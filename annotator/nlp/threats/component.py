"""The "news_threats" spaCy component: runs the threat stages and writes their results on the Doc.

`match` finds the lexicon candidates (nothing is written); `set_annotations` judges them against
what the quote stage wrote (quotes, speakers), merges them and writes THREAT and CONDITION spans
with SOURCE, TARGET, CONDITION and EXPRESSED_IN relations (the split of spaCy's SpanRuler).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from annotator.nlp.context import DocContext
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.lexicons import Match
from annotator.nlp.syntax import is_parsed
from annotator.nlp.threats.codes import ThreatCodes, default_codes
from annotator.nlp.threats.context import ThreatContext
from annotator.nlp.threats.emission import emit, merge
from annotator.nlp.threats.judge import judge
from annotator.nlp.threats.lexicon import ThreatLexicon
from annotator.nlp.threats.nominal import nominal_threats
from annotator.nlp.threats.reported import reported_threats
from annotator.nlp.threats.ultimatums import ultimatum_threats


class ThreatFinder:
    """Threats, their source, target and condition (see `annotator.nlp.threats`)."""

    def __init__(self, vocab, patterns: str = "threats.jsonl", codes: ThreatCodes | None = None):
        self.lexicon = ThreatLexicon(vocab, patterns)
        self.codes = default_codes() if codes is None else codes

    def __call__(self, doc: Doc) -> Doc:
        """Find and write the threats of `doc`: lexicon candidates, then reported actions."""
        if not len(doc):
            return doc
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Match]:
        """The lexicon's candidate threats (see `lexicon.ThreatLexicon.candidates`)."""
        return self.lexicon.candidates(doc, is_parsed(doc))

    def set_annotations(self, doc: Doc, candidates: list[Match]) -> None:
        """Judge the candidates, merge the threats and write them."""
        ann = NewsAnnotations(doc)
        t = ThreatContext.build(DocContext.build(doc), ann, self.lexicon.cue_words)
        found = [f for f in (judge(t, m) for m in candidates) if f is not None]
        found.extend(reported_threats(t))
        found.extend(ultimatum_threats(t))
        found.extend(nominal_threats(t))
        for f in merge(t, found):
            emit(t, f, self.codes)
        ann.commit()


@Language.factory("news_threats", default_config={"patterns": "threats.jsonl"})
def make_news_threats(nlp: Language, name: str, patterns: str) -> ThreatFinder:
    """The spaCy factory (config: the threat lexicon file in resources/patterns/)."""
    return ThreatFinder(nlp.vocab, patterns=patterns)
