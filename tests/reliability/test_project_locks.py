"""The open project's files are never opened by path in the app's process (issue 21): an
import, an export or a backup import that names them is refused before anything opens them,
since closing such a descriptor would drop SQLite's locks on the project."""

from __future__ import annotations

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.store import Store
from tests.reliability.checks import integrity, lock_count

TEXT = "Minister Amara Velko warned on Tuesday that Norland would respond."


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "project.db", annotator="ana") as store:
        store.add_documents([AnnotatedDocument(Document(text=TEXT, title="Velko"))])
        yield store


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_importing_the_project_files_opens_none_of_them(store, suffix):
    given = f"{store.path}{suffix}"
    report = import_paths(store, [given])
    assert lock_count(store.path) == 1
    assert report.documents_added == 0
    assert report.problems == [f"{given}: the project's own database (or one of its backups): "
                               "not imported"]


def test_a_folder_import_skips_a_project_named_like_articles(tmp_path):
    """A project whose name ends in an importable suffix, in the folder being imported."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    with Store(folder / "corpus.jsonl", annotator="ana") as store:
        report = import_paths(store, [folder])
        assert lock_count(store.path) == 1
        assert report.documents_added == 1
        assert [p.split(": ")[0] for p in report.problems] == [str(folder / "corpus.jsonl")]


def test_a_backup_is_not_imported(store):
    from annotator.services.backups import make_backup

    backup = make_backup(store)
    report = import_paths(store, [backup])
    assert report.documents_added == 0
    assert report.problems == [f"{backup}: the project's own database (or one of its backups): "
                               "not imported"]


def test_an_export_onto_the_project_file_is_refused(store):
    with pytest.raises(ValueError, match="project's own database"):
        export(store, "jsonl", store.path)
    assert lock_count(store.path) == 1
    assert integrity(store.path) == "ok" and store.document_count() == 1
