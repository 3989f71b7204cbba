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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from annotator.domain import ACCEPTED, SPAN_STATUSES, Relation, Span
from annotator.schema import LabelSchema
from annotator.team import measures as m
from annotator.team.identity import CURATED

FORMAT = "news-annotator-agreement/1"
# structure families: (name, head label, roles); event roles are every role an EVENT heads,
# except links to other events
STRUCTURE = (("speech", "QUOTE", ("SAID_BY",)), ("threat", "THREAT", ("SOURCE", "TARGET")))
EVENT_LINKS = ("RESULTED_IN", "FOLLOWED", "SAME_AS")


@dataclass
class DocLayers:
    """One document and the layers of the annotators who labelled it (two or more)."""

    doc_id: int
    title: str
    text: str
    spans: dict[str, list[Span]]  # every status: relation ends may be suggestions
    relations: dict[str, list[Relation]] = field(default_factory=dict)

    @property
    def annotators(self) -> list[str]:
        return sorted(self.spans)


def structure_families(schema: LabelSchema) -> list[tuple[str, str, tuple[str, ...]]]:
    events = tuple(r.role for r in schema.relations if r.heads == frozenset({"EVENT"})
                   and r.role not in EVENT_LINKS)
    return [*STRUCTURE, ("event", "EVENT", events)]


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
    covered = {d: sorted(who & set(names)) for d, who in store.coverage().items()}
    covered = {d: who for d, who in covered.items() if len(who) >= 2}
    spans, rels = store.layers_of(covered, names, SPAN_STATUSES)
    texts = store.titles_and_texts(covered)
    docs = [DocLayers(d, texts[d][0], texts[d][1], {n: spans[d][n] for n in covered[d]},
                      {n: rels[d][n] for n in covered[d]}) for d in sorted(covered)]
    report = compute(names, wanted, docs, structure_families(store.schema), progress)
    report["project_id"] = store.project_id()
    return report


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


class _PairCounts:
    """Running counts of one annotator pair (or of everything), per label."""

    def __init__(self, n_labels: int):
        self.n_a = np.zeros(n_labels, dtype=np.int64)
        self.n_b = np.zeros(n_labels, dtype=np.int64)
        self.tp = np.zeros(n_labels, dtype=np.int64)
        self.m_a = np.zeros(n_labels, dtype=np.int64)
        self.m_b = np.zeros(n_labels, dtype=np.int64)
        self.confusion = np.zeros((n_labels + 1, n_labels + 1), dtype=np.int64)
        self.binary = np.zeros((n_labels, 4), dtype=np.int64)  # n11, n10, n01, n00
        self.documents = 0
        self.tokens = 0

    def f1(self, i: int | None = None) -> tuple[float | None, float | None]:
        pick = slice(None) if i is None else slice(i, i + 1)
        n_a, n_b = int(self.n_a[pick].sum()), int(self.n_b[pick].sum())
        return (m.f1_exact(n_a, n_b, int(self.tp[pick].sum())),
                m.f1_overlap(n_a, n_b, int(self.m_a[pick].sum()), int(self.m_b[pick].sum())))

    def kappa(self, i: int | None = None) -> float | None:
        if i is None:
            return m.cohen_kappa(self.confusion)
        n11, n10, n01, n00 = self.binary[i]
        return m.cohen_kappa(np.array([[n11, n10], [n01, n00]]))


