"""Events: a place the article did not give the event is shown (and exported) as inferred."""

from __future__ import annotations

import csv

from annotator.analysis import tables
from annotator.analysis.query import EVENTS, TableQuery
from annotator.domain import AnnotatedDocument, Document, Relation, Span
from annotator.formats.csv_tables import export_rows
from annotator.services.exporting import export

WIRE = ("BAMAKO, March 9 (Wirestream) - Protesters blocked the Gao road on Friday.\n"
        "Officials met in Kati to discuss the fuel shortage.\n"
        "The talks were held behind closed doors.")


def at(words: str) -> tuple[int, int]:
    start = WIRE.index(words)
    return start, start + len(words)


def test_the_dateline_and_a_nearby_place_are_marked_and_a_place_link_is_not(store, tmp_path):
    spans = [Span(None, *at("blocked"), "EVENT", "accepted", attrs={"type": "PROTEST"}, id=0),
             Span(None, *at("Gao road"), "LOC", "accepted", id=1),
             Span(None, *at("met"), "EVENT", "accepted", attrs={"type": "TALKS"}, id=2),
             Span(None, *at("Kati"), "GPE", "accepted", id=3),
             Span(None, *at("talks were held"), "EVENT", "accepted", attrs={"type": "TALKS"}, id=4)]
    rels = [Relation(None, 0, 1, "PLACE", "accepted")]
    store.add_documents([AnnotatedDocument(Document(text=WIRE, title="Wire"), spans, rels)])
    rows = tables.fetch(store, TableQuery(table=EVENTS, sort="trigger"), 10)
    keys = [c.key for c in tables.COLUMNS[EVENTS]]
    place = {r.cells[keys.index("trigger")]: r.cells[keys.index("place")] for r in rows}
    assert place == {"blocked": "Gao road", "met": "Kati (nearby)",
                     "talks were held": "Bamako (dateline)"}
    # the CSV export marks them the same way, from the whole export and from the table's rows
    out = tmp_path / "tables"
    export(store, "csv", out)
    with open(out / "events.csv", encoding="utf-8-sig", newline="") as fh:
        assert {r["trigger"]: r["place"] for r in csv.DictReader(fh)} == place
    visible = tmp_path / "visible.csv"
    export_rows(store, TableQuery(table=EVENTS), rows, visible)
    with open(visible, encoding="utf-8-sig", newline="") as fh:
        assert {r["trigger"]: r["place"] for r in csv.DictReader(fh)} == place


def test_a_full_date_in_an_undated_document_resolves_without_an_anchor(store, tmp_path):
    """No dateline, no published date: "5 May 2005" needs no anchor, and neither the Events table
    nor the CSV export may fail on it (the tooltip named the anchor's date unconditionally)."""
    text = "The summit opened on 5 May 2005 in the capital."
    def span(words, label, sid, **attrs):
        start = text.index(words)
        return Span(None, start, start + len(words), label, "accepted", attrs=attrs, id=sid)
    spans = [span("opened", "EVENT", 0, type="TALKS"), span("5 May 2005", "DATE", 1)]
    store.add_documents([AnnotatedDocument(Document(text=text, title="Undated"), spans,
                                           [Relation(None, 0, 1, "TIME", "accepted")])])
    rows = tables.fetch(store, TableQuery(table=EVENTS, sort="trigger"), 10)
    keys = [c.key for c in tables.COLUMNS[EVENTS]]
    assert [r.cells[keys.index("time")] for r in rows] == ["2005-05-05"]
    out = tmp_path / "tables"
    export(store, "csv", out)
    with open(out / "events.csv", encoding="utf-8-sig", newline="") as fh:
        assert [r["time"] for r in csv.DictReader(fh)] == ["2005-05-05"]
