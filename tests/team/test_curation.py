"""Curation without the GUI: auto-merge, versions, union, none, undo, and the curated export."""

from __future__ import annotations

import json

from annotator.cli import main
from annotator.domain import ACCEPTED, REJECTED
from annotator.store import Store
from annotator.team.curation import NONE, UNION, decide, open_document
from annotator.team.identity import CURATED
from tests.team.test_agreement import QUOTES, _doc, _label, _link


def _three_layers(db):
    d = _doc(db, QUOTES, "Quotes")
    q1 = "\u201cWe will not wait,\u201d"
    a = _label(db, "alice", d, QUOTES, [(q1, "QUOTE"), ("Amara Velko", "PERSON"), ("Tal", "PERSON")])
    _link(db, "alice", a[q1], a["Amara Velko"], "SAID_BY")
    b = _label(db, "bob", d, QUOTES, [(q1, "QUOTE"), ("Amara Velko", "PERSON"), ("Velko", "ORG")])
    _link(db, "bob", b[q1], b["Amara Velko"], "SAID_BY")
    c = _label(db, "carol", d, QUOTES, [(q1, "QUOTE"), ("Amara Velko", "PERSON"),
                                        ("she", "SPEAKER")])
    _link(db, "carol", c[q1], c["she"], "SAID_BY")
    return d


def _curated(store, doc_id):
    text = store.document(doc_id).text
    return {(text[s.start:s.end], s.label, s.status)
            for s in store.layer_spans(doc_id, [CURATED])}


def test_auto_merge_then_versions_union_and_none(tmp_path):
    db = tmp_path / "p.db"
    d = _three_layers(db)
    with Store(db, annotator="lead") as store:
        state, layers, change = open_document(store, d)
        # everyone: the quote and Amara Velko; alice and bob also agree on the SAID_BY link
        assert _curated(store, d) == {("\u201cWe will not wait,\u201d", "QUOTE", ACCEPTED),
                                      ("Amara Velko", "PERSON", ACCEPTED)}
        assert change.kind == "curate_auto" and store.actions(1)[0].annotator == "lead"
        kinds = [(x.kind, x.describe(QUOTES)) for x in state.disagreements]
        assert kinds == [("relation", "'\u201cWe will not wait,\u201d' SAID_BY 'Amara Velko'"),
                         ("span", "'she'"), ("span", "'Velko'"), ("span", "'Tal'")]
        assert not any(x.resolved for x in state.disagreements)
        # opening again merges nothing more
        again, _layers, nothing = open_document(store, d)
        assert nothing is None and len(again.open) == 4
        link, she, velko, tal = state.disagreements
        assert velko.versions == {"alice": (), "bob": ((QUOTES.index("Velko"),
                                                        QUOTES.index("Velko") + 5, "ORG"),),
                                  "carol": ()}
        store.curate(d, *decide(velko, "alice", layers))  # alice had nothing there
        store.curate(d, *decide(tal, UNION, layers))
        store.curate(d, *decide(she, NONE, layers))
        store.curate(d, *decide(link, "bob", layers))
        after, _layers, _c = open_document(store, d)
        assert not after.open
        # what each now holds: the link is alice's and bob's version, Tal alice's (= the union)
        assert [x.choice for x in after.disagreements] == ["alice, bob", NONE, NONE, "alice"]
        assert ("Velko", "ORG", REJECTED) in _curated(store, d)
        assert ("Tal", "PERSON", ACCEPTED) in _curated(store, d)
        rels = store.layer_relations(d, [CURATED])
        assert [(r.role, r.status) for r in rels] == [("SAID_BY", ACCEPTED)]
        # undo takes back the last decision, as for any label
        assert store.undo().kind == "curate"
        assert len(open_document(store, d)[0].open) == 1
        store.redo()
        # a curated label edited in the main window stays curated
        tal_span = next(s for s in store.layer_spans(d, [CURATED]) if s.label == "PERSON"
                        and QUOTES[s.start:s.end] == "Tal")
        store.relabel_span(tal_span.id, "ORG")
        assert store.span(tal_span.id).annotator == CURATED
        store.undo()
    out = tmp_path / "gold.jsonl"
    assert main(["export", "--db", str(db), "--curated", "--out", str(out)]) == 0
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    got = {(QUOTES[s["start"]:s["end"]], s["label"]) for s in line["spans"]}
    assert got == {("\u201cWe will not wait,\u201d", "QUOTE"), ("Amara Velko", "PERSON"),
                   ("Tal", "PERSON")}
    assert [r["role"] for r in line["relations"]] == ["SAID_BY"]
    assert {s["annotator"] for s in line["spans"]} == {CURATED}
