"""The "news_events" spaCy component: runs the event stages and writes their results on the Doc.

`match` finds the lexicon matches; `set_annotations` keeps the triggers (`triggers`), types them,
widens a trigger to its noun compounds ("peace talks"), sets modality and outcome (`attributes`)
and links the arguments (`arguments`), the split of spaCy's SpanRuler.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from annotator.nlp.context import DocContext
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.events.arguments import flat_arguments, parsed_arguments
from annotator.nlp.events.attributes import modality, outcome
from annotator.nlp.events.context import DEFAULT_TYPE, EventContext
from annotator.nlp.events.triggers import event_type, is_trigger
from annotator.nlp.lexicons import Match, PatternSet, load_jsonl
from annotator.nlp.syntax import TokenRange, phrase_head

COMPOUND_POS = ("NOUN", "PROPN")


class EventFinder:
    """Event triggers with PARTICIPANT, PLACE and TIME links (see `annotator.nlp.events`)."""

    def __init__(self, vocab, patterns: str = "events.jsonl"):
        self.patterns = PatternSet(vocab, load_jsonl(patterns))

    def __call__(self, doc: Doc) -> Doc:
        """Find and write the events of `doc` (the doc is left untouched without matches)."""
        if not len(doc):
            return doc
        matches = self.match(doc)
        if matches:
            self.set_annotations(doc, matches)
        return doc

    def match(self, doc: Doc) -> list[Match]:
        """The lexicon matches (unsliced, longest first at each start)."""
        return self.patterns(doc)

    def set_annotations(self, doc: Doc, matches: list[Match]) -> None:
        """Write one EVENT per trigger token range, with its attributes and arguments."""
        ann = NewsAnnotations(doc)
        ec = EventContext.build(DocContext.build(doc), ann, matches)
        for raw in matches:
            m = raw.sliced()
            if any(i in ec.taken for i in range(m.start, m.end)):
                continue
            if not is_trigger(ec, m, m.row.get("type", DEFAULT_TYPE)):
                continue
            _write(ec, m, event_type(ec, m))
        ann.commit()


def _write(ec: EventContext, m: Match, etype: str) -> None:
    """One EVENT (widened to its compounds), its attributes and its arguments."""
    doc, ann = ec.doc, ec.ann
    ec.taken.update(range(m.start, m.end))
    head = phrase_head(doc, m.start, m.end) if ec.parsed else doc[m.start]
    trigger = _with_compounds(ec, m, head) if ec.parsed else TokenRange(m.start, m.end)
    attrs: dict[str, Any] = {"type": etype, "modality": modality(ec, head)}
    found = m.row.get("outcome") or outcome(ec, head)
    if found:
        attrs["outcome"] = found
    ei = ann.add(trigger.start, trigger.end, "EVENT", attrs)
    sent = ec.ctx.sents.bounds(head.i)
    args = parsed_arguments(ec.ctx, head, sent) if ec.parsed else flat_arguments(ec.ctx, trigger, sent)
    for arg in args:
        label = arg.ent.label_ if arg.ent.label_ != "FAC" else "LOC"
        ann.relate(ei, ann.add(arg.ent.start, arg.ent.end, label), arg.role)


def _with_compounds(ec: EventContext, m: Match, head: Token) -> TokenRange:
    """"peace talks", "suicide bombing", "terror attack": noun compounds right before the trigger
    (not entities, not taken) join it."""
    s = m.start
    for c in reversed(list(head.lefts)):
        if c.dep_ == "compound" and c.pos_ in COMPOUND_POS and c.i == s - 1 and c.i not in ec.taken and not c.ent_type_:
            s = c.i
            ec.taken.add(c.i)
    return TokenRange(s, m.end)


@Language.factory("news_events", default_config={"patterns": "events.jsonl"})
def make_news_events(nlp: Language, name: str, patterns: str) -> EventFinder:
    """The spaCy factory (config: the event lexicon file in resources/patterns/)."""
    return EventFinder(nlp.vocab, patterns=patterns)
