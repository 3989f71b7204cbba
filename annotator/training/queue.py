"""Most useful next: unfinished documents ordered by how much labelling them would teach the model.

Active learning by uncertainty and disagreement. For each unfinished document the (trained)
pipeline runs once and we collect

* uncertain spans -- span categorizer candidates whose best label scores between `low` and
  `high` (0.2-0.8 by default: the model cannot decide); overlapping candidates of one label count
  once, the most uncertain standing for them; each weighs 1 - |2s - 1| (1 at s = 0.5);
* disagreements -- where the trained model and the rules part ways (recorded by the
  ``news_learned_spans`` merger: the model relabels a rule span, the rules keep theirs against
  a confident model, the model doubts a rule span, or prefers other bounds) and entity spans the
  rules propose that the NER does not; each weighs 1.

A document's value is the sum; highest first, ties by document id. Every item says why. Without
a trained model (no span categorizer) only the NER/rule disagreements are left, and the result
says so. Results are plain data for the CLI and a future GUI command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.domain import DOC_IN_PROGRESS, DOC_NEW

LOW, HIGH = 0.2, 0.8
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE")


@dataclass(frozen=True)
class Reason:
    kind: str  # uncertain | model_relabels | rules_kept | model_doubts | boundary | ner_rules
    label: str
    start: int  # character offsets in the document
    end: int
    text: str
    score: float | None = None
    other: str = ""

    @property
    def weight(self) -> float:
        if self.kind == "uncertain" and self.score is not None:
            return 1.0 - abs(2.0 * self.score - 1.0)
        return 1.0

    def describe(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        score = f" ({self.score:.2f})" if self.score is not None else ""
        return {
            "uncertain": f'{self.label} "{text}"{score}',
            "model_relabels": f'model relabels {self.other} "{text}" as {self.label}{score}',
            "rules_kept": f'rules say {self.label} "{text}", model says {self.other}{score}',
            "model_doubts": f'model doubts {self.label} "{text}"{score}',
            "boundary": f'model bounds {self.label} differently: "{text}"{score}',
            "ner_rules": f'rules say {self.label} "{text}", the NER does not',
        }.get(self.kind, f"{self.kind} {self.label} \"{text}\"")


@dataclass
class QueueItem:
    doc_id: int
    title: str
    status: str
    uncertain: list[Reason] = field(default_factory=list)
    disagreements: list[Reason] = field(default_factory=list)

    @property
    def value(self) -> float:
        return sum(r.weight for r in self.uncertain) + sum(r.weight for r in self.disagreements)

    def why(self, examples: int = 3) -> str:
        parts = []
        for name, reasons in (("uncertain span", self.uncertain), ("disagreement", self.disagreements)):
            if reasons:
                top = sorted(reasons, key=lambda r: -r.weight)[:examples]
                more = f"; +{len(reasons) - examples} more" if len(reasons) > examples else ""
                parts.append(f"{len(reasons)} {name}(s): " + "; ".join(r.describe() for r in top) + more)
        return " | ".join(parts) or "nothing uncertain: the model agrees with itself and the rules"


@dataclass
class QueueResult:
    items: list[QueueItem]
    origin: str
    considered: int = 0
    cancelled: bool = False
    notes: list[str] = field(default_factory=list)


def rank(items: list[QueueItem]) -> list[QueueItem]:
    return sorted(items, key=lambda it: (-it.value, it.doc_id))


def most_uncertain(candidates: list[Reason]) -> list[Reason]:
    """One candidate per overlapping group of one label: the most uncertain."""
    kept: list[Reason] = []
    for r in sorted(candidates, key=lambda r: (-r.weight, r.start, r.end)):
        if not any(k.label == r.label and k.start < r.end and r.start < k.end for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: (r.start, r.end))


def uncertain_spans(doc, spancat, low: float = LOW, high: float = HIGH) -> list[Reason]:
    indices, scores = spancat.predict([doc])
    if not len(scores):
        return []
    labels = list(spancat.labels)
    rows = spancat.model.ops.to_numpy(indices.dataXd).tolist()
    scores = spancat.model.ops.to_numpy(scores)
    found = []
    for (start, end), row in zip(rows, scores):
        j = int(row.argmax())
        s = float(row[j])
        if low <= s < high:
            span = doc[start:end]
            found.append(Reason("uncertain", labels[j], span.start_char, span.end_char, span.text, s))
    return most_uncertain(found)


def disagreements(doc) -> list[Reason]:
    from annotator.nlp.docdata import news_spans

    text = doc.text
    out = [Reason(c["kind"], c["label"], c["start"], c["end"], text[c["start"]:c["end"]],
                  c.get("score"), c.get("other", "")) for c in (doc._.news_learned or [])]
    ents = {(e.start, e.end, e.label_) for e in doc.ents}
    for span in news_spans(doc):
        if span.label_ in ENTITY_LABELS and (span.start, span.end, span.label_) not in ents:
            out.append(Reason("ner_rules", span.label_, span.start_char, span.end_char, span.text))
    return out


def most_useful_next(store_or_path, model: str | None = None, nlp=None, limit: int | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] = lambda: False) -> QueueResult:
    """Unfinished documents, most useful first (at most `limit`)."""
    from annotator.nlp.models import load_pipeline, model_origin
    from annotator.training.corpus import open_store

    nlp = nlp or load_pipeline(model)
    spancat = nlp.get_pipe("spancat") if "spancat" in nlp.pipe_names else None
    result = QueueResult([], model_origin(nlp))
    if spancat is None:
        result.notes.append("no trained span model in this pipeline: ordered by NER/rule "
                            "disagreement only (train one with `annotator train`)")
    store, owned = open_store(store_or_path)
    try:
        todo = sorted(store.document_ids(DOC_NEW) + store.document_ids(DOC_IN_PROGRESS))
        result.considered = len(todo)
        texts = ((d.text, d) for d in map(store.document, todo))
        for n, (doc, d) in enumerate(nlp.pipe(texts, as_tuples=True, batch_size=16), 1):
            item = QueueItem(d.id, d.title, d.status, disagreements=disagreements(doc))
            if spancat is not None:
                item.uncertain = uncertain_spans(doc, spancat)
            result.items.append(item)
            if progress:
                progress(n, len(todo))
            if cancelled():
                result.cancelled = True
                break
    finally:
        if owned:
            store.close()
    result.items = rank(result.items)[:limit] if limit else rank(result.items)
    return result
