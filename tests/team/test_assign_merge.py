"""assign and merge through the CLI and the services, on real project files."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from annotator.cli import main
from annotator.domain import DOC_DONE, SUGGESTED
from annotator.store import SCHEMA_VERSION, Store
from annotator.store.packs import PackError
from annotator.team.assign import assign, plan
from annotator.team.merge import merge_packs
from tests.team.conftest import dump, layer, make_project, rows_of_others


def _assign(project, tmp_path, *extra):
    out = tmp_path / "packs"
    assert main(["assign", "--db", str(project), "--annotators", "alice", "bob", "carol",
                 "--out", str(out), *map(str, extra)]) == 0
    return out


def _label(pack, accept=(), reject=(), add=()):
    """Decisions in a pack, as the pack's annotator makes them (labels keyed by text)."""
    with Store(pack, annotator="someone else") as store:
        for doc_id in store.document_ids():
            text = store.document(doc_id).text
            for span in store.spans(doc_id):
                word = text[span.start:span.end]
                if word in accept:
                    store.accept_span(span.id)
                elif word in reject:
                    store.reject_span(span.id)
            for word, label in add:
                start = text.index(word)
                store.add_span(doc_id, start, start + len(word), label)


def test_assign_deals_shares_and_overlap_deterministically(project, tmp_path, capsys):
    out = _assign(project, tmp_path, "--overlap", "0.2", "--seed", "7")
    assert "dealt 10 document(s) to 3 pack(s)" in capsys.readouterr().out
    docs = {}
    for name in ("alice", "bob", "carol"):
        with Store(out / f"{name}.db", annotator="whoever") as pack:
            assert pack.annotator == name  # the name is preset: labels go to their layer
            assert pack.pack_annotator() == name and pack.pack_id()
            with Store(project) as p:
                assert pack.project_id() == p.project_id()
            docs[name] = {pack.document(d).content_hash for d in pack.document_ids()}
            # the suggestions travel with their uids and their pre-annotation record
            doc = pack.document_ids()[0]
            assert {s.status for s in pack.spans(doc)} == {SUGGESTED}
            assert pack.relations(doc)[0].role == "SAID_BY"
            assert pack.preannotated_ids("model-1") == set(pack.document_ids())
    shared = docs["alice"] & docs["bob"] & docs["carol"]
    assert len(shared) == 2  # 20 % of 10
    assert len(docs["alice"] | docs["bob"] | docs["carol"]) == 10
    assert sorted(len(d - shared) for d in docs.values()) == [2, 3, 3]
    # the same seed deals the same way; another seed differently
    again = plan([(i, f"h{i}") for i in range(10)], ["a", "b", "c"], 0.2, None, seed=7)
    assert again == plan([(i, f"h{i}") for i in range(10)], ["a", "b", "c"], 0.2, None, seed=7)
    assert again != plan([(i, f"h{i}") for i in range(10)], ["a", "b", "c"], 0.2, None, seed=8)


def test_assign_per_doc_done_documents_and_a_second_run(project, tmp_path):
    with Store(project) as store:
        store.set_document_status(store.document_ids()[0], DOC_DONE)
        report = assign(store, ["alice", "bob", "carol"], tmp_path / "r1", per_doc=2, seed=1)
        assert report.done == 1 and report.dealt == 9
        assert sorted(p.documents for p in report.packs) == [6, 6, 6]  # 9 x 2, balanced
        dealt = store.assignments()
        assert all(len(who) == 2 for who in dealt.values()) and len(dealt) == 9
        # a second run deals only what is new; earlier deals stay where they are
        make_more = store.add_documents
        from annotator.domain import AnnotatedDocument, Document

        make_more([AnnotatedDocument(Document(text="A new article about Vell."))])
        second = assign(store, ["alice", "bob", "carol"], tmp_path / "r2", per_doc=2, seed=1)
        assert second.kept == 9 and second.dealt == 1
        assert sum(p.documents for p in second.packs) == 2
        now = store.assignments()
        assert len(now) == 10 and all(now[d] == who for d, who in dealt.items())
        with pytest.raises(ValueError, match="never overwritten"):
            assign(store, ["alice"], tmp_path / "r2")
        with pytest.raises(ValueError, match="reserved"):
            assign(store, ["~curated"], tmp_path / "r3")


