"""The project's own lossless JSONL, and Prodigy-style JSONL lines on import.

One document per line:
    {"format": "news-annotator/1", "text", "title", "source", "published", "url", "status",
     "meta", "spans": [{"id", "start", "end", "label", "text", "status", "origin", "annotator",
     "attrs", "created", "updated"}], "relations": [{"head", "tail", "role", "status", "origin",
     "annotator", "attrs", "created", "updated"}]}
`start`/`end` are code-point offsets into `text`; relation `head`/`tail` are span `id`s of the
same line. A span linked to the actor registry also has `actor_id` (the registry's id, see
`annotator actors export`); spans without one have no such key. Export -> import into an empty database -> export gives byte-identical output.

Other lines with a `text` are read as Prodigy-style: `spans` with `start`, `end`, `label`
(code points), optional `relations` with `head_span`/`child_span`, or with only the token
indices `head`/`child` (Prodigy's convention: the span's last token, matched against the spans'
`token_end` or the line's `tokens`); `"answer": "accept"` or no answer imports the spans as
accepted human labels; "reject"/"ignore" lines import no labels. doccano-shaped lines (an
`entities` list, or a `label` list of `[start, end, "LABEL"]`) are read by
`annotator.formats.doccano`.
"""

from __future__ import annotations

import json
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
from annotator.formats import ExportOptions, FormatInfo, ImportProblem, register
from annotator.formats.decoding import check_document_length, normalise_with_offsets, read_text
from annotator.schema import LabelSchema

FORMAT_TAG = "news-annotator/1"


# --- writing ---------------------------------------------------------------------------------

