"""Export -> import into an empty project -> export again gives the same output, for every
format that has an importer, on text with emoji, CJK, combining marks and CRLF input."""

import json

import pytest

from annotator.formats import exporters
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from tests.formats.conftest import CRLF_ARTICLE, read_output, snapshot

# format -> (output name, what survives: attributes?)
IMPORTABLE = {
    "jsonl": ("out.jsonl", True),
    "prodigy": ("out.jsonl", True),
    "doccano": ("out.jsonl", False),
    "brat": ("brat", True),
    "labelstudio": ("tasks.json", True),
}


def test_every_format_is_registered():
    assert {"jsonl", "spacy", "prodigy", "doccano", "brat", "conll", "labelstudio",
            "csv"} <= set(exporters())


@pytest.mark.parametrize("fmt", sorted(IMPORTABLE))
def test_export_import_export_is_stable(corpus_store, fresh_store, tmp_path, fmt):
    name, keeps_attrs = IMPORTABLE[fmt]
    first, second = tmp_path / "1" / name, tmp_path / "2" / name
    first.parent.mkdir()
    second.parent.mkdir()
    assert export(corpus_store, fmt, first) == 7
    fresh = fresh_store()
    report = import_paths(fresh, [first])
    assert report.ok, report.problems
    assert report.documents_added == 7
    export(fresh, fmt, second)
    assert read_output(first) == read_output(second)
    # and the labels themselves came back: same texts, spans, relations (and attributes)
    assert snapshot(fresh, attrs=keeps_attrs) == snapshot(corpus_store, attrs=keeps_attrs)
    for doc_id in fresh.document_ids():
        assert all(s.status == "accepted" for s in fresh.spans(doc_id))


def test_crlf_article_was_normalised_with_offsets_remapped(corpus_store):
    (doc,) = [d for d in corpus_store.iter_documents() if d.title == "Tricky"]
    assert "\r" not in doc.text and doc.text == CRLF_ARTICLE.replace("\r\n", "\n")
    texts = {doc.text[s.start:s.end] for s in corpus_store.spans(doc.id)}
    assert {"Zoe\u0308", "\u738b\u5c0f\u660e", "\U0001F1F3\U0001F1F4",
            "We stay\nin \u6771\u4eac \U0001F600 forever"} <= texts


def _to_crlf(text):
    """CRLF text and a function mapping LF offsets onto it."""
    starts = [i for i, ch in enumerate(text) if ch == "\n"]

    def shift(offset):
        import bisect
        return offset + bisect.bisect_left(starts, offset)

    return text.replace("\n", "\r\n"), shift


@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "labelstudio"])
def test_crlf_input_offsets_are_remapped(corpus_store, fresh_store, tmp_path, fmt):
    """A file written elsewhere with CRLF text and offsets counted on it imports the same."""
    name = IMPORTABLE[fmt][0]
    out = tmp_path / name
    export(corpus_store, fmt, out)
    if fmt == "labelstudio":
        tasks = json.loads(out.read_text(encoding="utf-8"))
        for task in tasks:
            crlf, shift = _to_crlf(task["data"]["text"])
            task["data"]["text"] = crlf
            for ann in task["annotations"]:
                for item in ann["result"]:
                    if "value" in item:
                        item["value"]["start"] = shift(item["value"]["start"])
                        item["value"]["end"] = shift(item["value"]["end"])
                        if item["type"] == "labels":
                            value = item["value"]
                            value["text"] = crlf[value["start"]:value["end"]]
        out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        lines = []
        for line in out.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            crlf, shift = _to_crlf(rec["text"])
            rec["text"] = crlf
            for span in rec.get("spans", []) + [r[k] for r in rec.get("relations", [])
                                                for k in ("head_span", "child_span") if k in r]:
                span["start"], span["end"] = shift(span["start"]), shift(span["end"])
                if "text" in span:
                    span["text"] = crlf[span["start"]:span["end"]]
            for ent in rec.get("entities", []):
                ent["start_offset"] = shift(ent["start_offset"])
                ent["end_offset"] = shift(ent["end_offset"])
            rec.pop("tokens", None)
            lines.append(json.dumps(rec, ensure_ascii=False))
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fresh = fresh_store()
    report = import_paths(fresh, [out])
    assert report.ok, report.problems
    keeps_attrs = IMPORTABLE[fmt][1]
    assert snapshot(fresh, attrs=keeps_attrs) == snapshot(corpus_store, attrs=keeps_attrs)


def test_crlf_brat_text_is_remapped(corpus_store, fresh_store, tmp_path):
    out = tmp_path / "brat"
    export(corpus_store, "brat", out)
    for txt in out.glob("*.txt"):
        text = txt.read_text(encoding="utf-8")
        crlf, shift = _to_crlf(text)
        ann = txt.with_suffix(".ann")
        lines = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                ident, body, shown = line.split("\t")
                label, offsets = body.split(" ", 1)
                frags = [tuple(shift(int(x)) for x in f.split()) for f in offsets.split(";")]
                body = label + " " + ";".join(f"{a} {b}" for a, b in frags)
                line = "\t".join([ident, body, " ".join(crlf[a:b] for a, b in frags)])
            lines.append(line)
        ann.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
        txt.write_text(crlf, encoding="utf-8", newline="")
    fresh = fresh_store()
    report = import_paths(fresh, [out])
    assert report.ok, report.problems
    assert snapshot(fresh) == snapshot(corpus_store)


def test_suggestions_are_included_on_request_and_import_as_accepted(corpus_store, fresh_store,
                                                                      tmp_path):
    from annotator.domain import Span
    from annotator.services.exporting import ExportFilter

    doc_id = corpus_store.document_ids()[0]
    text = corpus_store.document(doc_id).text
    start = text.index("tension")
    corpus_store.replace_suggestions(doc_id, "model-x", [Span(None, start, start + 7, "EVENT")], [])
    for fmt, (name, _) in IMPORTABLE.items():
        if fmt == "labelstudio":
            continue  # suggestions are predictions there: see test_labelstudio
        out = tmp_path / fmt / name
        out.parent.mkdir()
        export(corpus_store, fmt, out, ExportFilter(include_suggestions=True))
        fresh = fresh_store(f"{fmt}.db")
        assert import_paths(fresh, [out]).ok
        spans = fresh.spans(fresh.document_ids()[0])
        assert any((s.start, s.label) == (start, "EVENT") for s in spans), fmt
