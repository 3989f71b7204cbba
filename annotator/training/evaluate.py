"""Per-label precision / recall / F1 of two pipelines' suggestions on the same labelled documents.

What is scored is what the analyst would see: `doc_to_suggestions` output (rules, NER and, in a
trained pipeline, the learned spans merged in), matched exactly on (start, end, label) against the
accepted labels. Both pipelines run on the same held-out dev documents, side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.training.corpus import LabelledDocument


@dataclass(frozen=True)
class PRF:
    hits: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def p(self) -> float:
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def r(self) -> float:
        return self.hits / self.gold if self.gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass(frozen=True)
class LabelScores:
    label: str  # or "all" for the micro average over the scored labels
    gold: int
    base: PRF
    trained: PRF


def suggested(nlp, schema, texts: Sequence[str]) -> list[set[tuple[int, int, str]]]:
    from annotator.nlp.suggestions import doc_to_suggestions

    return [{(s.start, s.end, s.label) for s in doc_to_suggestions(doc, schema)[0]}
            for doc in nlp.pipe(texts, batch_size=16)]


def _prf(pred: list[set], gold: list[set], label: str | None, labels: set[str]) -> PRF:
    hits = n_p = n_g = 0
    for p, g in zip(pred, gold):
        p = {x for x in p if (x[2] == label if label else x[2] in labels)}
        g = {x for x in g if (x[2] == label if label else x[2] in labels)}
        hits += len(p & g)
        n_p += len(p)
        n_g += len(g)
    return PRF(hits, n_p, n_g)


def compare(base_nlp, trained_nlp, schema, docs: Sequence[LabelledDocument],
            labels: Sequence[str]) -> list[LabelScores]:
    """One row per label (in `labels` order) plus "all"; exact span matches."""
    texts = [d.text for d in docs]
    gold = [{(s.start, s.end, s.label) for s in d.spans} for d in docs]
    base = suggested(base_nlp, schema, texts)
    trained = suggested(trained_nlp, schema, texts)
    wanted = set(labels)
    rows = [LabelScores(lab, _prf(gold, gold, lab, wanted).gold, _prf(base, gold, lab, wanted),
                        _prf(trained, gold, lab, wanted)) for lab in labels]
    rows.append(LabelScores("all", sum(r.gold for r in rows), _prf(base, gold, None, wanted),
                            _prf(trained, gold, None, wanted)))
    return rows
