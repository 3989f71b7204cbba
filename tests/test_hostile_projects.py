"""Project files from other people: refused before any of their SQL runs, and left as they were.

Each hostile project is a real project changed with plain sqlite3 the way a stranger's program
could change it; opening it must refuse with the file and the object named, change nothing
(equal dumps before and after), and leave the app's own projects working.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.domain import AnnotatedDocument, Document
from annotator.schema import SchemaError, load_schema, parse_schema
from annotator.store import Store, StoreError

TEXT = "Minister Amara Velko of Norland spoke in Port Ilse on Tuesday."


def _project(path) -> None:
    with Store(path, annotator="lead") as store:
        (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=TEXT, title="One"))])
        store.add_span(doc_id, 9, 20, "PERSON")


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _tamper(path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


HOSTILE = {
    "trigger that deletes new labels": (
        ["CREATE TRIGGER eat AFTER INSERT ON spans BEGIN DELETE FROM spans WHERE id = new.id; END"],
        "trigger 'eat' is not one News Annotator makes"),
    "our search trigger replaced": (
        ["DROP TRIGGER documents_fts_ai",
         "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN DELETE FROM spans; END"],
        "trigger 'documents_fts_ai' is not one News Annotator makes (it replaces one of ours)"),
    "a view in place of a table": (
        ["ALTER TABLE spans RENAME TO spans_real",
         "CREATE VIEW spans AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
         " SELECT i AS id FROM n"],
        "'spans' is a view, not a table"),
    "a view of its own": (
        ["CREATE VIEW extra AS SELECT * FROM documents"],
        "view 'extra' is not one News Annotator makes"),
    "a column missing": (
        ["ALTER TABLE documents DROP COLUMN url"],
        "table 'documents' lacks column(s) url"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_tampered_project_is_refused_naming_what_and_left_unchanged(tmp_path, capsys, case):
    statements, message = HOSTILE[case]
    path = tmp_path / "theirs.db"
    _project(path)
    _tamper(path, *statements)
    before = _dump(path)
    with pytest.raises(StoreError) as refused:
        Store(path, create=False)
    assert str(path) in str(refused.value) and message in str(refused.value)
    assert main(["export", "--db", str(path), "--format", "jsonl", "--out",
                 str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and message in err and "Traceback" not in err
    assert _dump(path) == before
    # our own projects still open, label and export
    ours = tmp_path / "ours.db"
    _project(ours)
    for fmt, out in (("jsonl", "o.jsonl"), ("brat", "brat"), ("spacy", "o.spacy")):
        assert main(["export", "--db", str(ours), "--format", fmt, "--out", str(tmp_path / out)]) == 0
    # the comparison is with what the migrations make at the file's own version: an older
    # project (FTS triggers and all) passes and is upgraded
    old = tmp_path / "v2.db"
    old.write_bytes((Path(__file__).parent / "team" / "data" / "project-v2.db").read_bytes())
    with Store(old) as store:
        assert store.document_ids()


def _nested(depth: int) -> str:
    return load_schema().source_text + "\n[deep]\nx = " + "[" * depth + "]" * depth + "\n"


def test_a_schema_nested_5000_deep_is_refused_with_a_message(tmp_path, capsys):
    with pytest.raises(SchemaError, match="nests arrays or tables more than 32 levels"):
        parse_schema(_nested(5000), origin="x.toml")
    with pytest.raises(SchemaError, match="nests arrays or tables more than 32 levels"):
        parse_schema(_nested(200), origin="x.toml")  # within Python's stack, still refused
    assert parse_schema(_nested(5), origin="x.toml").labels  # a few levels are fine
    path = tmp_path / "deep.db"
    _project(path)
    _tamper(path, "UPDATE meta SET value = '" + _nested(5000).replace("'", "''")
            + "' WHERE key = 'schema_toml'")
    before = _dump(path)
    assert main(["stats", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "nests arrays or tables" in err and "Traceback" not in err
    with pytest.raises(StoreError, match="nests arrays"):
        Store(path, create=False)
    assert _dump(path) == before


def test_a_huge_schema_is_refused():
    with pytest.raises(SchemaError, match="characters long"):
        parse_schema(load_schema().source_text + "#" * 2_000_000, origin="big.toml")


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "url(file:///etc/passwd)",
                                    "#fff'><a href='file:///'>x</a>"])
def test_a_label_colour_must_be_rrggbb(colour):
    text = load_schema().source_text.replace('colour = "#fd96a1"', f'colour = "{colour}"', 1)
    assert text != load_schema().source_text
    with pytest.raises(SchemaError, match="must be written #rrggbb"):
        parse_schema(text, origin="colours.toml")
