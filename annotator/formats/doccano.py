"""doccano JSONL: sequence labelling with relations, out and in.

Out, one article per line (doccano's "Sequence labeling with relations" import/export shape):
    {"id", "text", "title", "source", "published", "url", "meta",
     "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}]}
Offsets are code points (doccano counts Python characters). Entity and relation ids are unique
in the file; a relation's `from_id` is its head span, `to_id` its tail, `type` its role. Extra
keys (`title`, ...) become document metadata in doccano. Attributes have no place in doccano and
are not written; suggestions (when included) are written like accepted labels.

In: `.jsonl` files are read by `annotator.formats.jsonl_reader`, which hands doccano-shaped lines
(an `entities` list, or doccano's plain `label` list of `[start, end, "LABEL"]`) to
`record_to_bundle` here. They come in as accepted human labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.atomic_files import open_replacing
from annotator.domain import ACCEPTED, HUMAN, AnnotatedDocument, Document, Relation
from annotator.formats.base import ExportOptions
from annotator.formats.context import BadLabel, ReadContext
from annotator.formats.decoding import normalise_with_offsets
from annotator.formats.records import bad, expect, json_line, read_span, str_field
from annotator.formats.titles import title_from_text
from annotator.schema import LabelSchema


def is_doccano(record: dict[str, Any]) -> bool:
    return (isinstance(record.get("entities"), list)
            or (isinstance(record.get("label"), list)
                and all(isinstance(x, list) for x in record["label"])))


# --- writing ---------------------------------------------------------------------------------


def write_doccano(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                  options: ExportOptions) -> int:
    count = 0
    next_entity, next_relation = 1, 1
    with open_replacing(out, "w", encoding="utf-8", newline="\n") as fh:
        for bundle in bundles:
            doc = bundle.document
            count += 1
            spans = sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label, s.id or 0))
            ids = {}
            entities = []
            for span in spans:
                ids[span.id] = next_entity
                entities.append({"id": next_entity, "label": span.label,
                                 "start_offset": span.start, "end_offset": span.end})
                next_entity += 1
            rels = sorted((r for r in bundle.relations if r.head_id in ids and r.tail_id in ids),
                          key=lambda r: (ids[r.head_id], ids[r.tail_id], r.role))
            relations = []
            for rel in rels:
                relations.append({"id": next_relation, "from_id": ids[rel.head_id],
                                  "to_id": ids[rel.tail_id], "type": rel.role})
                next_relation += 1
            record = {"id": count, "text": doc.text, "title": doc.title, "source": doc.source,
                      "published": doc.published, "url": doc.url, "meta": doc.meta,
                      "entities": entities, "relations": relations}
            fh.write(json_line(record))
            fh.write("\n")
    return count


# --- reading (called by jsonl_reader.read_jsonl for doccano-shaped lines) ----------------------


def record_to_bundle(path: Path, lineno: int, record: dict[str, Any],
                     ctx: ReadContext) -> AnnotatedDocument:
    raw_text = record["text"]
    text, old_to_new = normalise_with_offsets(raw_text)
    meta = record.get("meta") or {}
    expect(isinstance(meta, dict), path, lineno, "'meta' must be an object")
    doc = Document(text=text, title=str_field(record, "title", path, lineno),
                   source=str_field(record, "source", path, lineno),
                   published=str_field(record, "published", path, lineno),
                   url=str_field(record, "url", path, lineno), meta=meta,
                   import_file=str(path))
    doc.title = doc.title or title_from_text(text)

    def remap(offset: int) -> int:
        return old_to_new[offset] if old_to_new else offset

    raw_entities = record.get("entities")
    if raw_entities is None:  # doccano's sequence-labelling shape: "label": [[s, e, "L"], ...]
        raw_entities = []
        for i, item in enumerate(record["label"]):
            expect(isinstance(item, list) and len(item) == 3, path, lineno,
                   f"label #{i + 1} must be [start_offset, end_offset, label]")
            raw_entities.append({"id": i, "start_offset": item[0], "end_offset": item[1],
                                 "label": item[2]})
    raw_rels = record.get("relations") or []
    expect(isinstance(raw_rels, list), path, lineno, "'relations' must be a list")
    spans, by_id, skipped = [], {}, set()
    for i, raw in enumerate(raw_entities):
        expect(isinstance(raw, dict), path, lineno, f"entity #{i + 1} must be an object")
        ent_id = raw.get("id", i)
        expect(isinstance(ent_id, (int, str)), path, lineno,
               f"entity #{i + 1}: 'id' must be a number or a string")
        expect(ent_id not in by_id and ent_id not in skipped, path, lineno,
               f"entity #{i + 1}: duplicate id {ent_id!r}")
        try:
            span = read_span(path, lineno, i, {"start": raw.get("start_offset"),
                                               "end": raw.get("end_offset"),
                                               "label": raw.get("label")},
                             raw_text, ctx, own=False)
            span.start, span.end = remap(span.start), remap(span.end)
            bad(span.start < span.end, path, lineno, f"entity #{i + 1} is empty after newline fix")
        except BadLabel as exc:
            skipped.add(ent_id)
            ctx.skip(exc)
            continue
        span.id = i
        by_id[ent_id] = i
        spans.append(span)
    relations = []
    for i, raw in enumerate(raw_rels):
        n = i + 1
        expect(isinstance(raw, dict), path, lineno, f"relation #{n} must be an object")
        head, tail = raw.get("from_id"), raw.get("to_id")
        try:
            hashable = isinstance(head, (int, str)) and isinstance(tail, (int, str))
            if hashable and (head in skipped or tail in skipped):
                ctx.orphan(path, lineno, f"relation #{n}")
                continue
            bad(hashable and head in by_id and tail in by_id, path, lineno,
                f"relation #{n}: 'from_id' and 'to_id' must be entity ids of this line")
            role = ctx.relation_role(raw.get("type"), path, lineno, f"relation #{n}",
                                     "relation type").role
        except BadLabel as exc:
            ctx.skip(exc)
            continue
        relations.append(Relation(None, by_id[head], by_id[tail], role, ACCEPTED, HUMAN))
    return AnnotatedDocument(doc, spans, relations)
