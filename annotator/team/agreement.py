"""`annotator agreement`: how far the annotators agree, on documents at least two of them labelled.

Reports, per label, per annotator pair and overall: span F1 (exact boundaries and overlap),
Cohen's kappa (pairs) and Krippendorff's alpha (all annotators; nominal, token level), structure
F1 over (quote, SAID_BY, speaker), (threat, SOURCE/TARGET, actor) and (event, role, argument)
triples, and every document from the lowest agreement up. Only accepted labels count. The result
is a plain dict whose layout docs/agreement-json.md documents (`FORMAT`); team/report.py renders
it as a table, JSON or CSV.

Speakers, sources and targets are compared by canonical name when one side used a pronoun: a
mention's name is its `canonical_name` attribute, else its own text unless that is a pronoun,
else the name of a mention joined to it by SAME_AS in the same layer.

Why whole-corpus arrays: 1,000 documents x 3 annotators is ~350k tokens and ~170k spans; a
few numpy operations per pair over the corpus laid end to end (documents one after another in one
coordinate system, so spans of different documents can never overlap) take a fraction of the
time of the same operations repeated per document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from annotator.schema import LabelSchema
from annotator.team import measures as m
from annotator.team.identity import CURATED

FORMAT = "news-annotator-agreement/1"
# structure families: (name, head label, roles); event roles are every role an EVENT heads,
# except links to other events
STRUCTURE = (("speech", "QUOTE", ("SAID_BY",)), ("threat", "THREAT", ("SOURCE", "TARGET")))
EVENT_LINKS = ("RESULTED_IN", "FOLLOWED", "SAME_AS")


def structure_families(schema: LabelSchema) -> list[tuple[str, str, tuple[str, ...]]]:
    events = tuple(r.role for r in schema.relations if r.heads == frozenset({"EVENT"})
                   and r.role not in EVENT_LINKS)
    return [*STRUCTURE, ("event", "EVENT", events)]


@dataclass
class Layer:
    """One annotator's accepted spans over the whole corpus (corpus coordinates)."""

    starts: np.ndarray
    ends: np.ndarray
    labels: np.ndarray  # label codes 1..n
    docs: np.ndarray  # document index of each span
    triples: dict[int, dict[str, list[tuple]]] = field(default_factory=dict)  # doc -> family


@dataclass
class Corpus:
    """The documents labelled by two or more of the annotators, laid end to end."""

    names: list[str]
    labels: list[str]
    doc_ids: list[int]
    titles: list[str]
    cover: np.ndarray  # (annotators, documents) bool: who labelled what
    tok_start: np.ndarray
    tok_end: np.ndarray
    tok_doc: np.ndarray
    layers: dict[str, Layer]
    width: int  # more than the longest span
    bases: np.ndarray  # where each document starts in corpus coordinates


