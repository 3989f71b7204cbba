"""Synthetic labelled news articles for the format tests and the export benchmark.

Invented names and places only. Every paragraph is built from pieces, so the offsets of its
labels are known exactly; relations and attributes follow the news schema.
"""

from __future__ import annotations

import random

from annotator.domain import AnnotatedDocument, Document, Relation, Span

PEOPLE = ["Amara Velko", "Jörg Ilgaz", "Zoe\u0308 Mbeki", "王小明", "Sina Haldor", "Ines Marrow",
          "Teodor Quill", "Ana\u00efs Fenwick"]
ORGS = ["Northern Accord", "Harbour Guard", "Ministry of Coasts", "Delta Front", "Rivet Union"]
PLACES = ["Norland", "Port Ilse", "東京", "Kavrat", "Ostmere", "Vell\u00e9 City"]
REGIONS = ["Saltmarsh Ridge", "Upper Vale", "Grey Coast"]
GROUPS = ["Norlandic", "Ostmerian", "Kavrati"]
DATES = ["Tuesday", "12 March", "last week", "on 3 May 2024"]
SAYINGS = ["We will not wait any longer \U0001F600", "The talks are over",
           "Nobody in 東京 was told", "Our patience has limits", "This agreement holds"]
CUES = ["told reporters", "said", "declared", "insisted"]
THREATS = ["strike the border posts", "close every port", "expel the envoys",
           "arrest the organisers"]
CONDITIONS = ["the talks collapse", "another attack occurs", "the deadline passes"]
EVENT_WORDS = [("attacked", "ATTACK"), ("clashed with", "ARMED_CLASH"), ("protested", "PROTEST"),
               ("met", "TALKS")]
QUOTE_KINDS = ["direct", "indirect", "partial"]
SPEECH_ACTS = ["statement", "denial", "announcement", "demand"]
CHANNELS = ["speech", "social media", "press release"]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[Span] = []
        self.relations: list[Relation] = []

    def add(self, text: str, label: str | None = None, **attrs) -> int | None:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        if label is None:
            return None
        span = Span(None, start, self.pos, label, attrs=dict(attrs), id=len(self.spans))
        self.spans.append(span)
        return span.id

    def link(self, head: int, tail: int, role: str) -> None:
        self.relations.append(Relation(None, head, tail, role))


def _quote_paragraph(b: _Builder, rng: random.Random) -> None:
    person = rng.choice(PEOPLE)
    spk = b.add(person, "SPEAKER", canonical_name=person.upper(), role="minister")
    b.add(" ")
    cue = b.add(rng.choice(CUES), "CUE")
    b.add(" in ")
    b.add(rng.choice(PLACES), "GPE")
    b.add(" on ")
    b.add(rng.choice(DATES), "DATE")
    b.add(": \u201c")
    quote = b.add(rng.choice(SAYINGS), "QUOTE", kind=rng.choice(QUOTE_KINDS),
                  speech_act=rng.choice(SPEECH_ACTS), channel=rng.choice(CHANNELS))
    b.add(".\u201d")
    b.link(quote, spk, "SAID_BY")
    b.link(quote, cue, "CUE")


def _threat_paragraph(b: _Builder, rng: random.Random) -> None:
    b.add("The ")
    org = b.add(rng.choice(ORGS), "ORG")
    b.add(" warned it would ")
    threat = b.add(rng.choice(THREATS) + " of", "THREAT", type="conditional",
                   mode=rng.choice(["violence", "restrict", "expel"]))
    b.add(" ")
    target = b.add(rng.choice(PLACES), "GPE")
    b.add(" if ")
    cond = b.add(rng.choice(CONDITIONS), "CONDITION")
    b.add(".")
    b.link(threat, org, "SOURCE")
    b.link(threat, target, "TARGET")
    b.link(threat, cond, "CONDITION")


def _event_paragraph(b: _Builder, rng: random.Random) -> None:
    b.add("On ")
    date = b.add(rng.choice(DATES), "DATE")
    b.add(", ")
    group = b.add(rng.choice(GROUPS), "NORP")
    b.add(" fighters ")
    word, etype = rng.choice(EVENT_WORDS)
    event = b.add(word, "EVENT", type=etype, modality="asserted")
    b.add(" a convoy near ")
    loc = b.add(rng.choice(REGIONS), "LOC")
    b.add(" in ")
    place = b.add(rng.choice(PLACES), "GPE")
    b.add(", and ")
    person = b.add(rng.choice(PEOPLE), "PERSON")
    b.add(" was there.")
    b.link(event, group, "PARTICIPANT")
    b.link(event, person, "PARTICIPANT")
    b.link(event, date, "TIME")
    b.link(event, loc, "PLACE")
    b.link(event, place, "PLACE")


PARAGRAPHS = [_quote_paragraph, _threat_paragraph, _event_paragraph]


def make_bundle(rng: random.Random, n_paragraphs: int, index: int) -> AnnotatedDocument:
    b = _Builder()
    b.add(f"Report {index}: tension in {rng.choice(PLACES)}\n\n")
    for p in range(n_paragraphs):
        if p:
            b.add("\n\n" if p % 2 else "\n")
        PARAGRAPHS[(index + p) % len(PARAGRAPHS)](b, rng)
    text = "".join(b.parts)
    doc = Document(text=text, title=f"Report {index}", source="synthetic",
                   published=f"2024-05-{1 + index % 28:02d}", url=f"https://example.org/{index}")
    return AnnotatedDocument(doc, b.spans, b.relations)


def make_bundles(n_articles: int, n_paragraphs: int = 4, seed: int = 7,
                 first: int = 0) -> list[AnnotatedDocument]:
    """`n_articles` articles numbered from `first` (the number makes each text unique)."""
    rng = random.Random(seed)
    return [make_bundle(rng, n_paragraphs, first + i) for i in range(n_articles)]
