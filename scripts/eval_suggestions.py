"""Score the spaCy suggestions against the gold samples, dev and held-out sets apart.

    python scripts/eval_suggestions.py [--pipeline NAME_OR_PATH|blank:en] [--samples DIR] [-v]

Two gold sets, scored and printed separately (`eval: dev: ...`, `eval: heldout: ...`):

* dev -- DIR/*.gold.jsonl (default resources/samples): the samples the suggestion rules were
  tuned on, so their scores are optimistic;
* heldout -- DIR/heldout/*.gold.jsonl: articles written and annotated without looking at the
  rules or patterns; this is the honest estimate. Never tune rules against it (move a file to dev
  first if you do, and write a new held-out one).

Each gold line is one document in the lossless JSONL format: {"text", "spans": [{"id", "start",
"end", "label", "attrs", ...}], "relations": [{"head", "tail", "role", ...}]} (head/tail are span
ids). The pipeline runs on the gold texts and we print precision / recall / F1 per kind:

* entities -- exact (start, end, label) over PERSON ORG GPE LOC NORP DATE;
* quotes -- QUOTE spans matched one-to-one by character overlap, and exactly;
* speakers -- QUOTE --SAID_BY--> speaker links: a predicted link is right when its quote matches
  a gold quote and the predicted speaker, or a span linked to it by SAME_AS (transitively),
  overlaps the gold speaker or a span SAME_AS-linked to that;
* threats, events -- THREAT / EVENT spans matched by overlap (events also with the same type).

When textacy is installed, `textacy.extract.triples.direct_quotations` runs on the same parsed
docs and its quotes and speakers are scored the same way, side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.nlp import doc_to_suggestions, load_pipeline, model_origin  # noqa: E402
from annotator.schema import load_schema  # noqa: E402

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE")
QUOTE_MARKS = "\"'“”‘’«»„ \n\t,"


@dataclass
class Doc:
    """Spans as (start, end, label, attrs) and relations as (head, tail, role) over them."""

    text: str
    spans: list[tuple[int, int, str, dict]] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)

    def of(self, label: str) -> list[int]:
        return [i for i, s in enumerate(self.spans) if s[2] == label]

    def cluster(self, idx: int) -> list[tuple[int, int]]:
        seen, todo = {idx}, [idx]
        while todo:
            cur = todo.pop()
            for h, t, r in self.relations:
                if r == "SAME_AS":
                    for a, b in ((h, t), (t, h)):
                        if a == cur and b not in seen:
                            seen.add(b)
                            todo.append(b)
        return [(self.spans[i][0], self.spans[i][1]) for i in seen]

    def said_by(self) -> list[tuple[int, int]]:
        return [(h, t) for h, t, r in self.relations if r == "SAID_BY"]


@dataclass
class Score:
    tp_p: int = 0  # predictions that are right
    n_p: int = 0
    tp_g: int = 0  # gold items found
    n_g: int = 0

    def add(self, other: "Score") -> None:
        self.tp_p += other.tp_p
        self.n_p += other.n_p
        self.tp_g += other.tp_g
        self.n_g += other.n_g

    def prf(self) -> tuple[float, float, float]:
        p = self.tp_p / self.n_p if self.n_p else 0.0
        r = self.tp_g / self.n_g if self.n_g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def fmt(self) -> str:
        p, r, f = self.prf()
        return f"P={p:.2f} R={r:.2f} F1={f:.2f}"


def read_gold(path: Path) -> list[Doc]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        ids = {}
        doc = Doc(data["text"])
        for s in data.get("spans", []):
            if s.get("status", "accepted") == "rejected":
                continue
            ids[s["id"]] = len(doc.spans)
            doc.spans.append((int(s["start"]), int(s["end"]), s["label"], s.get("attrs") or {}))
        for r in data.get("relations", []):
            if r.get("status", "accepted") == "rejected":
                continue
            if r["head"] in ids and r["tail"] in ids:
                doc.relations.append((ids[r["head"]], ids[r["tail"]], r["role"]))
        out.append(doc)
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def strip_marks(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in QUOTE_MARKS:
        start += 1
    while end > start and text[end - 1] in QUOTE_MARKS:
        end -= 1
    return start, end


def match_overlap(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> dict[int, int]:
    """One-to-one matching, largest overlaps first: pred index -> gold index."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = min(p[1], g[1]) - max(p[0], g[0])
            if ov > 0:
                pairs.append((ov, i, j))
    pairs.sort(reverse=True)
    used_p, used_g, out = set(), set(), {}
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out[i] = j
    return out


