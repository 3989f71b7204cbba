"""From a processed `Doc` to schema-checked suggestion records (plain data, no spaCy types).

`doc_to_suggestions(doc, schema)` returns ``(spans, relations)``:

* spans: entities from ``doc.ents`` mapped onto the schema (PERSON ORG GPE LOC NORP DATE; FAC ->
  LOC; other NER labels dropped), plus everything in ``doc.spans["news"]``; character offsets
  (Python code-point indices, end exclusive); one record per (start, end, label), sorted by
  offset; attributes filtered to what the schema allows;
* relations: ``doc._.news_relations`` re-indexed into that list, kept only when the schema has
  the role and it joins the two labels (``schema.role(r).joins(head, tail)``); deduplicated.

`doc_meta(doc)` gives the document-level record beside them: the dateline's place and agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from annotator.nlp.dateline import dateline_meta
from annotator.nlp.docdata import news_relations, news_spans
from annotator.nlp.syntax import doc_text, fast_ents
from annotator.schema import LabelSchema

ENTITY_MAP = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "DATE": "DATE",
    "FAC": "LOC",
}


@dataclass
class SuggestedSpan:
    """One suggested span in character offsets, with its schema-checked attributes."""
    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def text_in(self, text: str) -> str:
        """The span's text in the document text it was suggested for."""
        return text[self.start : self.end]


@dataclass
class SuggestedRelation:
    """One suggested relation between two entries of the span list."""
    head: int  # index into the span list
    tail: int
    role: str


def char_bounds(span: Span, text: str | None = None) -> tuple[int, int]:
    """Character offsets of a span, without surrounding spaces; "X." (the network, glued to a
    sentence's full stop by the tokenizer) becomes "X". Pass `text` (= doc.text, which spaCy
    rebuilds on every access) when calling this in a loop."""
    if text is None:
        text = span.doc.text
    start, end = span.start_char, span.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start == 2 and text[start].isupper() and text[end - 1] == "." and span.label_ != "DATE":
        end -= 1
    return start, end


def _clean_attrs(schema: LabelSchema, label: str, attrs: dict[str, Any], labels: dict | None = None) -> dict[str, Any]:
    """Only the attributes the schema allows on `label`, with allowed values (`labels` caches schema
    look-ups)."""
    if not attrs:
        return {}
    if labels is not None:
        if label not in labels:
            labels[label] = schema.label(label)
        lab = labels[label]
    else:
        lab = schema.label(label)
    if lab is None:
        return {}
    out = {}
    for k, v in attrs.items():
        a = lab.attribute(k)
        if a is not None and a.allows(v) and v not in (None, ""):
            out[k] = v
    return out


def doc_to_suggestions(doc: Doc, schema: LabelSchema) -> tuple[list[SuggestedSpan], list[SuggestedRelation]]:
    """Spans and relations of a processed doc as schema-checked suggestion records (see the module
    docstring)."""
    allowed = set(schema.label_names())
    text = doc_text(doc)
    spans: list[SuggestedSpan] = []
    index: dict[tuple[int, int, str], int] = {}
    labels: dict[str, Any] = {}  # label name -> schema label, looked up once

    def add(span: Span, label: str, attrs: dict[str, Any]) -> int | None:
        """Add one span (once per offsets and label) and return its index, or None when the schema
        lacks the label."""
        if label not in allowed:
            return None
        start, end = char_bounds(span, text)
        if end <= start:
            return None
        key = (start, end, label)
        k = index.get(key)
        if k is None:
            k = len(spans)
            index[key] = k
            spans.append(SuggestedSpan(start, end, label, _clean_attrs(schema, label, attrs, labels)))
        elif attrs:
            for name, value in _clean_attrs(schema, label, attrs, labels).items():
                spans[k].attrs.setdefault(name, value)
        return k

    for ent in fast_ents(doc):
        label = ENTITY_MAP.get(ent.label_)
        if label:
            add(ent, label, {})
    group = news_spans(doc)
    group_to_out: list[int | None] = []
    all_attrs = doc._.news_attrs
    for span in group:
        label = span.label_
        attrs = all_attrs.get(f"{label}:{span.start_char}:{span.end_char}", {})
        group_to_out.append(add(span, ENTITY_MAP.get(label, label), attrs))

    relations: list[SuggestedRelation] = []
    seen: set[tuple[int, int, str]] = set()
    joins: dict[tuple[str, str, str], bool] = {}
    for h, t, role in news_relations(doc):
        if not (0 <= h < len(group_to_out) and 0 <= t < len(group_to_out)):
            continue
        hi, ti = group_to_out[h], group_to_out[t]
        if hi is None or ti is None or hi == ti:
            continue
        join = (role, spans[hi].label, spans[ti].label)
        ok = joins.get(join)
        if ok is None:  # schema.role scans the roles: once per (role, head label, tail label)
            r = schema.role(role)
            ok = joins[join] = r is not None and r.joins(join[1], join[2])
        if not ok:
            continue
        key = (hi, ti, role)
        if key in seen:
            continue
        seen.add(key)
        relations.append(SuggestedRelation(hi, ti, role))

    # sort by offset, keeping relation indices right
    order = sorted(range(len(spans)), key=lambda k: (spans[k].start, -spans[k].end, spans[k].label))
    new_pos = {old: new for new, old in enumerate(order)}
    spans = [spans[k] for k in order]
    relations = [SuggestedRelation(new_pos[r.head], new_pos[r.tail], r.role) for r in relations]
    relations.sort(key=lambda r: (r.head, r.tail, r.role))
    return spans, relations


def doc_meta(doc: Doc) -> dict[str, Any]:
    """Document metadata the text itself gives: the place and agency of its dateline ("KORVEL,
    Vastria (Baltwire) –" -> ``{"place": "Korvel, Vastria", "agency": "Baltwire", "dateline":
    ...}``), ``{}`` when it has none. The pre-annotation service stores it in the document's meta."""
    return dateline_meta(doc_text(doc))
