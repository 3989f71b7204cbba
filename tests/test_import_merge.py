"""Importing labels for documents already in the project: merged, never duplicated, counted."""

import json

from annotator.domain import Span
from annotator.services.importing import import_paths

TEXT = "Velko said the talks in Norland had failed."


def _line(spans, relations=(), text=TEXT):
    refs = [{"start": TEXT.index(w), "end": TEXT.index(w) + len(w), "label": lab}
            for w, lab in spans]
    return {"text": text, "spans": refs,
            "relations": [{"head_span": refs[h], "child_span": refs[t], "label": role}
                          for h, t, role in relations]}


def _write(path, *lines):
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def _labels(store):
    (doc_id,) = store.document_ids()
    spans = {s.id: s for s in store.spans(doc_id)}
    return (sorted((s.start, s.end, s.label, s.status) for s in spans.values()),
            sorted((spans[r.head_id].label, spans[r.tail_id].label, r.role, r.status)
                   for r in store.relations(doc_id)))


def test_new_labels_merge_into_a_stored_document_and_equal_ones_are_not_duplicated(
        store, tmp_path):
    first = _write(tmp_path / "a.jsonl", _line([("Velko", "PERSON")]))
    assert import_paths(store, [first]).documents_added == 1
    second = _write(tmp_path / "b.jsonl", _line(
        [("Velko", "PERSON"), ("Norland", "GPE"), ("Velko", "SPEAKER")]))
    report = import_paths(store, [second])
    assert report.ok and report.documents_added == 0
    assert (report.documents_merged, report.spans_merged, report.duplicates) == (1, 2, 1)
    assert report.documents_skipped == 0
    assert "1 already present merged with 2 new span(s)" in report.summary()
    assert "1 label(s) skipped as duplicates" in report.summary()
    spans, _ = _labels(store)
    assert [s[2] for s in spans] == ["PERSON", "SPEAKER", "GPE"]
    assert store.document_count() == 1


def test_importing_the_same_labelled_file_twice_changes_nothing(store, tmp_path):
    path = _write(tmp_path / "a.jsonl", _line([("Velko", "PERSON"), ("Norland", "GPE")],
                                              [(0, 1, "SAME_AS")]))
    import_paths(store, [path])
    before = _labels(store)
    again = import_paths(store, [path])
    assert again.ok and again.documents_skipped == 1 and again.documents_merged == 0
    assert again.duplicates == 3  # two spans and a relation
    assert _labels(store) == before


def test_a_relation_to_a_stored_span_is_merged(store, tmp_path):
    import_paths(store, [_write(tmp_path / "a.jsonl", _line([("said", "CUE")]))])
    line = _line([("said", "CUE"), ("talks in Norland had failed", "QUOTE")], [(1, 0, "CUE")])
    report = import_paths(store, [_write(tmp_path / "b.jsonl", line)])
    assert (report.spans_merged, report.relations_merged, report.duplicates) == (1, 1, 1)
    _, relations = _labels(store)
    assert relations == [("QUOTE", "CUE", "CUE", "accepted")]


def test_accepted_labels_accept_equal_suggestions(store, tmp_path):
    path = _write(tmp_path / "a.jsonl", {"text": TEXT})
    import_paths(store, [path])
    (doc_id,) = store.document_ids()
    store.replace_suggestions(doc_id, "model", [Span(None, 0, 5, "PERSON"),
                                                Span(None, 24, 31, "GPE")], [(0, 1, "SAME_AS")])
    line = _line([("Velko", "PERSON"), ("Norland", "GPE")], [(0, 1, "SAME_AS")])
    report = import_paths(store, [_write(tmp_path / "b.jsonl", line)])
    assert report.suggestions_accepted == 3 and report.spans_merged == 0
    assert report.documents_merged == 1
    spans, relations = _labels(store)
    assert [s[3] for s in spans] == ["accepted", "accepted"]
    assert relations == [("PERSON", "GPE", "SAME_AS", "accepted")]


def test_another_annotators_equal_span_is_kept_as_theirs(store, tmp_path):
    first = _line([("Velko", "PERSON")])
    first["spans"][0]["annotator"] = "alice"
    second = _line([("Velko", "PERSON")])
    second["spans"][0]["annotator"] = "bob"
    import_paths(store, [_write(tmp_path / "a.jsonl", first)])
    report = import_paths(store, [_write(tmp_path / "b.jsonl", second)])
    assert report.spans_merged == 1
    (doc_id,) = store.document_ids()
    assert sorted(s.annotator for s in store.spans(doc_id)) == ["alice", "bob"]


def test_repeated_text_inside_one_file_merges_its_labels(store, tmp_path):
    path = _write(tmp_path / "a.jsonl", _line([("Velko", "PERSON")]),
                  _line([("Velko", "PERSON"), ("Norland", "GPE")]))
    report = import_paths(store, [path])
    assert report.documents_added == 1 and report.documents_merged == 1
    assert (report.spans_merged, report.duplicates) == (1, 1)
    spans, _ = _labels(store)
    assert len(spans) == 2


def test_cli_reports_the_merge(tmp_path, capsys):
    from annotator.cli import main

    db = tmp_path / "p.db"
    assert main(["import", str(_write(tmp_path / "a.jsonl", {"text": TEXT})), "--db", str(db)]) == 0
    capsys.readouterr()
    b = _write(tmp_path / "b.jsonl", _line([("Velko", "PERSON")]))
    assert main(["import", str(b), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "imported 0 document(s)" in out
    assert "1 already present merged with 1 new span(s) and 0 new relation(s)" in out
