"""A plain CLI run loads only what its command needs (issue 27: start-up was ~0.5 s per run, most of
it pandas and numpy pulled in by sqlite-utils, and tqdm's version lookup)."""

import json
import subprocess
import sys

import pytest

HEAVY = ("spacy", "PySide6", "numpy", "pandas", "pyqtgraph", "krippendorff", "tqdm",
         "importlib.metadata")

RUN_AND_REPORT = """
import json, sys
from annotator.cli import main
status = main(sys.argv[1:])
loaded = sorted(name for name in {heavy!r} if name in sys.modules)
import numpy  # still importable afterwards: the store hid it for one import only
print(json.dumps({{"status": status, "loaded": loaded, "numpy": numpy.__name__}}))
"""


def run_in_fresh_python(*args) -> dict:
    code = RUN_AND_REPORT.format(heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


@pytest.fixture
def ten_texts(tmp_path):
    for i in range(10):
        (tmp_path / f"doc{i}.txt").write_text(f"Article {i}. Velko spoke in Port Ilse.", encoding="utf-8")
    return sorted(tmp_path.glob("doc*.txt"))


def test_plain_import_and_stats_load_no_heavy_module(tmp_path, ten_texts):
    db = tmp_path / "p.db"
    imported = run_in_fresh_python("import", "--db", db, *ten_texts)
    assert imported == {"status": 0, "loaded": [], "numpy": "numpy"}
    assert run_in_fresh_python("stats", "--db", db, "--json")["loaded"] == []

    from annotator.store import Store

    with Store(db, create=False) as store:
        assert store.document_count() == 10
