"""A labelled corpus of any size, generated from the project's own dev gold samples.

Each document is one of resources/samples/*.gold.jsonl (never the held-out ones) with its
people, places and groups renamed (invented names, so no two documents share a text) and every
accepted span moved with the text; optionally cut after `max_chars` at a paragraph end, keeping
the spans inside. Used by the training benchmark (500 documents) and the training tests (a few
short ones).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
RENAMED = ("PERSON", "GPE", "ORG", "NORP", "LOC")
_SYLLABLES = ("ka", "ro", "ve", "lin", "dar", "mo", "sel", "tri", "an", "bel", "cor", "du",
              "es", "fa", "gor", "hal", "is", "jun", "lor", "mer", "nov", "os", "pra", "qui")


@dataclass
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass
class GoldDocument:
    title: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)


def dev_gold() -> list[GoldDocument]:
    out = []
    for path in sorted(SAMPLES.glob("*.gold.jsonl")):
        data = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        spans = [GoldSpan(s["start"], s["end"], s["label"]) for s in data["spans"]
                 if s.get("status", "accepted") == "accepted"]
        out.append(GoldDocument(data.get("title", path.stem), data["text"], spans))
    return out


def _name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(words))


def _regions(doc: GoldDocument) -> list[GoldSpan]:
    """Non-overlapping entity spans to rename, left to right."""
    out: list[GoldSpan] = []
    for s in sorted((s for s in doc.spans if s.label in RENAMED), key=lambda s: (s.start, -s.end)):
        if not out or s.start >= out[-1].end:
            out.append(s)
    return out


def renamed(doc: GoldDocument, rng: random.Random) -> GoldDocument:
    names: dict[str, str] = {}
    pieces, moves, pos, shift = [], [], 0, 0
    for r in _regions(doc):
        old = doc.text[r.start:r.end]
        new = names.setdefault(old, _name(rng, len(old.split())))
        pieces += [doc.text[pos:r.start], new]
        moves.append((r.start, r.end, r.start + shift, r.start + shift + len(new)))
        shift += len(new) - len(old)
        pos = r.end
    pieces.append(doc.text[pos:])

    def move(offset: int) -> int | None:
        delta = 0
        for o_start, o_end, n_start, n_end in moves:
            if offset == o_start:
                return n_start
            if offset == o_end:
                return n_end
            if o_start < offset < o_end:
                return None  # a span cutting through a renamed name: left out
            if o_end < offset:
                delta = n_end - o_end
        return offset + delta

    spans = []
    for s in doc.spans:
        start, end = move(s.start), move(s.end)
        if start is not None and end is not None and start < end:
            spans.append(GoldSpan(start, end, s.label))
    return GoldDocument(doc.title, "".join(pieces), spans)


def cut(doc: GoldDocument, max_chars: int) -> GoldDocument:
    end = doc.text.rfind("\n", 0, max_chars)
    if end <= 0 or len(doc.text) <= max_chars:
        return doc
    return GoldDocument(doc.title, doc.text[:end], [s for s in doc.spans if s.end <= end])


def labelled_documents(n: int, seed: int = 0, max_chars: int | None = None,
                       templates: int | None = None) -> list[GoldDocument]:
    """`n` renamed copies of the dev gold documents (the first `templates` of them), in turn."""
    gold = dev_gold()[:templates] if templates else dev_gold()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        doc = renamed(gold[i % len(gold)], rng)
        out.append(cut(doc, max_chars) if max_chars else doc)
    return out


def add_to_store(store, docs: list[GoldDocument], done: bool = True) -> list[int]:
    """The documents with their spans accepted (and marked done), as an analyst would leave them."""
    from annotator.domain import ACCEPTED, DOC_DONE, DOC_IN_PROGRESS, AnnotatedDocument, Document, Span

    status = DOC_DONE if done else DOC_IN_PROGRESS
    bundles = [AnnotatedDocument(Document(text=d.text, title=d.title, status=status),
                                 [Span(None, s.start, s.end, s.label, ACCEPTED, annotator="gold")
                                  for s in d.spans]) for d in docs]
    return store.add_documents(bundles)
