"""Exports say what they would miss: the link gaps (services/link_gaps.py), the CLI's warning and
its list of included documents, suggested links on request, canonical names of threat ends."""

from __future__ import annotations

import csv
import json

import pytest

from annotator.cli import main
from annotator.domain import AnnotatedDocument, Document, Relation, Span
from annotator.services.exporting import ExportFilter, export
from annotator.services.link_gaps import link_gaps

TEXT = ("Velko said the port stays shut. Osk said talks go on. "
        "Norland threatened to bomb Vell. Osk warned Dravia.")


def _at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def _span(local, words, label, status="accepted", nth=0, **attrs):
    return Span(None, *_at(words, nth), label, status=status, attrs=attrs, id=local)


@pytest.fixture
def gappy(store):
    """Two accepted quotes, one with an accepted speaker, one with a suggested one; two accepted
    threats, one with source and target, one with a suggested target only."""
    spans = [_span(0, "the port stays shut", "QUOTE"),
             _span(1, "Velko", "SPEAKER", canonical_name="Amara Velko"),
             _span(2, "talks go on", "QUOTE"),
             _span(3, "Osk", "SPEAKER", status="suggested"),
             _span(4, "bomb Vell", "THREAT"),
             _span(5, "Norland", "GPE"),
             _span(6, "Vell", "GPE", nth=0),
             _span(7, "warned Dravia", "THREAT"),
             _span(8, "Dravia", "GPE", status="suggested"),
             _span(9, "Osk", "PERSON", nth=1),
             _span(10, "Osk", "SPEAKER", nth=1, canonical_name="Lena Osk")]
    rels = [Relation(None, 0, 1, "SAID_BY"),
            Relation(None, 2, 3, "SAID_BY", status="suggested"),
            Relation(None, 4, 5, "SOURCE"), Relation(None, 4, 6, "TARGET"),
            Relation(None, 7, 8, "TARGET", status="suggested"),
            Relation(None, 7, 9, "SOURCE"), Relation(None, 9, 10, "SAME_AS")]
    store.add_documents([AnnotatedDocument(Document(text=TEXT, title="Gaps", status="done"),
                                           spans, rels),
                         AnnotatedDocument(Document(text="Nothing here.", title="Empty"))])
    return store


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_link_gaps_count_what_an_accepted_only_export_misses(gappy):
    gaps = {(g.expected.label, g.expected.role): g for g in link_gaps(gappy)}
    assert set(gaps) == {("QUOTE", "SAID_BY"), ("THREAT", "TARGET")}  # every threat has a source
    quotes = gaps["QUOTE", "SAID_BY"]
    assert (quotes.heads, quotes.missing, quotes.suggested) == (2, 1, 1)
    assert quotes.sentence() == "1 of 2 accepted quotes have no accepted speaker"
    assert gaps["THREAT", "TARGET"].detail() == ("1 of 2 accepted threats have no accepted "
                                                 "target (1 has a suggested target)")
    assert link_gaps(gappy, "new") == []  # the other document has no labels


def test_suggested_links_of_accepted_spans_on_request(gappy, tmp_path):
    out = tmp_path / "t"
    export(gappy, "csv", out)
    assert [q["speaker"] for q in _rows(out / "quotes.csv")] == ["Velko", ""]
    export(gappy, "csv", out, ExportFilter(include_links=True))
    assert [q["speaker"] for q in _rows(out / "quotes.csv")] == ["Velko", "Osk"]
    threats = _rows(out / "threats.csv")
    assert [(t["source"], t["target"]) for t in threats] == [("Norland", "Vell"),
                                                             ("Osk", "Dravia")]
    # canonical names of sources and targets, as for speakers (through SAME_AS), else the text,
    # as the Threats table names them
    assert [t["source_canonical_name"] for t in threats] == ["Norland", "Lena Osk"]
    # only links of accepted heads: no suggested span comes in on its own
    jl = tmp_path / "x.jsonl"
    export(gappy, "jsonl", jl, ExportFilter(include_links=True))
    record = json.loads(jl.read_text(encoding="utf-8").splitlines()[0])
    suggested = [s["text"] for s in record["spans"] if s["status"] == "suggested"]
    assert sorted(suggested) == ["Dravia", "Osk"]


def test_cli_warns_about_missing_links_and_names_the_documents(gappy, tmp_path, capsys):
    gappy.close()
    db = str(gappy.path)
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "a")]) == 0
    captured = capsys.readouterr()
    assert ("warning: 1 of 2 accepted quotes have no accepted speaker (1 has a suggested "
            "speaker); --include-suggested-links adds them") in captured.err
    assert "warning: 1 of 2 accepted threats have no accepted target" in captured.err
    assert "source" not in captured.err
    assert "documents: all 2 (1 done, 1 new)" in captured.out
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "b"),
                 "--doc-status", "done", "--include-suggested-links"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    assert "documents: the 1 done of 2" in captured.out
    assert [q["speaker"] for q in _rows(tmp_path / "b" / "quotes.csv")] == ["Velko", "Osk"]
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "c"),
                 "--include-suggestions"]) == 0
    assert "warning" not in capsys.readouterr().err
