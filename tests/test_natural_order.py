"""Numbered names sort as numbers ("Copy 2" before "Copy 10"): the order a folder's files are
imported in (the document list's order) and the tables' sort by document title."""

from __future__ import annotations

from annotator.analysis.query import QUOTES, TableQuery
from annotator.domain import AnnotatedDocument, Document, Span
from annotator.natural_order import natural_key
from annotator.services.importing import import_paths

NUMBERS = [1, 2, 3, 9, 10, 11, 12, 20, 100]


def test_natural_key_orders_numbers_as_numbers():
    names = ["copy 10", "Copy 2", "Copy 1", "copy 1b", "Copy", "Copy 02x"]
    assert sorted(names, key=natural_key) == ["Copy", "Copy 1", "copy 1b", "Copy 2", "Copy 02x",
                                              "copy 10"]


def test_a_folder_imports_in_natural_order(store, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in reversed(NUMBERS):
        (folder / f"Copy {n}.txt").write_text(f"Copy {n}\n\nText of article number {n}.",
                                              encoding="utf-8")
    assert import_paths(store, [folder]).documents_added == len(NUMBERS)
    titles = [row["title"] for row in store.document_rows(limit=100)]
    assert titles == [f"Copy {n}" for n in NUMBERS]


def test_tables_sort_titles_in_natural_order(store):
    docs = []
    for n in reversed(NUMBERS):
        text = f"\u201cWe stay,\u201d said the mayor of town {n}."
        docs.append(AnnotatedDocument(Document(text=text, title=f"Copy {n}"),
                                      spans=[Span(0, 0, 10, "QUOTE", status="accepted")]))
    store.add_documents(docs)
    for descending in (False, True):
        query = TableQuery(table=QUOTES, sort="title", descending=descending)
        rows = store.table_rows(query, limit=100)
        expected = [f"Copy {n}" for n in NUMBERS]
        assert [r["title"] for r in rows] == (expected[::-1] if descending else expected)
