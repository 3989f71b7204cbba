"""Label Studio tasks and config: accepted by label-studio-sdk, offsets right, read back."""

import json

import pytest

from annotator.domain import Relation, Span
from annotator.formats.labelstudio import config_path, labeling_config
from annotator.schema import load_schema
from annotator.services.exporting import ExportFilter, export
from annotator.services.importing import import_paths


@pytest.fixture
def with_suggestions(corpus_store):
    """The corpus plus a model's suggestions, one of them linked to an accepted span."""
    doc_id = corpus_store.document_ids()[0]
    text = corpus_store.document(doc_id).text
    accepted = next(s for s in corpus_store.spans(doc_id) if s.label == "GPE")
    start = text.index("tension")
    new = Span(None, start, start + 7, "EVENT", attrs={"type": "OTHER"})
    same = Span(None, accepted.start, accepted.end, "GPE")  # repeats an accepted one
    corpus_store.replace_suggestions(doc_id, "en_core_web_sm", [new, same], [(0, 1, "PLACE")])
    assert len(corpus_store.spans(doc_id, ["suggested"])) == 1
    return corpus_store


def _export(store, tmp_path, suggestions=False):
    out = tmp_path / "tasks.json"
    export(store, "labelstudio", out, ExportFilter(include_suggestions=suggestions))
    return json.loads(out.read_text(encoding="utf-8")), config_path(out).read_text(encoding="utf-8")


def test_files_and_offsets(with_suggestions, tmp_path):
    tasks, config = _export(with_suggestions, tmp_path, suggestions=True)
    assert (tmp_path / "tasks.config.xml").exists()
    assert len(tasks) == 7
    regions = 0
    for task in tasks:
        text = task["data"]["text"]
        for block in task["annotations"] + task["predictions"]:
            for item in block["result"]:
                if item["type"] != "relation":
                    value = item["value"]
                    assert 0 <= value["start"] < value["end"] <= len(text)
                if item["type"] == "labels":
                    regions += 1
                    value = item["value"]
                    assert value["text"] == text[value["start"]:value["end"]]
    assert regions > 7
    (tricky,) = [t for t in tasks if t["data"]["title"] == "Tricky"]
    flag = [i for i in tricky["annotations"][0]["result"] if i["type"] == "labels"
            and i["value"]["labels"] == ["NORP"]][0]["value"]
    assert flag["text"] == "\U0001F1F3\U0001F1F4"
    assert flag["end"] - flag["start"] == 2  # code points, not UTF-16 units (4)


def test_suggestions_are_predictions(with_suggestions, tmp_path):
    tasks, _ = _export(with_suggestions, tmp_path, suggestions=True)
    first = tasks[0]
    (pred,) = first["predictions"]
    assert pred["model_version"] == "en_core_web_sm"
    labels = [i["value"]["labels"] for i in pred["result"] if i["type"] == "labels"]
    assert sorted(labels) == [["EVENT"], ["GPE"]]  # the accepted end is copied in
    rels = [i for i in pred["result"] if i["type"] == "relation"]
    assert [r["labels"] for r in rels] == [["PLACE"]]
    ann = first["annotations"][0]["result"]
    accepted = with_suggestions.spans(with_suggestions.document_ids()[0], ["accepted"])
    assert len([i for i in ann if i["type"] == "labels"]) == len(accepted)
    assert all(i["value"]["labels"] != ["EVENT"] or i["value"]["text"] != "tension"
               for i in ann if i["type"] == "labels")
    without, _ = _export(with_suggestions, tmp_path)
    assert all(t["predictions"] == [] for t in without)