def agreement(store, annotators: Iterable[str] | None = None,
              labels: Iterable[str] | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict:
    """The agreement report of a project (see docs/agreement-json.md)."""
    names = sorted(annotators) if annotators else [n for n in store.layer_names() if n != CURATED]
    wanted = list(labels) if labels else store.schema.label_names()
    unknown = [lab for lab in wanted if store.schema.label(lab) is None]
    if unknown:
        raise ValueError(f"unknown label(s) {', '.join(unknown)}; the schema has "
                         f"{', '.join(store.schema.label_names())}")
    covered = {d: who & set(names) for d, who in store.coverage().items()}
    covered = {d: who for d, who in covered.items() if len(who) >= 2}
    corpus = build(names, wanted, covered, store.titles_and_texts(covered),
                   store.agreement_rows(names, wanted), structure_families(store.schema))
    if progress:
        progress(1, 2)
    report = compute(corpus, structure_families(store.schema))
    report["project_id"] = store.project_id()
    if progress:
        progress(2, 2)
    return report


def build(names: list[str], labels: list[str], covered: dict[int, set[str]],
          texts: dict[int, tuple[str, str]], rows: tuple[list, list, list], families) -> Corpus:
    """Lay the covered documents end to end: tokens, each annotator's spans, their triples.
    `rows` are Store.agreement_rows()."""
    span_rows, rel_rows, end_rows = rows
    doc_ids = sorted(covered)
    n_docs = len(doc_ids)
    lengths = np.asarray([len(texts[d][1]) + 1 for d in doc_ids], dtype=np.int64)
    bases = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    tok_start, tok_end = m.corpus_tokens("\n".join(texts[d][1] for d in doc_ids))
    tok_doc = np.searchsorted(bases, tok_start, side="right") - 1
    cover = np.array([[n in covered[d] for d in doc_ids] for n in names], dtype=bool
                     ).reshape(len(names), n_docs)
    # accepted spans -> per annotator arrays in corpus coordinates (no loop over rows)
    index = {d: i for i, d in enumerate(doc_ids)}
    doc_array = np.asarray(doc_ids, dtype=np.int64)
    table = np.asarray(span_rows, dtype=np.int64).reshape(-1, 5)
    at = np.searchsorted(doc_array, table[:, 0])
    found = at < n_docs
    found[found] = doc_array[at[found]] == table[found, 0]
    doc = np.where(found, at, -1)
    who, start, end, label = table[:, 1], table[:, 2], table[:, 3], table[:, 4]
    keep = doc >= 0
    keep[keep] = cover[who[keep], doc[keep]]
    layers = {}
    for k, n in enumerate(names):
        mine = keep & (who == k)
        order = np.lexsort((end[mine], start[mine], doc[mine]))
        d = doc[mine][order]
        layers[n] = Layer(start[mine][order] + bases[d], end[mine][order] + bases[d],
                          label[mine][order], d)
    width = int((end - start).max()) + 1 if len(start) else 1
    by_id: dict[tuple[int, str], dict[int, tuple]] = {}  # (doc, annotator) -> linked spans
    for doc_id, name, span_id, s, e, lab, attrs in end_rows:
        by_id.setdefault((doc_id, name), {})[span_id] = (s, e, lab, attrs)
    links: dict[tuple[int, str], list[tuple]] = {}
    for doc_id, name, head, tail, role in rel_rows:
        if doc_id in index and name in covered[doc_id]:
            links.setdefault((doc_id, name), []).append((head, tail, role))
    for (doc_id, name), found in links.items():
        layers[name].triples[index[doc_id]] = _triples(
            texts[doc_id][1], by_id.get((doc_id, name), {}), found, families)
    return Corpus(names, labels, doc_ids, [texts[d][0] for d in doc_ids], cover, tok_start,
                  tok_end, tok_doc.astype(np.int64), layers, width, bases)


def _triples(text: str, spans: dict[int, tuple], links: list[tuple], families
             ) -> dict[str, list[tuple]]:
    """One annotator's structure triples on one document, per family:
    (head (start, end, label), role, tail (start, end), tail's canonical name)."""
    same_as: dict[int, list[int]] = {}
    for head, tail, role in links:
        if role == "SAME_AS":
            same_as.setdefault(head, []).append(tail)
            same_as.setdefault(tail, []).append(head)

    def own(span_id: int) -> str:
        start, end, _label, attrs = spans[span_id]
        given = str(json.loads(attrs).get("canonical_name") or "") if attrs and attrs != "{}" \
            else ""
        if given:
            return m.normal_name(given)
        return m.mention_name(text[start:end])

    def name(span_id: int) -> str:
        found = own(span_id)
        for other in ([] if found else same_as.get(span_id, [])):
            if other in spans and (found := own(other)):
                break
        return found

    out: dict[str, list[tuple]] = {}
    for family, head_label, roles in families:
        found = []
        for head, tail, role in links:
            if role in roles and head in spans and tail in spans and spans[head][2] == head_label:
                h, t = spans[head], spans[tail]
                found.append(((h[0], h[1], h[2]), role, (t[0], t[1]), name(tail)))
        out[family] = found
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


@dataclass
class PairFigures:
    """Counts of one pair over the documents both labelled: per label, and per document."""

    labels: np.ndarray  # (labels, 5): spans of A, spans of B, exact, A overlapped, B overlapped
    docs: np.ndarray  # (documents, 5), the same per document
    confusion: np.ndarray
    binary: np.ndarray  # (labels, 4): n11 n10 n01 n00
    structure: dict[str, list[int]]  # family -> [triples of A, of B, matched]
    doc_structure: np.ndarray  # (documents, 2): 2 x matched, triples of both
    documents: int
    tokens: int

    @staticmethod
    def f1(row: np.ndarray) -> tuple[float | None, float | None]:
        """(exact, overlap) F1 of a row of counts."""
        n_a, n_b, tp, m_a, m_b = (int(x) for x in row)
        return m.f1_exact(n_a, n_b, tp), m.f1_overlap(n_a, n_b, m_a, m_b)

    def kappa(self, i: int | None = None) -> float | None:
        if i is None:
            return m.cohen_kappa(self.confusion)
        n11, n10, n01, n00 = self.binary[i]
        return m.cohen_kappa(np.array([[n11, n10], [n01, n00]]))


def compute(corpus: Corpus, families) -> dict:
    """The report (pure: no store)."""
    n_labels, n_docs = len(corpus.labels), len(corpus.doc_ids)
    tokens = {n: m.token_labels(lay.starts, lay.ends, lay.labels, corpus.tok_start,
                                corpus.tok_end, n_labels) for n, lay in corpus.layers.items()}
    rows = {n: i for i, n in enumerate(corpus.names)}
    pairs = {(a, b): _pair(corpus, a, b, tokens, families, n_labels)
             for a, b in combinations(corpus.names, 2)}
    alpha_all, alpha_label = _alpha(corpus, tokens, rows, n_labels)
    total = sum((p.labels for p in pairs.values()), np.zeros((n_labels, 5), dtype=np.int64))
    exact, overlap = PairFigures.f1(total.sum(axis=0))
    spans = {n: np.bincount(lay.labels, minlength=n_labels + 1)[1:]
             for n, lay in corpus.layers.items()}
    per_label = []
    for i, lab in enumerate(corpus.labels):
        e, o = PairFigures.f1(total[i])
        per_label.append({
            "label": lab, "spans": {n: int(spans[n][i]) for n in corpus.names},
            "span_f1_exact": _r(e), "span_f1_overlap": _r(o),
            "kappa": _r(_mean(p.kappa(i) for p in pairs.values() if p.documents)),
            "alpha": _r(alpha_label[i]),
        })
    per_pair = []
    for (a, b), p in pairs.items():
        e, o = p.f1(p.labels.sum(axis=0))
        s = np.sum([p.structure[f] for f, _h, _roles in families], axis=0)
        per_pair.append({
            "annotators": [a, b], "documents": p.documents, "tokens": p.tokens,
            "span_f1_exact": _r(e), "span_f1_overlap": _r(o), "kappa": _r(p.kappa()),
            "structure_f1": _r(m.f1_exact(*map(int, s))),
            "per_label": {lab: dict(zip(("span_f1_exact", "span_f1_overlap"),
                                        map(_r, p.f1(p.labels[i]))), kappa=_r(p.kappa(i)))
                          for i, lab in enumerate(corpus.labels)},
        })
    struct = []
    for f, head, roles in families:
        cells = {pair: p.structure[f] for pair, p in pairs.items()}
        sums = np.sum(list(cells.values()), axis=0) if cells else np.zeros(3, dtype=np.int64)
        counts = {n: sum(len(t.get(f, ())) for t in corpus.layers[n].triples.values())
                  for n in corpus.names}
        struct.append({
            "kind": f, "head": head, "roles": list(roles), "triples": counts,
            "f1": _r(m.f1_exact(*map(int, sums))),
            "per_pair": [{"annotators": list(pair), "f1": _r(m.f1_exact(*c))}
                         for pair, c in cells.items()],
        })
    structure_total = np.sum([p.structure[f] for p in pairs.values() for f, _h, _x in families],
                             axis=0) if pairs else np.zeros(3, dtype=np.int64)
    return {
        "format": FORMAT,
        "annotators": corpus.names,
        "labels": corpus.labels,
        "documents": n_docs,
        "tokens": int(len(corpus.tok_start)),
        "overall": {
            "span_f1_exact": _r(exact), "span_f1_overlap": _r(overlap),
            "kappa": _r(_mean(p.kappa() for p in pairs.values() if p.documents)),
            "alpha": _r(alpha_all),
            "structure_f1": _r(m.f1_exact(*map(int, structure_total))),
        },
        "per_label": per_label,
        "per_pair": per_pair,
        "structure": struct,
        "documents_by_agreement": _documents(corpus, pairs),
    }


def _pair(corpus: Corpus, a: str, b: str, tokens: dict, families, n_labels: int) -> PairFigures:
    """Every count of one pair, on the documents both labelled."""
    n_docs = len(corpus.doc_ids)
    i, j = corpus.names.index(a), corpus.names.index(b)
    both = corpus.cover[i] & corpus.cover[j]
    la, lb = corpus.layers[a], corpus.layers[b]
    sel_a, sel_b = both[la.docs], both[lb.docs]
    sa, ea, ca, da = la.starts[sel_a], la.ends[sel_a], la.labels[sel_a], la.docs[sel_a]
    sb, eb, cb, db = lb.starts[sel_b], lb.ends[sel_b], lb.labels[sel_b], lb.docs[sel_b]
    labels = np.zeros((n_labels, 5), dtype=np.int64)
    docs = np.zeros((n_docs, 5), dtype=np.int64)
    labels[:, 0] = np.bincount(ca, minlength=n_labels + 1)[1:]
    labels[:, 1] = np.bincount(cb, minlength=n_labels + 1)[1:]
    docs[:, 0] = np.bincount(da, minlength=n_docs)
    docs[:, 1] = np.bincount(db, minlength=n_docs)
    common, times = m.exact_matches(m.exact_keys(sa, ea, ca, corpus.width, n_labels),
                                    m.exact_keys(sb, eb, cb, corpus.width, n_labels))
    key_labels = common % (n_labels + 1)
    key_starts = common // (n_labels + 1) // corpus.width
    key_docs = np.searchsorted(corpus.bases, key_starts, side="right") - 1
    labels[:, 2] = np.bincount(key_labels, weights=times, minlength=n_labels + 1)[1:]
    docs[:, 2] = np.bincount(key_docs, weights=times, minlength=n_docs)
    hit_a, hit_b = np.zeros(len(sa), dtype=bool), np.zeros(len(sb), dtype=bool)
    for code in range(1, n_labels + 1):
        wa, wb = ca == code, cb == code
        if wa.any() and wb.any():
            hit_a[wa] = m.overlapped(sa[wa], ea[wa], sb[wb], eb[wb])
            hit_b[wb] = m.overlapped(sb[wb], eb[wb], sa[wa], ea[wa])
    labels[:, 3] = np.bincount(ca[hit_a], minlength=n_labels + 1)[1:]
    labels[:, 4] = np.bincount(cb[hit_b], minlength=n_labels + 1)[1:]
    docs[:, 3] = np.bincount(da[hit_a], minlength=n_docs)
    docs[:, 4] = np.bincount(db[hit_b], minlength=n_docs)
    mask = both[corpus.tok_doc]
    codes_a, member_a = tokens[a][0][mask], tokens[a][1][mask]
    codes_b, member_b = tokens[b][0][mask], tokens[b][1][mask]
    size = n_labels + 1
    confusion = np.bincount(codes_a * size + codes_b, minlength=size * size).reshape(size, size)
    binary = np.stack([(member_a & member_b).sum(0), (member_a & ~member_b).sum(0),
                       (~member_a & member_b).sum(0), (~member_a & ~member_b).sum(0)], axis=1)
    structure = {f: [0, 0, 0] for f, _h, _roles in families}
    doc_structure = np.zeros((n_docs, 2), dtype=np.int64)
    for d in np.nonzero(both)[0]:
        ta, tb = la.triples.get(d, {}), lb.triples.get(d, {})
        for f, _h, _roles in families:
            xa, xb = ta.get(f, []), tb.get(f, [])
            hit = m.triple_matches(xa, xb) if xa and xb else 0
            cell = structure[f]
            cell[0], cell[1], cell[2] = cell[0] + len(xa), cell[1] + len(xb), cell[2] + hit
            doc_structure[d] += (2 * hit, len(xa) + len(xb))
    return PairFigures(labels, docs, confusion, binary, structure, doc_structure,
                       int(both.sum()), int(mask.sum()))


def _alpha(corpus: Corpus, tokens: dict, rows: dict, n_labels: int
           ) -> tuple[float | None, list[float | None]]:
    """Krippendorff's alpha over token units (an annotator who did not label a document is
    missing there): over the innermost labels, and per label (inside a span of it or not).
    Only the units coders disagree on are built row by row; the rest are counted
    (m.ValueCounts says why that is exact)."""
    n_tok = len(corpus.tok_start)
    here = np.stack([corpus.cover[rows[n]][corpus.tok_doc] for n in tokens]) if tokens \
        else np.zeros((0, n_tok), dtype=bool)
    codes = np.stack([tokens[n][0] for n in tokens]) if tokens else np.zeros((0, n_tok), int)
    coders = here.sum(axis=0)
    big = n_labels + 1
    low = np.where(here, codes, big).min(axis=0)
    high = np.where(here, codes, -1).max(axis=0)
    everything = m.ValueCounts(big)
    same = (coders >= 2) & (low == high)
    everything.unanimous += np.bincount(low[same], weights=coders[same],
                                        minlength=big).astype(np.int64)
    mixed = np.nonzero((coders >= 2) & (low != high))[0]
    if len(mixed):
        counts = np.zeros((len(mixed), big), dtype=np.int64)
        for k in range(len(tokens)):
            on = here[k, mixed]
            np.add.at(counts, (np.nonzero(on)[0], codes[k, mixed[on]]), 1)
        everything.mixed.append(counts)
    inside = np.zeros((n_tok, n_labels), dtype=np.int16)
    for k, name in enumerate(tokens):
        inside += tokens[name][1] & here[k][:, None]
    per_label = []
    top = int(coders.max()) + 1 if n_tok else 1
    for i in range(n_labels):
        # units differ only by (coders, inside): count each kind once, then expand the mixed
        kinds = np.bincount(coders * top + inside[:, i], minlength=top * top)
        vc = m.ValueCounts(2)
        for kind in np.nonzero(kinds)[0]:
            c, k = divmod(int(kind), top)
            if c < 2:
                continue
            if k in (0, c):
                vc.unanimous[1 if k else 0] += c * int(kinds[kind])
            else:
                vc.mixed.append(np.repeat([[c - k, k]], int(kinds[kind]), axis=0))
        per_label.append(vc.alpha())
    return everything.alpha(), per_label


def _documents(corpus: Corpus, pairs: dict[tuple[str, str], PairFigures]) -> list[dict]:
    """Every document, lowest agreement first: means over the pairs that labelled it."""
    out = []
    for d, doc_id in enumerate(corpus.doc_ids):
        exact, overlap, structure = [], [], []
        for (a, b), p in pairs.items():
            i, j = corpus.names.index(a), corpus.names.index(b)
            if not (corpus.cover[i, d] and corpus.cover[j, d]):
                continue
            row = p.docs[d]
            if row[0] + row[1] == 0:  # both found nothing: full agreement
                exact.append(1.0)
                overlap.append(1.0)
            else:
                e, o = p.f1(row)
                exact.append(e)
                overlap.append(o)
            num, den = p.doc_structure[d]
            structure.append(num / den if den else None)
        out.append({"doc_id": doc_id, "title": corpus.titles[d],
                    "annotators": [n for k, n in enumerate(corpus.names) if corpus.cover[k, d]],
                    "span_f1_exact": _r(_mean(exact)), "span_f1_overlap": _r(_mean(overlap)),
                    "structure_f1": _r(_mean(structure))})
    out.sort(key=lambda x: (x["span_f1_exact"], x["span_f1_overlap"], x["doc_id"]))
    return out
