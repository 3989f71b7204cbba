"""Real-news gold: turn hand-written drafts into offset-only gold, and check gold against the texts.

    python scripts/real_gold.py DRAFTS... [--out DIR] [--texts DIR]   # convert
    python scripts/real_gold.py --check [GOLD...] [--texts DIR]       # verify

The BBC texts may not enter the repository, so a labeller writes drafts OUTSIDE it (one JSON per
article, spans given by their text, see tests/gold/real-news/README.md) and this script turns each
into `<out>/<stem>.gold.json`: file name, SHA-256 of the text, code-point offsets, labels,
attributes and relations, no text. A draft is refused with a message naming the draft, the span id
and the text when a span text is not found, a relation names an unknown id, or a label, attribute
value, role or relation end is not allowed by resources/schemas/news.toml, or two spans share
it. DRAFTS may be files or folders (every *.json in them); the part (dev / heldout) is the draft
folder's name unless --part says otherwise; --out defaults to tests/gold/real-news/<part>/.

`--check` reads gold files (default: every tests/gold/real-news/*/*.gold.json) and verifies the
SHA-256 of each named text (in --texts, default $NEWS_REAL_NEWS or ../shared/real-news/
beside the checkout) and that offsets are in range; a missing text is reported, not an error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.domain import content_hash  # noqa: E402
from annotator.schema import LabelSchema, load_schema  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold" / "real-news"
CORPUS = "bbc-politics"
PARTS = ("dev", "heldout")


class DraftError(ValueError):
    """A draft that cannot become gold; the message names the draft and the span or relation."""


def texts_dir(explicit: str | None = None) -> Path:
    """Where the shared real-news folder is: --texts, $NEWS_REAL_NEWS, or ../shared/real-news."""
    if explicit:
        return Path(explicit)
    if os.environ.get("NEWS_REAL_NEWS"):
        return Path(os.environ["NEWS_REAL_NEWS"])
    return ROOT.parent / "shared" / "real-news"


def text_path(texts: Path, name: str) -> Path:
    """A gold file names the article; the text is in texts/bbc-politics/ (or texts/ itself)."""
    for cand in (texts / CORPUS / name, texts / name):
        if cand.is_file():
            return cand
    return texts / CORPUS / name


def read_text(path: Path) -> str:
    """Exactly as stored: no newline translation, so offsets and the hash match the file."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _find(text: str, span: dict, where: str) -> tuple[int, int]:
    needle = span.get("text") or ""
    if not needle:
        raise DraftError(f"{where}: span {span.get('id')!r} has no text")
    if needle != needle.strip():
        raise DraftError(f"{where}: span {span.get('id')!r} text {needle!r} starts or ends with a space")
    after = span.get("after")
    occurrence = int(span.get("occurrence", 1))
    hits, pos = [], text.find(needle)
    while pos >= 0:
        if after is None or text[:pos].endswith(after):
            hits.append(pos)
        pos = text.find(needle, pos + 1)
    if not 1 <= occurrence <= len(hits):
        ctx = f" after {after!r}" if after is not None else ""
        raise DraftError(
            f"{where}: span {span.get('id')!r} text {needle!r}{ctx} occurrence {occurrence} not found "
            f"({len(hits)} found)"
        )
    start = hits[occurrence - 1]
    return start, start + len(needle)


def _check_attrs(schema: LabelSchema, label: str, attrs: dict, where: str) -> None:
    spec = schema.label(label)
    for name, value in attrs.items():
        attr = spec.attribute(name)
        if attr is None:
            raise DraftError(f"{where}: {label} has no attribute {name!r}")
        if not attr.allows(value):
            raise DraftError(f"{where}: {label}.{name} does not allow {value!r} (allowed: {list(attr.values)})")


def convert(draft: dict, text: str, part: str, schema: LabelSchema, where: str) -> dict:
    """One draft (spans by text) -> gold (spans by offsets), checked against the text and schema."""
    spans, labels = [], {}
    for span in draft.get("spans", []):
        sid, label = span.get("id"), span.get("label")
        here = f"{where}: span {sid!r} ({span.get('text')!r})"
        if not sid or sid in labels:
            raise DraftError(f"{here}: missing or repeated id")
        if schema.label(label or "") is None:
            raise DraftError(f"{here}: unknown label {label!r}")
        attrs = dict(span.get("attrs") or {})
        _check_attrs(schema, label, attrs, here)
        start, end = _find(text, span, where)
        twin = next((x["id"] for x in spans if (x["start"], x["end"], x["label"]) == (start, end, label)), None)
        if twin:
            raise DraftError(f"{here}: same range and label as span {twin!r} (one label is used once on a range)")
        labels[sid] = label
        spans.append({"id": sid, "start": start, "end": end, "label": label, "attrs": attrs})
    relations = []
    for rel in draft.get("relations", []):
        head, tail, role = rel.get("head"), rel.get("tail"), rel.get("role")
        here = f"{where}: relation {head!r} -{role}-> {tail!r}"
        for end_id in (head, tail):
            if end_id not in labels:
                raise DraftError(f"{here}: no span with id {end_id!r}")
        spec = schema.role(role or "")
        if spec is None:
            raise DraftError(f"{here}: unknown role {role!r}")
        if not spec.joins(labels[head], labels[tail]):
            raise DraftError(f"{here}: {role} does not join {labels[head]} -> {labels[tail]}")
        relations.append({"head": head, "tail": tail, "role": role})
    spans.sort(key=lambda s: (s["start"], s["end"], s["label"], s["id"]))
    relations.sort(key=lambda r: (r["head"], r["role"], r["tail"]))
    return {"file": draft["file"], "sha256": content_hash(text), "part": part, "spans": spans,
            "relations": relations}


