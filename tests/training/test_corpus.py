"""Training material from the store: what counts, what is missing, and the train/dev split."""

from __future__ import annotations

import spacy

from annotator.domain import ACCEPTED, DOC_DONE, DOC_IN_PROGRESS, REJECTED, AnnotatedDocument, Document, Span
from annotator.schema import load_schema
from annotator.store import Store
from annotator.training.corpus import (
    Conversion,
    LabelledDocument,
    LabelledSpan,
    LabelPlan,
    plan_labels,
    read_documents,
    split,
    to_spacy_docs,
)

TEXT = "Amara Velko met Norland officials in Port Ilse on Tuesday."


def test_reads_done_documents_and_accepted_labels_only(tmp_path):
    with Store(tmp_path / "p.db") as store:
        ids = store.add_documents([
            AnnotatedDocument(Document(text=TEXT + " 1", status=DOC_DONE)),
            AnnotatedDocument(Document(text=TEXT + " 2", status=DOC_IN_PROGRESS),
                              [Span(None, 0, 11, "PERSON", ACCEPTED), Span(None, 16, 23, "GPE", REJECTED)]),
            AnnotatedDocument(Document(text=TEXT + " 3", status=DOC_IN_PROGRESS),
                              [Span(None, 16, 23, "GPE", REJECTED)]),
        ])
        docs = read_documents(store)
    assert [d.doc_id for d in docs] == ids[:2]
    assert docs[0].complete and not docs[0].spans
    assert not docs[1].complete and docs[1].spans == [LabelledSpan(0, 11, "PERSON")]


def test_ner_examples_missing_where_nobody_looked():
    nlp = spacy.blank("en")
    spans = [LabelledSpan(0, 11, "PERSON"), LabelledSpan(16, 23, "GPE"), LabelledSpan(50, 57, "DATE")]
    done = LabelledDocument(1, TEXT, spans, complete=True)
    half = LabelledDocument(2, TEXT, spans[:1], complete=False)
    plan = LabelPlan(ner=frozenset({"PERSON", "GPE"}), spans=frozenset(), entity_others=frozenset({"DATE"}))
    report = Conversion()
    a, b = to_spacy_docs(nlp, [done, half], plan, report)
    iob = {t.text: t.ent_iob_ for t in a}
    assert (iob["Amara"], iob["Norland"], iob["met"]) == ("B", "B", "O")
    assert iob["Tuesday"] == "", "an entity label not trained is unknown, not 'no entity'"
    iob = {t.text: t.ent_iob_ for t in b}
    assert (iob["Amara"], iob["met"], iob["Norland"]) == ("B", "", "")
    assert not report.notes()


def test_span_examples_and_counted_leftovers():
    nlp = spacy.blank("en")
    spans = [LabelledSpan(0, 11, "SPEAKER"), LabelledSpan(1, 5, "QUOTE"), LabelledSpan(0, 5, "PERSON"),
             LabelledSpan(0, 11, "PERSON")]
    plan = LabelPlan(ner=frozenset({"PERSON"}), spans=frozenset({"SPEAKER", "QUOTE"}))
    report = Conversion()
    (doc,) = to_spacy_docs(nlp, [LabelledDocument(1, TEXT, spans, True)], plan, report)
    assert sorted((s.text, s.label_) for s in doc.spans["learned"]) == [("Amara", "QUOTE"), ("Amara Velko", "SPEAKER")]
    assert [(e.text, e.label_) for e in doc.ents] == [("Amara Velko", "PERSON")]
    assert report.overlapping_entities == 1 and "overlapping entity span" in report.notes()[0]


def test_label_plan_trains_what_has_enough_and_names_what_does_not():
    schema = load_schema()
    docs = [LabelledDocument(i, TEXT, [LabelledSpan(0, 11, "PERSON")] * 5 + [LabelledSpan(0, 5, "QUOTE")], True)
            for i in range(3)]
    ready = plan_labels(schema, docs, min_spans=10, min_docs=2)
    assert ready.plan.ner == {"PERSON"} and not ready.plan.spans and ready.ok
    assert "QUOTE: 3 accepted span(s) in 3 document(s); need at least 10 in 2 documents" in ready.skipped
    assert "GPE" in ready.plan.entity_others
    asked = plan_labels(schema, docs, ["PERSON", "QUOTE"])
    assert not asked.ok and asked.refused == [
        "QUOTE: 3 accepted span(s) in 3 document(s); need at least 10 in 2 documents"]


def test_split_is_by_document_and_reproducible():
    docs = [LabelledDocument(i, TEXT) for i in range(10)]
    train, dev = split(docs, 0.2, seed=3)
    assert len(dev) == 2 and len(train) == 8 and not {d.doc_id for d in dev} & {d.doc_id for d in train}
    assert split(docs, 0.2, seed=3) == (train, dev)
    assert split(docs[:2], 0.9, seed=0)[0], "always something to train on"
    assert split(docs, 0.0, seed=0) == (docs, [])
