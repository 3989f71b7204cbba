"""The analyst tables and their CSV files say the same: every column the view shows, read from
quotes.csv / threats.csv / events.csv (the project export and the export of the visible rows),
for a corpus where the copies of each table's rules used to disagree."""

from __future__ import annotations

import csv

import pytest

from annotator.analysis import tables
from annotator.analysis.query import EVENTS, QUOTES, THREATS, TableQuery
from annotator.domain import AnnotatedDocument, Document, Relation, Span
from annotator.services.exporting import export

TEXT = ("HAMBURG, June 12 (Wire) - The minister said: \"We will strike back.\" Velko threatened to "
        "\"obliterate\" them if talks fail. The rebels refused.\nVelko and Brandt met on Wednesday.")
# The view's column -> the CSV column that holds the same value (the status is the view's only).
VIEW_TO_CSV = {
    QUOTES: {"speaker": "speaker_canonical_name", "role": "role", "affiliation": "affiliation",
             "quote": "quote", "kind": "kind", "speech_act": "speech_act", "title": "title",
             "published": "published"},
    THREATS: {"source": "source_canonical_name", "target": "target_canonical_name", "threat": "threat",
              "type": "type", "mode": "mode", "condition": "condition", "cameo": "cameo", "plover": "plover",
              "title": "title", "published": "published"},
    EVENTS: {"type": "type", "trigger": "trigger", "participants": "participant_canonical_names",
             "place": "place", "time": "time", "casualties": "casualties", "outcome": "outcome",
             "title": "title", "published": "published"},
}


def at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def corpus(store):
    spans = [Span(None, *at("We will strike back."), "QUOTE", "accepted", attrs={"kind": "direct"}, id=0),
             Span(None, *at("The minister"), "SPEAKER", "accepted", id=1, attrs={
                 "canonical_name": "Amara Velko", "role": "Defence Minister", "affiliation": "Unity Party"}),
             Span(None, *at("Velko"), "PERSON", "accepted", id=2),
             Span(None, *at("to \"obliterate\" them"), "THREAT", "accepted",
                  attrs={"type": "conditional", "mode": "violence"}, id=3),
             Span(None, *at("them"), "PERSON", "accepted", attrs={"canonical_name": "The Rebels"}, id=4),
             Span(None, *at("if talks fail"), "CONDITION", "accepted", id=5),
             Span(None, *at("met"), "EVENT", "accepted", attrs={"type": "TALKS"}, id=6),
             Span(None, *at("Velko", 1), "PERSON", "accepted", id=7),
             Span(None, *at("Brandt"), "PERSON", "accepted", id=8),
             Span(None, *at("Wednesday"), "DATE", "accepted", id=9),
             Span(None, *at("The rebels"), "ORG", "accepted", id=10)]
    rels = [Relation(None, 0, 1, "SAID_BY", "accepted"), Relation(None, 1, 2, "SAME_AS", "accepted"),
            Relation(None, 3, 2, "SOURCE", "accepted"), Relation(None, 3, 4, "TARGET", "accepted"),
            Relation(None, 3, 5, "CONDITION", "accepted"), Relation(None, 6, 7, "PARTICIPANT", "accepted"),
            Relation(None, 6, 8, "PARTICIPANT", "accepted"), Relation(None, 6, 9, "TIME", "accepted"),
            Relation(None, 4, 10, "SAME_AS", "accepted")]
    store.add_documents([AnnotatedDocument(
        Document(text=TEXT, title="Wire", published="2026-06-12T09:00:00"), spans, rels)])
    (doc_id,) = store.document_ids()
    mentions = [s.id for s in store.spans(doc_id) if s.label == "PERSON" and TEXT[s.start:s.end] == "Velko"]
    store.create_actor("General A. Velko", mentions)
    store.create_actor("Northern Rebel Front", [s.id for s in store.spans(doc_id) if s.label == "ORG"])
    return store


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _as_shown(column: str, value: str) -> str:
    """A CSV value as the view shows it: the date of a timestamp, the code of a CAMEO mapping."""
    if column == "published":
        return value[:10]
    return value.split(" ", 1)[0] if column == "cameo" else value


@pytest.mark.parametrize("table", [QUOTES, THREATS, EVENTS])
def test_the_view_and_its_csv_exports_hold_the_same_values(corpus, tmp_path, table):
    query = TableQuery(table=table)
    rows = tables.fetch(corpus, query, 100)
    keys = [c.key for c in tables.COLUMNS[table]]
    shown = [{k: cell for k, cell in zip(keys, row.cells) if k in VIEW_TO_CSV[table]} for row in rows]
    export(corpus, "csv", tmp_path / "all")
    from annotator.formats.csv_tables import export_rows

    export_rows(corpus, query, rows, tmp_path / "visible.csv")
    for path in (tmp_path / "all" / f"{table}.csv", tmp_path / "visible.csv"):
        written = [{k: _as_shown(k, r[VIEW_TO_CSV[table][k]]) for k in VIEW_TO_CSV[table]} for r in _csv(path)]
        assert written == shown, path
    assert len(shown) == 1


def test_the_rows_name_what_the_old_copies_named_differently(corpus):
    def row(table):
        (found,) = tables.fetch(corpus, TableQuery(table=table), 10)
        return dict(zip([c.key for c in tables.COLUMNS[table]], found.cells))
    # its own canonical_name before the actor of the mention it is SAME_AS
    assert (row(QUOTES)["speaker"], row(QUOTES)["role"]) == ("Amara Velko", "Defence Minister")
    threat = row(THREATS)
    assert (threat["source"], threat["target"], threat["threat"]) == (
        "General A. Velko", "The Rebels", "to \"obliterate\" them")
    event = row(EVENTS)
    assert (event["participants"], event["time"], event["place"]) == (
        "General A. Velko; Brandt", "2026-06-10", "Hamburg (dateline)")
