"""The hand-annotated gold samples are consistent.

Two sets, checked the same way: resources/samples/*.gold.jsonl (`dev`, the set the suggestion
rules were tuned on) and resources/samples/heldout/*.gold.jsonl (`heldout`, written without
looking at the rules, for an honest score). Each gold file holds one line in the project's
lossless JSONL format for the article in the .txt file of the same name; its meta.file is that
article's path relative to resources/samples ("border-warning.txt", "heldout/embassy-row.txt").
`make eval` scores suggestions against these, so a broken offset or a relation the schema
forbids would silently skew precision and recall.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotator.schema import load_schema

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"
HELDOUT = SAMPLES / "heldout"
DEV_FILES = sorted(SAMPLES.glob("*.gold.jsonl"))
HELDOUT_FILES = sorted(HELDOUT.glob("*.gold.jsonl"))
GOLD_FILES = DEV_FILES + HELDOUT_FILES


def _id(path: Path) -> str:
    return path.relative_to(SAMPLES).as_posix()


def _read_article(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read().replace("\r\n", "\n")


def _load(path: Path) -> dict:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == 1, f"{path.name}: expected exactly one JSON line, found {len(lines)}"
    record = json.loads(lines[0])
    assert isinstance(record, dict)
    return record


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def test_gold_files_exist():
    assert DEV_FILES, f"no *.gold.jsonl in {SAMPLES}"
    assert HELDOUT_FILES, f"no *.gold.jsonl in {HELDOUT}"


def test_heldout_articles_are_not_dev_articles():
    dev = {_load(p)["text"] for p in DEV_FILES}
    assert not any(_load(p)["text"] in dev for p in HELDOUT_FILES)


@pytest.mark.parametrize("path", GOLD_FILES, ids=_id)
def test_text_matches_article(path: Path):
    record = _load(path)
    assert record.get("format") == "news-annotator/1"
    article = path.with_name(path.name.removesuffix(".gold.jsonl") + ".txt")
    assert article.exists(), f"{path.name}: no article {article.name}"
    assert record["text"] == _read_article(article)
    assert record["title"] == record["text"].split("\n", 1)[0]
    assert record.get("meta", {}).get("file") == article.relative_to(SAMPLES).as_posix()


@pytest.mark.parametrize("path", GOLD_FILES, ids=_id)
def test_spans_are_exact(path: Path, schema):
    record = _load(path)
    text = record["text"]
    labels = set(schema.label_names())
    ids = [s["id"] for s in record["spans"]]
    assert len(ids) == len(set(ids)), "span ids must be unique"
    keys = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
    assert len(keys) == len(set(keys)), "the same label twice on the same range"
    for s in record["spans"]:
        start, end = s["start"], s["end"]
        assert type(start) is int and type(end) is int
        assert 0 <= start < end <= len(text), s
        assert s["text"] == text[start:end], (s["id"], s["text"], text[start:end])
        assert s["label"] in labels, s
        spec = schema.label(s["label"])
        for key, value in (s.get("attrs") or {}).items():
            attr = spec.attribute(key)
            assert attr is not None and attr.allows(value), (s["id"], s["label"], key, value)


@pytest.mark.parametrize("path", GOLD_FILES, ids=_id)
def test_relations_are_allowed(path: Path, schema):
    record = _load(path)
    spans = {s["id"]: s for s in record["spans"]}
    seen = set()
    for r in record["relations"]:
        assert r["head"] in spans and r["tail"] in spans, r
        role = schema.role(r["role"])
        assert role is not None, f"unknown role {r['role']!r}"
        head, tail = spans[r["head"]], spans[r["tail"]]
        assert role.joins(head["label"], tail["label"]), (
            f"{r['role']} may not join {head['label']} {head['text']!r} -> "
            f"{tail['label']} {tail['text']!r}")
        key = (r["head"], r["tail"], r["role"])
        assert key not in seen, f"duplicate relation {key}"
        seen.add(key)


@pytest.mark.parametrize("path", GOLD_FILES, ids=_id)
def test_each_quote_has_one_speaker(path: Path):
    record = _load(path)
    quotes = [s["id"] for s in record["spans"] if s["label"] == "QUOTE"]
    assert quotes, f"{path.name} has no QUOTE spans"
    said_by = Counter(r["head"] for r in record["relations"] if r["role"] == "SAID_BY")
    for qid in quotes:
        assert said_by[qid] == 1, f"QUOTE #{qid} has {said_by[qid]} SAID_BY relations"