def compute(names: list[str], labels: list[str], docs: list[DocLayers],
            families: list[tuple[str, str, tuple[str, ...]]],
            progress: Callable[[int, int], None] | None = None) -> dict:
    """The report from loaded layers (pure: no store)."""
    code_of = {lab: i + 1 for i, lab in enumerate(labels)}
    n_labels = len(labels)
    pairs = {p: _PairCounts(n_labels) for p in combinations(names, 2)}
    structure = {(f, p): [0, 0, 0] for f, _h, _roles in families for p in pairs}  # n_a, n_b, match
    triple_count = {(f, n): 0 for f, _h, _roles in families for n in names}
    alpha_all = m.ValueCounts(n_labels + 1)
    alpha_label = [m.ValueCounts(2) for _ in labels]
    span_count = {(lab, n): 0 for lab in labels for n in names}
    per_doc, n_tokens = [], 0
    for k, doc in enumerate(docs, start=1):
        starts, ends = m.tokens(doc.text)
        n_tokens += len(starts)
        accepted = {n: [s for s in doc.spans[n] if s.status == ACCEPTED and s.label in code_of]
                    for n in doc.annotators}
        tok = {n: m.token_labels(accepted[n], starts, ends, code_of) for n in doc.annotators}
        for n in doc.annotators:
            for s in accepted[n]:
                span_count[(s.label, n)] += 1
        triples = {n: _triples(doc, n, families) for n in doc.annotators}
        for (f, _h, _roles) in families:
            for n in doc.annotators:
                triple_count[(f, n)] += len(triples[n][f])
        _add_alpha(alpha_all, alpha_label, [tok[n] for n in doc.annotators], n_labels)
        doc_scores = []
        for a, b in combinations(doc.annotators, 2):
            counts = pairs[(a, b)]
            scores = _add_pair(counts, accepted[a], accepted[b], tok[a], tok[b], code_of)
            counts.documents += 1
            counts.tokens += len(starts)
            s_num = s_den = 0
            for f, _h, _roles in families:
                ta, tb = triples[a][f], triples[b][f]
                hit = m.triple_matches(ta, tb)
                cell = structure[(f, (a, b))]
                cell[0] += len(ta)
                cell[1] += len(tb)
                cell[2] += hit
                s_num, s_den = s_num + 2 * hit, s_den + len(ta) + len(tb)
            doc_scores.append((*scores, s_num / s_den if s_den else None))
        per_doc.append({
            "doc_id": doc.doc_id, "title": doc.title, "annotators": doc.annotators,
            "span_f1_exact": _r(_mean(x[0] for x in doc_scores)),
            "span_f1_overlap": _r(_mean(x[1] for x in doc_scores)),
            "structure_f1": _r(_mean(x[2] for x in doc_scores)),
        })
        if progress:
            progress(k, len(docs))
    per_doc.sort(key=lambda d: (d["span_f1_exact"], d["span_f1_overlap"], d["doc_id"]))
    return _assemble(names, labels, docs, pairs, structure, triple_count, alpha_all, alpha_label,
                     span_count, per_doc, n_tokens, families)


def _add_pair(counts: _PairCounts, a: list[Span], b: list[Span], tok_a, tok_b,
              code_of: dict[str, int]) -> tuple[float, float]:
    """Add one document of a pair; returns its span F1 (exact, overlap; 1.0 if both are empty)."""
    n_a = n_b = tp = m_a = m_b = 0
    for lab, i in code_of.items():
        la = [s for s in a if s.label == lab]
        lb = [s for s in b if s.label == lab]
        if not la and not lb:
            continue
        hit = m.exact_matches(la, lb)
        oa, ob = m.overlap_matches(la, lb)
        counts.n_a[i - 1] += len(la)
        counts.n_b[i - 1] += len(lb)
        counts.tp[i - 1] += hit
        counts.m_a[i - 1] += oa
        counts.m_b[i - 1] += ob
        n_a, n_b, tp, m_a, m_b = n_a + len(la), n_b + len(lb), tp + hit, m_a + oa, m_b + ob
    codes_a, member_a = tok_a
    codes_b, member_b = tok_b
    size = len(code_of) + 1
    counts.confusion += np.bincount(codes_a * size + codes_b, minlength=size * size
                                    ).reshape(size, size)
    counts.binary += np.stack([(member_a & member_b).sum(0), (member_a & ~member_b).sum(0),
                               (~member_a & member_b).sum(0), (~member_a & ~member_b).sum(0)],
                              axis=1)
    if n_a + n_b == 0:
        return 1.0, 1.0
    return m.f1_exact(n_a, n_b, tp), m.f1_overlap(n_a, n_b, m_a, m_b)


def _add_alpha(alpha_all: m.ValueCounts, alpha_label: list[m.ValueCounts], toks: list,
               n_labels: int) -> None:
    """One document's tokens as units, coded by each annotator who labelled it."""
    if not len(toks[0][0]):
        return
    units = len(toks[0][0])
    counts = np.zeros((units, n_labels + 1), dtype=np.int64)
    for codes, _member in toks:
        counts[np.arange(units), codes] += 1
    alpha_all.add(counts)
    inside = sum(member.astype(np.int64) for _codes, member in toks)  # (units, labels)
    coders = len(toks)
    for i, vc in enumerate(alpha_label):
        vc.add(np.stack([coders - inside[:, i], inside[:, i]], axis=1))


