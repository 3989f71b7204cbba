"""Fixtures of the team tests: a real project with model suggestions, packs dealt from it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.domain import AnnotatedDocument, Document, Span
from annotator.store import Store

TEMPLATE = ("Minister Amara Velko of Norland warned on Tuesday that talks in Port Ilse {i} "
            "would fail.\n\u201cWe will not wait,\u201d she said.\nRebels in Vell denied it.")
WORDS = {"person": "Amara Velko", "gpe": "Norland", "quote": "\u201cWe will not wait,\u201d",
         "speaker": "she", "place": "Port Ilse", "date": "Tuesday", "vell": "Vell"}


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def make_project(path: Path, n_docs: int = 10) -> list[int]:
    """A project of `n_docs` articles, each with a model's suggestions (and a SAID_BY link)."""
    with Store(path, annotator="lead") as store:
        ids = store.add_documents([AnnotatedDocument(Document(text=TEMPLATE.format(i=i),
                                                              title=f"Article {i}"))
                                   for i in range(n_docs)])
        for doc_id in ids:
            text = store.document(doc_id).text
            spans = [Span(doc_id, *at(text, WORDS["person"]), "PERSON"),
                     Span(doc_id, *at(text, WORDS["gpe"]), "GPE"),
                     Span(doc_id, *at(text, WORDS["quote"]), "QUOTE"),
                     Span(doc_id, *at(text, WORDS["speaker"]), "SPEAKER"),
                     Span(doc_id, *at(text, WORDS["place"]), "GPE")]
            store.replace_suggestions(doc_id, "model-1", spans, [(2, 3, "SAID_BY")])
    return ids


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "project.db"
    make_project(path)
    return path


def dump(path: Path) -> list[str]:
    """Every row of a database file, as SQL: equal dumps = nothing changed."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def layer(path: Path, annotator: str) -> set[tuple]:
    """One annotator's layer: (document hash, start, end, label, status) of every span and
    (head start, head label, role, tail start, tail label, status) of every relation."""
    conn = sqlite3.connect(path)
    try:
        spans = set(conn.execute(
            "SELECT d.content_hash, s.start, s.end, s.label, s.status FROM spans s JOIN"
            " documents d ON d.id = s.doc_id WHERE s.annotator = ?", [annotator]).fetchall())
        rels = set(conn.execute(
            "SELECT d.content_hash, h.start, h.label, r.role, t.start, t.label, r.status FROM"
            " relations r JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id"
            " JOIN documents d ON d.id = r.doc_id WHERE r.annotator = ?", [annotator]).fetchall())
        return spans | rels
    finally:
        conn.close()


def rows_of_others(path: Path, annotator: str) -> list[tuple]:
    """Every span and relation row not under `annotator`, whole."""
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("SELECT * FROM spans WHERE annotator != ? ORDER BY uid",
                             [annotator]).fetchall()
                + conn.execute("SELECT * FROM relations WHERE annotator != ? ORDER BY uid",
                               [annotator]).fetchall())
    finally:
        conn.close()
