"""Score the spaCy suggestions against the gold samples, dev and held-out sets apart.

    python scripts/eval_suggestions.py [--pipeline NAME_OR_PATH|blank:en] [--samples DIR]
                                       [--set dev|heldout|all] [-v]

Two gold sets, scored and printed separately (`eval: dev: ...`, `eval: heldout: ...`):

* dev -- DIR/*.gold.jsonl (default resources/samples): the samples the suggestion rules were
  tuned on, so their scores are optimistic;
* heldout -- DIR/heldout/*.gold.jsonl: articles written and annotated without looking at the
  rules or patterns; this is the honest estimate. Never tune rules against it (move a file to dev
  first if you do, and write a new held-out one). `-v` lists misses for the dev set only: the
  held-out set is only ever reported in aggregate.

Each gold line is one document in the lossless JSONL format: {"text", "spans": [{"id", "start",
"end", "label", "attrs", ...}], "relations": [{"head", "tail", "role", ...}]} (head/tail are span
ids). The pipeline runs on the gold texts and we print precision / recall / F1 per kind:

* entities -- exact (start, end, label) over PERSON ORG GPE LOC NORP DATE;
* quotes -- QUOTE spans matched one-to-one by character overlap, and exactly; by kind: indirect
  quotes (reported speech) -- recall over the gold quotes of kind indirect, precision over the
  predicted ones, both from the same one-to-one matching of all quotes;
* speakers -- QUOTE --SAID_BY--> speaker links: a predicted link is right when its quote matches
  a gold quote and the predicted speaker, or a span linked to it by SAME_AS (transitively),
  overlaps the gold speaker or a span SAME_AS-linked to that; also on direct quotes only (gold
  links of direct gold quotes, predicted links of direct predicted quotes);
* threats, events -- THREAT / EVENT spans matched by overlap (events also with the same type, and
  per type: recall over the gold events of that type, precision over the predicted ones).

Two more gold sets on real reporting (`eval: real-dev: ...`, `eval: real-heldout: ...`):
tests/gold/real-news/{dev,heldout}/*.gold.json, offsets into the BBC articles of
`../shared/real-news/` beside the checkout (or $NEWS_REAL_NEWS), which never enter the project
(see tests/gold/real-news/README.md). A text that is missing or whose SHA-256 differs from the
gold's is skipped, saying so. Every set also gets one `issue measures` line: reported content
(indirect and partial quotes) P/R, content-speaker pairs F1, direct quotes with their speaker F1,
threats P/R and the share of matched events whose type has the gold's PLOVER category.

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
for _path in (ROOT, ROOT / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from real_gold import GOLD_DIR, check_gold, load_gold, texts_dir  # noqa: E402

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
    name: str = ""

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
        doc = Doc(data["text"], name=path.name.removesuffix(".gold.jsonl"))
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
    gold_kinds: tuple[str, ...] | None = None,
) -> Score:
    """pred_links: (index into pred_quotes, [cluster of each predicted speaker]); `gold_kinds`
    counts only the gold links of quotes of those kinds (the caller filters `pred_links`)."""
    gq = gold.of("QUOTE")
    gold_quotes = [normalise_quote(text, gold.spans[i][:2]) for i in gq]
    m = match_overlap([normalise_quote(text, q) for q in pred_quotes], gold_quotes)
    gold_speakers: dict[int, list[list[tuple[int, int]]]] = {}
    for h, t in gold.said_by():
        if h in gq and (gold_kinds is None or gold.spans[h][3].get("kind", "direct") in gold_kinds):
            gold_speakers.setdefault(gq.index(h), []).append(gold.cluster(t))
    s = Score(n_g=sum(len(v) for v in gold_speakers.values()))
    found_gold: set[tuple[int, int]] = set()
    for qi, clusters in pred_links:
        for cl in clusters:
            s.n_p += 1
            gj = m.get(qi)
            if (
                gj is not None
                and gold_kinds is not None
                and gold.spans[gq[gj]][3].get("kind", "direct") not in gold_kinds
            ):
                s.n_p -= 1  # its quote is of another gold kind: not scored here
                continue
            if gj is None:
                continue
            for k, gcl in enumerate(gold_speakers.get(gj, [])):
                if any(overlaps(a, b) for a in cl for b in gcl):
                    s.tp_p += 1
                    found_gold.add((gj, k))
                    break
    s.tp_g = len(found_gold)
    return s


def score_kind(pred: Doc, gold: Doc, pq_idx: list[int], m: dict[int, int], kind: str | tuple[str, ...]) -> Score:
    """Quotes of one kind (or any of several), from the one-to-one matching `m` of all quotes (pred
    -> gold position): recall over the gold quotes of `kind`, precision over the predicted ones."""
    kinds = (kind,) if isinstance(kind, str) else kind
    gq_idx = gold.of("QUOTE")
    pred_kind = [i for i, k in enumerate(pq_idx) if pred.spans[k][3].get("kind") in kinds]
    gold_kind = {j for j, k in enumerate(gq_idx) if gold.spans[k][3].get("kind") in kinds}
    found = {m[i] for i in range(len(pq_idx)) if i in m} & gold_kind
    return Score(sum(1 for i in pred_kind if i in m), len(pred_kind), len(found), len(gold_kind))


def add_by_type(by_type: dict[str, Score], pred: Doc, gold: Doc, p_idx: list[int], g_idx: list[int],
                m: dict[int, int]) -> None:
    """Per EVENT.type: a predicted event is right when it matches a gold event of its type; a gold
    event is found when a predicted event of its type matches it."""
    def etype(doc: Doc, k: int) -> str:
        return doc.spans[k][3].get("type") or "?"

    for i, k in enumerate(p_idx):
        sc = by_type.setdefault(etype(pred, k), Score())
        sc.n_p += 1
        if i in m and etype(gold, g_idx[m[i]]) == etype(pred, k):
            sc.tp_p += 1
    back = {j: i for i, j in m.items()}
    for j, k in enumerate(g_idx):
        sc = by_type.setdefault(etype(gold, k), Score())
        sc.n_g += 1
        if j in back and etype(pred, p_idx[back[j]]) == etype(gold, k):
            sc.tp_g += 1


def context(text: str, span: tuple) -> str:
    """A few words around a span, for verbose lines."""
    return text[max(0, span[0] - 30) : span[1] + 30].replace("\n", " ")


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


VERBOSE_SETS = ("dev", "real-dev")  # misses are listed for sets rules may be tuned on, never held-out ones
SETS = (
    # (name, folder under --samples, what it is)
    ("dev", ".", "the samples the suggestion rules were tuned on"),
    ("heldout", "heldout", "written and annotated without looking at the rules"),
)
REAL_SETS = (
    # (name, folder under tests/gold/real-news)
    ("real-dev", "dev"),
    ("real-heldout", "heldout"),
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


def read_real_gold(path: Path, texts: Path) -> tuple[Doc | None, str]:
    """One real-news gold file as a Doc, with its text from the shared folder; (None, why) when the
    text is missing, changed (SHA-256) or the offsets do not fit it."""
    gold = load_gold(path)
    text, problems = check_gold(gold, texts)
    if text is None or problems:
        return None, problems[0]
    doc = Doc(text, name=Path(gold["file"]).stem)
    ids = {}
    for s in gold["spans"]:
        ids[s["id"]] = len(doc.spans)
        doc.spans.append((s["start"], s["end"], s["label"], s.get("attrs") or {}))
    doc.relations = [(ids[r["head"]], ids[r["tail"]], r["role"]) for r in gold["relations"]]
    return doc, ""


def real_gold_sets(gold_root: Path, texts: Path) -> tuple[list[tuple[str, list[Path], list[Doc]]], list[str]]:
    """(sets, notes): the real-news gold sets that could be read, and a line for each file or set
    that could not (no gold yet, text missing or changed) so nothing is skipped silently."""
    sets, notes = [], []
    for name, sub in REAL_SETS:
        files = sorted((gold_root / sub).glob("*.gold.json"))
        if not files:
            notes.append(f"eval: {name}: no gold files in {gold_root / sub}: not scored")
            continue
        docs, skipped = [], []
        for f in files:
            doc, why = read_real_gold(f, texts)
            if doc is None:
                skipped.append(why)
            else:
                docs.append(doc)
        if skipped:
            notes.append(f"eval: {name}: skipped {len(skipped)} of {len(files)} gold file(s) "
                         f"(texts from {texts}; set NEWS_REAL_NEWS): {skipped[0]}")
        if docs:
            sets.append((name, files, docs))
    return sets, notes


def plover(schema, etype: str | None) -> str:
    """The PLOVER category of an EVENT type, from news.toml's [mappings.event_type] ("COERCE
    (arrest)" -> COERCE): ATTACK and ARMED_CLASH are both ASSAULT, so a type that differs only
    within a category still counts as right."""
    entry = (schema.mappings.get("event_type") or {}).get(etype or "", {})
    first = str(entry.get("plover", "")).split(" ")[0]
    return first if first.isalpha() and first.isupper() else (etype or "?")


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
    verbose = verbose and name in VERBOSE_SETS  # the held-out set is only reported in aggregate
    totals = {k: Score() for k in ("entities", "quotes", "quotes_exact", "quotes_indirect", "speakers",
                                   "speakers_direct", "threats", "events", "events_typed", "quotes_reported",
                                   "events_plover")}
    by_type: dict[str, Score] = {}
    tx = {k: Score() for k in ("quotes", "quotes_exact", "speakers")}
    for _doc, pred, gold in zip(docs, preds, gold_docs):
        text = gold.text
        where = f"{name}: {gold.name}"
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
        totals["quotes_indirect"].add(score_kind(pred, gold, pq_idx, m, "indirect"))
        totals["quotes_reported"].add(score_kind(pred, gold, pq_idx, m, ("indirect", "partial")))
        links, direct_links = [], []
        for h, t in pred.said_by():
            if h in pq_idx:
                links.append((pq_idx.index(h), [pred.cluster(t)]))
                if pred.spans[h][3].get("kind", "direct") == "direct":
                    direct_links.append(links[-1])
        totals["speakers"].add(score_speakers(text, pq, links, gold))
        totals["speakers_direct"].add(score_speakers(text, pq, direct_links, gold, gold_kinds=("direct",)))
        # threats and events
        for label, key in (("THREAT", "threats"), ("EVENT", "events")):
            p_idx, g_idx = pred.of(label), gold.of(label)
            sc, m = score_overlap([pred.spans[i][:2] for i in p_idx], [gold.spans[i][:2] for i in g_idx])
            totals[key].add(sc)
            if label == "EVENT":
                typed = sum(
                    1
                    for i, j in m.items()
                    if pred.spans[p_idx[i]][3].get("type") == gold.spans[g_idx[j]][3].get("type")
                )
                totals["events_typed"].add(Score(typed, len(p_idx), typed, len(g_idx)))
                same = sum(1 for i, j in m.items() if plover(schema, pred.spans[p_idx[i]][3].get("type"))
                           == plover(schema, gold.spans[g_idx[j]][3].get("type")))
                totals["events_plover"].add(Score(same, len(m), same, len(m)))
                add_by_type(by_type, pred, gold, p_idx, g_idx, m)
            if verbose and label == "EVENT":
                for i in set(range(len(p_idx))) - set(m):
                    s = pred.spans[p_idx[i]]
                    print(f"  {where}: spurious EVENT {s[3].get('type')}: {text[s[0]:s[1]]!r} in {context(text, s)!r}")
                for j in set(range(len(g_idx))) - set(m.values()):
                    s = gold.spans[g_idx[j]]
                    print(f"  {where}: missed EVENT {s[3].get('type')}: {text[s[0]:s[1]]!r} in {context(text, s)!r}")
                for i, j in m.items():
                    ps, gs = pred.spans[p_idx[i]], gold.spans[g_idx[j]]
                    if ps[3].get("type") != gs[3].get("type"):
                        print(
                            f"  {where}: EVENT {text[ps[0]:ps[1]]!r} typed {ps[3].get('type')}, "
                            f"gold {gs[3].get('type')}"
                        )
            if verbose and label == "THREAT":
                for i in set(range(len(p_idx))) - set(m):
                    s = pred.spans[p_idx[i]]
                    print(f"  {where}: spurious THREAT: {text[s[0]:s[1]]!r}")
                for j in set(range(len(g_idx))) - set(m.values()):
                    s = gold.spans[g_idx[j]]
                    print(f"  {where}: missed THREAT: {text[s[0]:s[1]]!r}")
        if verbose:
            pn = [normalise_quote(text, q) for q in pq]
            gn = [normalise_quote(text, q) for q in gq]
            mq = match_overlap(pn, gn)
            for i in set(range(len(pq))) - set(mq):
                print(f"  {where}: spurious QUOTE: {text[pq[i][0]:pq[i][1]][:80]!r}")
            for j in set(range(len(gq))) - set(mq.values()):
                print(f"  {where}: missed QUOTE: {text[gq[j][0]:gq[j][1]][:80]!r}")
            for h, t in pred.said_by():
                if h in pq_idx:
                    one = score_speakers(text, pq, [(pq_idx.index(h), [pred.cluster(t)])], gold)
                    if one.tp_p == 0:
                        q = pred.spans[h]
                        spk = pred.spans[t]
                        print(f"  {where}: wrong SPEAKER {text[spk[0]:spk[1]]!r} for {text[q[0]:q[1]][:60]!r}")
            linked = {h for h, _ in pred.said_by()}
            for i in mq:
                if pq_idx[i] not in linked:
                    print(f"  {where}: no SPEAKER for {text[pq[i][0]:pq[i][1]][:60]!r}")
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
        line("quotes indirect", "quotes_indirect"),
        line("speaker links", "speakers", "speakers"),
        line("speaker links direct", "speakers_direct"),
        line("threats", "threats"),
        line("events", "events"),
        line("events with type", "events_typed"),
    ]
    rep, pairs, direct = totals["quotes_reported"], totals["speakers"], totals["speakers_direct"]
    thr, ev = totals["threats"], totals["events_plover"]
    lines.append(
        f"eval: {name}: issue measures: reported content P={rep.prf()[0]:.2f} R={rep.prf()[1]:.2f} "
        f"(gold {rep.n_g}); content-speaker pairs F1={pairs.prf()[2]:.2f}; direct quotes with speaker "
        f"F1={direct.prf()[2]:.2f}; threats P={thr.prf()[0]:.2f} R={thr.prf()[1]:.2f} (gold {thr.n_g}); "
        f"event PLOVER type right {ev.prf()[0]:.2f} of {ev.n_g} matched (gold {totals['events'].n_g})"
    )
    for etype in sorted(by_type):
        sc = by_type[etype]
        lines.append(f"eval: {name}: events {etype}: {sc.fmt()} (gold {sc.n_g}, predicted {sc.n_p})")
    if have_textacy and TEXTACY_NOTES:
        lines.append(f"eval: {name}: textacy bailed out on {len(TEXTACY_NOTES)} document(s) ({TEXTACY_NOTES[0]}); "
                     "scored per paragraph there")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pipeline", default=None, help="package name, folder or blank:en (default: best installed)")
    ap.add_argument("--samples", default=str(ROOT / "resources" / "samples"),
                    help="folder with the dev gold files; held-out gold files are in its heldout/ folder")
    ap.add_argument("--set", default="all", choices=[name for name, _, _ in SETS] + [n for n, _ in REAL_SETS] + ["all"],
                    help="score only this gold set (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list missed and spurious quotes and threats (dev sets only)")
    ap.add_argument("--real-news", default=None,
                    help="the shared real-news texts (default $NEWS_REAL_NEWS or ../shared/real-news)")
    args = ap.parse_args(argv)

    real_sets, real_notes = real_gold_sets(GOLD_DIR, texts_dir(args.real_news))
    sets = [x for x in gold_sets(Path(args.samples)) + real_sets if args.set in ("all", x[0])]
    real_notes = [n for n in real_notes if args.set in ("all", n.split(":")[1].strip())]
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
        if name not in present and args.set in ("all", name):
            print(f"eval: {name}: no gold files in {Path(args.samples) / sub}")
    for note in real_notes:
        print(note)

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
