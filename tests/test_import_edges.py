"""Hostile inputs at import: every file is imported whole or refused by name (and line), the good
files of the same run are imported, nothing hangs, nothing eats the memory, nothing is read or
written through a symbolic link that leaves the folder."""

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from annotator.cli import main
from annotator.formats import html_reader
from annotator.formats.base import ImportProblem
from annotator.services.importing import import_paths
from annotator.store import Store

GOOD = "Minister Amara Velko said on Tuesday that the talks had failed."

# The CLI in a child process whose memory is capped: a reader that does not stop at the size
# limit gets a MemoryError there instead of eating the machine's memory.
LIMITED_CLI = textwrap.dedent("""
    import resource, sys
    from annotator.cli import main
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    sys.exit(main(sys.argv[2:]))
""")


def run_limited_cli(tmp_path, *args):
    script = tmp_path / "limited.py"
    script.write_text(LIMITED_CLI)
    try:
        return subprocess.run([sys.executable, str(script), str(1500 * 2**20), *map(str, args)],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("the import hangs")


def stored_texts(db):
    with Store(db) as store:
        return [d.text for d in store.iter_documents()]


def test_named_pipe_and_device_links_are_refused_and_the_good_file_imports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "f.txt")
    os.symlink("/dev/zero", folder / "z.jsonl")
    os.symlink("/dev/zero", tmp_path / "z.txt")
    db = tmp_path / "p.db"
    out = run_limited_cli(tmp_path, "import", folder, tmp_path / "z.txt", "--db", db)
    assert out.returncode == 1, out.stderr
    assert "imported 1 document(s) from 4 file(s)" in out.stdout
    assert f"{folder / 'f.txt'}: a named pipe, not a regular file" in out.stderr
    assert f"{folder / 'z.jsonl'}: symbolic link out of the folder" in out.stderr
    assert f"{tmp_path / 'z.txt'}: a device, not a regular file" in out.stderr  # named: followed
    assert stored_texts(db) == [GOOD]


def test_links_out_of_the_folder_are_not_followed(store, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    (outside / "other.txt").write_text("Another article from elsewhere.", encoding="utf-8")
    folder = tmp_path / "shared"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "doc.ann").write_text("", encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "doc.txt")  # the brat text of doc.ann
    os.symlink(outside / "secret.txt", folder / "plain.md")
    os.symlink(outside, folder / "linked")  # a folder leading out
    os.symlink(folder / "sub" / "good.txt", folder / "again.txt")  # inside: followed
    report = import_paths(store, [folder])
    assert [d.text for d in store.iter_documents()] == [GOOD]
    assert report.documents_skipped == 1  # again.txt: the same article, already present
    assert sorted(p.split(": ")[0] for p in report.problems) == sorted(
        str(folder / name) for name in ("doc.txt", "plain.md", "linked"))
    assert all("symbolic link out of the folder" in p for p in report.problems)
    # a link the user names is followed: the choice is theirs
    os.symlink(outside / "other.txt", tmp_path / "named.txt")
    assert import_paths(store, [tmp_path / "named.txt"]).ok
    assert "Another article from elsewhere." in [d.text for d in store.iter_documents()]


