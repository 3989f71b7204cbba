import json
import subprocess
import sys

from annotator import __version__
from annotator.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_version():
    out = run_cli("--version")
    assert out.returncode == 0 and __version__ in out.stdout


def test_import_export_stats(tmp_path, capsys):
    db = tmp_path / "p.db"
    (tmp_path / "a.txt").write_text("Velko spoke in Port Ilse.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    assert main(["import", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert "imported 1 document(s)" in captured.out
    assert "b.txt" in captured.err and "binary" in captured.err
    assert main(["import", str(tmp_path / "a.txt"), "--db", str(db)]) == 0
    assert "1 already present" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["export", "--db", str(db), "--format", "jsonl", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["text"] == "Velko spoke in Port Ilse."
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 1


def test_missing_db_and_unknown_format_are_clear_errors(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 1
    assert "no such database" in capsys.readouterr().err
    db = tmp_path / "p.db"
    (tmp_path / "a.txt").write_text("x y", encoding="utf-8")
    main(["import", str(tmp_path / "a.txt"), "--db", str(db)])
    assert main(["export", "--db", str(db), "--format", "nope", "--out", str(tmp_path / "o")]) == 1
    assert "unknown export format" in capsys.readouterr().err


def test_import_with_preannotate_then_rerun_skips_finished(tmp_path, capsys):
    from annotator.resources import resources_dir
    from annotator.store import Store

    sample = sorted((resources_dir() / "samples").glob("*.txt"))[0]
    db = tmp_path / "p.db"
    assert main(["import", str(sample), "--db", str(db), "--preannotate"]) == 0
    out = capsys.readouterr().out
    assert "pre-annotated 1 document(s)" in out and "words/s" in out
    with Store(db) as store:
        (doc_id,) = store.document_ids()
        labels = {s.label for s in store.spans(doc_id)}
        assert {"PERSON", "QUOTE", "SPEAKER"} <= labels
        assert all(s.status == "suggested" for s in store.spans(doc_id))
        assert any(r.role == "SAID_BY" for r in store.relations(doc_id))
    assert main(["preannotate", "--db", str(db)]) == 0
    again = capsys.readouterr().out
    assert "pre-annotated 0 document(s)" in again and "(1 already done)" in again


def test_demo_writes_the_samples_as_a_demo_project(tmp_path, capsys):
    from annotator.services.samples import is_demo, sample_paths
    from annotator.store import Store

    db = tmp_path / "demo" / "demo.db"
    assert main(["demo", "--db", str(db), "--no-suggestions"]) == 0
    with Store(db, create=False) as store:
        assert store.document_count() == len(sample_paths()) >= 1
        assert is_demo(store)
    assert not db.with_name("demo.db.partial").exists()
