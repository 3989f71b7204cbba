"""Packs from other people: every row checked before merge, a bad pack named with its row and
merged not at all, the project unchanged and its exports still working."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.cli import main
from tests.team.conftest import dump
from tests.team.test_assign_merge import _assign, _label

FIRST_ACCEPTED = "(SELECT min(id) FROM spans WHERE status = 'accepted')"
FIRST_SUGGESTED = "(SELECT min(id) FROM spans WHERE status = 'suggested')"

HOSTILE = {
    "offsets far outside the text": (
        [f"UPDATE spans SET start = -50, end = 999999999 WHERE id = {FIRST_ACCEPTED}"],
        "spans row {accepted}: span [-50, 999999999) out of range"),
    "a start that is text": (
        [f"UPDATE spans SET start = 'abc' WHERE id = {FIRST_ACCEPTED}"],
        "spans row {accepted}: span offsets must be integers"),
    "start after end": (
        [f"UPDATE spans SET start = end + 1 WHERE id = {FIRST_ACCEPTED}"],
        "spans row {accepted}: span ["),
    "an unknown status": (
        [f"UPDATE spans SET status = 'bogus' WHERE id = {FIRST_ACCEPTED}"],
        "spans row {accepted}: unknown status 'bogus'"),
    "a suggestion with a label the schema lacks": (
        [f"UPDATE spans SET label = '<img src=x>' WHERE id = {FIRST_SUGGESTED}"],
        "spans row {suggested}: unknown label '<img src=x>'"),
    "a span of a document the pack lacks": (
        [f"UPDATE spans SET doc_id = 9999 WHERE id = {FIRST_ACCEPTED}"],
        "spans row {accepted}: its document 9999 is not in the pack"),
    "attrs that are a list": (
        [f"UPDATE spans SET attrs = '[1, 2]' WHERE id = {FIRST_ACCEPTED}"],
        "spans row {accepted}: attrs must be a JSON object"),
    "a relation to a missing span": (
        ["UPDATE relations SET tail_id = 99999 WHERE id = (SELECT min(id) FROM relations)"],
        "relations row {relation}: tail_id 99999 is not a span of its document"),
    "documents a view over an endless recursive query": (
        ["ALTER TABLE documents RENAME TO documents_real",
         "CREATE VIEW documents AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
         " SELECT i AS id, '' AS text, '' AS content_hash, '' AS title, 'new' AS status FROM n"],
        "'documents' is a view, not a table"),
    "an annotator name that is a blob": (
        ["UPDATE meta SET value = x'616c696365' WHERE key = 'pack_annotator'"],
        "meta row 'pack_annotator': must be text, not b'alice'"),
    "a trigger of its own": (
        ["CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM spans; END"],
        "trigger 't' is not one News Annotator makes"),
}


def _ids(pack) -> dict[str, int]:
    conn = sqlite3.connect(pack)
    try:
        return {name: conn.execute(f"SELECT {sql}").fetchone()[0]
                for name, sql in (("accepted", FIRST_ACCEPTED), ("suggested", FIRST_SUGGESTED),
                                  ("relation", "(SELECT min(id) FROM relations)"))}
    finally:
        conn.close()


def _tamper(pack, statements) -> None:
    conn = sqlite3.connect(pack)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_pack_is_refused_naming_its_row_and_nothing_merges(project, tmp_path, capsys, case):
    statements, message = HOSTILE[case]
    out = _assign(project, tmp_path)
    _label(out / "alice.db", accept={"Amara Velko", "Norland"})
    _label(out / "bob.db", accept={"Amara Velko"})
    bad = out / "alice.db"
    message = message.format(**_ids(bad))
    _tamper(bad, statements)
    capsys.readouterr()
    before = dump(project)
    assert main(["merge", "--db", str(project), str(out / "bob.db"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and message in err and "Traceback" not in err, err
    assert dump(project) == before
    # the good pack merges on its own, and every export of the project still works
    assert main(["merge", "--db", str(project), str(out / "bob.db")]) == 0
    for fmt, target in (("jsonl", "o.jsonl"), ("brat", "brat"), ("spacy", "o.spacy")):
        assert main(["export", "--db", str(project), "--format", fmt, "--include-suggestions",
                     "--out", str(tmp_path / target)]) == 0


def test_every_refused_pack_is_named(project, tmp_path, capsys):
    out = _assign(project, tmp_path)
    _tamper(out / "alice.db", [f"UPDATE spans SET status = 'bogus' WHERE id = {FIRST_SUGGESTED}"])
    _tamper(out / "carol.db", [f"UPDATE spans SET attrs = 'not json' WHERE id = {FIRST_SUGGESTED}"])
    capsys.readouterr()
    before = dump(project)
    assert main(["merge", "--db", str(project), str(out / "alice.db"), str(out / "bob.db"),
                 str(out / "carol.db")]) == 1
    err = capsys.readouterr().err
    assert "unknown status 'bogus'" in err and "attrs are not JSON" in err
    assert str(out / "alice.db") in err and str(out / "carol.db") in err
    assert dump(project) == before
