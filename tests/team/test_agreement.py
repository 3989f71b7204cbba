"""Agreement figures against values computed by hand, and alpha against Krippendorff's own example.

Every layer here is labelled through the real store, each annotator under their own name.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from annotator.cli import main
from annotator.domain import AnnotatedDocument, Document
from annotator.store import Store
from annotator.team.agreement import agreement
from annotator.team.measures import ValueCounts

ONE = "Amara Velko met Boris Tal in Norland ."
QUOTES = "\u201cWe will not wait,\u201d she said. Amara Velko left. \u201cGo home,\u201d Tal said."
SAME = "Rebels met in Vell."


def _doc(path, text, title=""):
    with Store(path) as store:
        (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=text, title=title))])
    return doc_id


def _label(path, who, doc_id, text, items):
    """items: (words, label[, attrs]) labelled by `who`; returns {words: span id}."""
    ids = {}
    with Store(path, annotator=who) as store:
        for words, label, *attrs in items:
            start = text.index(words)
            ids[words] = store.add_span(doc_id, start, start + len(words), label,
                                        attrs[0] if attrs else None).new_span_id
    return ids


def _link(path, who, head, tail, role):
    with Store(path, annotator=who) as store:
        store.link(head, tail, role)


def test_span_f1_kappa_and_alpha_equal_hand_computed_values(tmp_path):
    db = tmp_path / "p.db"
    d = _doc(db, ONE)
    _label(db, "alice", d, ONE, [("Amara Velko", "PERSON"), ("Boris Tal", "PERSON"),
                                 ("Norland", "GPE")])
    _label(db, "bob", d, ONE, [("Amara Velko", "PERSON"), ("Tal", "PERSON"),
                               ("Norland", "ORG")])
    with Store(db) as store:
        r = agreement(store)
    assert r["annotators"] == ["alice", "bob"] and r["documents"] == 1 and r["tokens"] == 8
    o = r["overall"]
    # exact: 1 of 3 + 3 spans shared -> 2*1/6; overlap: P = R = 2/3
    assert o["span_f1_exact"] == pytest.approx(1 / 3, abs=1e-6)
    assert o["span_f1_overlap"] == pytest.approx(2 / 3, abs=1e-6)
    # tokens: po = 6/8, pe = (4*3 + 3*4)/64 = 0.375 -> kappa = 0.375/0.625
    assert o["kappa"] == pytest.approx(0.6, abs=1e-6)
    # coincidences: o(P,P)=6 o(O,O)=6 o(P,O)=o(O,P)=1 o(GPE,ORG)=o(ORG,GPE)=1, n=16,
    # n_v = 7, 7, 1, 1: alpha = 1 - 15 * 4 / (256 - 100)
    assert o["alpha"] == pytest.approx(1 - 60 / 156, abs=1e-6)
    person = next(x for x in r["per_label"] if x["label"] == "PERSON")
    assert person["spans"] == {"alice": 2, "bob": 2}
    assert person["span_f1_exact"] == pytest.approx(0.5) and person["span_f1_overlap"] == 1.0
    # PERSON tokens: n11=3 n10=1 n01=0 n00=4: po=7/8, pe=0.5 -> 0.75; alpha 1 - 15*2/126
    assert person["kappa"] == pytest.approx(0.75) and person["alpha"] == pytest.approx(1 - 30 / 126)
    gpe = next(x for x in r["per_label"] if x["label"] == "GPE")
    assert gpe["span_f1_exact"] == 0.0 and gpe["span_f1_overlap"] == 0.0
    (pair,) = r["per_pair"]
    assert pair["annotators"] == ["alice", "bob"] and pair["kappa"] == pytest.approx(0.6)
    assert pair["per_label"]["PERSON"]["kappa"] == pytest.approx(0.75)


def test_krippendorffs_example_through_the_store_gives_alpha_0_743(tmp_path):
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 coders x 12
    units nominal example with missing values: alpha = 0.743. Each unit is a one-word document;
    a coder who left a unit blank did not label that document."""
    data = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
            "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
            "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
            "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
    label = {1: "PERSON", 2: "ORG", 3: "GPE", 4: "LOC", 5: "NORP"}
    db = tmp_path / "p.db"
    docs = [_doc(db, f"Unit{i}") for i in range(12)]
    for who, values in data.items():
        for doc_id, value in zip(docs, values):
            if value is not None:
                _label(db, who, doc_id, f"Unit{doc_id - 1}", [(f"Unit{doc_id - 1}", label[value])])
    with Store(db) as store:
        r = agreement(store)
    assert r["documents"] == 11  # unit 12 was coded by B alone
    assert r["overall"]["alpha"] == pytest.approx(0.743421, abs=1e-6)
    assert round(r["overall"]["alpha"], 3) == 0.743


