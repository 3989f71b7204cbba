"""Which broken files count as a damaged project (and get the way out), and what a recovery
does to the files beside it."""

from __future__ import annotations

from annotator.cli import main
from annotator.domain import AnnotatedDocument, Document
from annotator.services.backups import make_backup
from annotator.store import Store


def project_with_backup(path) -> None:
    with Store(path, annotator="tester") as store:
        store.add_documents([AnnotatedDocument(Document(text="Talks resumed.", title="Talks"))])
        make_backup(store)
        store.to_single_file()


def test_a_wrecked_first_page_with_backups_beside_it_is_a_damaged_project(tmp_path, capsys):
    db = tmp_path / "p.db"
    project_with_backup(db)
    data = bytearray(db.read_bytes())
    data[:100] = b"\0" * 100  # the header: SQLite no longer sees a database at all
    db.write_bytes(bytes(data))
    assert main(["stats", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"{db} is damaged" in err and f"annotator recover {db}" in err
    assert main(["recover", str(db)]) == 0
    (aside,) = tmp_path.glob("p.db.damaged-*")
    assert aside.read_bytes() == bytes(data)
    with Store(db, create=False) as store:
        assert [d.title for d in store.iter_documents()] == ["Talks"]


def test_a_file_that_never_was_a_project_is_not_called_damaged(tmp_path, capsys):
    db = tmp_path / "notes.db"
    db.write_bytes(b"just some notes, not a database\n" * 200)
    assert main(["stats", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "not a database" in err and "damaged" not in err and "recover" not in err
    assert main(["recover", str(db)]) == 1  # no backups: nothing is renamed
    assert "no backup" in capsys.readouterr().err
    assert db.read_bytes() == b"just some notes, not a database\n" * 200
    assert not list(tmp_path.glob("notes.db.damaged-*"))


def test_an_import_never_writes_into_a_damaged_project(tmp_path, capsys):
    db = tmp_path / "p.db"
    project_with_backup(db)
    with Store(db) as store:
        store.to_single_file()
        root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'spans'").fetchone()[0]
        page = store.db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    data[(root - 1) * page:root * page] = b"\xa5" * page  # a page an import does not read
    db.write_bytes(bytes(data))
    article = tmp_path / "a.txt"
    article.write_text("A new article about the talks.", encoding="utf-8")
    assert main(["import", str(article), "--db", str(db)]) == 1
    assert f"annotator recover {db}" in capsys.readouterr().err
    assert db.read_bytes() == bytes(data)  # refused before anything was written


def test_recover_leaves_a_healthy_project_alone(tmp_path, capsys):
    db = tmp_path / "p.db"
    project_with_backup(db)
    before = db.read_bytes()
    assert main(["recover", str(db)]) == 1
    assert "passes the check" in capsys.readouterr().err
    assert db.read_bytes() == before and not list(tmp_path.glob("p.db.damaged-*"))
