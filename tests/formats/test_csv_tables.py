"""Analyst CSV tables: one row per QUOTE / THREAT / EVENT with linked spans resolved."""

import csv

import pytest

from annotator.analysis.table_specs import EVENTS, QUOTES, SPECS, THREATS, csv_header
from annotator.cli import main
from annotator.domain import AnnotatedDocument, Document, Relation, Span
from annotator.formats import csv_tables
from annotator.formats.csv_tables import safe_cell
from annotator.services.exporting import export


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_tables(corpus_store, tmp_path):
    out = tmp_path / "tables"
    assert export(corpus_store, "csv", out) == 7
    quotes, threats, events = (_rows(out / n) for n in ("quotes.csv", "threats.csv", "events.csv"))
    assert list(quotes[0]) == csv_header(SPECS[QUOTES]) and list(threats[0]) == csv_header(SPECS[THREATS])
    assert list(events[0]) == csv_header(SPECS[EVENTS])
    labels = [s.label for d in corpus_store.document_ids() for s in corpus_store.spans(d)]
    assert (len(quotes), len(threats), len(events)) == (
        labels.count("QUOTE"), labels.count("THREAT"), labels.count("EVENT"))
    tricky = next(q for q in quotes if q["title"] == "Tricky")
    assert tricky["quote"] == "We stay\nin \u6771\u4eac \U0001F600 forever"  # newline kept, quoted
    assert tricky["speaker"] == "She"
    assert tricky["speaker_canonical_name"] == "Zo\u00eb \u201cZ\u201d Ilgaz"
    assert (tricky["kind"], tricky["channel"], tricky["cue"]) == ("direct", "social media", "said")
    for q in quotes:
        assert q["speaker"] and q["speaker_canonical_name"] and q["cue"]
    for t in threats:
        assert t["source"] and t["target"] and t["condition"] and t["type"] == "conditional"
        assert t["plover"].startswith("THREATEN mode=")
    ev = next(e for e in events if e["title"] == "Tricky")
    assert (ev["type"], ev["trigger"], ev["participants"], ev["place"]) == (
        "TALKS", "met", "\u738b\u5c0f\u660e", "\u6771\u4eac")
    assert ev["plover"] == "CONSULT"
    multi = next(e for e in events if "; " in e["participants"])
    assert multi["time"] and ";" in multi["place"]


def test_canonical_name_through_same_as_and_formula_guard(store, tmp_path):
    text = "=HYPERLINK said Velko: -1 is enough."
    spans = [Span(None, 0, 10, "ORG", id=0), Span(None, 16, 21, "PERSON", id=1),
             Span(None, 23, 35, "QUOTE", attrs={"kind": "direct"}, id=2),
             Span(None, 16, 21, "SPEAKER", attrs={"canonical_name": "Amara Velko"}, id=3)]
    rels = [Relation(None, 2, 1, "SAID_BY"), Relation(None, 1, 3, "SAME_AS")]
    store.add_documents([AnnotatedDocument(Document(text=text), spans, rels)])
    out = tmp_path / "t"
    export(store, "csv", out)
    (row,) = _rows(out / "quotes.csv")
    assert row["speaker"] == "Velko" and row["speaker_canonical_name"] == "Amara Velko"
    assert row["quote"] == "'-1 is enough"
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@x") == "'@x" and safe_cell(3) == "3"


def test_export_to_a_file_path_is_refused(corpus_store, tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(ValueError, match="folder"):
        export(corpus_store, "csv", target)
    assert target.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("fmt,out", [("spacy", "c.spacy"), ("prodigy", "p.jsonl"),
                                     ("doccano", "d.jsonl"), ("brat", "brat"),
                                     ("conll", "c.conll"), ("labelstudio", "ls.json"),
                                     ("csv", "tables")])
def test_cli_exports_every_format(corpus_store, tmp_path, capsys, fmt, out):
    corpus_store.close()
    code = main(["export", "--db", str(corpus_store.path), "--format", fmt, "--out",
                 str(tmp_path / out), "--dev-fraction", "0.2", "--seed", "1"])
    assert code == 0, capsys.readouterr()
    assert f"exported 7 document(s) as {fmt}" in capsys.readouterr().out
    assert (tmp_path / out).exists()


@pytest.mark.parametrize("batch", [200, 3])
def test_rows_are_read_per_batch_of_documents_not_per_document(corpus_store, tmp_path, monkeypatch, batch):
    """The export asks the table query once per table for a batch of documents (a query's
    fixed cost made a per-document export 3x slower); rows stay in document, then text order."""
    one_by_one = tmp_path / "one"
    monkeypatch.setattr(csv_tables, "BATCH", 1)
    export(corpus_store, "csv", one_by_one)
    queries = []
    corpus_store.db.conn.set_trace_callback(lambda sql: queries.append(sql) if "AS span_id" in sql else None)
    monkeypatch.setattr(csv_tables, "BATCH", batch)
    try:
        assert export(corpus_store, "csv", tmp_path / "batched") == 7
    finally:
        corpus_store.db.conn.set_trace_callback(None)
    assert len(queries) <= len(SPECS) * -(-7 // batch)
    for name in ("quotes.csv", "threats.csv", "events.csv"):
        assert _rows(tmp_path / "batched" / name) == _rows(one_by_one / name)
