"""Prodigy-style JSONL out (read back by `annotator.formats.jsonl`).

One article per line, the shape Prodigy's `ner_manual`, `spans_manual` and `rel.manual` use:
    {"text", "title", "source", "published", "url", "meta",
     "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "text", "label", "token_start", "token_end"
                [, "attrs", "annotator"]}],
     "relations": [{"head", "child", "head_span", "child_span", "label"}],
     "answer": "accept"}
Tokens come from `spacy.blank("en")`, whitespace tokens included (as Prodigy has them).
`start`/`end` are the label's exact code-point offsets; `token_start`/`token_end` are the first
and last token it touches (inclusive). A relation's `head`/`child` are token indices: the last
token of the head and child span (Prodigy's convention); `head_span`/`child_span` carry the
spans themselves. `label` of a relation is its role. Suggestions (when included) are written
like accepted labels.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.atomic_files import open_replacing
from annotator.domain import AnnotatedDocument
from annotator.formats.base import ExportOptions
from annotator.formats.records import json_line
from annotator.formats.tokens import token_bounds, tokenize
from annotator.schema import LabelSchema

_SPAN_REF = ("start", "end", "token_start", "token_end", "label")


def token_range(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """(first, last) index of the tokens that [start, end) touches (inclusive)."""
    first = max(0, bisect.bisect_right(starts, start) - 1)
    if ends[first] <= start and first + 1 < len(starts):
        first += 1  # `start` is in the whitespace after token `first`
    last = max(first, bisect.bisect_left(starts, end) - 1)
    return first, last


def document_to_task(bundle: AnnotatedDocument) -> dict[str, Any]:
    doc = bundle.document
    text = doc.text
    bounds = token_bounds(tokenize(text))
    tokens = [{"text": text[a:b], "start": a, "end": b, "id": i, "ws": sp == 1}
              for i, (a, b, sp) in enumerate(bounds)]
    starts = [a for a, _, _ in bounds]
    ends = [b for _, b, _ in bounds]
    spans = sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label, s.id or 0))
    records = {}
    out_spans = []
    for span in spans:
        first, last = token_range(starts, ends, span.start, span.end)
        rec: dict[str, Any] = {"start": span.start, "end": span.end,
                               "text": doc.text[span.start:span.end], "label": span.label,
                               "token_start": first, "token_end": last}
        if span.attrs:
            rec["attrs"] = span.attrs
        if span.annotator:
            rec["annotator"] = span.annotator
        records[span.id] = rec
        out_spans.append(rec)
    order = {s.id: i for i, s in enumerate(spans)}
    rels = sorted((r for r in bundle.relations if r.head_id in records and r.tail_id in records),
                  key=lambda r: (order[r.head_id], order[r.tail_id], r.role))
    out_rels = []
    for rel in rels:
        head, child = records[rel.head_id], records[rel.tail_id]
        out_rels.append({
            "head": head["token_end"], "child": child["token_end"],
            "head_span": {k: head[k] for k in _SPAN_REF},
            "child_span": {k: child[k] for k in _SPAN_REF},
            "label": rel.role,
        })
    return {"text": doc.text, "title": doc.title, "source": doc.source,
            "published": doc.published, "url": doc.url, "meta": doc.meta, "tokens": tokens,
            "spans": out_spans, "relations": out_rels, "answer": "accept"}


def write_prodigy(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                  options: ExportOptions) -> int:
    count = 0
    with open_replacing(out, "w", encoding="utf-8", newline="\n") as fh:
        for bundle in bundles:
            fh.write(json_line(document_to_task(bundle)))
            fh.write("\n")
            count += 1
    return count
