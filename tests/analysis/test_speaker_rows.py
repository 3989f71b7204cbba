"""Quotes table: one speaker reads the same in every row of a document."""

from __future__ import annotations

from annotator.analysis import tables
from annotator.analysis.query import QUOTES, TableQuery
from annotator.domain import AnnotatedDocument, Document, Relation, Span

TEXT = ("Defence Minister Khawaja Asif said the talks were over. \"We will respond,\" Asif said. "
        "\"There is no other way,\" the minister added. \"Ask the army,\" Asif said later.")


def at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def test_one_speaker_has_one_role_and_affiliation_per_document_unless_set_per_quote(store):
    asif = {"canonical_name": "Khawaja Asif"}
    spans = [Span(None, *at("Khawaja Asif"), "SPEAKER", "accepted", id=0,
                  attrs={**asif, "role": "Defence Minister", "affiliation": "Pakistan"}),
             Span(None, *at("the talks were over"), "QUOTE", "accepted", id=1),
             Span(None, *at("Asif", 1), "SPEAKER", "accepted", attrs=asif, id=2),
             Span(None, *at("\"We will respond,\""), "QUOTE", "accepted", id=3),
             Span(None, *at("the minister"), "SPEAKER", "accepted", attrs={**asif, "role": "minister"},
                  id=4),
             Span(None, *at("\"There is no other way,\""), "QUOTE", "accepted", id=5),
             # set on this quote's speaker by the analyst: it stays
             Span(None, *at("Asif", 2), "SPEAKER", "accepted", id=6,
                  attrs={**asif, "role": "party leader", "affiliation": "PML-N"}),
             Span(None, *at("\"Ask the army,\""), "QUOTE", "accepted", id=7)]
    rels = [Relation(None, q, s, "SAID_BY", "accepted") for q, s in ((1, 0), (3, 2), (5, 4), (7, 6))]
    store.add_documents([AnnotatedDocument(Document(text=TEXT, title="Asif"), spans, rels)])
    rows = tables.fetch(store, TableQuery(table=QUOTES, sort="quote"), 10)
    keys = [c.key for c in tables.COLUMNS[QUOTES]]
    described = {r.cells[keys.index("quote")]: (r.cells[keys.index("speaker")], r.cells[keys.index("role")],
                                                r.cells[keys.index("affiliation")]) for r in rows}
    assert described == {
        "the talks were over": ("Khawaja Asif", "Defence Minister", "Pakistan"),
        "\"We will respond,\"": ("Khawaja Asif", "Defence Minister", "Pakistan"),
        "\"There is no other way,\"": ("Khawaja Asif", "minister", "Pakistan"),
        "\"Ask the army,\"": ("Khawaja Asif", "party leader", "PML-N")}