def test_brat_export_replaces_a_linked_annotation_conf(db_path, doc_id, store, tmp_path):
    victim = tmp_path / "victim.conf"
    victim.write_text("mine, not the export's", encoding="utf-8")
    out = tmp_path / "brat"
    out.mkdir()
    os.symlink(victim, out / "annotation.conf")
    store.close()
    assert main(["export", "--db", str(db_path), "--format", "brat", "--out", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == "mine, not the export's"
    assert not (out / "annotation.conf").is_symlink()
    assert "[entities]" in (out / "annotation.conf").read_text(encoding="utf-8")


BIG = "1" * 5000  # over Python's 4,300-digit limit of int(str)


def _ls_task(title="T", email="a@x"):
    return ('[{"data": {"text": "Velko spoke.", "title": "%s"}, "annotations": [{"completed_by":'
            ' {"email": "%s"}, "result": []}]}]' % (title, email))


BAD_FILES = {  # name: (content, the line named)
    "text.jsonl": ('{"text": "fine"}\n{"text": "A lone \\ud800 surrogate."}\n', 2),
    "title.jsonl": ('{"text": "Velko spoke.", "title": "\\udfff"}\n', 1),
    "meta.jsonl": ('{"text": "Velko spoke.", "meta": {"\\ud800key": "v"}}\n', 1),
    "annotator.jsonl": ('{"format": "news-annotator/1", "text": "Velko spoke.", "spans": [{"start":'
                        ' 0, "end": 5, "label": "PERSON", "annotator": "x\\ud800"}]}\n', 1),
    "title.json": (_ls_task(title="\\ud800"), 1),
    "annotator.json": ("\n" + _ls_task(email="\\udc00@x"), 2),
    "number.jsonl": ('{"text": "Velko spoke.", "meta": {"n": %s}}\n' % BIG, 1),
    "number.json": ('[\n{"data": {"text": "Velko spoke.", "n": %s}}]' % BIG, 2),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_by_name_and_line_and_the_good_file_imports(tmp_path, capsys, name):
    content, line = BAD_FILES[name]
    good, bad, db = tmp_path / "good.txt", tmp_path / name, tmp_path / "p.db"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(content, encoding="utf-8")
    assert main(["import", str(good), str(bad), "--db", str(db)]) == 1
    out = capsys.readouterr()
    assert "imported 1 document(s) from 2 file(s)" in out.out
    assert f"refused: {bad}:{line}: " in out.err
    assert stored_texts(db) == [GOOD]


def test_brat_offsets_of_5000_digits_are_a_bad_line(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "doc.txt").write_text("Velko spoke.", encoding="utf-8")
    (tmp_path / "doc.ann").write_text(f"T1\tPERSON 0 5\tVelko\nT2\tPERSON 0 {BIG}\tVelko\n",
                                      encoding="utf-8")
    db = tmp_path / "p.db"
    assert main(["import", str(tmp_path), "--db", str(db)]) == 1
    assert f"{tmp_path / 'doc.ann'}:2: bad offsets" in capsys.readouterr().err
    assert stored_texts(db) == [GOOD]


def test_standoff_document_with_a_5000_digit_number_is_refused_alone(tmp_path, capsys):
    good, bad, ents = tmp_path / "good.jsonl", tmp_path / "bad.jsonl", tmp_path / "ents.json"
    good.write_text(json.dumps({"doc_id": "a", "body": GOOD}) + "\n", encoding="utf-8")
    bad.write_text('{"doc_id": "b", "body": "x"}\n{"doc_id": %s, "body": "y"}\n' % BIG,
                   encoding="utf-8")
    ents.write_text(json.dumps({"a": {"entities": [{"id": "e1", "type": "PERSON", "begin": 9,
                                                    "end": 20}]}}), encoding="utf-8")
    db = tmp_path / "p.db"
    assert main(["import", str(good), str(bad), "--standoff", str(ents), "--db", str(db)]) == 1
    assert f"refused: {bad}:2: malformed JSON: a number of more than 4,300 digits" in \
        capsys.readouterr().err
    assert stored_texts(db) == [GOOD]


def test_a_file_name_that_is_not_utf8_is_refused_by_name(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"), "w", encoding="utf-8") as fh:
        fh.write("Another article, with a Latin-1 file name.")
    db = tmp_path / "p.db"
    out = subprocess.run([sys.executable, "-m", "annotator", "import", str(tmp_path), "--db",
                          str(db)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stderr
    assert "imported 1 document(s) from 2 file(s)" in out.stdout
    assert f"refused: {tmp_path}/bad\\xff.txt: file name is not valid UTF-8" in out.stderr
    assert stored_texts(db) == [GOOD]


def _fill_up(store):
    (page_count,) = store.db.execute("PRAGMA page_count").fetchone()
    store.db.execute(f"PRAGMA max_page_count = {page_count + 50}")  # a disk that fills up


def test_a_full_disk_names_the_files_not_tried(store, tmp_path):
    names = [f"{i}.jsonl" for i in range(1, 8)]  # the 4th does not fit
    for i, name in enumerate(names):
        text = f"Article {i}: {GOOD}" + (" More words." * 200_000 if i == 3 else "")
        (tmp_path / name).write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    _fill_up(store)
    report = import_paths(store, [tmp_path])
    assert report.documents_added == 0 and report.files == 4
    assert [p.split(": ")[0] for p in report.problems] == [str(tmp_path / n) for n in names[:4]]
    assert all("could not save (the disk is full)" in p for p in report.problems)
    assert report.not_tried == [str(tmp_path / n) for n in names[4:]]
    assert "3 file(s) not tried after the failed save" in report.summary()
    assert store.db.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_a_full_disk_names_every_file_read_before_the_save(store, tmp_path):
    """One-document files are written together after they are read: each one is named."""
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Article {i}. " + "More words. " * 200_000,
                                            encoding="utf-8")
    _fill_up(store)
    report = import_paths(store, [tmp_path])
    assert [p.split(": ")[0] for p in report.problems] == [str(tmp_path / f"a{i}.txt")
                                                            for i in range(3)]
    assert store.db.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_a_big_html_page_is_refused_in_bounded_memory(tmp_path, monkeypatch):
    """Limit and chunk are lowered so the page is small enough for tracemalloc: this 1 MB page,
    its text over the limit, was read whole and split into small strings (peak 16.9 MB; now
    0.25 MB)."""
    monkeypatch.setattr(html_reader, "MAX_DOCUMENT_CHARS", 50_000)
    monkeypatch.setattr(html_reader, "CHUNK", 1 << 14)
    page = tmp_path / "big.html"
    with open(page, "w", encoding="utf-8") as fh:
        fh.write("<html><body>")
        for _ in range(50_000):
            fh.write("<p>Zürich a</p><br>\n")
        fh.write("</body></html>")
    size = page.stat().st_size
    tracemalloc.start()
    try:
        with pytest.raises(ImportProblem, match="longer than the limit"):
            html_reader.read_html(page, None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size // 4, f"peak {peak:,} bytes for a page of {size:,}"


def test_html_text_is_the_same_when_streamed(tmp_path, monkeypatch):
    """Chunk boundaries fall anywhere (here: every few characters) and change nothing."""
    monkeypatch.setattr(html_reader, "CHUNK", 3)
    page = tmp_path / "a.html"
    page.write_text("<html><title> A  title </title><body><nav>menu</nav><p>  Velko\u00a0 said\n"
                    "  <b>it</b>.</p>\n\n<div>\t Second   line </div><br><br>Third</body></html>",
                    encoding="utf-8")
    (bundle,) = html_reader.read_html(page, None)
    assert bundle.document.text == "Velko\u00a0 said\nit.\nSecond line\nThird"
    assert bundle.document.title == "A title"
