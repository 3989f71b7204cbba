"""The project's own lossless JSONL, and Prodigy-style JSONL lines on import.

One document per line:
    {"format": "news-annotator/1", "text", "title", "source", "published", "url", "status",
     "meta", "spans": [{"id", "start", "end", "label", "text", "status", "origin", "annotator",
     "attrs", "created", "updated", "uid"}], "relations": [{"head", "tail", "role", "status",
     "origin", "annotator", "attrs", "created", "updated", "uid"}]}
`start`/`end` are code-point offsets into `text`; relation `head`/`tail` are span `id`s of the
same line; `uid` is the span's or relation's UUID, kept on import (a file without uids gets new
ones). A span linked to the actor registry also has `actor_id` (the registry's id, see
`annotator actors export`); spans without one have no such key. Export -> import into an
empty database -> export gives byte-identical output.

Other lines with a `text` are read as Prodigy-style: `spans` with `start`, `end`, `label`
(code points), optional `relations` with `head_span`/`child_span`, or with only the token
indices `head`/`child` (Prodigy's convention: the span's last token, matched against the spans'
`token_end` or the line's `tokens`); `"answer": "accept"` or no answer imports the spans as
accepted human labels; "reject" imports them as rejected labels (the annotator's verdict, kept
and counted); "ignore" imports the text and counts its labels as not imported; a doccano
document label (`"label": "PERSON"`) is counted as not imported (no document categories). doccano-shaped lines (an
`entities` list, or a `label` list of `[start, end, "LABEL"]`) are read by
`annotator.formats.doccano`; `formats.jsonl_reader` hands each line to the right one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.atomic_files import open_replacing
from annotator.domain import (
    ACCEPTED,
    DOC_STATUSES,
    HUMAN,
    REJECTED,
    SPAN_STATUSES,
    AnnotatedDocument,
    Document,
    Relation,
    Span,
)
from annotator.formats.base import ExportOptions
from annotator.formats.context import BadLabel, ReadContext
from annotator.formats.decoding import normalise_with_offsets
from annotator.formats.records import bad, expect, json_line, read_span, read_uid, str_field
from annotator.formats.titles import title_from_text
from annotator.schema import LabelSchema

FORMAT_TAG = "news-annotator/1"


# --- writing ---------------------------------------------------------------------------------

def _span_record(i: int, s: Span, text: str) -> dict[str, Any]:
    record = {"id": i, "start": s.start, "end": s.end, "label": s.label,
              "text": text[s.start:s.end], "status": s.status, "origin": s.origin,
              "annotator": s.annotator, "attrs": s.attrs, "created": s.created,
              "updated": s.updated, "uid": s.uid}
    if s.actor_id is not None:
        record["actor_id"] = s.actor_id
    return record


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
        "spans": [_span_record(i, s, doc.text) for i, s in enumerate(spans)],
        "relations": [
            {"head": local[r.head_id], "tail": local[r.tail_id], "role": r.role,
             "status": r.status, "origin": r.origin, "annotator": r.annotator, "attrs": r.attrs,
             "created": r.created, "updated": r.updated, "uid": r.uid}
            for r in relations
        ],
    }


def write_jsonl(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                options: ExportOptions) -> int:
    count = 0
    with open_replacing(out, "w", encoding="utf-8", newline="\n") as fh:
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
        doc.title = doc.title or title_from_text(text)
    answer = record.get("answer", "accept")
    if not own:
        _count_document_labels(record, ctx)
        if answer == "ignore":
            _count_ignored(record, ctx)
            return AnnotatedDocument(doc)
    raw_spans = record.get("spans") or []
    raw_rels = record.get("relations") or []
    expect(isinstance(raw_spans, list), path, lineno, "'spans' must be a list")
    expect(isinstance(raw_rels, list), path, lineno, "'relations' must be a list")

    def remap(offset: int) -> int:
        return old_to_new[offset] if old_to_new else offset

    line = _Line(path, lineno, raw_text, remap, ctx)
    line.next_extra = len(raw_spans)
    for i, raw in enumerate(raw_spans):
        line.add_span(i, raw, own)
    if not own:
        line.token_ends = _token_ends(record, line.read)
    relations = []
    for i, raw in enumerate(raw_rels):
        expect(isinstance(raw, dict), path, lineno, f"relation #{i + 1} must be an object")
        try:
            if own:
                rel = _read_own_relation(line, i, raw)
            else:
                rel = _read_prodigy_relation(line, i, raw)
        except BadLabel as exc:
            ctx.skip(exc)
            continue
        if rel is not None:
            relations.append(rel)
    rel_uids = [r.uid for r in relations if r.uid]
    expect(len(set(rel_uids)) == len(rel_uids), path, lineno, "relation uids must be unique")
    if not own and answer == "reject":
        for row in (*line.spans, *relations):
            row.status = REJECTED
        ctx.notes.rejected_answers += 1
    return AnnotatedDocument(doc, line.spans, relations)


def _count_ignored(record: dict, ctx: ReadContext) -> None:
    """A Prodigy "ignore" answer says nothing about its labels: the text comes in, they do
    not, and they are counted."""
    for key in ("spans", "relations"):
        items = record.get(key)
        if isinstance(items, list) and items:
            ctx.notes.dropped[f"{key} of Prodigy 'ignore' answers"] += len(items)


def _count_document_labels(record: dict, ctx: ReadContext) -> None:
    """doccano's document-level label (`"label": "PERSON"`, or a list of such names, from a
    text-classification project): the project has no document categories, so it is counted
    as not imported, by name."""
    value = record.get("label")
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for name in names:
        if isinstance(name, str):
            ctx.notes.dropped[f"document label {name} (no document categories)"] += 1


class _Line:
    """The spans of one line as they are read: kept ones, and the keys of skipped ones (so a
    relation to a skipped span is left out with it, not reported twice)."""

    def __init__(self, path: Path, lineno: int, text: str, remap, ctx: ReadContext):
        self.path, self.lineno, self.text, self.remap, self.ctx = path, lineno, text, remap, ctx
        self.spans: list[Span] = []
        self.read: list[tuple[dict, Span]] = []  # (raw, span) of every kept span of the list
        self.by_offsets: dict[tuple[int, int, str], int] = {}
        self.ids: set[int] = set()
        self.uids: set[str] = set()
        self.skipped_ids: set[int] = set()
        self.skipped_refs: set[tuple] = set()
        self.token_ends: dict[int, list[int]] = {}
        self.next_extra = 0  # local id of the next span known only from a relation

    def add_span(self, i: int, raw: Any, own: bool) -> None:
        try:
            span = read_span(self.path, self.lineno, i, raw, self.text, self.ctx, own=own)
            span.start, span.end = self.remap(span.start), self.remap(span.end)
            bad(span.start < span.end, self.path, self.lineno,
                f"span #{i + 1} is empty after newline fix")
        except BadLabel as exc:
            if isinstance(raw, dict):
                span_id = raw.get("id", i) if own else i
                if type(span_id) is int:
                    self.skipped_ids.add(span_id)
                if _ref_key(raw) is not None:
                    self.skipped_refs.add(_ref_key(raw))
            self.ctx.skip(exc)
            return
        if not own:
            span.id = i
        expect(span.id not in self.ids, self.path, self.lineno, "span ids must be unique")
        expect(not span.uid or span.uid not in self.uids, self.path, self.lineno,
               "span uids must be unique")
        self.ids.add(span.id)
        if span.uid:
            self.uids.add(span.uid)
        self.spans.append(span)
        self.read.append((raw, span))
        self.by_offsets[(span.start, span.end, span.label)] = span.id


def _ref_key(raw: dict) -> tuple | None:
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    if type(start) is int and type(end) is int and type(label) is str:
        return (start, end, label)
    return None


def _token_ends(record: dict, read: list[tuple[dict, Span]]) -> dict[int, list[int]]:
    """Prodigy token index of each span's last token -> local span ids ending there."""
    tokens = record.get("tokens")
    token_ends_at: dict[int, int] = {}  # character end offset -> token index
    if isinstance(tokens, list):
        for j, tok in enumerate(tokens):
            if isinstance(tok, dict) and type(tok.get("end")) is int:
                token_ends_at[tok["end"]] = tok.get("id", j) if type(tok.get("id")) is int else j
    found: dict[int, list[int]] = {}
    for raw, span in read:
        last = raw.get("token_end")
        if type(last) is not int:
            last = token_ends_at.get(raw["end"])
        if last is not None:
            found.setdefault(last, []).append(span.id)
    return found


