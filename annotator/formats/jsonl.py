"""The project's own lossless JSONL, and Prodigy-style JSONL lines on import.

One document per line:
    {"format": "news-annotator/1", "text", "title", "source", "published", "url", "status",
     "meta", "spans": [{"id", "start", "end", "label", "text", "status", "origin", "annotator",
     "attrs", "created", "updated"}], "relations": [{"head", "tail", "role", "status", "origin",
     "annotator", "attrs", "created", "updated"}]}
`start`/`end` are code-point offsets into `text`; relation `head`/`tail` are span `id`s of the
same line. Export -> import into an empty database -> export gives byte-identical output.

Other lines with a `text` are read as Prodigy-style: `spans` with `start`, `end`, `label`
(code points), optional `relations` with `head_span`/`child_span`, or with only the token
indices `head`/`child` (Prodigy's convention: the span's last token, matched against the spans'
`token_end` or the line's `tokens`); `"answer": "accept"` or no answer imports the spans as
accepted human labels; "reject"/"ignore" lines import no labels. doccano-shaped lines (an
`entities` list, or a `label` list of `[start, end, "LABEL"]`) are read by
`annotator.formats.doccano`; `formats.jsonl_reader` hands each line to the right one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.domain import (
    ACCEPTED,
    DOC_STATUSES,
    HUMAN,
    SPAN_STATUSES,
    AnnotatedDocument,
    Document,
    Relation,
    Span,
)
from annotator.formats.base import ExportOptions, ImportProblem, ReadContext
from annotator.formats.decoding import normalise_with_offsets
from annotator.formats.records import expect, json_line, read_span, str_field
from annotator.schema import LabelSchema

FORMAT_TAG = "news-annotator/1"


# --- writing ---------------------------------------------------------------------------------

def document_to_record(bundle: AnnotatedDocument) -> dict[str, Any]:
    doc = bundle.document
    spans = sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label, s.id or 0))
    local = {s.id: i for i, s in enumerate(spans)}
    relations = sorted(
        (r for r in bundle.relations if r.head_id in local and r.tail_id in local),
        key=lambda r: (local[r.head_id], local[r.tail_id], r.role),
    )
    return {
        "format": FORMAT_TAG,
        "text": doc.text,
        "title": doc.title,
        "source": doc.source,
        "published": doc.published,
        "url": doc.url,
        "status": doc.status,
        "meta": doc.meta,
        "spans": [
            {"id": i, "start": s.start, "end": s.end, "label": s.label,
             "text": doc.text[s.start:s.end], "status": s.status, "origin": s.origin,
             "annotator": s.annotator, "attrs": s.attrs, "created": s.created,
             "updated": s.updated}
            for i, s in enumerate(spans)
        ],
        "relations": [
            {"head": local[r.head_id], "tail": local[r.tail_id], "role": r.role,
             "status": r.status, "origin": r.origin, "annotator": r.annotator, "attrs": r.attrs,
             "created": r.created, "updated": r.updated}
            for r in relations
        ],
    }


def write_jsonl(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                options: ExportOptions) -> int:
    count = 0
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for bundle in bundles:
            fh.write(json_line(document_to_record(bundle), sort_keys=True))
            fh.write("\n")
            count += 1
    return count


# --- reading ---------------------------------------------------------------------------------


def record_to_bundle(path: Path, lineno: int, record: dict[str, Any],
                     ctx: ReadContext) -> AnnotatedDocument:
    """One own-format or Prodigy-style line (already checked by `records.parse_line`)."""
    own = record.get("format") == FORMAT_TAG
    raw_text = record["text"]
    text, old_to_new = normalise_with_offsets(raw_text)
    meta = record.get("meta")
    meta = {} if meta is None else meta
    expect(isinstance(meta, dict), path, lineno, "'meta' must be an object")
    status = record.get("status", "new") if own else "new"
    expect(status in DOC_STATUSES, path, lineno, f"unknown document status {status!r}")
    doc = Document(text=text, title=str_field(record, "title", path, lineno),
                   source=str_field(record, "source", path, lineno),
                   published=str_field(record, "published", path, lineno),
                   url=str_field(record, "url", path, lineno), status=status, meta=meta,
                   import_file=str(path))
    if not doc.title:
        doc.title = meta.get("title", "") if isinstance(meta.get("title"), str) else ""
        doc.title = doc.title or text.strip().split("\n", 1)[0][:200]
    answer = record.get("answer", "accept")
    if not own and answer in ("reject", "ignore"):
        return AnnotatedDocument(doc)
    raw_spans = record.get("spans") or []
    raw_rels = record.get("relations") or []
    expect(isinstance(raw_spans, list), path, lineno, "'spans' must be a list")
    expect(isinstance(raw_rels, list), path, lineno, "'relations' must be a list")

    def remap(offset: int) -> int:
        return old_to_new[offset] if old_to_new else offset

    spans: list[Span] = []
    by_offsets: dict[tuple[int, int, str], int] = {}
    for i, raw in enumerate(raw_spans):
        span = read_span(path, lineno, i, raw, raw_text, ctx, own)
        if old_to_new:
            span.start, span.end = old_to_new[span.start], old_to_new[span.end]
            expect(span.start < span.end, path, lineno,
                   f"span #{i + 1} is empty after newline fix")
        if not own:
            span.id = i
        spans.append(span)
        by_offsets[(span.start, span.end, span.label)] = span.id
    token_ends = {} if own else _token_ends(record, raw_spans, spans)
    ids = {s.id for s in spans}
    expect(len(ids) == len(spans), path, lineno, "span ids must be unique")
    relations = []
    for i, raw in enumerate(raw_rels):
        expect(isinstance(raw, dict), path, lineno, f"relation #{i + 1} must be an object")
        if own:
            rel = _read_own_relation(path, lineno, i, raw, ids, ctx)
        else:
            rel = _read_prodigy_relation(path, lineno, (i, raw), raw_text, ctx,
                                         (spans, by_offsets, remap, token_ends))
        relations.append(rel)
    return AnnotatedDocument(doc, spans, relations)


def _token_ends(record: dict, raw_spans: list, spans: list[Span]) -> dict[int, list[int]]:
    """Prodigy token index of each span's last token -> local span ids ending there."""
    tokens = record.get("tokens")
    token_ends_at: dict[int, int] = {}  # character end offset -> token index
    if isinstance(tokens, list):
        for j, tok in enumerate(tokens):
            if isinstance(tok, dict) and type(tok.get("end")) is int:
                token_ends_at[tok["end"]] = tok.get("id", j) if type(tok.get("id")) is int else j
    found: dict[int, list[int]] = {}
    for raw, span in zip(raw_spans, spans):
        last = raw.get("token_end")
        if type(last) is not int:
            last = token_ends_at.get(raw["end"])
        if last is not None:
            found.setdefault(last, []).append(span.id)
    return found


