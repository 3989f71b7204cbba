"""Label Studio JSON tasks and their labelling config, out and in.

Out (`--format labelstudio --out tasks.json`): a JSON list of tasks
    {"data": {"text", "title", "source", "published", "url", "status", "meta"},
     "annotations": [{"result": [...], "ground_truth": false}],
     "predictions": [{"model_version": ORIGIN, "result": [...]}]}
and the matching labelling config beside it, `tasks.config.xml` (`<stem>.config.xml`): a
`<Labels name="label">` with the schema's labels and colours, `<Text name="text">`, a
`<Relations>` block with the roles, and per-region `<Choices>` (closed-list attributes) and
`<TextArea>` (free-text attributes) named `LABEL_attribute`, in a `<View>` shown when a region
of that label is selected.
* Accepted labels are the annotation: a region per span (`type` "labels", `value` {start,
  end, text, labels}; a mention linked to the actor registry also carries `"meta":
  {"actor_id": ID}`), a result of the same `id` per attribute ("choices" / "textarea"), and
  `{"from_id", "to_id", "type": "relation", "direction": "right", "labels": [ROLE]}` per
  relation (from = head). The annotation is left out when a document has no accepted labels
  and is not marked done.
* Suggestions (with `--include-suggestions`) are predictions, one per origin (the model);
  a suggested relation, or one with a suggested end, goes to a prediction together with copies
  of the regions it joins.
* Offsets are code points, as Label Studio stores them for Text.

In (`.json`, through `formats.json_reader`): a list of tasks (or one task, or one per line).
`data.text` is the text; `title`, `source`, `published`, `url`, `status` are read back, other
`data` keys and `data.meta` become metadata. Every non-cancelled annotation's regions,
attributes and relations come in as accepted human labels (the same label twice is kept once);
predictions are not imported. A region's `text`, when present, must equal the text at its
offsets. Problems name the file and the line where the task starts.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.atomic_files import staging
from annotator.domain import (
    ACCEPTED,
    DOC_DONE,
    DOC_STATUSES,
    HUMAN,
    SUGGESTED,
    AnnotatedDocument,
    Document,
    Relation,
    Span,
)
from annotator.formats.base import ExportOptions, ImportProblem
from annotator.formats.context import BadLabel, ReadContext
from annotator.formats.decoding import normalise_with_offsets
from annotator.formats.titles import title_from_text
from annotator.schema import LabelSchema

LABELS = "label"
TEXT = "text"
_DOC_FIELDS = ("title", "source", "published", "url")


def config_path(out: Path) -> Path:
    return out.with_name(out.stem + ".config.xml")


def control_name(label: str, attr: str) -> str:
    return f"{label}_{attr}"


# --- the labelling config -----------------------------------------------------------------------


def labeling_config(schema: LabelSchema) -> str:
    view = ET.Element("View")
    labels = ET.SubElement(view, "Labels", name=LABELS, toName=TEXT)
    for lab in schema.labels:
        attrs = {"value": lab.name, "background": lab.colour}
        if lab.key:
            attrs["hotkey"] = lab.key
        ET.SubElement(labels, "Label", attrs)
    ET.SubElement(view, "Text", name=TEXT, value="$text")
    relations = ET.SubElement(view, "Relations")
    for role in schema.relations:
        ET.SubElement(relations, "Relation", value=role.role)
    for lab in schema.labels:
        if not lab.attributes:
            continue
        box = ET.SubElement(view, "View", visibleWhen="region-selected", whenTagName=LABELS,
                            whenLabelValue=lab.name)
        for attr in lab.attributes:
            ET.SubElement(box, "Header", value=f"{lab.name}: {attr.name}", size="6")
            common = {"name": control_name(lab.name, attr.name), "toName": TEXT,
                      "perRegion": "true"}
            if attr.values:
                choices = ET.SubElement(box, "Choices", common, choice="single",
                                        showInline="true")
                for value in attr.values:
                    ET.SubElement(choices, "Choice", value=value)
            else:
                ET.SubElement(box, "TextArea", common, editable="true", maxSubmissions="1",
                              rows="1")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


# --- writing ------------------------------------------------------------------------------------


def _region_results(rid: str, span: Span, text: str, schema: LabelSchema) -> list[dict]:
    where = {"start": span.start, "end": span.end}
    out = [{"id": rid, "from_name": LABELS, "to_name": TEXT, "type": "labels",
            "value": {**where, "text": text[span.start:span.end], "labels": [span.label]}}]
    if span.actor_id is not None:  # the actor registry's id, in the region's meta
        out[0]["meta"] = {"actor_id": span.actor_id}
    label = schema.label(span.label)
    for name in sorted(span.attrs):
        value = span.attrs[name]
        attr = label.attribute(name) if label else None
        if attr is None or value is None or value == "":
            continue
        if attr.values:
            out.append({"id": rid, "from_name": control_name(span.label, name), "to_name": TEXT,
                        "type": "choices", "value": {**where, "choices": [str(value)]}})
        else:
            out.append({"id": rid, "from_name": control_name(span.label, name), "to_name": TEXT,
                        "type": "textarea", "value": {**where, "text": [str(value)]}})
    return out


def _relation_result(rel: Relation, rids: dict[int, str]) -> dict:
    return {"from_id": rids[rel.head_id], "to_id": rids[rel.tail_id], "type": "relation",
            "direction": "right", "labels": [rel.role]}


def document_to_task(bundle: AnnotatedDocument, schema: LabelSchema) -> dict[str, Any]:
    doc = bundle.document
    spans = sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label, s.id or 0))
    rids = {s.id: f"r{i + 1}" for i, s in enumerate(spans)}
    by_id = {s.id: s for s in spans}
    order = {s.id: i for i, s in enumerate(spans)}
    accepted: list[dict] = []
    predictions: dict[str, list[dict]] = {}
    pred_regions: dict[str, set[int]] = {}

    def predict(origin: str, span_id: int) -> None:
        have = pred_regions.setdefault(origin, set())
        if span_id not in have:
            have.add(span_id)
            predictions.setdefault(origin, []).extend(
                _region_results(rids[span_id], by_id[span_id], doc.text, schema))

    for span in spans:
        if span.status == SUGGESTED:
            predict(span.origin or "suggestions", span.id)
        else:
            accepted += _region_results(rids[span.id], span, doc.text, schema)
    rels = sorted((r for r in bundle.relations if r.head_id in rids and r.tail_id in rids),
                  key=lambda r: (order[r.head_id], order[r.tail_id], r.role))
    pred_rels: dict[str, list[dict]] = {}
    for rel in rels:
        ends = (by_id[rel.head_id], by_id[rel.tail_id])
        if rel.status != SUGGESTED and all(s.status != SUGGESTED for s in ends):
            accepted.append(_relation_result(rel, rids))
            continue
        origin = (rel.origin if rel.status == SUGGESTED else
                  next(s.origin for s in ends if s.status == SUGGESTED)) or "suggestions"
        for span in ends:
            predict(origin, span.id)
        pred_rels.setdefault(origin, []).append(_relation_result(rel, rids))
    data = {"text": doc.text, "title": doc.title, "source": doc.source,
            "published": doc.published, "url": doc.url, "status": doc.status, "meta": doc.meta}
    task: dict[str, Any] = {"data": data, "annotations": [], "predictions": []}
    if accepted or doc.status == DOC_DONE:
        task["annotations"].append({"result": accepted, "ground_truth": False})
    for origin in sorted(predictions):
        task["predictions"].append({"model_version": origin,
                                    "result": predictions[origin] + pred_rels.get(origin, [])})
    return task


def write_labelstudio(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                      options: ExportOptions) -> int:
    count = 0
    with staging() as stage:  # the tasks and their config appear together, or neither
        with stage.open(out, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("[")
            for bundle in bundles:
                fh.write(",\n" if count else "\n")
                fh.write(json.dumps(document_to_task(bundle, schema), ensure_ascii=False))
                count += 1
            fh.write("\n]\n")
        with stage.open(config_path(out), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(labeling_config(schema))
    return count


# --- reading ------------------------------------------------------------------------------------


def _annotator(annotation: dict) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return "" if who is None else str(who)


def is_task(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("data"), dict)


def task_to_bundle(path: Path, lineno: int, task: Any, ctx: ReadContext) -> AnnotatedDocument:
    """One Label Studio task (`lineno`: the line it starts on)."""
    def expect(cond: bool, message: str) -> None:
        if not cond:
            raise ImportProblem(path, message, line=lineno)

    expect(isinstance(task, dict), "each task must be a JSON object")
    data = task.get("data")
    expect(isinstance(data, dict), "task has no 'data' object")
    raw_text = data.get(TEXT)
    expect(isinstance(raw_text, str) and bool(raw_text.strip()),
           "task has no non-empty string 'data.text'")
    text, old_to_new = normalise_with_offsets(raw_text)
    fields = {}
    for key in _DOC_FIELDS:
        value = data.get(key) or ""
        expect(isinstance(value, str), f"'data.{key}' must be a string")
        fields[key] = value
    meta = data.get("meta") or {}
    expect(isinstance(meta, dict), "'data.meta' must be an object")
    extra = {k: v for k, v in data.items() if k not in (TEXT, "meta", "status", *_DOC_FIELDS)}
    status = data.get("status") or "new"
    expect(status in DOC_STATUSES, f"unknown document status {status!r}")
    doc = Document(text=text, status=status, meta={**extra, **meta}, import_file=str(path),
                   **fields)
    doc.title = doc.title or title_from_text(text)

    def remap(offset: int) -> int:
        return old_to_new[offset] if old_to_new else offset

    annotations = task.get("annotations") or task.get("completions") or []
    expect(isinstance(annotations, list), "'annotations' must be a list")
    predictions = task.get("predictions")
    if isinstance(predictions, list) and predictions:
        ctx.notes.dropped["Label Studio predictions (model output)"] += len(predictions)
    labels = _TaskLabels(path, lineno, raw_text, remap, ctx)
    for a_no, annotation in enumerate(annotations, start=1):
        expect(isinstance(annotation, dict), f"annotation #{a_no} must be an object")
        if annotation.get("was_cancelled"):
            continue
        result = annotation.get("result") or []
        expect(isinstance(result, list), f"annotation #{a_no}: 'result' must be a list")
        labels.annotation(a_no, result, _annotator(annotation))
    return AnnotatedDocument(doc, labels.spans, labels.relations)


class _TaskLabels:
    """The regions, attributes and relations of a task's annotations; a bad one is handed to
    `ReadContext.skip` (refused, or skipped with --skip-bad-spans)."""

    def __init__(self, path: Path, lineno: int, text: str, remap, ctx: ReadContext):
        self.path, self.lineno, self.text, self.remap, self.ctx = path, lineno, text, remap, ctx
        self.spans: list[Span] = []
        self.span_keys: dict[tuple[int, int, str], int] = {}
        self.relations: list[Relation] = []
        self.rel_keys: set[tuple[int, int, str]] = set()

    def bad(self, cond: bool, message: str) -> None:
        if not cond:
            raise BadLabel(self.path, message, line=self.lineno)

    def annotation(self, a_no: int, result: list, who: str) -> None:
        regions: dict[str, list[int]] = {}  # region id -> indexes into spans
        skipped: set[str] = set()
        later = []
        for r_no, item in enumerate(result, start=1):
            where = f"annotation #{a_no}, result #{r_no}"
            if not isinstance(item, dict):
                raise ImportProblem(self.path, f"{where} must be an object", line=self.lineno)
            if item.get("type") != "labels":
                later.append((where, item))
                continue
            try:
                self.region(where, item, who, regions)
            except BadLabel as exc:
                skipped.add(str(item.get("id")))
                self.ctx.skip(exc)
        for where, item in later:
            try:
                self.other(where, item, who, regions, skipped)
            except BadLabel as exc:
                self.ctx.skip(exc)

    def region(self, where: str, item: dict, who: str, regions: dict[str, list[int]]) -> None:
        value = item.get("value")
        self.bad(isinstance(value, dict), f"{where}: 'value' must be an object")
        start, end, names = value.get("start"), value.get("end"), value.get("labels")
        text = self.text
        self.bad(type(start) is int and type(end) is int,
                 f"{where}: 'start' and 'end' must be integers")
        self.bad(0 <= start < end <= len(text),
                 f"{where}: [{start}, {end}) is out of range for a text of {len(text)} characters")
        if isinstance(value.get("text"), str):
            self.bad(value["text"] == text[start:end],
                     f"{where}: text {value['text']!r} does not match the text at "
                     f"[{start}, {end}): {text[start:end]!r}")
        self.bad(isinstance(names, list) and bool(names), f"{where}: missing labels {names!r}")
        specs = [self.ctx.span_label(n, self.path, self.lineno, where) for n in names]
        a, b = self.remap(start), self.remap(end)
        self.bad(a < b, f"{where}: empty after newline fix")
        for spec in specs:
            key = (a, b, spec.name)
            if key not in self.span_keys:
                self.span_keys[key] = len(self.spans)
                self.spans.append(Span(None, a, b, spec.name, ACCEPTED, HUMAN, who,
                                       id=len(self.spans)))
            regions.setdefault(str(item.get("id")), []).append(self.span_keys[key])

    def other(self, where: str, item: dict, who: str, regions: dict[str, list[int]],
              skipped: set[str]) -> None:
        kind = item.get("type")
        if kind == "relation":
            head, tail = str(item.get("from_id")), str(item.get("to_id"))
            if head in skipped or tail in skipped:
                self.ctx.orphan(self.path, self.lineno, f"{where} (relation)")
                return
            self.bad(head in regions and tail in regions,
                     f"{where}: relation between regions that are not in the annotation")
            roles = item.get("labels") or []
            self.bad(isinstance(roles, list) and bool(roles),
                     f"{where}: relation needs a known role in 'labels', got {roles!r}")
            specs = [self.ctx.relation_role(r, self.path, self.lineno, where) for r in roles]
            if item.get("direction") == "left":
                head, tail = tail, head
            for spec in specs:
                key = (regions[head][0], regions[tail][0], spec.role)
                if key not in self.rel_keys:
                    self.rel_keys.add(key)
                    self.relations.append(Relation(None, key[0], key[1], spec.role, ACCEPTED,
                                                   HUMAN, who))
        elif kind in ("choices", "textarea"):
            self.attribute(where, item, regions, skipped)
        else:
            self.bad(False, f"{where}: unsupported result type {kind!r} (expected labels, "
                            "choices, textarea or relation)")

    def attribute(self, where: str, item: dict, regions: dict[str, list[int]],
                  skipped: set[str]) -> None:
        rid, kind = str(item.get("id")), item.get("type")
        value = item.get("value")
        name = str(item.get("from_name", ""))
        if rid in skipped:
            self.ctx.orphan(self.path, self.lineno, f"{where} ({name})")
            return
        if rid not in regions or not isinstance(value, dict):
            self.ctx.notes.dropped[f"Label Studio control {name} (not of a region)"] += 1
            return
        values = value.get("choices" if kind == "choices" else "text")
        for index in regions[rid]:
            span = self.spans[index]
            prefix = span.label + "_"
            label = self.ctx.schema.label(span.label)
            attr = label.attribute(name[len(prefix):]) if name.startswith(prefix) else None
            if attr is None:
                self.ctx.notes.dropped[f"Label Studio control {name} (no attribute of ours)"] += 1
                continue
            self.bad(isinstance(values, list) and len(values) == 1 and isinstance(values[0], str),
                     f"{where}: {name} needs exactly one value")
            self.bad(attr.allows(values[0]),
                     f"{where}: attribute {attr.name}={values[0]!r} not allowed for {span.label}")
            span.attrs[attr.name] = values[0]