def _read_own_relation(line: _Line, i: int, raw: dict) -> Relation | None:
    n = i + 1
    path, lineno = line.path, line.lineno
    head, tail = raw.get("head"), raw.get("tail")
    expect(type(head) is int and type(tail) is int, path, lineno,
           f"relation #{n}: 'head' and 'tail' must be span ids of this line")
    if head in line.skipped_ids or tail in line.skipped_ids:
        line.ctx.orphan(path, lineno, f"relation #{n}")
        return None
    expect(head in line.ids and tail in line.ids, path, lineno,
           f"relation #{n}: 'head' and 'tail' must be span ids of this line")
    role = line.ctx.relation_role(raw.get("role"), path, lineno, f"relation #{n}").role
    status = raw.get("status", ACCEPTED)
    bad(status in SPAN_STATUSES, path, lineno, f"relation #{n}: unknown status {status!r}")
    attrs = raw.get("attrs") or {}
    bad(isinstance(attrs, dict), path, lineno, f"relation #{n}: 'attrs' must be an object")
    return Relation(None, head, tail, role, status, str(raw.get("origin", HUMAN)),
                    str(raw.get("annotator", "")), attrs, created=str(raw.get("created", "")),
                    updated=str(raw.get("updated", "")),
                    uid=read_uid(path, lineno, raw, f"relation #{n}"))



