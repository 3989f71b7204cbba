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

In (`.json`): a list of tasks (or one task). `data.text` is the text; `title`, `source`,
`published`, `url`, `status` are read back, other `data` keys and `data.meta` become metadata.
Every non-cancelled annotation's regions, attributes and relations come in as accepted human
labels (the same label twice is kept once); predictions are not imported. A region's `text`,
when present, must equal the text at its offsets. Problems name the file and the line where the
task starts.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
from annotator.formats import ExportOptions, FormatInfo, ImportProblem, register
from annotator.formats.decoding import normalise_with_offsets, read_text
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
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for bundle in bundles:
            fh.write(",\n" if count else "\n")
            fh.write(json.dumps(document_to_task(bundle, schema), ensure_ascii=False))
            count += 1
        fh.write("\n]\n")
    config_path(out).write_text(labeling_config(schema), encoding="utf-8", newline="\n")
    return count


# --- reading ------------------------------------------------------------------------------------


def _tasks_with_lines(path: Path, content: str) -> list[tuple[int, Any]]:
    """The top-level tasks and the line each starts on (one object: a single task)."""
    decoder = json.JSONDecoder()

    def line_of(pos: int) -> int:
        return content.count("\n", 0, pos) + 1

    def decode(pos: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(content, pos)
        except json.JSONDecodeError as exc:
            raise ImportProblem(path, f"malformed JSON: {exc.msg} (column {exc.colno})",
                                line=exc.lineno) from exc
        except RecursionError as exc:
            raise ImportProblem(path, "JSON nested too deeply", line=line_of(pos)) from exc

    def skip_ws(pos: int) -> int:
        while pos < len(content) and content[pos] in " \t\r\n":
            pos += 1
        return pos

    pos = skip_ws(0)
    if content.startswith("{", pos):
        task, end = decode(pos)
        if skip_ws(end) != len(content):
            raise ImportProblem(path, "extra data after the JSON object", line=line_of(end))
        return [(line_of(pos), task)]
    if not content.startswith("[", pos):
        raise ImportProblem(path, "expected a JSON list of Label Studio tasks", line=line_of(pos))
    tasks = []
    pos = skip_ws(pos + 1)
    if content.startswith("]", pos):
        pos += 1
    else:
        while True:
            start = pos
            task, pos = decode(pos)
            tasks.append((line_of(start), task))
            pos = skip_ws(pos)
            if content.startswith(",", pos):
                pos = skip_ws(pos + 1)
                continue
            if content.startswith("]", pos):
                pos += 1
                break
            raise ImportProblem(path, "malformed JSON: expected ',' or ']'", line=line_of(pos))
    if skip_ws(pos) != len(content):
        raise ImportProblem(path, "extra data after the JSON list", line=line_of(pos))
    return tasks


def read_labelstudio(path: Path, schema: LabelSchema) -> list[AnnotatedDocument]:
    """Parse every task first; any problem refuses the whole file."""
    content = read_text(path)
    bundles = [_task_to_bundle(path, line, task, schema)
               for line, task in _tasks_with_lines(path, content)]
    if not bundles:
        raise ImportProblem(path, "no tasks in the file")
    return bundles


def _annotator(annotation: dict) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return "" if who is None else str(who)


def _task_to_bundle(path: Path, lineno: int, task: Any, schema: LabelSchema
                    ) -> AnnotatedDocument:
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
    doc.title = doc.title or text.strip().split("\n", 1)[0][:200]

    def remap(offset: int) -> int:
        return old_to_new[offset] if old_to_new else offset

    annotations = task.get("annotations") or task.get("completions") or []
    expect(isinstance(annotations, list), "'annotations' must be a list")
    spans: list[Span] = []
    span_keys: dict[tuple[int, int, str], int] = {}
    relations: list[Relation] = []
    rel_keys: set[tuple[int, int, str]] = set()
    for a_no, annotation in enumerate(annotations, start=1):
        expect(isinstance(annotation, dict), f"annotation #{a_no} must be an object")
        if annotation.get("was_cancelled"):
            continue
        result = annotation.get("result") or []
        expect(isinstance(result, list), f"annotation #{a_no}: 'result' must be a list")
        who = _annotator(annotation)
        regions: dict[str, list[int]] = {}  # region id -> indexes into spans
        later = []
        for r_no, item in enumerate(result, start=1):
            where = f"annotation #{a_no}, result #{r_no}"
            expect(isinstance(item, dict), f"{where} must be an object")
            kind = item.get("type")
            if kind != "labels":
                later.append((where, item))
                continue
            value = item.get("value")
            expect(isinstance(value, dict), f"{where}: 'value' must be an object")
            start, end, names = value.get("start"), value.get("end"), value.get("labels")
            expect(type(start) is int and type(end) is int,
                   f"{where}: 'start' and 'end' must be integers")
            expect(0 <= start < end <= len(raw_text),
                   f"{where}: [{start}, {end}) is out of range for a text of {len(raw_text)} "
                   "characters")
            if isinstance(value.get("text"), str):
                expect(value["text"] == raw_text[start:end],
                       f"{where}: text {value['text']!r} does not match the text at "
                       f"[{start}, {end}): {raw_text[start:end]!r}")
            expect(isinstance(names, list) and bool(names) and
                   all(isinstance(n, str) and schema.label(n) for n in names),
                   f"{where}: unknown or missing labels {names!r}")
            a, b = remap(start), remap(end)
            expect(a < b, f"{where}: empty after newline fix")
            for name in names:
                key = (a, b, name)
                if key not in span_keys:
                    span_keys[key] = len(spans)
                    spans.append(Span(None, a, b, name, ACCEPTED, HUMAN, who, id=len(spans)))
                regions.setdefault(str(item.get("id")), []).append(span_keys[key])
        for where, item in later:
            kind = item.get("type")
            if kind == "relation":
                head, tail = str(item.get("from_id")), str(item.get("to_id"))
                expect(head in regions and tail in regions,
                       f"{where}: relation between regions that are not in the annotation")
                roles = item.get("labels") or []
                expect(isinstance(roles, list) and bool(roles) and
                       all(isinstance(r, str) and schema.role(r) for r in roles),
                       f"{where}: relation needs a known role in 'labels', got {roles!r}")
                if item.get("direction") == "left":
                    head, tail = tail, head
                for role in roles:
                    key = (regions[head][0], regions[tail][0], role)
                    if key not in rel_keys:
                        rel_keys.add(key)
                        relations.append(Relation(None, key[0], key[1], role, ACCEPTED, HUMAN, who))
            elif kind in ("choices", "textarea"):
                rid = str(item.get("id"))
                value = item.get("value")
                if rid not in regions or not isinstance(value, dict):
                    continue  # a per-task control, not an attribute of a region
                values = value.get("choices" if kind == "choices" else "text")
                for index in regions[rid]:
                    span = spans[index]
                    prefix = span.label + "_"
                    name = str(item.get("from_name", ""))
                    label = schema.label(span.label)
                    attr = label.attribute(name[len(prefix):]) if name.startswith(prefix) else None
                    if attr is None:
                        continue  # a control that is not one of our attributes
                    expect(isinstance(values, list) and len(values) == 1
                           and isinstance(values[0], str),
                           f"{where}: {name} needs exactly one value")
                    expect(attr.allows(values[0]),
                           f"{where}: attribute {attr.name}={values[0]!r} not allowed for "
                           f"{span.label}")
                    span.attrs[attr.name] = values[0]
            else:
                expect(False, f"{where}: unsupported result type {kind!r} (expected labels, "
                              "choices, textarea or relation)")
    return AnnotatedDocument(doc, spans, relations)


register(FormatInfo("labelstudio", "Label Studio JSON tasks (+ labelling config XML)", ".json",
                    writer=write_labelstudio, reader=read_labelstudio), [".json"])
