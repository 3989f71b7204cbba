"""The real-news gold (tests/gold/real-news/): files that parse, fit the schema and, where the shared
BBC texts are beside the checkout, point at the very text they were made from; and the converter
and the evaluation that read it (scripts/real_gold.py, scripts/eval_suggestions.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from annotator.domain import content_hash
from annotator.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import real_gold  # noqa: E402

GOLD = sorted((ROOT / "tests" / "gold" / "real-news").glob("*/*.gold.json"))
TEXTS = real_gold.texts_dir()


def test_there_is_dev_gold():
    assert [g for g in GOLD if g.parent.name == "dev"], "no real-news dev gold files"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_gold_file_fits_the_schema(path):
    schema = load_schema()
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert set(gold) == {"file", "sha256", "part", "spans", "relations"}
    assert gold["part"] == path.parent.name
    assert path.name == Path(gold["file"]).stem + ".gold.json"
    labels = {}
    for s in gold["spans"]:
        assert s["id"] not in labels
        assert set(s) == {"id", "start", "end", "label", "attrs"}
        assert 0 <= s["start"] < s["end"]
        spec = schema.label(s["label"])
        assert spec is not None, s
        for name, value in s["attrs"].items():
            assert spec.attribute(name) is not None and spec.attribute(name).allows(value), (s, name)
        labels[s["id"]] = s["label"]
    for r in gold["relations"]:
        role = schema.role(r["role"])
        assert role is not None and role.joins(labels[r["head"]], labels[r["tail"]]), r
    assert path.read_text(encoding="utf-8") == real_gold.dump(gold), "not in the converter's stable form"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_gold_matches_the_shared_text(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    if not real_gold.text_path(TEXTS, gold["file"]).is_file():
        pytest.skip(f"the shared real-news texts are not beside the checkout ({TEXTS})")
    text, problems = real_gold.check_gold(gold, TEXTS)
    assert text is not None and problems == []
    for s in gold["spans"]:
        covered = text[s["start"]:s["end"]]
        assert covered == covered.strip(), f"{s} starts or ends with a space"


# --- the converter, on a text of our own ---------------------------------------------------------

TEXT = "Minister Ana Vale said the plan would fail.\nVale said it again on Monday.\n"


def write_draft(tmp_path: Path, spans: list[dict], relations: list[dict]) -> Path:
    (tmp_path / "texts").mkdir(exist_ok=True)
    (tmp_path / "texts" / "vale.txt").write_text(TEXT, encoding="utf-8", newline="")
    drafts = tmp_path / "drafts" / "dev"
    drafts.mkdir(parents=True, exist_ok=True)
    path = drafts / "vale.json"
    path.write_text(json.dumps({"file": "vale.txt", "spans": spans, "relations": relations}), encoding="utf-8")
    return path


SPANS = [
    {"id": "p1", "label": "PERSON", "text": "Ana Vale"},
    {"id": "c2", "label": "CUE", "text": "said", "occurrence": 2},
    {"id": "s2", "label": "SPEAKER", "text": "Vale", "after": "\n"},
    {"id": "q2", "label": "QUOTE", "text": "it again", "attrs": {"kind": "indirect"}},
]


def test_converter_writes_offsets_and_hash_only(tmp_path):
    draft = write_draft(tmp_path, SPANS, [{"head": "q2", "tail": "s2", "role": "SAID_BY"},
                                          {"head": "s2", "tail": "p1", "role": "SAME_AS"}])
    out = tmp_path / "out"
    assert real_gold.main([str(draft.parent), "--out", str(out), "--texts", str(tmp_path / "texts")]) == 0
    written = (out / "vale.gold.json").read_text(encoding="utf-8")
    gold = json.loads(written)
    assert gold["sha256"] == content_hash(TEXT) and gold["part"] == "dev"
    got = {s["id"]: TEXT[s["start"]:s["end"]] for s in gold["spans"]}
    assert got == {"p1": "Ana Vale", "c2": "said", "s2": "Vale", "q2": "it again"}
    assert [s["start"] for s in gold["spans"] if s["id"] == "c2"] == [TEXT.index("said", 20)]
    assert "Ana Vale" not in written
    real_gold.main([str(draft.parent), "--out", str(out), "--texts", str(tmp_path / "texts")])
    assert (out / "vale.gold.json").read_text(encoding="utf-8") == written, "output is not stable"


@pytest.mark.parametrize("spans, relations, message", [
    ([{"id": "p1", "label": "PERSON", "text": "Ana Vales"}], [], "span 'p1' text 'Ana Vales'"),
    ([{"id": "p1", "label": "PERSON", "text": "Vale", "occurrence": 3}], [], "occurrence 3 not found"),
    ([{"id": "p1", "label": "PEOPLE", "text": "Vale"}], [], "unknown label 'PEOPLE'"),
    ([{"id": "q1", "label": "QUOTE", "text": "it again", "attrs": {"kind": "mixed"}}], [], "does not allow 'mixed'"),
    (SPANS, [{"head": "q2", "tail": "s9", "role": "SAID_BY"}], "no span with id 's9'"),
    (SPANS, [{"head": "s2", "tail": "q2", "role": "SAID_BY"}], "SAID_BY does not join SPEAKER -> QUOTE"),
    (SPANS + [{"id": "p9", "label": "PERSON", "text": "Ana Vale"}], [], "same range and label as span 'p1'"),
])
def test_converter_refuses_a_bad_draft_naming_it(tmp_path, capsys, spans, relations, message):
    draft = write_draft(tmp_path, spans, relations)
    out = tmp_path / "out"
    assert real_gold.main([str(draft), "--part", "dev", "--out", str(out), "--texts", str(tmp_path / "texts")]) == 1
    err = capsys.readouterr().err
    assert message in err and str(draft) in err
    assert not out.exists() or not list(out.iterdir()), "a refused draft wrote gold"


def test_check_reports_a_changed_text(tmp_path, capsys):
    draft = write_draft(tmp_path, SPANS, [])
    out = tmp_path / "out"
    real_gold.main([str(draft), "--out", str(out), "--texts", str(tmp_path / "texts")])
    assert real_gold.main(["--check", str(out / "vale.gold.json"), "--texts", str(tmp_path / "texts")]) == 0
    (tmp_path / "texts" / "vale.txt").write_text(TEXT.replace("plan", "Plan"), encoding="utf-8")
    assert real_gold.main(["--check", str(out / "vale.gold.json"), "--texts", str(tmp_path / "texts")]) == 1
    assert "SHA-256 differs" in capsys.readouterr().out


def test_eval_skips_missing_texts_and_heldout_saying_so(tmp_path):
    import eval_suggestions

    gold_root = tmp_path / "gold"
    draft = write_draft(tmp_path, SPANS, [])
    real_gold.main([str(draft), "--out", str(gold_root / "dev"), "--texts", str(tmp_path / "texts")])
    sets, notes = eval_suggestions.real_gold_sets(gold_root, tmp_path / "texts")
    assert [name for name, _, _ in sets] == ["real-dev"]
    assert sets[0][2][0].spans[0][:3] == (TEXT.index("Ana"), TEXT.index("Ana") + 8, "PERSON")
    assert any(n.startswith("eval: real-heldout: no gold files") for n in notes)
    sets, notes = eval_suggestions.real_gold_sets(gold_root, tmp_path / "elsewhere")
    assert sets == [] and any("real-dev: skipped 1 of 1" in n and "text missing" in n for n in notes)