def _read_own_relation(path: Path, lineno: int, i: int, raw: dict, ids: set[int],
                       ctx: ReadContext) -> Relation:
    n = i + 1
    head, tail, role = raw.get("head"), raw.get("tail"), raw.get("role")
    expect(head in ids and tail in ids, path, lineno,
           f"relation #{n}: 'head' and 'tail' must be span ids of this line")
    expect(isinstance(role, str) and ctx.role(role) is not None, path, lineno,
           f"relation #{n}: unknown role {role!r}")
    status = raw.get("status", ACCEPTED)
    expect(status in SPAN_STATUSES, path, lineno, f"relation #{n}: unknown status {status!r}")
    attrs = raw.get("attrs") or {}
    expect(isinstance(attrs, dict), path, lineno, f"relation #{n}: 'attrs' must be an object")
    return Relation(None, head, tail, role, status, str(raw.get("origin", HUMAN)),
                    str(raw.get("annotator", "")), attrs, created=str(raw.get("created", "")),
                    updated=str(raw.get("updated", "")))


def _read_prodigy_relation(path: Path, lineno: int, item: tuple[int, dict], text: str,
                           ctx: ReadContext, line_spans: tuple) -> Relation:
    """Relation `item` = (index, raw) of a Prodigy line; `line_spans` = (spans, by_offsets,
    remap, token_ends) of the line, to which an end not among its spans is added."""
    i, raw = item
    spans, by_offsets, remap, token_ends = line_spans
    n = i + 1
    role = raw.get("label")
    if type(role) is not str or ctx.role(role) is None:
        raise ImportProblem(path, f"relation #{n}: unknown role {role!r}", line=lineno)
    ends = []
    for key, token_key in (("head_span", "head"), ("child_span", "child")):
        ref = raw.get(key)
        if ref is None and type(raw.get(token_key)) is int:
            found = token_ends.get(raw[token_key], [])
            expect(len(found) == 1, path, lineno,
                   f"relation #{n}: token {raw[token_key]} ('{token_key}') is the last token of "
                   f"{len(found)} spans; exactly one is needed (or give '{key}')")
            ends.append(found[0])
            continue
        expect(isinstance(ref, dict), path, lineno,
               f"relation #{n}: needs '{key}' with offsets or a token index '{token_key}'")
        known = _known_span(ref, text, by_offsets, remap)
        if known is not None:  # the same span as one of the line's (checked already)
            ends.append(known)
            continue
        span = read_span(path, lineno, i, ref, text, ctx, own=False)
        span.start, span.end = remap(span.start), remap(span.end)
        key3 = (span.start, span.end, span.label)
        if key3 not in by_offsets:
            span.id = len(spans)
            spans.append(span)
            by_offsets[key3] = span.id
        ends.append(by_offsets[key3])
    return Relation(None, ends[0], ends[1], role, ACCEPTED, HUMAN)


def _known_span(ref: dict, text: str, by_offsets: dict, remap) -> int | None:
    start, end, label = ref.get("start"), ref.get("end"), ref.get("label")
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
        return None
    shown = ref.get("text")
    if shown is not None and shown != text[start:end]:
        return None
    return by_offsets.get((remap(start), remap(end), label))