def _names_of(text: str, spans: dict[int, Span], relations: list[Relation]) -> dict[int, str]:
    """Span id -> canonical name (normalised; "" if none is known): the `canonical_name`
    attribute, else the mention's own text unless it is a pronoun, else the name of a mention
    joined to it by SAME_AS."""
    linked: dict[int, list[int]] = {}
    for r in relations:
        if r.role == "SAME_AS" and r.status == ACCEPTED:
            linked.setdefault(r.head_id, []).append(r.tail_id)
            linked.setdefault(r.tail_id, []).append(r.head_id)

    def own(s: Span) -> str:
        given = str(s.attrs.get("canonical_name") or "")
        if given:
            return m.normal_name(given)
        words = text[s.start:s.end]
        return "" if m.is_pronoun(words) else m.normal_name(words)

    names = {}
    for sid, s in spans.items():
        name = own(s)
        for other in ([] if name else linked.get(sid, [])):
            if other in spans and (name := own(spans[other])):
                break
        names[sid] = name
    return names


def _triples(doc: DocLayers, who: str, families) -> dict[str, list[tuple]]:
    """One annotator's structure triples per family: (head span, role, tail span, tail name)."""
    spans = {s.id: s for s in doc.spans[who]}
    rels = doc.relations.get(who, [])
    names = _names_of(doc.text, spans, rels)
    out: dict[str, list[tuple]] = {}
    for family, head_label, roles in families:
        found = []
        for r in rels:
            if r.status != ACCEPTED or r.role not in roles:
                continue
            head, tail = spans.get(r.head_id), spans.get(r.tail_id)
            if head is None or tail is None or head.label != head_label:
                continue
            found.append(((head.start, head.end, head.label), r.role, (tail.start, tail.end),
                          names[tail.id]))
        out[family] = found
    return out


def _assemble(names, labels, docs, pairs, structure, triple_count, alpha_all, alpha_label,
              span_count, per_doc, n_tokens, families) -> dict:
    total = _PairCounts(len(labels))
    for counts in pairs.values():
        for attr in ("n_a", "n_b", "tp", "m_a", "m_b"):
            setattr(total, attr, getattr(total, attr) + getattr(counts, attr))
    exact, overlap = total.f1()
    s_all = [sum(c[i] for c in structure.values()) for i in range(3)]
    per_label = []
    for i, lab in enumerate(labels):
        e, o = total.f1(i)
        per_label.append({
            "label": lab, "spans": {n: span_count[(lab, n)] for n in names},
            "span_f1_exact": _r(e), "span_f1_overlap": _r(o),
            "kappa": _r(_mean(c.kappa(i) for c in pairs.values() if c.documents)),
            "alpha": _r(alpha_label[i].alpha()),
        })
    per_pair = []
    for (a, b), c in pairs.items():
        e, o = c.f1()
        n_a = sum(structure[(f, (a, b))][0] for f, _h, _roles in families)
        n_b = sum(structure[(f, (a, b))][1] for f, _h, _roles in families)
        hit = sum(structure[(f, (a, b))][2] for f, _h, _roles in families)
        per_pair.append({
            "annotators": [a, b], "documents": c.documents, "tokens": c.tokens,
            "span_f1_exact": _r(e), "span_f1_overlap": _r(o), "kappa": _r(c.kappa()),
            "structure_f1": _r(m.f1_exact(n_a, n_b, hit)),
            "per_label": {lab: {"span_f1_exact": _r(c.f1(i)[0]),
                                "span_f1_overlap": _r(c.f1(i)[1]), "kappa": _r(c.kappa(i))}
                          for i, lab in enumerate(labels)},
        })
    struct = []
    for f, head, roles in families:
        cells = {p: structure[(f, p)] for p in pairs}
        sums = [sum(c[i] for c in cells.values()) for i in range(3)]
        struct.append({
            "kind": f, "head": head, "roles": list(roles),
            "triples": {n: triple_count[(f, n)] for n in names},
            "f1": _r(m.f1_exact(sums[0], sums[1], sums[2])),
            "per_pair": [{"annotators": list(p), "f1": _r(m.f1_exact(*c))}
                         for p, c in cells.items()],
        })
    return {
        "format": FORMAT,
        "annotators": names,
        "labels": labels,
        "documents": len(docs),
        "tokens": n_tokens,
        "overall": {
            "span_f1_exact": _r(exact), "span_f1_overlap": _r(overlap),
            "kappa": _r(_mean(c.kappa() for c in pairs.values() if c.documents)),
            "alpha": _r(alpha_all.alpha()),
            "structure_f1": _r(m.f1_exact(*s_all)),
        },
        "per_label": per_label,
        "per_pair": per_pair,
        "structure": struct,
        "documents_by_agreement": per_doc,
    }
