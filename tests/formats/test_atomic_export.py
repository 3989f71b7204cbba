"""Every export appears whole or not at all: a failed or killed export leaves the previous
export at that path as it was, no temporary file, and never writes through a symlink."""

import os
import signal
import subprocess
import sys
import time

import pytest

from annotator.atomic_files import remove_stale_temporaries
from annotator.formats import exporters
from annotator.services.exporting import ExportFilter, export, filtered_documents, store_options
from tests.formats.corpus import make_bundles

FOLDER_FORMATS = {"brat", "csv"}


def _target(tmp_path, fmt):
    return tmp_path / "out" / ("export" if fmt in FOLDER_FORMATS else f"export{exporters()[fmt].suffix}")


def _snapshot(folder):
    """Every file under `folder` with its bytes (symlinks as their target name)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = ("link", os.readlink(path))
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def _writing(out, before) -> bool:
    """The export has written something: to a temporary file, or (old code) over the target."""
    temporaries = out.parent.glob(f".{out.name}.~*.tmp")
    return out.read_bytes() != before or any(p.stat().st_size for p in temporaries)


class Boom(RuntimeError):
    pass


def _failing_after(bundles, n):
    for i, bundle in enumerate(bundles):
        if i == n:
            raise Boom("a record that cannot be written")
        yield bundle


@pytest.mark.parametrize("fmt", sorted(exporters()))
def test_a_failed_export_leaves_the_previous_one_whole_and_no_temporary(corpus_store, tmp_path, fmt):
    out = _target(tmp_path, fmt)
    assert export(corpus_store, fmt, out) == 7
    before = _snapshot(out.parent)
    assert before
    writer = exporters()[fmt].writer
    with pytest.raises(Boom):
        writer(_failing_after(filtered_documents(corpus_store, ExportFilter()), 3), out,
               corpus_store.schema, store_options(corpus_store, ExportFilter()))
    assert _snapshot(out.parent) == before  # same files, same bytes, nothing added


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_an_export_replaces_a_symlink_at_the_target_not_what_it_points_to(corpus_store, tmp_path,
                                                                         fmt):
    out = _target(tmp_path, fmt)
    out.parent.mkdir()
    victim = tmp_path / "victim"
    if fmt == "brat":
        victim.mkdir()
        (victim / "annotation.conf").write_text("precious\n")
    else:
        victim.write_text("precious\n")
    out.symlink_to(victim)
    export(corpus_store, fmt, out)
    assert not out.is_symlink()
    assert (victim / "annotation.conf" if fmt == "brat" else victim).read_text() == "precious\n"


def test_temporaries_of_a_dead_writer_are_removed_by_the_next_export(corpus_store, tmp_path):
    out = tmp_path / "export.jsonl"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".export.jsonl.~{dead}-abc123.tmp"
    stale.write_text("half")
    live = tmp_path / f".export.jsonl.~{os.getpid()}-def456.tmp"
    live.write_text("in progress")
    export(corpus_store, "jsonl", out)
    assert not stale.exists() and live.exists()
    live.unlink()
    assert remove_stale_temporaries(out) == []


@pytest.mark.slow
def test_a_killed_export_leaves_the_previous_file_whole(store, tmp_path):
    store.add_documents(make_bundles(3000, 6, seed=3))
    out = tmp_path / "all.jsonl"
    assert export(store, "jsonl", out) == 3000
    before = out.read_bytes()
    store.close()
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "export", "--db", str(store.path),
                             "--format", "jsonl", "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _writing(out, before):
        assert proc.poll() is None, "the export finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == before