def test_compressed_value_counts_give_the_packages_alpha():
    import krippendorff

    rng = np.random.default_rng(4)
    data = rng.integers(0, 4, (3, 3000)).astype(float)
    same = rng.random(3000) < 0.7
    data[:, same] = data[0, same]
    data[rng.random((3, 3000)) < 0.1] = np.nan
    counts = np.stack([(data == v).sum(0) for v in range(4)], axis=1)
    vc = ValueCounts(4)
    for part in np.array_split(counts, 7):
        vc.add(part)
    assert vc.alpha() == pytest.approx(krippendorff.alpha(reliability_data=data,
                                                          level_of_measurement="nominal"))


def test_structure_f1_compares_speakers_by_canonical_name(tmp_path, capsys):
    db = tmp_path / "p.db"
    d = _doc(db, QUOTES, "Quotes")
    q1, q2 = "\u201cWe will not wait,\u201d", "\u201cGo home,\u201d"
    a = _label(db, "alice", d, QUOTES, [(q1, "QUOTE"), ("she", "SPEAKER",
                                                        {"canonical_name": "Amara Velko"}),
                                        (q2, "QUOTE"), ("Tal", "PERSON")])
    _link(db, "alice", a[q1], a["she"], "SAID_BY")
    _link(db, "alice", a[q2], a["Tal"], "SAID_BY")
    b = _label(db, "bob", d, QUOTES, [(q1, "QUOTE"), ("Amara Velko", "PERSON"), (q2, "QUOTE")])
    _link(db, "bob", b[q1], b["Amara Velko"], "SAID_BY")
    _link(db, "bob", b[q2], b["Amara Velko"], "SAID_BY")
    c = _label(db, "carol", d, QUOTES, [(q1, "QUOTE"), ("she", "SPEAKER"),
                                        ("Amara Velko", "PERSON")])
    _link(db, "carol", c[q1], c["she"], "SAID_BY")
    _link(db, "carol", c["she"], c["Amara Velko"], "SAME_AS")  # the pronoun's name, by link
    s = _doc(db, SAME, "Agreed")
    for who in ("alice", "bob", "carol"):
        _label(db, who, s, SAME, [("Vell", "GPE")])
    out = tmp_path / "agreement.json"
    assert main(["agreement", "--db", str(db), "--format", "json", "--out", str(out)]) == 0
    r = json.loads(out.read_text(encoding="utf-8"))
    speech = next(f for f in r["structure"] if f["kind"] == "speech")
    assert speech["triples"] == {"alice": 2, "bob": 2, "carol": 1}
    by_pair = {tuple(p["annotators"]): p["f1"] for p in speech["per_pair"]}
    # alice/bob: q1 by name (she = Amara Velko), q2 differs: 2*1/4
    assert by_pair[("alice", "bob")] == pytest.approx(0.5)
    # alice/carol: q1, the same span; bob/carol: q1 by the name SAME_AS gives carol's "she"
    assert by_pair[("alice", "carol")] == pytest.approx(2 / 3, abs=1e-6)
    assert by_pair[("bob", "carol")] == pytest.approx(2 / 3, abs=1e-6)
    assert speech["f1"] == pytest.approx(6 / 10) and r["overall"]["structure_f1"] == 0.6
    # the document where they disagree comes first
    assert [x["title"] for x in r["documents_by_agreement"]] == ["Quotes", "Agreed"]
    assert r["documents_by_agreement"][1]["span_f1_exact"] == 1.0
    assert r["format"] == "news-annotator-agreement/1" and r["project_id"]
    # the other formats carry the same figures
    assert main(["agreement", "--db", str(db), "--format", "csv"]) == 0
    csv_out = capsys.readouterr().out
    assert "structure_pair,alice|bob,speech,f1,0.5" in csv_out
    assert main(["agreement", "--db", str(db), "--annotators", "alice", "bob"]) == 0
    table = capsys.readouterr().out
    assert "Agreement of alice, bob on 2 document(s)" in table and "speech" in table
    assert main(["agreement", "--db", str(db), "--labels", "NOPE"]) == 1
    assert "unknown label(s) NOPE" in capsys.readouterr().err
