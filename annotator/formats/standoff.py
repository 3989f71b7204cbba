"""Standoff JSON, as many corpora publish it: documents in one file, their annotations in
another, keyed by document id, with character `begin`/`end` offsets.

`annotator import docs.jsonl --standoff annotations.json [--map ...]`:
* The documents file (`.jsonl`, or `.json` holding a list / one object per line) has records
  with an id and a text (`id`/`doc_id`/..., `text`/`body`/...); other fields become metadata
  (the id too, as `meta.id`).
* The annotations file is either an object keyed by document id (each value a list of
  records, or an object of such lists: `entities`, `relations`, ...), an object of lists whose
  records carry the document id, or a list / JSON Lines of such records. A record with
  `begin`/`end` is an entity (`label`/`type`, optional `id`, optional covered `text`); one with
  `head`/`tail` (`source`/`target`, `from`/`to`, `arg1`/`arg2`) naming entity ids, or the
  offsets of its ends (`sourceBegin`/`sourceEnd`, `targetBegin`/`targetEnd`), is a relation
  (`role`/`type`/`label`); one holding two or more span objects (`{"source": {begin, end},
  "cue": {...}, "content": {...}}`, an attribution layout) is a group of spans named by their
  keys, folded into relations like a brat event (`formats.events`).
* Field names are guessed from common spellings; a map file's `[standoff]` table names them
  (`begin = "charStart"`, `document = "docno"`, ...). Labels and roles go through the mapping.
  MongoDB exports read as they come: records of a JSON Lines file naming their document in
  `documentId`, ids like `{"$oid": ...}`, the covered text in `value`.
* The annotations are read into memory once (grouped by document id); the documents stream.
  Annotations of ids that no documents file holds are reported, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain import ACCEPTED, HUMAN, AnnotatedDocument, Document, Relation, Span
from annotator.formats.base import ImportProblem
from annotator.formats.context import BadLabel, ReadContext
from annotator.formats.decoding import (
    check_document_length,
    iter_lines,
    normalise_with_offsets,
)
from annotator.formats.document_checks import check_document
from annotator.formats.events import fold_event
from annotator.formats.json_stream import json_values
from annotator.formats.records import json_value_line
from annotator.formats.titles import title_from_text

FIELDS = {
    "id": ("id", "_id", "doc_id", "document_id", "docid", "docId", "documentId", "docno"),
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "document": ("doc_id", "document_id", "docid", "docId", "documentId", "document", "doc",
                 "docno"),
    "annotation_id": ("id", "_id", "ann_id", "entity_id", "mention_id", "span_id"),
    "begin": ("begin", "start", "start_offset", "char_start", "charStart", "startOffset",
              "start_char"),
    "end": ("end", "end_offset", "char_end", "charEnd", "endOffset", "end_char"),
    "label": ("label", "type", "category", "entity_type", "class", "tag"),
    "head": ("head", "source", "from", "arg1", "from_id", "head_id", "source_id"),
    "tail": ("tail", "target", "to", "arg2", "to_id", "tail_id", "target_id"),
    "role": ("role", "type", "label", "relation", "relation_type"),
    "covered": ("covered_text", "mention", "surface", "span_text", "text", "value"),
    # a relation given by the offsets of its ends instead of entity ids
    "head_begin": ("sourceBegin", "source_begin", "headBegin", "head_begin", "head_start"),
    "head_end": ("sourceEnd", "source_end", "headEnd", "head_end"),
    "tail_begin": ("targetBegin", "target_begin", "tailBegin", "tail_begin", "tail_start"),
    "tail_end": ("targetEnd", "target_end", "tailEnd", "tail_end"),
}
_ENDS = ("head_begin", "head_end", "tail_begin", "tail_end")
_LISTS = ("entities", "relations", "annotations", "spans", "mentions", "events",
          "attributions", "links")


class StandoffAnnotations:
    """The annotations file of a standoff import, grouped by document id."""

    def __init__(self, path: Path, ctx: ReadContext):
        self.path = path
        self.fields = {key: (ctx.mapping.standoff[key],) if key in ctx.mapping.standoff
                       else names for key, names in FIELDS.items()}
        unknown = set(ctx.mapping.standoff) - set(FIELDS)
        if unknown:
            raise ImportProblem(path, f"[standoff] names unknown fields {sorted(unknown)}; "
                                      f"known: {', '.join(FIELDS)}")
        self.by_doc: dict[str, list[tuple[int | None, dict]]] = {}
        for line, doc_id, record in self._records():
            self.by_doc.setdefault(doc_id, []).append((line, record))
        self.used: set[str] = set()

    # --- the annotations file -----------------------------------------------------------------

    def field(self, record: dict, key: str) -> Any:
        name = self.field_name(record, key)
        return None if name is None else _plain(record[name])

    def field_name(self, record: dict, key: str) -> str | None:
        return next((name for name in self.fields[key] if name in record), None)

    def _records(self) -> Iterator[tuple[int | None, str, dict]]:
        for line, value in self._values():
            if isinstance(value, dict) and not self._is_record(value):
                yield from self._object(line, value)
            else:
                yield self._record(line, value, None)

    def _values(self) -> Iterator[tuple[int, Any]]:
        if self.path.suffix.lower() == ".jsonl":
            for lineno, line in iter_lines(self.path):
                if line.strip():
                    yield lineno, json_value_line(self.path, lineno, line)
        else:
            yield from json_values(self.path, "annotations")

    def _is_record(self, value: dict) -> bool:
        """One annotation, not an object keyed by document id nor one of lists: it names its
        document, or it holds a plain value (a keyed object holds only lists and objects)."""
        if any(isinstance(value.get(k), list) for k in _LISTS):
            return False
        return self.field(value, "document") is not None or any(
            not isinstance(v, (list, dict)) for v in value.values())

    def _object(self, line: int, value: dict) -> Iterator[tuple[int | None, str, dict]]:
        """{"entities": [...], ...} with document ids in the records, or {doc id: ...}."""
        if any(isinstance(value.get(k), list) for k in _LISTS):
            for key in _LISTS:
                for record in value.get(key) or ():
                    yield self._record(line, record, None)
            return
        for doc_id, group in value.items():
            if isinstance(group, dict):
                group = [record for key in _LISTS for record in (group.get(key) or ())]
            if not isinstance(group, list):
                raise ImportProblem(self.path, f"annotations of document {doc_id!r} must be a "
                                               "list or an object of lists", line=line)
            for record in group:
                yield self._record(line, record, str(doc_id))

    def _record(self, line: int | None, record: Any, doc_id: str | None
                ) -> tuple[int | None, str, dict]:
        if not isinstance(record, dict):
            raise ImportProblem(self.path, "each annotation must be a JSON object", line=line)
        if doc_id is None:
            found = self.field(record, "document")
            if not isinstance(found, (str, int)):
                raise ImportProblem(self.path, "annotation has no document id (expected one of "
                                               f"{', '.join(self.fields['document'])})", line=line)
            doc_id = str(found)
        return line, doc_id, record

    def unused(self) -> list[str]:
        """Problems for annotations whose document no documents file held."""
        missing = sorted(set(self.by_doc) - self.used)
        if not missing:
            return []
        count = sum(len(self.by_doc[d]) for d in missing)
        return [f"{self.path}: {count} annotation(s) of {len(missing)} document id(s) that no "
                f"documents file holds, not imported: {', '.join(missing[:10])}"
                + (" ..." if len(missing) > 10 else "")]

    # --- the documents file -------------------------------------------------------------------

    def read_documents(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument]:
        count = 0
        values = (((n, json_value_line(path, n, line)) for n, line in iter_lines(path) if line.strip())
                  if path.suffix.lower() == ".jsonl" else json_values(path, "documents"))
        for line, record in values:
            yield self._document(path, line, record, ctx)
            count += 1
        if not count:
            raise ImportProblem(path, "no documents in the file")

    def _document(self, path: Path, line: int, record: Any, ctx: ReadContext
                  ) -> AnnotatedDocument:
        if not isinstance(record, dict):
            raise ImportProblem(path, "each document must be a JSON object", line=line)
        doc_id, raw_text = self.field(record, "id"), self.field(record, "text")
        if not (isinstance(doc_id, (str, int)) and isinstance(raw_text, str)
                and raw_text.strip()):
            raise ImportProblem(path, "a document needs an id and a non-empty text (fields "
                                      f"{'/'.join(self.fields['id'])} and "
                                      f"{'/'.join(self.fields['text'])})", line=line)
        check_document_length(path, raw_text, line)
        text, old_to_new = normalise_with_offsets(raw_text)
        title = self.field(record, "title")
        used = {self.field_name(record, "text"), self.field_name(record, "title")}
        meta = {k: v for k, v in record.items() if k not in used}
        doc = Document(text=text, title=title if isinstance(title, str) and title else
                       title_from_text(text), meta=meta, import_file=str(path))
        self.used.add(str(doc_id))
        builder = _Builder(self, raw_text, lambda i: old_to_new[i] if old_to_new else i, ctx)
        records = self.by_doc.get(str(doc_id), ())
        # entities first: a relation line may come before the entities it names
        for ann_line, ann in sorted(records, key=lambda item: builder.is_relation(item[1])):
            try:
                builder.add(ann_line, ann)
            except BadLabel as exc:
                ctx.skip(exc)
        return check_document(path, line, AnnotatedDocument(doc, builder.spans, builder.relations),
                              ctx)


class _Builder:
    """The spans and relations of one document from its annotation records."""

    def __init__(self, source: StandoffAnnotations, text: str, remap, ctx: ReadContext):
        self.source, self.text, self.remap, self.ctx = source, text, remap, ctx
        self.spans: list[Span] = []
        self.ids: dict[str, int] = {}  # annotation id -> local span id
        self.skipped: set[str] = set()
        self.skipped_at: set[tuple] = set()  # (begin, end) of entities not imported
        self.pending: list[tuple[int | None, dict]] = []
        self.relations: list[Relation] = []

    def fail(self, line: int | None, message: str) -> BadLabel:
        return BadLabel(self.source.path, message, line=line)

    def add(self, line: int | None, record: dict) -> None:
        field = self.source.field
        if field(record, "begin") is not None and field(record, "end") is not None:
            ann_id = field(record, "annotation_id")
            try:
                span = self.span(line, record, field(record, "label"))
            except BadLabel:
                if ann_id is not None:
                    self.skipped.add(str(ann_id))
                self.skipped_at.add((field(record, "begin"), field(record, "end")))
                raise
            if ann_id is not None:
                self.ids[str(ann_id)] = span.id
        elif self.is_relation(record):
            self.relation(line, record)
        else:
            parts = {k: v for k, v in record.items() if isinstance(v, dict)
                     and field(v, "begin") is not None and field(v, "end") is not None}
            if len(parts) < 2:
                raise self.fail(line, "an annotation needs begin/end (an entity), head/tail (a "
                                      f"relation) or two spans (a group); got {sorted(record)}")
            self.group(line, parts)

    def span(self, line: int | None, record: dict, label: Any) -> Span:
        field = self.source.field
        begin, end = field(record, "begin"), field(record, "end")
        if type(begin) is not int or type(end) is not int or not 0 <= begin < end <= len(
                self.text):
            raise self.fail(line, f"span [{begin}, {end}) is not a range of the text "
                                  f"({len(self.text)} characters)")
        covered = field(record, "covered")
        if isinstance(covered, str) and covered != self.text[begin:end]:
            raise self.fail(line, f"span text {covered!r} does not match the text at "
                                  f"[{begin}, {end}): {self.text[begin:end]!r}")
        spec = self.ctx.span_label(label, self.source.path, line, f"span [{begin}, {end})")
        start, stop = self.remap(begin), self.remap(end)
        if start >= stop:
            raise self.fail(line, f"span [{begin}, {end}) is empty after newline fix")
        span = Span(None, start, stop, spec.name, ACCEPTED, HUMAN, id=len(self.spans))
        self.spans.append(span)
        return span

    def is_relation(self, record: dict) -> bool:
        field = self.source.field
        if field(record, "begin") is not None and field(record, "end") is not None:
            return False
        by_ids = field(record, "head") is not None and field(record, "tail") is not None and \
            not isinstance(field(record, "head"), dict)
        return by_ids or all(field(record, key) is not None for key in _ENDS)

    def relation(self, line: int | None, record: dict) -> None:
        field = self.source.field
        if field(record, "head") is None or isinstance(field(record, "head"), dict):
            self.relation_by_offsets(line, record)
            return
        head, tail = str(field(record, "head")), str(field(record, "tail"))
        if head in self.skipped or tail in self.skipped:
            self.ctx.orphan(self.source.path, line, f"relation {head} -> {tail}")
            return
        if head not in self.ids or tail not in self.ids:
            raise self.fail(line, f"relation {head} -> {tail}: no entity with that id in the "
                                  "document")
        role = self.ctx.relation_role(field(record, "role"), self.source.path, line,
                                      f"relation {head} -> {tail}").role
        self.relations.append(Relation(None, self.ids[head], self.ids[tail], role))

    def relation_by_offsets(self, line: int | None, record: dict) -> None:
        """`sourceBegin`/`sourceEnd` -> `targetBegin`/`targetEnd`: the entities at those
        offsets (of several at one place, the pair the role joins, its preferred tail first:
        SPEAKER over PERSON for SAID_BY, as link mode picks among stacked spans)."""
        head_at, tail_at = (tuple(self.source.field(record, key) for key in pair)
                            for pair in (_ENDS[:2], _ENDS[2:]))
        what = f"relation [{head_at[0]}, {head_at[1]}) -> [{tail_at[0]}, {tail_at[1]})"
        role = self.ctx.relation_role(self.source.field(record, "role"), self.source.path, line,
                                      what)
        heads, tails = self.spans_at(head_at), self.spans_at(tail_at)
        if not heads or not tails:
            if (head_at if not heads else tail_at) in self.skipped_at:
                self.ctx.orphan(self.source.path, line, what)
                return
            raise self.fail(line, f"{what}: no entity at the {'source' if not heads else 'target'}"
                                  " offsets in the document")
        order = {label: i for i, label in enumerate(role.tail_order)}
        pairs = sorted(((h, t) for h in heads for t in tails if role.joins(h.label, t.label)),
                       key=lambda pair: order.get(pair[1].label, len(order)))
        head, tail = pairs[0] if pairs else (heads[0], tails[0])
        self.relations.append(Relation(None, head.id, tail.id, role.role))

    def spans_at(self, ends: tuple) -> list[Span]:
        if not all(type(end) is int and 0 <= end <= len(self.text) for end in ends):
            return []
        start, stop = self.remap(ends[0]), self.remap(ends[1])
        return [span for span in self.spans if (span.start, span.end) == (start, stop)]

    def group(self, line: int | None, parts: dict[str, dict]) -> None:
        args = []
        for name, part in parts.items():
            try:
                args.append((name, self.span(line, part, name).id))
            except BadLabel as exc:
                self.ctx.skip(exc)
                self.ctx.orphan(self.source.path, line, f"group {sorted(parts)}")
                return
        by_id = {s.id: s for s in self.spans}
        folded = fold_event(args, by_id, self.ctx.schema, self.ctx.mapping)
        if folded is None:
            raise self.fail(line, f"no part of the group {sorted(parts)} can head relations to "
                                  "the others; map their roles (--map role:NAME=ROLE)")
        self.relations += folded[1]
        self.ctx.notes.folded_events += 1


def _plain(value: Any) -> Any:
    """A MongoDB export's `{"$oid": "..."}` / `{"$numberInt": "7"}` as the plain value."""
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if key == "$oid" and isinstance(inner, str):
            return inner
        if key in ("$numberInt", "$numberLong") and isinstance(inner, str) and inner.lstrip(
                "-").isdigit():
            return int(inner)
    return value
