"""Build a gold file (lossless `news-annotator/1` JSONL) from a hand-written spec of exact substrings.

    python scripts/make_gold.py resources/samples/specs/NAME.spec [...]

Writing offsets by hand goes wrong; a spec names every span by text instead, and this script finds
the offsets (and fails, naming spec line and text, when a text is missing or ambiguous). The
article is resources/samples/NAME.txt; the gold goes to resources/samples/NAME.gold.jsonl.

Spec lines (``#`` starts a comment line):

* ``published: 2026-12-01`` -- document fields before the spans (``published``, ``source``);
* ``ID LABEL | CONTEXT | k=v k="two words"`` -- a span: CONTEXT is text of the article with the
  span in ``[brackets]`` (or no brackets: the whole context is the span); the context must occur
  exactly once, or end with ``@N`` for its N-th occurrence (1-based);
* ``+ HEAD ROLE TAIL`` -- a relation between two span ids.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
OCCURRENCE = re.compile(r"^(.*?)\s*@(\d+)$")


class SpecError(ValueError):
    """A spec line that names no (or no single) place in the article."""


def locate(text: str, context: str, where: str) -> tuple[int, int]:
    """Character offsets of the bracketed part of `context` (or of all of it) in `text`."""
    nth = None
    m = OCCURRENCE.match(context)
    if m:
        context, nth = m.group(1), int(m.group(2))
    if "[" in context:
        before, rest = context.split("[", 1)
        inner, after = rest.split("]", 1)
    else:
        before, inner, after = "", context, ""
    plain = before + inner + after
    hits = [m.start() for m in re.finditer(re.escape(plain), text)]
    if not hits:
        raise SpecError(f"{where}: {plain!r} is not in the article")
    if nth is None and len(hits) > 1:
        raise SpecError(f"{where}: {plain!r} occurs {len(hits)} times; add @N")
    if nth is not None and nth > len(hits):
        raise SpecError(f"{where}: {plain!r} occurs only {len(hits)} times")
    at = hits[(nth or 1) - 1] + len(before)
    return at, at + len(inner)


def parse_attrs(field: str) -> dict[str, str]:
    """``k=v k="two words"`` -> dict."""
    out = {}
    for part in shlex.split(field):
        key, _, value = part.partition("=")
        out[key] = value
    return out


def build(spec: Path) -> dict:
    """The gold record of one spec file."""
    name = spec.name.removesuffix(".spec")
    article = SAMPLES / f"{name}.txt"
    with open(article, encoding="utf-8", newline="") as fh:
        text = fh.read()
    record = {
        "format": "news-annotator/1",
        "meta": {"file": f"{name}.txt"},
        "published": "",
        "source": "News Annotator sample",
        "status": "done",
        "title": text.split("\n", 1)[0],
        "url": "",
    }
    spans: list[dict] = []
    ids: dict[str, int] = {}
    relations: list[dict] = []
    for n, raw in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{spec}:{n}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("+"):
            head, role, tail = line[1:].split()
            for x in (head, tail):
                if x not in ids:
                    raise SpecError(f"{where}: no span {x!r} before this line")
            relations.append({"annotator": "gold", "attrs": {}, "created": "", "head": ids[head], "origin": "human",
                              "role": role, "status": "accepted", "tail": ids[tail], "updated": ""})
            continue
        if "|" not in line and ":" in line:
            key, _, value = line.partition(":")
            record[key.strip()] = value.strip()
            continue
        parts = [p.strip() for p in line.split("|")]
        sid, label = parts[0].split()
        if sid in ids:
            raise SpecError(f"{where}: span id {sid!r} used twice")
        start, end = locate(text, parts[1], where)
        attrs = parse_attrs(parts[2]) if len(parts) > 2 and parts[2] else {}
        ids[sid] = len(spans)
        spans.append({"annotator": "gold", "attrs": attrs, "created": "", "end": end, "id": len(spans),
                      "label": label, "origin": "human", "start": start, "status": "accepted",
                      "text": text[start:end], "updated": ""})
    record["relations"] = relations
    record["spans"] = spans
    record["text"] = text
    return record


def main(argv: list[str]) -> int:
    for arg in argv:
        spec = Path(arg)
        try:
            record = build(spec)
        except SpecError as exc:
            print(f"make_gold: {exc}", file=sys.stderr)
            return 1
        out = SAMPLES / f"{spec.name.removesuffix('.spec')}.gold.jsonl"
        out.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{out.relative_to(ROOT)}: {len(record['spans'])} spans, {len(record['relations'])} relations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