# Characters that str.splitlines() (and some JSONL tools) take for line ends but json.dumps
# leaves raw inside strings: escaped, so one record is always exactly one line.
_LINE_ENDS_IN_STRINGS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_line(record: Any, sort_keys: bool = False) -> str:
    """One JSON Lines record (no newline): UTF-8 text kept, every line break escaped."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=sort_keys)
    for raw, escaped in _LINE_ENDS_IN_STRINGS:  # str.replace is C-fast; translate() was 5x slower
        if raw in line:
            line = line.replace(raw, escaped)
    return line


def _span_record(i: int, s: Span, text: str) -> dict[str, Any]:
    record = {"id": i, "start": s.start, "end": s.end, "label": s.label,
              "text": text[s.start:s.end], "status": s.status, "origin": s.origin,
              "annotator": s.annotator, "attrs": s.attrs, "created": s.created,
              "updated": s.updated}
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


def read_jsonl(path: Path, schema: LabelSchema) -> list[AnnotatedDocument]:
    """Parse every line first; any problem refuses the whole file (nothing half-imports)."""
    content = read_text(path)
    bundles = []
    for lineno, line in enumerate(content.split("\n"), start=1):  # JSON Lines: "\n" only
        if not line.strip():
            continue
        record = _parse_line(path, lineno, line)
        bundle = _record_to_bundle(path, lineno, record, schema)
        if bundle is not None:
            bundles.append(bundle)
    if not bundles:
        raise ImportProblem(path, "no documents in the file")
    return bundles


def _parse_line(path: Path, lineno: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportProblem(path, f"malformed JSON: {exc}", line=lineno) from exc
    except RecursionError as exc:
        raise ImportProblem(path, "JSON nested too deeply", line=lineno) from exc
    if not isinstance(record, dict):
        raise ImportProblem(path, "each line must be a JSON object", line=lineno)
    if not isinstance(record.get("text"), str):
        raise ImportProblem(path, "line has no string 'text'", line=lineno)
    if not record["text"].strip():
        raise ImportProblem(path, "'text' is empty", line=lineno)
    check_document_length(path, record["text"], lineno)
    return record


def _expect(cond: bool, path: Path, lineno: int, message: str) -> None:
    if not cond:
        raise ImportProblem(path, message, line=lineno)


def _str_field(record: dict, key: str, path: Path, lineno: int) -> str:
    value = record.get(key, "")
    if value is None:
        return ""
    _expect(isinstance(value, str), path, lineno, f"'{key}' must be a string")
    return value


def _record_to_bundle(path: Path, lineno: int, record: dict[str, Any],
                      schema: LabelSchema) -> AnnotatedDocument | None:
    own = record.get("format") == FORMAT_TAG
    if not own:
        from annotator.formats import doccano

        if doccano.is_doccano(record):
            return doccano.record_to_bundle(path, lineno, record, schema)
    raw_text = record["text"]
    text, old_to_new = normalise_with_offsets(raw_text)
    meta = record.get("meta")
    meta = {} if meta is None else meta
    _expect(isinstance(meta, dict), path, lineno, "'meta' must be an object")
    status = record.get("status", "new") if own else "new"
    _expect(status in DOC_STATUSES, path, lineno, f"unknown document status {status!r}")
    doc = Document(text=text, title=_str_field(record, "title", path, lineno),
                   source=_str_field(record, "source", path, lineno),
                   published=_str_field(record, "published", path, lineno),
                   url=_str_field(record, "url", path, lineno), status=status, meta=meta,
                   import_file=str(path))
    if not doc.title:
        doc.title = meta.get("title", "") if isinstance(meta.get("title"), str) else ""
        doc.title = doc.title or text.strip().split("\n", 1)[0][:200]
    answer = record.get("answer", "accept")
    if not own and answer in ("reject", "ignore"):
        return AnnotatedDocument(doc)
    raw_spans = record.get("spans") or []
    raw_rels = record.get("relations") or []
    _expect(isinstance(raw_spans, list), path, lineno, "'spans' must be a list")
    _expect(isinstance(raw_rels, list), path, lineno, "'relations' must be a list")

    def remap(offset: int) -> int:
        return old_to_new[offset] if old_to_new else offset

    spans: list[Span] = []
    by_offsets: dict[tuple[int, int, str], int] = {}
    for i, raw in enumerate(raw_spans):
        span = _read_span(path, lineno, i, raw, raw_text, schema, own)
        span.start, span.end = remap(span.start), remap(span.end)
        _expect(span.start < span.end, path, lineno, f"span #{i + 1} is empty after newline fix")
        if not own:
            span.id = i
        spans.append(span)
        by_offsets[(span.start, span.end, span.label)] = span.id
    token_ends = {} if own else _token_ends(record, raw_spans, spans)
    ids = {s.id for s in spans}
    _expect(len(ids) == len(spans), path, lineno, "span ids must be unique")
    relations = []
    for i, raw in enumerate(raw_rels):
        _expect(isinstance(raw, dict), path, lineno, f"relation #{i + 1} must be an object")
        if own:
            rel = _read_own_relation(path, lineno, i, raw, ids, schema)
        else:
            rel = _read_prodigy_relation(path, lineno, i, raw, raw_text, schema, spans,
                                         by_offsets, remap, token_ends)
        relations.append(rel)
    return AnnotatedDocument(doc, spans, relations)


def _read_span(path: Path, lineno: int, i: int, raw: Any, text: str, schema: LabelSchema,
               own: bool) -> Span:
    n = i + 1
    _expect(isinstance(raw, dict), path, lineno, f"span #{n} must be an object")
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    _expect(type(start) is int and type(end) is int, path, lineno,
            f"span #{n}: 'start' and 'end' must be integers")
    _expect(0 <= start < end <= len(text), path, lineno,
            f"span #{n} [{start}, {end}) is out of range for a text of {len(text)} characters")
    _expect(isinstance(label, str) and schema.label(label) is not None, path, lineno,
            f"span #{n}: unknown label {label!r}")
    if isinstance(raw.get("text"), str):
        _expect(text[start:end] == raw["text"], path, lineno,
                f"span #{n}: text {raw['text']!r} does not match the text at [{start}, {end}): "
                f"{text[start:end]!r}")
    attrs = raw.get("attrs") or {}
    _expect(isinstance(attrs, dict), path, lineno, f"span #{n}: 'attrs' must be an object")
    spec = schema.label(label)
    for key, value in attrs.items():
        attr = spec.attribute(key)
        _expect(attr is not None and attr.allows(value), path, lineno,
                f"span #{n}: attribute {key}={value!r} not allowed for {label}")
    if not own:
        return Span(None, start, end, label, ACCEPTED, HUMAN, str(raw.get("annotator", "")), attrs)
    status = raw.get("status", ACCEPTED)
    _expect(status in SPAN_STATUSES, path, lineno, f"span #{n}: unknown status {status!r}")
    span_id = raw.get("id", i)
    _expect(type(span_id) is int, path, lineno, f"span #{n}: 'id' must be an integer")
    return Span(None, start, end, label, status, str(raw.get("origin", HUMAN)),
                str(raw.get("annotator", "")), attrs, id=span_id,
                created=str(raw.get("created", "")), updated=str(raw.get("updated", "")))


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
                       schema: LabelSchema) -> Relation:
    n = i + 1
    head, tail, role = raw.get("head"), raw.get("tail"), raw.get("role")
    _expect(head in ids and tail in ids, path, lineno,
            f"relation #{n}: 'head' and 'tail' must be span ids of this line")
    _expect(isinstance(role, str) and schema.role(role) is not None, path, lineno,
            f"relation #{n}: unknown role {role!r}")
    status = raw.get("status", ACCEPTED)
    _expect(status in SPAN_STATUSES, path, lineno, f"relation #{n}: unknown status {status!r}")
    attrs = raw.get("attrs") or {}
    _expect(isinstance(attrs, dict), path, lineno, f"relation #{n}: 'attrs' must be an object")
    return Relation(None, head, tail, role, status, str(raw.get("origin", HUMAN)),
                    str(raw.get("annotator", "")), attrs, created=str(raw.get("created", "")),
                    updated=str(raw.get("updated", "")))


def _read_prodigy_relation(path: Path, lineno: int, i: int, raw: dict, text: str,
                           schema: LabelSchema, spans: list[Span],
                           by_offsets: dict[tuple[int, int, str], int], remap,
                           token_ends: dict[int, list[int]]) -> Relation:
    n = i + 1
    role = raw.get("label")
    _expect(isinstance(role, str) and schema.role(role) is not None, path, lineno,
            f"relation #{n}: unknown role {role!r}")
    ends = []
    for key, token_key in (("head_span", "head"), ("child_span", "child")):
        ref = raw.get(key)
        if ref is None and type(raw.get(token_key)) is int:
            found = token_ends.get(raw[token_key], [])
            _expect(len(found) == 1, path, lineno,
                    f"relation #{n}: token {raw[token_key]} ('{token_key}') is the last token of "
                    f"{len(found)} spans; exactly one is needed (or give '{key}')")
            ends.append(found[0])
            continue
        _expect(isinstance(ref, dict), path, lineno,
                f"relation #{n}: needs '{key}' with offsets or a token index '{token_key}'")
        span = _read_span(path, lineno, i, ref, text, schema, own=False)
        span.start, span.end = remap(span.start), remap(span.end)
        key3 = (span.start, span.end, span.label)
        if key3 not in by_offsets:
            span.id = len(spans)
            spans.append(span)
            by_offsets[key3] = span.id
        ends.append(by_offsets[key3])
    return Relation(None, ends[0], ends[1], role, ACCEPTED, HUMAN)


register(FormatInfo("jsonl", "News Annotator JSONL (lossless)", ".jsonl", writer=write_jsonl,
                    reader=read_jsonl), [".jsonl"])
