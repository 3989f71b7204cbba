"""Synthetic ~800-word news articles for the import benchmarks (invented words, not real text).

A pool of paragraphs is built once from pseudo-words, invented names and fixed sentence frames,
each with the exact offsets of its labels (PERSON, ORG, GPE, SPEAKER, CUE, QUOTE and
SAID_BY/CUE relations). An article is a numbered headline plus paragraphs drawn from the pool,
so every article is unique (its own content hash) and generating 50,000 of them is quick.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

_SYLLABLES = ["ka", "lo", "mir", "sen", "tu", "va", "dre", "ol", "bek", "ran", "is", "po", "tem",
              "gar", "nu", "shi", "el", "vor", "qua", "den"]
_FRAMES = ["{s} {c} that {q}.", "\u201c{q},\u201d {s} {c}.", "{s} {c}: \u201c{q}.\u201d"]
_CUES = ["said", "told reporters", "declared", "insisted", "announced"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3)))


def _name(rng: random.Random) -> str:
    return f"{_word(rng).capitalize()} {_word(rng).capitalize()}"


def _filler(rng: random.Random, n: int) -> str:
    return " ".join(_word(rng) for _ in range(n))


class _Para:
    """Text of one paragraph with its spans (start, end, label) and relations (head, tail, role)
    as indices into its spans."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: list[tuple[int, int, str]] = []
        self.relations: list[tuple[int, int, str]] = []

    def add(self, piece: str, label: str | None = None) -> int:
        start = len(self.text)
        self.text += piece
        if label:
            self.spans.append((start, len(self.text), label))
        return len(self.spans) - 1


def _paragraph(rng: random.Random) -> _Para:
    """About 130 words and 6 labels: a lead sentence with three entities, a quote with its
    speaker and cue (SAID_BY, CUE), filler sentences."""
    p = _Para()
    p.add(_filler(rng, 6).capitalize() + " ")
    p.add(_name(rng), "PERSON")
    p.add(" of the ")
    p.add(f"{_word(rng).capitalize()} Council", "ORG")
    p.add(" met in ")
    p.add(_word(rng).capitalize(), "GPE")
    p.add(f" on {rng.choice(['Tuesday', 'Friday', '12 March'])} {_filler(rng, 20)}. ")
    frame = rng.choice(_FRAMES)
    before, _, rest = frame.partition("{")
    p.add(before)
    order = []
    for part in frame.split("{")[1:]:
        key, _, tail = part.partition("}")
        if key == "s":
            order.append(("s", p.add(_name(rng), "SPEAKER")))
        elif key == "c":
            order.append(("c", p.add(rng.choice(_CUES), "CUE")))
        else:
            order.append(("q", p.add(_filler(rng, 18).capitalize(), "QUOTE")))
        p.add(tail)
    ids = dict(order)
    p.relations += [(ids["q"], ids["s"], "SAID_BY"), (ids["q"], ids["c"], "CUE")]
    p.add(" " + ". ".join(_filler(rng, 12).capitalize() for _ in range(6)) + ".")
    return p


class ArticleMaker:
    """Deterministic articles: `articles(n)` yields (text, spans, relations) with ~800 words
    and 36 spans, 12 relations each (6 paragraphs)."""

    def __init__(self, seed: int = 17, pool: int = 400, paragraphs: int = 6):
        rng = random.Random(seed)
        self.pool = [_paragraph(rng) for _ in range(pool)]
        self.paragraphs = paragraphs
        self.seed = seed

    def article(self, i: int) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int, str]]]:
        rng = random.Random(self.seed * 1_000_003 + i)
        text = f"Report {i}: {_filler(rng, 6)}\n"
        spans: list[tuple[int, int, str]] = []
        relations: list[tuple[int, int, str]] = []
        for para in rng.sample(self.pool, self.paragraphs):
            offset, first = len(text), len(spans)
            spans += [(s + offset, e + offset, lab) for s, e, lab in para.spans]
            relations += [(h + first, t + first, r) for h, t, r in para.relations]
            text += para.text + "\n"
        return text, spans, relations

    def articles(self, n: int) -> Iterator[tuple[str, list, list]]:
        for i in range(n):
            yield self.article(i)


def write_jsonl(path: Path, n: int, with_spans: bool, maker: ArticleMaker | None = None) -> None:
    """Prodigy-style lines (text, spans, relations with head_span/child_span)."""
    maker = maker or ArticleMaker()
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for text, spans, relations in maker.articles(n):
            record: dict = {"text": text}
            if with_spans:
                refs = [{"start": s, "end": e, "label": lab} for s, e, lab in spans]
                record["spans"] = refs
                record["relations"] = [{"head_span": refs[h], "child_span": refs[t], "label": r}
                                       for h, t, r in relations]
            fh.write(json.dumps(record, ensure_ascii=False))
            fh.write("\n")


def write_txt_folder(folder: Path, n: int, maker: ArticleMaker | None = None) -> None:
    maker = maker or ArticleMaker()
    folder.mkdir(parents=True, exist_ok=True)
    for i, (text, _s, _r) in enumerate(maker.articles(n)):
        (folder / f"a{i:06d}.txt").write_text(text, encoding="utf-8")
