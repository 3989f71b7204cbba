"""Streamed import: files read item by item and written in batches, each file all-or-nothing
inside transactions that span several files."""

import json

import pytest

from annotator.formats import json_stream
from annotator.services import importing
from annotator.services.importing import import_paths


def _task(i, **extra):
    text = f"Task number {i} about Velko."
    start = text.index("Velko")
    return {"data": {"text": text},
            "annotations": [{"result": [{"id": f"r{i}", "from_name": "label", "to_name": "text",
                                         "type": "labels",
                                         "value": {"start": start, "end": start + 5,
                                                   "text": "Velko", "labels": ["PERSON"]}}]}],
            **extra}


def _counts(store):
    return {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "spans", "relations")}


@pytest.fixture
def small_batches(monkeypatch):
    """Batches, commits and read chunks far smaller than a file, so every seam is crossed."""
    monkeypatch.setattr(importing, "BATCH_DOCUMENTS", 3)
    monkeypatch.setattr(importing, "COMMIT_FILES", 2)
    monkeypatch.setattr(importing, "COMMIT_DOCUMENTS", 5)
    monkeypatch.setattr(importing, "COMMIT_COST", 0)
    monkeypatch.setattr(json_stream, "CHUNK", 64)


def test_label_studio_list_streams_across_chunks(store, tmp_path, small_batches):
    path = tmp_path / "tasks.json"
    path.write_text("[\n" + ",\n".join(json.dumps(_task(i), indent=2) for i in range(40))
                    + "\n]\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok, report.problems
    assert report.documents_added == 40 and _counts(store)["spans"] == 40
    assert {store.document(i).text for i in store.document_ids()} == {
        f"Task number {i} about Velko." for i in range(40)}


def test_an_error_late_in_a_list_names_its_line_and_keeps_nothing(store, tmp_path,
                                                                  small_batches):
    tasks = [json.dumps(_task(i)) for i in range(30)] + ['{"data": {"text": 5}}']
    path = tmp_path / "tasks.json"
    path.write_text("[\n" + ",\n".join(tasks) + "\n]\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert len(report.problems) == 1 and f"{path}:32:" in report.problems[0], report.problems
    assert _counts(store) == {"documents": 0, "spans": 0, "relations": 0}


def test_json_file_with_one_object_per_line_is_read_as_json_lines(store, tmp_path):
    path = tmp_path / "lines.json"
    lines = [_task(0), {"text": "A Prodigy-style record about Velko.",
                        "spans": [{"start": 29, "end": 34, "label": "PERSON"}]},
             {"text": "A doccano one.", "label": [[2, 9, "ORG"]]}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.ok, report.problems
    assert report.documents_added == 3 and _counts(store)["spans"] == 3


def test_two_objects_on_one_line_are_refused_saying_what_is_allowed(store, tmp_path):
    path = tmp_path / "two.json"
    path.write_text(json.dumps(_task(0)) + " " + json.dumps(_task(1)) + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert len(report.problems) == 1
    assert f"{path}:1:" in report.problems[0] and "one object per line" in report.problems[0]
    assert store.document_count() == 0


def test_refused_file_among_committed_groups_leaves_the_others_whole(store, tmp_path,
                                                                    small_batches):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(7):
        (folder / f"a{i}.txt").write_text(f"Article {i}.", encoding="utf-8")
    good = [json.dumps({"text": f"Line {i}.", "spans": [{"start": 0, "end": 4, "label": "DATE"}]})
            for i in range(11)]
    (folder / "b-bad.jsonl").write_text("\n".join(good + ['{"text": 1}']), encoding="utf-8")
    (folder / "c-good.jsonl").write_text("\n".join(good[:4]), encoding="utf-8")
    report = import_paths(store, [folder])
    assert len(report.problems) == 1 and "b-bad.jsonl:12:" in report.problems[0]
    # the 7 text files and c-good's 4 lines (new: b-bad, which had them too, was rolled back)
    assert report.documents_added == 11 and store.document_count() == 11
    assert _counts(store)["spans"] == 4


def test_csv_rows_stream_with_quoted_newlines(store, tmp_path, small_batches):
    rows = "".join(f'T{i},"Body {i},\r\nsecond line"\r\n' for i in range(8))
    (tmp_path / "c.csv").write_text("title,text\r\n" + rows, encoding="utf-8", newline="")
    report = import_paths(store, [tmp_path / "c.csv"])
    assert report.ok, report.problems
    docs = list(store.iter_documents())
    assert [d.title for d in docs] == [f"T{i}" for i in range(8)]
    assert docs[3].text == "Body 3,\nsecond line"


def test_utf16_jsonl_streams(store, tmp_path):
    path = tmp_path / "u.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"\u00e9t\u00e9 {i}"}, ensure_ascii=False)
                              for i in range(5)), encoding="utf-16")
    report = import_paths(store, [path])
    assert report.ok and report.documents_added == 5, report.problems


def test_a_queued_one_document_file_refused_by_the_store_leaves_its_neighbours(
        store, tmp_path, monkeypatch):
    """One-document files are written together; if the store refuses that batch, each file is
    written alone and only the one at fault is refused."""
    from annotator.domain import AnnotatedDocument, Span
    from annotator.formats import catalog, text

    def reader(path, ctx):
        (bundle,) = text.read_plain(path, ctx)
        if path.name == "b.txt":  # a label the reader let through but the schema lacks
            bundle = AnnotatedDocument(bundle.document, [Span(None, 0, 3, "ALIEN")])
        return [bundle]

    monkeypatch.setitem(catalog._BY_SUFFIX, ".txt", reader)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Article {name}.", encoding="utf-8")
    report = import_paths(store, [tmp_path])
    assert len(report.problems) == 1 and "b.txt" in report.problems[0]
    assert "unknown label 'ALIEN'" in report.problems[0]
    assert report.documents_added == 2
    assert sorted(d.text for d in store.iter_documents()) == ["Article a.", "Article c."]
