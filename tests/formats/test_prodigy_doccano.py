"""Prodigy and doccano JSONL: shapes out, token-index relations and doccano lines in."""

import json

import pytest

from annotator.services.exporting import export
from annotator.services.importing import import_paths


def _lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_prodigy_tokens_spans_and_relations(corpus_store, tmp_path):
    out = tmp_path / "p.jsonl"
    assert export(corpus_store, "prodigy", out) == 7
    n_rels = 0
    for task in _lines(out):
        text, tokens = task["text"], task["tokens"]
        assert task["answer"] == "accept"
        for i, tok in enumerate(tokens):
            assert tok["id"] == i and text[tok["start"]:tok["end"]] == tok["text"]
            assert tok["ws"] == (tok["end"] < len(text) and text[tok["end"]] == " "
                                 and (i + 1 == len(tokens) or tokens[i + 1]["start"] > tok["end"]))
        for span in task["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
            first, last = tokens[span["token_start"]], tokens[span["token_end"]]
            assert first["start"] <= span["start"] < first["end"]
            assert last["start"] < span["end"] <= last["end"]
        for rel in task["relations"]:
            n_rels += 1
            assert rel["head"] == rel["head_span"]["token_end"]
            assert rel["child"] == rel["child_span"]["token_end"]
            assert {"start", "end", "token_start", "token_end", "label"} == set(rel["head_span"])
    assert n_rels > 10


def test_prodigy_relations_by_token_index_only(store, tmp_path):
    text = "Velko said Norland agreed."
    words = ["Velko", "said", "Norland", "agreed", "."]
    line = {"text": text,
            "tokens": [{"text": w, "start": text.index(w), "end": text.index(w) + len(w), "id": i}
                       for i, w in enumerate(words)],
            "spans": [{"start": 0, "end": 5, "label": "PERSON", "token_start": 0, "token_end": 0},
                      {"start": 11, "end": 18, "label": "GPE"}],  # token_end from the tokens
            "relations": [{"head": 0, "child": 2, "label": "SAME_AS"}]}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok, report.problems
    (doc_id,) = store.document_ids()
    spans = {s.id: s for s in store.spans(doc_id)}
    (rel,) = store.relations(doc_id)
    assert (spans[rel.head_id].label, spans[rel.tail_id].label) == ("PERSON", "GPE")


def test_prodigy_ambiguous_token_relation_is_refused(store, tmp_path):
    line = {"text": "Velko said.", "spans": [
        {"start": 0, "end": 5, "label": "PERSON", "token_start": 0, "token_end": 0},
        {"start": 0, "end": 5, "label": "SPEAKER", "token_start": 0, "token_end": 0}],
        "relations": [{"head": 0, "child": 0, "label": "SAME_AS"}]}
    path = tmp_path / "p.jsonl"
    path.write_text('{"text": "fine"}\n' + json.dumps(line) + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert len(report.problems) == 1 and f"{path}:2:" in report.problems[0]
    assert "last token of 2 spans" in report.problems[0]
    assert store.document_count() == 0


def test_doccano_shape_and_file_wide_ids(corpus_store, tmp_path):
    out = tmp_path / "d.jsonl"
    assert export(corpus_store, "doccano", out) == 7
    records = _lines(out)
    ent_ids = [e["id"] for r in records for e in r["entities"]]
    rel_ids = [x["id"] for r in records for x in r["relations"]]
    assert ent_ids == list(range(1, len(ent_ids) + 1))
    assert rel_ids == list(range(1, len(rel_ids) + 1))
    for r in records:
        assert set(r) >= {"id", "text", "entities", "relations"}
        local = {e["id"] for e in r["entities"]}
        for e in r["entities"]:
            assert set(e) == {"id", "label", "start_offset", "end_offset"}
            assert 0 <= e["start_offset"] < e["end_offset"] <= len(r["text"])
        for x in r["relations"]:
            assert set(x) == {"id", "from_id", "to_id", "type"}
            assert x["from_id"] in local and x["to_id"] in local


def test_doccano_plain_label_lists_import(store, tmp_path):
    lines = [{"text": "Velko met Ilgaz \U0001F600 in Kavrat.", "label": [[0, 5, "PERSON"],
                                                                 [10, 15, "PERSON"],
                                                                 [21, 27, "GPE"]]},
             {"id": 9, "text": "No labels here.", "label": []}]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok, report.problems
    first, second = store.document_ids()
    text = store.document(first).text
    assert [text[s.start:s.end] for s in store.spans(first)] == ["Velko", "Ilgaz", "Kavrat"]
    assert store.spans(second) == []


@pytest.mark.parametrize("record,message", [
    ({"text": "Velko", "entities": [{"id": 1, "label": "ALIEN", "start_offset": 0,
                                     "end_offset": 5}]}, "unknown label"),
    ({"text": "Velko", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0,
                                     "end_offset": 9}]}, "out of range"),
    ({"text": "Velko", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0,
                                     "end_offset": 5}],
      "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "SAME_AS"}]}, "entity ids"),
    ({"text": "Velko", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0,
                                     "end_offset": 5}],
      "relations": [{"id": 1, "from_id": 1, "to_id": 1, "type": "LOVES"}]}, "unknown relation"),
    ({"text": "Velko", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0,
                                     "end_offset": 5}] * 2}, "duplicate id"),
    ({"text": "Velko", "label": [[0, 5]]}, "[start_offset, end_offset, label]"),
])
def test_bad_doccano_lines_are_refused(store, tmp_path, record, message):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "fine", "entities": []}\n' + json.dumps(record) + "\n",
                    encoding="utf-8")
    report = import_paths(store, [path])
    assert len(report.problems) == 1, report.problems
    assert f"{path}:2:" in report.problems[0] and message in report.problems[0]
    assert store.document_count() == 0