def score_overlap(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[Score, dict[int, int]]:
    m = match_overlap(pred, gold)
    return Score(len(m), len(pred), len(m), len(gold)), m


def score_exact(pred: set, gold: set) -> Score:
    hit = len(pred & gold)
    return Score(hit, len(pred), hit, len(gold))


def normalise_quote(text: str, span: tuple[int, int]) -> tuple[int, int]:
    return strip_marks(text, *span)


def score_speakers(
    text: str,
    pred_quotes: list[tuple[int, int]],
    pred_links: list[tuple[int, list[list[tuple[int, int]]]]],
    gold: Doc,
) -> Score:
    """pred_links: (index into pred_quotes, [cluster of each predicted speaker])."""
    gq = gold.of("QUOTE")
    gold_quotes = [normalise_quote(text, gold.spans[i][:2]) for i in gq]
    m = match_overlap([normalise_quote(text, q) for q in pred_quotes], gold_quotes)
    gold_speakers: dict[int, list[list[tuple[int, int]]]] = {}
    for h, t in gold.said_by():
        if h in gq:
            gold_speakers.setdefault(gq.index(h), []).append(gold.cluster(t))
    s = Score(n_g=sum(len(v) for v in gold_speakers.values()))
    found_gold: set[tuple[int, int]] = set()
    for qi, clusters in pred_links:
        for cl in clusters:
            s.n_p += 1
            gj = m.get(qi)
            if gj is None:
                continue
            for k, gcl in enumerate(gold_speakers.get(gj, [])):
                if any(overlaps(a, b) for a in cl for b in gcl):
                    s.tp_p += 1
                    found_gold.add((gj, k))
                    break
    s.tp_g = len(found_gold)
    return s


def predicted(nlp, schema, texts: list[str]):
    docs = list(nlp.pipe(texts, batch_size=8))
    out = []
    for doc in docs:
        spans, rels = doc_to_suggestions(doc, schema)
        d = Doc(doc.text, [(s.start, s.end, s.label, s.attrs) for s in spans], [(r.head, r.tail, r.role) for r in rels])
        out.append(d)
    return docs, out


TEXTACY_NOTES: list[str] = []


def textacy_links(doc) -> tuple[list[tuple[int, int]], list[tuple[int, list[list[tuple[int, int]]]]]]:
    """textacy's direct quotations as (content offsets) and (quote index, [[speaker offsets]]).

    textacy refuses a doc with an odd number of quote marks (a quote running over paragraphs);
    then it runs once per paragraph (each a doc of its own), which is kinder to it than a zero.
    """
    from textacy.extract.triples import direct_quotations

    quotes, links = [], []

    def collect(d, offset: int) -> None:
        for triple in direct_quotations(d):
            content = triple.content
            quotes.append((content.start_char + offset, content.end_char + offset))
            if triple.speaker:
                toks = sorted(triple.speaker, key=lambda t: t.i)
                links.append((len(quotes) - 1, [[(toks[0].idx + offset, toks[-1].idx + len(toks[-1]) + offset)]]))

    try:
        collect(doc, 0)
    except ValueError as exc:
        TEXTACY_NOTES.append(str(exc).split(";")[0])
        quotes.clear()
        links.clear()
        start = 0
        for tok in doc:
            if "\n" in tok.text or tok.i == len(doc) - 1:
                end = tok.i + 1
                para = doc[start:end]
                if len(para) and para.text.strip():
                    try:
                        collect(para.as_doc(), para.start_char)
                    except ValueError:
                        pass
                start = end
    return quotes, links


SETS = (
    # (name, folder under --samples, what it is)
    ("dev", ".", "the samples the suggestion rules were tuned on"),
    ("heldout", "heldout", "written and annotated without looking at the rules"),
)


def gold_sets(samples: Path) -> list[tuple[str, list[Path], list[Doc]]]:
    """(name, files, docs) for each set that has gold files: dev = SAMPLES/*.gold.jsonl, heldout =
    SAMPLES/heldout/*.gold.jsonl. The two are scored apart: only heldout says how the rules do on
    text they were not tuned against."""
    out = []
    for name, sub, _ in SETS:
        files = sorted((samples / sub).glob("*.gold.jsonl"))
        docs = [d for f in files for d in read_gold(f)]
        if docs:
            out.append((name, files, docs))
    return out


def evaluate(name: str, nlp, schema, gold_docs: list[Doc], textacy_parser, verbose: bool) -> list[str]:
    """Score one gold set; returns the report lines (`eval: NAME: ...`).

    textacy_parser: None when there is no textacy comparison, else a callable returning a trained
    pipeline to parse the texts for textacy when this pipeline's docs have no parse (or None when
    there is none)."""
    texts = [g.text for g in gold_docs]
    docs, preds = predicted(nlp, schema, texts)
    tx_docs = None
    if textacy_parser is not None:
        if all(d.has_annotation("DEP") for d in docs if len(d)):
            tx_docs = list(docs)
        else:
            parser = textacy_parser()
            if parser is not None:
                tx_docs = list(parser.pipe(texts))
    have_textacy = tx_docs is not None
    del TEXTACY_NOTES[:]
    totals = {k: Score() for k in ("entities", "quotes", "quotes_exact", "speakers", "threats", "events", "events_typed")}
    tx = {k: Score() for k in ("quotes", "quotes_exact", "speakers")}
    for _doc, pred, gold in zip(docs, preds, gold_docs):
        text = gold.text
        # entities
        pe = {s[:3] for s in pred.spans if s[2] in ENTITY_LABELS}
        ge = {s[:3] for s in gold.spans if s[2] in ENTITY_LABELS}
        totals["entities"].add(score_exact(pe, ge))
        # quotes
        pq_idx = pred.of("QUOTE")
        pq = [pred.spans[i][:2] for i in pq_idx]
        gq = [gold.spans[i][:2] for i in gold.of("QUOTE")]
        sc, m = score_overlap([normalise_quote(text, q) for q in pq], [normalise_quote(text, q) for q in gq])
        totals["quotes"].add(sc)
        totals["quotes_exact"].add(score_exact(set(pq), set(gq)))
        links = []
        for h, t in pred.said_by():
            if h in pq_idx:
                links.append((pq_idx.index(h), [pred.cluster(t)]))
        totals["speakers"].add(score_speakers(text, pq, links, gold))
        # threats and events
        for label, key in (("THREAT", "threats"), ("EVENT", "events")):
            p_idx, g_idx = pred.of(label), gold.of(label)
            sc, m = score_overlap([pred.spans[i][:2] for i in p_idx], [gold.spans[i][:2] for i in g_idx])
            totals[key].add(sc)
            if label == "EVENT":
                typed = sum(
                    1 for i, j in m.items() if pred.spans[p_idx[i]][3].get("type") == gold.spans[g_idx[j]][3].get("type")
                )
                totals["events_typed"].add(Score(typed, len(p_idx), typed, len(g_idx)))
            if verbose and label == "THREAT":
                for i in set(range(len(p_idx))) - set(m):
                    s = pred.spans[p_idx[i]]
                    print(f"  {name}: spurious THREAT: {text[s[0]:s[1]]!r}")
                for j in set(range(len(g_idx))) - set(m.values()):
                    s = gold.spans[g_idx[j]]
                    print(f"  {name}: missed THREAT: {text[s[0]:s[1]]!r}")
        if verbose:
            pn = [normalise_quote(text, q) for q in pq]
            gn = [normalise_quote(text, q) for q in gq]
            mq = match_overlap(pn, gn)
            for i in set(range(len(pq))) - set(mq):
                print(f"  {name}: spurious QUOTE: {text[pq[i][0]:pq[i][1]][:80]!r}")
            for j in set(range(len(gq))) - set(mq.values()):
                print(f"  {name}: missed QUOTE: {text[gq[j][0]:gq[j][1]][:80]!r}")
            for h, t in pred.said_by():
                if h in pq_idx:
                    one = score_speakers(text, pq, [(pq_idx.index(h), [pred.cluster(t)])], gold)
                    if one.tp_p == 0:
                        q = pred.spans[h]
                        spk = pred.spans[t]
                        print(f"  {name}: wrong SPEAKER {text[spk[0]:spk[1]]!r} for {text[q[0]:q[1]][:60]!r}")
        if tx_docs is not None:
            tq, tl = textacy_links(tx_docs.pop(0))
            tn = [normalise_quote(text, q) for q in tq]
            tx["quotes"].add(score_overlap(tn, [normalise_quote(text, q) for q in gq])[0])
            tx["quotes_exact"].add(score_exact(set(tn), set(gq)))
            tx["speakers"].add(score_speakers(text, tq, tl, gold))

    def line(label: str, key: str, tx_key: str | None = None) -> str:
        out = f"eval: {name}: {label}: {totals[key].fmt()}"
        if tx_key and have_textacy:
            out += f" (textacy {tx[tx_key].fmt()})"
        return out

    lines = [
        line("entities", "entities"),
        line("quotes", "quotes", "quotes"),
        line("quotes exact", "quotes_exact", "quotes_exact"),
        line("speaker links", "speakers", "speakers"),
        line("threats", "threats"),
        line("events", "events"),
        line("events with type", "events_typed"),
    ]
    if have_textacy and TEXTACY_NOTES:
        lines.append(f"eval: {name}: textacy bailed out on {len(TEXTACY_NOTES)} document(s) ({TEXTACY_NOTES[0]}); "
                     "scored per paragraph there")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pipeline", default=None, help="package name, folder or blank:en (default: best installed)")
    ap.add_argument("--samples", default=str(ROOT / "resources" / "samples"),
                    help="folder with the dev gold files; held-out gold files are in its heldout/ folder")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed and spurious quotes and threats")
    args = ap.parse_args(argv)

    sets = gold_sets(Path(args.samples))
    if not sets:
        print(f"eval: no gold files in {args.samples}")
        return 1
    nlp = load_pipeline(args.pipeline)
    schema = load_schema()
    n_docs = sum(len(docs) for _, _, docs in sets)
    n_files = sum(len(files) for _, files, _ in sets)
    per_set = ", ".join(f"{name} {len(docs)}" for name, _, docs in sets)
    print(f"eval: pipeline {model_origin(nlp)} on {n_docs} gold documents from {n_files} files ({per_set})")
    present = {name for name, _, _ in sets}
    for name, sub, _ in SETS:
        if name not in present:
            print(f"eval: {name}: no gold files in {Path(args.samples) / sub}")

    textacy_reason = ""
    try:
        import textacy.extract.triples  # noqa: F401

        have_textacy = True
    except Exception as exc:  # ImportError, or a broken install
        have_textacy = False
        textacy_reason = str(exc)

    parsers: list = []  # the fallback parser for textacy, loaded once, when first needed

    def textacy_parser():
        nonlocal have_textacy, textacy_reason
        if not parsers:  # textacy needs a parse: give it the best installed trained pipeline
            from annotator.nlp.models import default_pipeline_name

            name = default_pipeline_name()
            if name is None:
                textacy_reason = "it needs a parsed doc and no trained pipeline is installed"
                have_textacy = False
                parsers.append(None)
            else:
                import spacy

                parsers.append(spacy.load(name))
                print(f"eval: textacy runs on plain {name} (this pipeline has no parser)")
        return parsers[0]

    for name, _, docs in sets:
        for out in evaluate(name, nlp, schema, docs, textacy_parser if have_textacy else None, args.verbose):
            print(out)
    if not have_textacy:
        print(f"eval: textacy not installed, no comparison ({textacy_reason}); pip install textacy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