def dump(gold: dict) -> str:
    """Stable output: sorted keys, one span or relation per line, so diffs show what changed."""
    head = {k: v for k, v in gold.items() if k not in ("spans", "relations")}
    lines = [json.dumps(head, sort_keys=True, ensure_ascii=False)[:-1] + ","]
    for key in ("spans", "relations"):
        items = [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in gold[key]]
        lines.append(f' "{key}": [')
        lines.extend(f"  {item}{',' if i < len(items) - 1 else ''}" for i, item in enumerate(items))
        lines.append(" ]," if key == "spans" else " ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def draft_files(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    return out


def convert_all(paths: list[Path], out: Path | None, part: str | None, texts: Path) -> tuple[int, list[str]]:
    """Convert each draft; returns (written, errors). A bad draft writes nothing for itself."""
    schema = load_schema()
    written, errors = 0, []
    for path in paths:
        where = str(path)
        try:
            draft = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(draft, dict) or not draft.get("file"):
                raise DraftError(f"{where}: a draft is an object with a 'file' name")
            this_part = part or path.parent.name
            if this_part not in PARTS:
                raise DraftError(f"{where}: part {this_part!r} is not one of {PARTS} (give --part)")
            src = text_path(texts, draft["file"])
            if not src.is_file():
                raise DraftError(f"{where}: text {draft['file']!r} not found in {texts}")
            gold = convert(draft, read_text(src), this_part, schema, where)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: line {exc.lineno}: not JSON ({exc.msg})")
            continue
        except DraftError as exc:
            errors.append(str(exc))
            continue
        dest = (out or GOLD_DIR / this_part) / (Path(draft["file"]).stem + ".gold.json")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(dump(gold), encoding="utf-8")
        written += 1
    return written, errors


def gold_files(root: Path = GOLD_DIR) -> list[Path]:
    return sorted(root.glob("*/*.gold.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check_gold(gold: dict, texts: Path) -> tuple[str | None, list[str]]:
    """(text, problems): the article's text when it is there and its SHA-256 matches, else None
    with the reason; problems also lists offsets out of range and relations to unknown ids."""
    problems = []
    src = text_path(texts, gold["file"])
    if not src.is_file():
        return None, [f"{gold['file']}: text missing ({src})"]
    text = read_text(src)
    if content_hash(text) != gold["sha256"]:
        return None, [f"{gold['file']}: SHA-256 differs from the gold's: the text changed, offsets would be wrong"]
    ids = set()
    for s in gold["spans"]:
        ids.add(s["id"])
        if not 0 <= s["start"] < s["end"] <= len(text):
            problems.append(f"{gold['file']}: span {s['id']} offsets {s['start']}-{s['end']} out of range")
    for r in gold["relations"]:
        if r["head"] not in ids or r["tail"] not in ids:
            problems.append(f"{gold['file']}: relation {r['head']} -{r['role']}-> {r['tail']} names an unknown id")
    return text, problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="draft files or folders (convert), or gold files (--check)")
    ap.add_argument("--out", help="output folder (default tests/gold/real-news/<part>/)")
    ap.add_argument("--part", choices=PARTS, help="the part the drafts belong to (default: their folder's name)")
    ap.add_argument("--texts", help="the real-news folder (default $NEWS_REAL_NEWS or ../shared/real-news)")
    ap.add_argument("--check", action="store_true", help="verify gold files against the texts")
    args = ap.parse_args(argv)
    texts = texts_dir(args.texts)
    if args.check:
        files = [Path(p) for p in args.paths] or gold_files()
        bad = missing = 0
        for f in files:
            text, problems = check_gold(load_gold(f), texts)
            missing += text is None and not problems[0].endswith("would be wrong")
            bad += bool(problems)
            for p in problems:
                print(f"real-gold: {f}: {p}")
        print(f"real-gold: checked {len(files)} gold file(s), {bad} with problems ({missing} text(s) missing)")
        return 1 if bad > missing else 0
    if not args.paths:
        ap.error("give draft files or folders, or --check")
    written, errors = convert_all(draft_files(args.paths), Path(args.out) if args.out else None, args.part, texts)
    for e in errors:
        print(f"real-gold: {e}", file=sys.stderr)
    print(f"real-gold: wrote {written} gold file(s), refused {len(errors)} draft(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