def _read_prodigy_relation(line: _Line, i: int, raw: dict) -> Relation | None:
    """A Prodigy relation; an end not among the line's spans is added to them."""
    n = i + 1
    path, lineno = line.path, line.lineno
    role = line.ctx.relation_role(raw.get("label"), path, lineno, f"relation #{n}").role
    ends = []
    for key, token_key in (("head_span", "head"), ("child_span", "child")):
        ref = raw.get(key)
        if ref is None and type(raw.get(token_key)) is int:
            found = line.token_ends.get(raw[token_key], [])
            bad(len(found) == 1, path, lineno,
                f"relation #{n}: token {raw[token_key]} ('{token_key}') is the last token of "
                f"{len(found)} spans; exactly one is needed (or give '{key}')")
            ends.append(found[0])
            continue
        bad(isinstance(ref, dict), path, lineno,
            f"relation #{n}: needs '{key}' with offsets or a token index '{token_key}'")
        known = _known_span(ref, line)
        if known is not None:  # the same span as one of the line's (checked already)
            ends.append(known)
            continue
        ref_key = _ref_key(ref)
        if ref_key is not None and ref_key in line.skipped_refs:
            line.ctx.orphan(path, lineno, f"relation #{n}")
            return None
        span = read_span(path, lineno, i, ref, line.text, line.ctx, own=False)
        span.start, span.end = line.remap(span.start), line.remap(span.end)
        key3 = (span.start, span.end, span.label)
        if key3 not in line.by_offsets:
            span.id, line.next_extra = line.next_extra, line.next_extra + 1
            line.spans.append(span)
            line.by_offsets[key3] = span.id
        ends.append(line.by_offsets[key3])
    return Relation(None, ends[0], ends[1], role, ACCEPTED, HUMAN)


def _known_span(ref: dict, line: _Line) -> int | None:
    start, end = ref.get("start"), ref.get("end")
    text = line.text
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
        return None
    shown = ref.get("text")
    if shown is not None and shown != text[start:end]:
        return None
    spec = line.ctx.label(ref.get("label")) if type(ref.get("label")) is str else None
    if spec is None:
        return None
    return line.by_offsets.get((line.remap(start), line.remap(end), spec.name))
