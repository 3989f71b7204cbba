"""Training material: the project's accepted labels as plain data, checks, and spaCy DocBins.

Which documents teach: every document marked done (complete: text without a label is "not an
entity", "not a quote") and every other document with at least one accepted label. In those
unfinished ones the NER treats unlabelled tokens as unknown (spaCy's missing value), so a half-read
article does not teach "this is no name"; the span categorizer has no such notion, so for it an
unfinished document's unlabelled text counts as negative -- mark documents done when finished.

Entity labels (schema group "entity") train the NER; the other labels (speech, threat, event)
train the span categorizer. Entity spans of labels not being trained are set missing for the
NER, so it keeps what the base model knew about them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import ACCEPTED, DOC_DONE

MIN_SPANS = 10
MIN_DOCS = 2


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str


@dataclass
class LabelledDocument:
    doc_id: int
    text: str
    spans: list[LabelledSpan] = field(default_factory=list)
    complete: bool = False  # marked done: unlabelled text is a negative example

    @property
    def words(self) -> int:
        return len(self.text.split())


def open_store(store_or_path) -> tuple[object, bool]:
    """(store, opened here): a path is opened here, in the calling thread (a GUI worker
    passes the path, since SQLite connections stay in their thread)."""
    from annotator.store import Store

    if isinstance(store_or_path, (str, Path)):
        return Store(store_or_path, create=False), True
    return store_or_path, False


def training_spans(store, doc_id: int) -> list[LabelledSpan]:
    """The labels a document teaches. Today: the accepted spans. Hook for the curated
    (adjudicated) layer: when it exists, read it here first and fall back to accepted spans."""
    return [LabelledSpan(s.start, s.end, s.label) for s in store.spans(doc_id, statuses=[ACCEPTED])]


def read_documents(store, doc_ids: Iterable[int] | None = None) -> list[LabelledDocument]:
    """Documents that teach (done, or with accepted labels), read through the store's public
    read methods only."""
    out = []
    for doc_id in (store.document_ids() if doc_ids is None else doc_ids):
        doc = store.document(doc_id)
        spans = training_spans(store, doc_id)
        complete = doc.status == DOC_DONE
        if spans or complete:
            out.append(LabelledDocument(doc_id, doc.text, spans, complete))
    return out


@dataclass(frozen=True)
class LabelCount:
    label: str
    spans: int
    documents: int

    def enough(self, min_spans: int, min_docs: int) -> bool:
        return self.spans >= min_spans and self.documents >= min_docs

    def need(self, min_spans: int, min_docs: int) -> str:
        return (f"{self.label}: {self.spans} accepted span(s) in {self.documents} document(s); "
                f"need at least {min_spans} in {min_docs} documents")


def count_labels(docs: Sequence[LabelledDocument], labels: Iterable[str]) -> dict[str, LabelCount]:
    out = {}
    for label in labels:
        n = [sum(1 for s in d.spans if s.label == label) for d in docs]
        out[label] = LabelCount(label, sum(n), sum(1 for k in n if k))
    return out


@dataclass(frozen=True)
class LabelPlan:
    """Which labels each trained component learns."""

    ner: frozenset[str] = frozenset()  # entity labels the NER learns
    spans: frozenset[str] = frozenset()  # labels the span categorizer learns
    entity_others: frozenset[str] = frozenset()  # entity labels not learned: missing for the NER
    spans_key: str = "learned"

    @property
    def labels(self) -> list[str]:
        return sorted(self.ner | self.spans)


@dataclass
class Readiness:
    plan: LabelPlan
    counts: dict[str, LabelCount]
    skipped: list[str] = field(default_factory=list)  # too few, not asked for: left out
    refused: list[str] = field(default_factory=list)  # too few, asked for: training refused

    @property
    def ok(self) -> bool:
        return not self.refused and bool(self.plan.labels)


def plan_labels(schema, docs: Sequence[LabelledDocument], requested: Sequence[str] = (),
                min_spans: int = MIN_SPANS, min_docs: int = MIN_DOCS) -> Readiness:
    """Decide what to train. Labels asked for (`requested`) must all have enough accepted spans,
    or nothing is trained; without a request every label with enough is trained and the others
    are reported as skipped, with what they need."""
    entity = {lab.name for lab in schema.labels if lab.group == "entity"}
    names = list(requested) or schema.label_names()
    unknown = [n for n in names if schema.label(n) is None]
    if unknown:
        raise ValueError(f"unknown label(s) {', '.join(unknown)}; the project's labels are "
                         f"{', '.join(schema.label_names())}")
    counts = count_labels(docs, names)
    ok = {n for n, c in counts.items() if c.enough(min_spans, min_docs)}
    short = [counts[n].need(min_spans, min_docs) for n in names if n not in ok]
    plan = LabelPlan(ner=frozenset(ok & entity), spans=frozenset(ok - entity),
                     entity_others=frozenset(entity - ok))
    if requested:
        return Readiness(plan, counts, refused=short)
    return Readiness(plan, counts, skipped=short)


def split(docs: Sequence[LabelledDocument], dev_fraction: float, seed: int
          ) -> tuple[list[LabelledDocument], list[LabelledDocument]]:
    """(train, dev) by document. dev_fraction 0 gives no dev documents; otherwise at least one
    document on each side."""
    docs = sorted(docs, key=lambda d: d.doc_id)
    if dev_fraction <= 0 or len(docs) < 2:
        return list(docs), []
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    n_dev = min(len(docs) - 1, max(1, round(len(docs) * dev_fraction)))
    dev = sorted(order[:n_dev])
    return [docs[i] for i in sorted(order[n_dev:])], [docs[i] for i in dev]


@dataclass
class Conversion:
    """What could not become a training example, counted (nothing is dropped silently)."""

    misaligned: int = 0  # spans whose ends fall inside a token even after expanding
    overlapping_entities: int = 0  # nested/overlapping entity spans the NER cannot take

    def notes(self) -> list[str]:
        out = []
        if self.misaligned:
            out.append(f"{self.misaligned} span(s) not on token boundaries were left out")
        if self.overlapping_entities:
            out.append(f"{self.overlapping_entities} overlapping entity span(s) were left out of "
                       "the NER examples (it takes one entity per token)")
        return out


def to_spacy_docs(nlp, docs: Sequence[LabelledDocument], plan: LabelPlan, report: Conversion) -> list:
    """Reference Docs for spaCy's Corpus reader: ``doc.ents`` for the NER labels (missing outside
    them in unfinished documents and over entity labels not trained) and
    ``doc.spans[plan.spans_key]`` for the span categorizer's labels."""
    from spacy.util import filter_spans

    ner_labels, other_entity_labels = plan.ner, plan.entity_others
    wanted = plan.ner | plan.spans | plan.entity_others
    out = []
    for d in docs:
        doc = nlp.make_doc(d.text)
        ents, missing, spans = [], [], []
        for s in d.spans:
            if s.label not in wanted:
                continue
            span = doc.char_span(s.start, s.end, label=s.label) or doc.char_span(
                s.start, s.end, label=s.label, alignment_mode="expand")
            if span is None or not len(span):
                report.misaligned += 1
                continue
            if s.label in ner_labels:
                ents.append(span)
            elif s.label in other_entity_labels:
                missing.append(span)
            else:
                spans.append(span)
        kept = filter_spans(ents)
        report.overlapping_entities += len(ents) - len(kept)
        taken = {i for e in kept for i in range(e.start, e.end)}
        missing = [m for m in missing if not taken & set(range(m.start, m.end))]
        if ner_labels:
            doc.set_ents(kept, missing=filter_spans(missing),
                         default="outside" if d.complete else "missing")
        doc.spans[plan.spans_key] = spans
        out.append(doc)
    return out


def write_docbin(docs: list, path: Path) -> Path:
    from spacy.tokens import DocBin

    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return path