def test_label_studio_sdk_accepts_config_annotations_and_predictions(with_suggestions, tmp_path):
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk.label_interface import LabelInterface

    tasks, config = _export(with_suggestions, tmp_path, suggestions=True)
    li = LabelInterface(config)
    li.validate()
    checked = 0
    for task in tasks:
        for block in task["annotations"] + task["predictions"]:
            assert li.validate_prediction(block, return_errors=True) == [], block
            assert li.validate_prediction(block)
            checked += 1
        for obj in li.objects:  # what validate_task checks first (it is broken past that)
            assert not obj.value_is_variable or task["data"].get(obj.value_name) is not None
    assert checked >= 8
    # the check is real: a label or a choice outside the config is refused
    bad = {"result": [{"id": "x", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": 0, "end": 1, "labels": ["ALIEN"]}}]}
    assert not li.validate_prediction(bad)
    bad = {"result": [{"id": "x", "from_name": "QUOTE_kind", "to_name": "text",
                       "type": "choices", "value": {"start": 0, "end": 1, "choices": ["x"]}}]}
    assert not li.validate_prediction(bad)


def test_config_lists_schema():
    config = labeling_config(load_schema())
    assert '<Label value="QUOTE" background="#ff5a00" hotkey="q" />' in config
    assert '<Relation value="SAID_BY" />' in config
    assert 'name="QUOTE_channel"' in config and '<Choice value="social media" />' in config
    assert '<TextArea name="SPEAKER_canonical_name"' in config


def _task(text, result, **extra):
    return {"data": {"text": text}, "annotations": [{"result": result, **extra}]}


def _region(rid, start, end, label, text=None):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_import_merges_annotations_skips_cancelled_and_predictions(store, tmp_path):
    text = "Velko said Norland agreed."
    tasks = [{
        "data": {"text": text, "title": "T", "extra_field": 3},
        "annotations": [
            {"completed_by": {"email": "a@x"}, "result": [
                _region("a", 0, 5, "PERSON", "Velko"), _region("b", 11, 18, "GPE"),
                {"from_id": "b", "to_id": "a", "type": "relation", "direction": "left",
                 "labels": ["SAME_AS"]}]},
            {"completed_by": 7, "result": [_region("z", 0, 5, "PERSON"),
                                           _region("y", 19, 25, "EVENT"),
                                           {"id": "y", "from_name": "EVENT_type", "to_name": "text",
                                            "type": "choices",
                                            "value": {"start": 19, "end": 25,
                                                      "choices": ["AGREEMENT_CEASEFIRE"]}}]},
            {"was_cancelled": True, "result": [_region("c", 6, 10, "CUE")]},
        ],
        "predictions": [{"result": [_region("p", 6, 10, "CUE")]}],
    }]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok, report.problems
    (doc_id,) = store.document_ids()
    doc = store.document(doc_id)
    assert doc.title == "T" and doc.meta == {"extra_field": 3}
    spans = {s.id: s for s in store.spans(doc_id)}
    assert sorted((s.start, s.end, s.label, s.annotator) for s in spans.values()) == [
        (0, 5, "PERSON", "a@x"), (11, 18, "GPE", "a@x"), (19, 25, "EVENT", "7")]
    (rel,) = store.relations(doc_id)
    assert (spans[rel.head_id].label, spans[rel.tail_id].label, rel.role) == ("PERSON", "GPE",
                                                                                "SAME_AS")
    assert next(s for s in spans.values() if s.label == "EVENT").attrs == {
        "type": "AGREEMENT_CEASEFIRE"}


def test_single_task_object_imports(store, tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_task("Velko spoke.", [_region("a", 0, 5, "PERSON")])),
                    encoding="utf-8")
    assert import_paths(store, [path]).ok
    assert store.document_count() == 1


GOOD = _task("A good first task.", [])
BAD_TASKS = {
    "utf16": (_task("\U0001F600 Velko spoke", [_region("a", 3, 8, "PERSON", "Velko")]),
              "does not match"),
    "label": (_task("Velko", [_region("a", 0, 5, "ALIEN")]), "unknown label 'ALIEN'"),
    "range": (_task("Velko", [_region("a", 0, 50, "PERSON")]), "out of range"),
    "norole": (_task("Velko Norland", [_region("a", 0, 5, "PERSON"), _region("b", 6, 13, "GPE"),
                                       {"from_id": "a", "to_id": "b", "type": "relation",
                                        "direction": "right"}]), "needs a known role"),
    "dangling": (_task("Velko", [_region("a", 0, 5, "PERSON"),
                                 {"from_id": "a", "to_id": "q", "type": "relation",
                                  "direction": "right", "labels": ["SAME_AS"]}]), "not in the"),
    "choice": (_task("Velko", [_region("a", 0, 5, "QUOTE"),
                               {"id": "a", "from_name": "QUOTE_kind", "to_name": "text",
                                "type": "choices", "value": {"choices": ["shouted"]}}]),
               "not allowed"),
    "rect": (_task("Velko", [{"id": "a", "from_name": "box", "to_name": "img",
                              "type": "rectanglelabels", "value": {}}]), "unsupported result"),
    "nodata": ({"annotations": []}, "no 'data'"),
    "notext": ({"data": {"html": "<p>x</p>"}}, "data.text"),
}


@pytest.mark.parametrize("name", sorted(BAD_TASKS))
def test_bad_task_is_refused_with_file_and_line(store, tmp_path, name):
    task, message = BAD_TASKS[name]
    path = tmp_path / f"{name}.json"
    body = "[\n" + json.dumps(GOOD) + ",\n" + json.dumps(GOOD | {"data": {"text": "Two."}}) \
        + ",\n" + json.dumps(task, indent=1) + "\n]\n"
    path.write_text(body, encoding="utf-8")
    report = import_paths(store, [path])
    assert len(report.problems) == 1, report.problems
    assert f"{path}:4:" in report.problems[0] and message in report.problems[0]
    assert store.document_count() == 0  # nothing half-imported


@pytest.mark.parametrize("content,line,message", [
    ('[{"data": {"text": "a"}},\n {"data": ', 2, "malformed JSON"),
    ('[{"data": {"text": "a"}} {"data": {"text": "b"}}]', 1, "expected ',' or ']'"),
    ('"just a string"', 1, "expected a JSON list"),
    ('[]', None, "no tasks"),
    ('{"data": {"text": "a"}} trailing', 1, "extra data"),
])
def test_malformed_json_is_refused(store, tmp_path, content, line, message):
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    report = import_paths(store, [path])
    assert len(report.problems) == 1 and message in report.problems[0], report.problems
    if line:
        assert f"{path}:{line}:" in report.problems[0]


def test_relation_between_suggestion_and_accepted_goes_to_prediction(store, tmp_path):
    from annotator.domain import AnnotatedDocument, Document

    text = "Velko met Ilgaz."
    spans = [Span(None, 0, 5, "PERSON", id=0), Span(None, 10, 15, "PERSON", id=1)]
    store.add_documents([AnnotatedDocument(Document(text=text), spans,
                                           [Relation(None, 0, 1, "SAME_AS")])])
    tasks, _ = _export(store, tmp_path, suggestions=True)
    assert tasks[0]["predictions"] == []
    assert [i["type"] for i in tasks[0]["annotations"][0]["result"]] == [
        "labels", "labels", "relation"]
