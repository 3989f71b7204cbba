"""Identity across files: the project's UUID, span and relation uids, the migration to them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.store import SCHEMA_VERSION, Store
from annotator.team.identity import CURATED, check_annotator_name, initials, layer_uid
from tests.reliability.checks import integrity

V2 = Path(__file__).with_name("data") / "project-v2.db"  # made by the code of version 2


def _uids(db: Path, table: str) -> list:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute(f"SELECT uid FROM {table} ORDER BY id")]
    finally:
        conn.close()


def test_a_version_2_project_opens_and_migrates(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(V2, path)
    conn = sqlite3.connect(path)
    before_spans = conn.execute("SELECT id, doc_id, start, end, label, status, annotator FROM"
                                " spans ORDER BY id").fetchall()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        project_id = store.project_id()
        uuid.UUID(project_id)
        after = store.db.execute("SELECT id, doc_id, start, end, label, status, annotator FROM"
                                 " spans ORDER BY id").fetchall()
        assert after == before_spans  # nothing else changed
        spans = [s for d in store.document_ids() for s in store.spans(d)]
        assert len({s.uid for s in spans}) == len(spans) == len(before_spans)
        assert all(uuid.UUID(s.uid) for s in spans)
        rel = store.relations(store.document_ids()[0])[0]
        uuid.UUID(rel.uid)
        # the action log written by version 2 still undoes and redoes
        assert store.undo().kind == "set_doc_status"
        undone = store.undo()  # the delete of the DATE span: it comes back, with a uid
        assert undone.kind == "delete_span" and undone.spans[0].uid
        assert store.redo().kind == "delete_span"
        # a new label gets a uid at once, in the Change and in the log
        doc = store.document_ids()[1]
        change = store.add_span(doc, 0, 5, "EVENT")
        assert change.spans[0].uid and store.span(change.new_span_id).uid == change.spans[0].uid
        assert json.loads(store.db.execute("SELECT changes FROM actions ORDER BY id DESC LIMIT 1"
                                           ).fetchone()[0])[0]["after"]["uid"] == change.spans[0].uid
    assert integrity(path) == "ok"
    with Store(path) as again:  # opening again changes nothing
        assert again.project_id() == project_id


def test_uids_are_unique_and_survive_undo_and_redo(store, doc_id):
    a = store.add_span(doc_id, 0, 8, "PERSON").spans[0]
    store.delete_span(a.id)
    assert store.undo().spans[0].uid == a.uid
    assert store.span(a.id).uid == a.uid
    b = store.add_span(doc_id, 9, 20, "PERSON").spans[0]
    assert b.uid != a.uid
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE spans SET uid = ? WHERE id = ?", [a.uid, b.id])


def test_jsonl_keeps_uids_through_export_and_import(tmp_path, store, doc_id):
    q = store.add_span(doc_id, 67, 88, "QUOTE").new_span_id
    p = store.add_span(doc_id, 9, 20, "PERSON").new_span_id
    rel = store.relation(store.link(q, p, "SAID_BY").new_relation_id)
    first = tmp_path / "a.jsonl"
    export(store, "jsonl", first)
    record = json.loads(first.read_text(encoding="utf-8"))
    assert {s["uid"] for s in record["spans"]} == {store.span(q).uid, store.span(p).uid}
    assert record["relations"][0]["uid"] == rel.uid
    with Store(tmp_path / "other.db") as other:
        assert import_paths(other, [first]).ok
        assert {s.uid for s in other.spans(1)} == {store.span(q).uid, store.span(p).uid}
        assert other.relations(1)[0].uid == rel.uid
        second = tmp_path / "b.jsonl"
        export(other, "jsonl", second)
    assert first.read_bytes() == second.read_bytes()


def test_a_file_without_uids_gets_new_ones_and_duplicates_are_refused(tmp_path):
    line = {"format": "news-annotator/1", "text": "Velko spoke in Ilse.", "spans": [
        {"id": 0, "start": 0, "end": 5, "label": "PERSON"},
        {"id": 1, "start": 15, "end": 19, "label": "GPE"}]}
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps(line) + "\n", encoding="utf-8")
    dup = tmp_path / "dup.jsonl"
    line["spans"][0]["uid"] = line["spans"][1]["uid"] = "same"
    dup.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with Store(tmp_path / "p.db") as store:
        assert import_paths(store, [plain]).ok
        assert all(uuid.UUID(s.uid) for s in store.spans(1))
        report = import_paths(store, [dup])
        assert len(report.problems) == 1 and "dup.jsonl:1: span uids must be unique" in report.problems[0]


def test_a_file_whose_uids_are_stored_already_gets_new_ones(tmp_path):
    """Re-importing an export (with a changed span) into the same project: the new span is a
    new row with a new uid, never a clash with the stored one."""
    line = {"format": "news-annotator/1", "text": "Velko spoke in Ilse.", "spans": [
        {"id": 0, "start": 0, "end": 5, "label": "PERSON", "uid": "u-0"}]}
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(line) + "\n", encoding="utf-8")
    line["spans"][0].update(label="ORG")
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with Store(tmp_path / "p.db") as store:
        assert import_paths(store, [first]).ok
        report = import_paths(store, [second])
        assert report.ok and report.spans_merged == 1
        spans = store.spans(1)
        assert sorted(s.label for s in spans) == ["ORG", "PERSON"]
        assert len({s.uid for s in spans}) == 2 and "u-0" in {s.uid for s in spans}


def test_new_projects_have_their_own_uuid(tmp_path):
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        assert a.project_id() != b.project_id()
        a.add_documents([AnnotatedDocument(Document(text="x y"))])


def test_names_and_layer_uids():
    assert check_annotator_name("  Ana Ruiz ") == "Ana Ruiz"
    for bad in ("", "~curated", "~me", "a/b", "..", "x" * 65):
        with pytest.raises(ValueError):
            check_annotator_name(bad)
    assert layer_uid("alice", "u1") == layer_uid("alice", "u1") != layer_uid("bob", "u1")
    from annotator.team import identity

    assert layer_uid("alice", "u1") == str(uuid.uuid5(identity._NAMESPACE, "alice\x1fu1"))
    assert initials("Ana Ruiz") == "AR" and initials("bob") == "Bo" and initials(CURATED) == "\u2605"


def test_new_uids_are_unique_time_ordered_version_7():
    """Time-ordered so a project's uid index grows at its end (see domain.new_uid)."""
    import time

    from annotator.domain import new_uid

    first = [new_uid() for _ in range(2000)]
    time.sleep(0.002)
    later = new_uid()
    assert len(set(first)) == len(first)
    assert all(uuid.UUID(u).version == 7 and uuid.UUID(u).variant == uuid.RFC_4122 for u in first)
    assert max(first) < later  # a later millisecond sorts after every earlier uid