def test_the_whole_loop_through_the_cli(project, tmp_path, capsys):
    out = _assign(project, tmp_path, "--overlap", "1", "--seed", "3")
    _label(out / "alice.db", accept={"Amara Velko", "Norland"}, add=[("Tuesday", "DATE")])
    _label(out / "bob.db", accept={"Amara Velko"}, reject={"Norland"})
    packs = [str(out / f"{n}.db") for n in ("alice", "bob", "carol")]
    assert main(["merge", "--db", str(project), *packs]) == 0
    text = capsys.readouterr().out
    assert "alice, 10 document(s): spans +30" in text and "bob, 10 document(s): spans +20" in text
    alice = layer(project, "alice")
    assert len(alice) == 30 and {x[3] for x in alice} == {"PERSON", "GPE", "DATE"}
    assert {x[4] for x in layer(project, "bob")} == {"accepted", "rejected"}
    before = dump(project)
    # idempotent: the same packs again add nothing
    assert main(["merge", "--db", str(project), *packs]) == 0
    assert text.count("nothing new") == 1  # carol decided nothing
    assert capsys.readouterr().out.count("already merged: nothing new") == 3
    assert [r for r in dump(project) if "INSERT INTO \"packs\"" not in r
            and "layer_documents" not in r] == \
           [r for r in before if "INSERT INTO \"packs\"" not in r and "layer_documents" not in r]
    # a newer copy of one pack updates only that annotator's layer
    others = rows_of_others(project, "bob")
    with Store(out / "bob.db") as bob:
        doc = bob.document_ids()[0]
        person = [s for s in bob.spans(doc) if s.label == "PERSON"][0]
        bob.delete_span(person.id)
        bob.add_span(doc, 0, 8, "PERSON")
    assert main(["merge", "--db", str(project), packs[1]]) == 0
    assert "spans +1 ~0 -1" in capsys.readouterr().out
    assert rows_of_others(project, "bob") == others
    # stats and export by layer
    assert main(["stats", "--db", str(project), "--annotator", "alice", "bob"]) == 0
    assert "layer alice: 10 document(s), accepted 30" in capsys.readouterr().out
    exported = tmp_path / "alice.jsonl"
    assert main(["export", "--db", str(project), "--annotator", "alice", "--out",
                 str(exported)]) == 0
    import json

    lines = [json.loads(x) for x in exported.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 10 and {s["annotator"] for x in lines for s in x["spans"]} == {"alice"}


def test_refusals_name_the_file_and_change_nothing(project, tmp_path, capsys):
    out = _assign(project, tmp_path)
    _label(out / "alice.db", accept={"Amara Velko"})
    other = tmp_path / "other.db"
    make_project(other, 3)
    other_packs = tmp_path / "other-packs"
    assert main(["assign", "--db", str(other), "--annotators", "alice", "--out",
                 str(other_packs)]) == 0
    newer = tmp_path / "newer.db"
    shutil.copy(out / "bob.db", newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database at all", encoding="utf-8")
    capsys.readouterr()
    before = dump(project)
    cases = [(other_packs / "alice.db", "a pack of another project"),
             (newer, "written by a newer News Annotator"),
             (other, "a News Annotator project, not a pack"),
             (text_file, "not a News Annotator pack"),
             (tmp_path / "missing.db", "no such file")]
    for bad, message in cases:
        # a good pack given first is not merged either: nothing changes
        assert main(["merge", "--db", str(project), str(out / "alice.db"), str(bad)]) == 1
        err = capsys.readouterr().err
        assert str(bad) in err and message in err, err
        assert dump(project) == before
    # an older copy than the one merged is refused too
    old_copy = tmp_path / "alice-old.db"
    shutil.copy(out / "alice.db", old_copy)
    _label(out / "alice.db", accept={"Norland"})
    assert main(["merge", "--db", str(project), str(out / "alice.db")]) == 0
    merged = dump(project)
    with pytest.raises(PackError, match="older copy of alice's pack"):
        with Store(project) as store:
            merge_packs(store, [old_copy])
    assert dump(project) == merged


def test_documents_missing_from_the_project_are_counted_and_named(project, tmp_path):
    out = _assign(project, tmp_path, "--overlap", "1")
    from annotator.domain import AnnotatedDocument, Document

    with Store(out / "carol.db") as carol:
        (extra,) = carol.add_documents([AnnotatedDocument(Document(text="Only in Carol's file.",
                                                                   title="Carol's own"))])
        carol.add_span(extra, 0, 4, "PERSON")
    with Store(project) as store:
        report = merge_packs(store, [out / "carol.db"])
    (pack,) = report.packs
    assert pack.not_in_project == ["Carol's own"] and pack.documents == 10
    assert "1 document(s) not in the project, not merged: \"Carol's own\"" in pack.summary()
