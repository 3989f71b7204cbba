import codecs
import json

import pytest

from annotator.services.exporting import export
from annotator.services.importing import import_paths
from tests.conftest import TRICKY


def _import(store, *paths):
    return import_paths(store, paths)


def test_text_encodings_and_newlines(store, tmp_path):
    body = "Title line\r\nFirst para \u00e9\u00e8.\r\nSecond \U0001F600.\r\n"
    files = {
        "utf8.txt": body.encode("utf-8"),
        "utf8bom.txt": codecs.BOM_UTF8 + body.replace("First", "Une").encode("utf-8"),
        "utf16.txt": body.replace("First", "Eins").encode("utf-16"),  # with BOM
        "utf16be.md": codecs.BOM_UTF16_BE + body.replace("First", "Uno").encode("utf-16-be"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = _import(store, tmp_path)
    assert report.ok, report.problems
    assert report.documents_added == 4
    texts = [d.text for d in store.iter_documents()]
    assert all("\r" not in t and not t.startswith("\ufeff") for t in texts)
    assert "Title line\nUne para \u00e9\u00e8.\nSecond \U0001F600.\n" in texts
    assert {d.title for d in store.iter_documents()} == {"Title line"}


def test_import_is_idempotent(store, tmp_path):
    (tmp_path / "a.txt").write_text("An article.", encoding="utf-8")
    assert _import(store, tmp_path / "a.txt").documents_added == 1
    again = _import(store, tmp_path / "a.txt")
    assert again.documents_added == 0 and again.documents_skipped == 1
    assert store.document_count() == 1


def test_html_is_reduced_to_article_text(store, tmp_path):
    (tmp_path / "p.html").write_text(
        "<html><head><title>Port  strike</title><script>var x=1;</script></head><body>"
        "<nav>Home | World</nav><article><h1>Port strike</h1><p>Dockers &amp; drivers "
        "<b>walked</b> out.</p><p>Police said 3 were held.</p></article>"
        "<footer>(c) Paper</footer></body></html>", encoding="utf-8")
    assert _import(store, tmp_path / "p.html").ok
    (doc,) = store.iter_documents()
    assert doc.text == "Port strike\nDockers & drivers walked out.\nPolice said 3 were held."
    assert doc.title == "Port strike"


def test_csv_rows_become_documents_with_metadata(store, tmp_path):
    (tmp_path / "c.csv").write_text(
        'title,text,outlet\nOne,"First text,\nwith a newline",Daily\nTwo,Second text,Weekly\n',
        encoding="utf-8")
    assert _import(store, tmp_path / "c.csv").ok
    docs = list(store.iter_documents())
    assert [d.title for d in docs] == ["One", "Two"]
    assert docs[0].text == "First text,\nwith a newline"
    assert docs[1].meta == {"outlet": "Weekly"}


def test_prodigy_lines_import_as_accepted_human_labels(store, tmp_path):
    text = "Velko said Norland agreed."
    lines = [
        {"text": text, "answer": "accept", "meta": {"source": "x"},
         "spans": [{"start": 0, "end": 5, "label": "PERSON", "token_start": 0, "token_end": 0},
                   {"start": 11, "end": 18, "label": "GPE"}],
         "relations": [{"head": 0, "child": 2, "label": "SAME_AS",
                        "head_span": {"start": 0, "end": 5, "label": "PERSON"},
                        "child_span": {"start": 11, "end": 18, "label": "GPE"}}]},
        {"text": "Rejected example.", "answer": "reject",
         "spans": [{"start": 0, "end": 8, "label": "PERSON"}]},
    ]
    path = tmp_path / "prodigy.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    assert _import(store, path).ok
    first, second = store.document_ids()
    spans = store.spans(first)
    assert [(s.start, s.end, s.label, s.status, s.origin) for s in spans] == [
        (0, 5, "PERSON", "accepted", "human"), (11, 18, "GPE", "accepted", "human")]
    assert [r.role for r in store.relations(first)] == ["SAME_AS"]
    # a "reject" answer is the annotator's verdict on the suggestion: kept as a rejected label
    assert [(s.label, s.status) for s in store.spans(second)] == [("PERSON", "rejected")]


BAD_JSONL = {
    "malformed.jsonl": ('{"text": "ok"}\n{"text": "broken",\n', 2, "malformed JSON"),
    "notobject.jsonl": ('[1, 2]\n', 1, "JSON object"),
    "notext.jsonl": ('{"title": "x"}\n', 1, "no string 'text'"),
    "range.jsonl": ('{"text": "short", "spans": [{"start": 0, "end": 50, "label": "PERSON"}]}\n', 1,
                    "out of range"),
    "mismatch.jsonl": ('{"text": "short text", "spans": [{"start": 0, "end": 5, "label": "PERSON", '
                       '"text": "other"}]}\n', 1, "does not match"),
    "label.jsonl": ('{"text": "short", "spans": [{"start": 0, "end": 5, "label": "ALIEN"}]}\n', 1,
                    "unknown label"),
    "types.jsonl": ('{"text": "short", "spans": [{"start": "0", "end": 5, "label": "PERSON"}]}\n', 1,
                    "must be integers"),
    "deep.jsonl": ('{"text": "x", "meta": ' + "[" * 100000 + "]" * 100000 + "}\n", 1, "nested"),
}


@pytest.mark.parametrize("name", sorted(BAD_JSONL))
def test_bad_jsonl_is_refused_with_file_and_line(store, tmp_path, name):
    content, line, message = BAD_JSONL[name]
    path = tmp_path / name
    path.write_text('{"text": "a good first line"}\n' * (line - 1) + content if line > 1 else content,
                    encoding="utf-8")
    report = _import(store, path)
    assert len(report.problems) == 1
    assert f"{path}:" in report.problems[0] and message in report.problems[0]
    assert store.document_count() == 0  # nothing half-imported


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 latin-1 text", "not UTF-8"),
])
def test_bad_text_files_are_refused(store, tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    report = _import(store, path, )
    assert len(report.problems) == 1 and message in report.problems[0], report.problems
    assert str(path) in report.problems[0]
    assert store.document_count() == 0


def test_good_files_import_beside_bad_ones(store, tmp_path):
    (tmp_path / "good.txt").write_text("Fine article.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfd")
    (tmp_path / "odd.pdf").write_bytes(b"%PDF")
    report = _import(store, tmp_path / "good.txt", tmp_path / "bad.txt", tmp_path / "odd.pdf",
                     tmp_path / "missing.txt")
    assert report.documents_added == 1
    assert len(report.problems) == 3
    assert any("unsupported file type .pdf" in p for p in report.problems)
    assert any("no such file" in p for p in report.problems)


def _lossless_roundtrip(store, tmp_path, src):
    out1, out2 = tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    export(store, "jsonl", out1)
    from annotator.store import Store

    with Store(tmp_path / "fresh.db") as fresh:
        assert import_paths(fresh, [out1]).ok
        export(fresh, "jsonl", out2)
    return out1.read_bytes(), out2.read_bytes()


def test_lossless_jsonl_roundtrip_with_tricky_text(store, tmp_path):
    text = TRICKY + "\r\nSecond line \u00e9 with CRLF.\r\n"
    # offsets into the CRLF text: they must be remapped onto the normalised stored text
    start = text.index("\u738b")
    second = text.index("Second")
    line = {"text": text, "meta": {"k": "v"},
            "spans": [{"start": start, "end": start + 3, "label": "PERSON", "text": "\u738b\u5c0f\u660e"},
                      {"start": 0, "end": 4, "label": "PERSON"},
                      {"start": second, "end": second + 6, "label": "DATE"}],
            "relations": [{"label": "SAME_AS", "head": 0, "child": 1,
                           "head_span": {"start": 0, "end": 4, "label": "PERSON"},
                           "child_span": {"start": start, "end": start + 3, "label": "PERSON"}}]}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_paths(store, [src]).ok
    (doc_id,) = store.document_ids()
    stored = store.document(doc_id).text
    assert "\r" not in stored
    assert {stored[s.start:s.end] for s in store.spans(doc_id)} == {"\u738b\u5c0f\u660e", "Zoe\u0308", "Second"}
    # decisions of every status and attributes survive
    store.add_span(doc_id, stored.index("\U0001F600"), stored.index("\U0001F600") + 1, "NORP")
    q = store.add_span(doc_id, 0, 10, "QUOTE", {"kind": "direct"}).new_span_id
    store.reject_span(q)
    first, second_out = _lossless_roundtrip(store, tmp_path, src)
    assert first == second_out
    records = [json.loads(x) for x in first.decode("utf-8").splitlines()]
    assert records[0]["text"] == stored
    # rejected spans are not exported by default
    assert [s["label"] for s in records[0]["spans"]] == ["PERSON", "NORP", "PERSON", "DATE"]


def test_export_filters(store, tmp_path, doc_id):
    from annotator.domain import Span
    from annotator.services.exporting import ExportFilter

    store.add_span(doc_id, 9, 20, "PERSON")
    store.replace_suggestions(doc_id, "m", [Span(None, 44, 50, "GPE")], [])
    out = tmp_path / "o.jsonl"
    export(store, "jsonl", out)
    assert [s["label"] for s in json.loads(out.read_text())["spans"]] == ["PERSON"]
    export(store, "jsonl", out, ExportFilter(include_suggestions=True))
    assert [s["label"] for s in json.loads(out.read_text())["spans"]] == ["PERSON", "GPE"]
    export(store, "jsonl", out, ExportFilter(include_suggestions=True, labels=("GPE",)))
    assert [s["label"] for s in json.loads(out.read_text())["spans"]] == ["GPE"]
