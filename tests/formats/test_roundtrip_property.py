"""Random texts (emoji, flags, CJK, combining marks, odd line breaks, tabs, NBSP) with random
overlapping labels survive export -> import in every format that has an importer."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import AnnotatedDocument, Document, Relation, Span
from annotator.formats.tokens import trim
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.store import Store

# Stored text never holds "\r": every importer normalises line endings to "\n".
ALPHABET = list("ab Z.,\n\t") + ["\u00a0", "\u2028", "\x85", "\x1c", "e\u0301", "\U0001F600",
                                    "\U0001F1F3\U0001F1F4", "\u738b", "\u6771\u4eac", "\u200b"]
LABELS = ["PERSON", "GPE", "QUOTE", "EVENT", "THREAT", "SPEAKER"]
ROLES = {("QUOTE", "SPEAKER"): "SAID_BY", ("EVENT", "PERSON"): "PARTICIPANT",
         ("EVENT", "GPE"): "PLACE", ("THREAT", "GPE"): "TARGET", ("PERSON", "GPE"): "SAME_AS"}
FORMATS = {"prodigy": "o.jsonl", "doccano": "o.jsonl", "labelstudio": "t.json", "brat": "b"}


@st.composite
def documents(draw):
    text = "".join(draw(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=40)))
    text = "x" + text  # never blank
    spans = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(Span(None, start, end, draw(st.sampled_from(LABELS)), id=i))
    relations = []
    for head in spans:
        for tail in spans:
            role = ROLES.get((head.label, tail.label))
            if role and head is not tail and draw(st.booleans()):
                relations.append(Relation(None, head.id, tail.id, role))
    return AnnotatedDocument(Document(text=text), spans, relations)


def _content(store, brat):
    (doc_id,) = store.document_ids()
    text = store.document(doc_id).text
    spans = {s.id: s for s in store.spans(doc_id)}

    def key(s):
        return (s.start, s.end, s.label)

    return (text, sorted({key(s) for s in spans.values()}),
            sorted({(key(spans[r.head_id]), key(spans[r.tail_id]), r.role)
                    for r in store.relations(doc_id)}))


def _expected(bundle, brat):
    text = bundle.document.text
    keys = {}
    for s in bundle.spans:
        a, b = trim(text, s.start, s.end) if brat else (s.start, s.end)
        if a < b:
            keys[s.id] = (a, b, s.label)
    rels = {(keys[r.head_id], keys[r.tail_id], r.role) for r in bundle.relations
            if r.head_id in keys and r.tail_id in keys}
    return text, sorted(set(keys.values())), sorted(rels)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundle=documents())
def test_random_documents_roundtrip(fmt, bundle):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with Store(tmp / "a.db") as source, Store(tmp / "b.db") as target:
            source.add_documents([bundle])
            out = tmp / FORMATS[fmt]
            export(source, fmt, out)
            report = import_paths(target, [out])
            assert report.ok, report.problems
            got = _content(target, fmt == "brat")
    assert got == _expected(bundle, fmt == "brat")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundle=documents())
def test_random_documents_make_valid_conll_and_docbins(bundle):
    from spacy.tokens import DocBin

    from annotator.formats.tokens import blank_nlp

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with Store(tmp / "a.db") as source:
            source.add_documents([bundle])
            export(source, "conll", tmp / "o.conll")
            export(source, "spacy", tmp / "o.spacy")
        lines = (tmp / "o.conll").read_text(encoding="utf-8").split("\n")
        docs = list(DocBin().from_disk(tmp / "o.spacy").get_docs(blank_nlp().vocab))
    prev = "O"
    tokens = []
    for line in lines[2:]:
        if not line:
            prev = "O"
            continue
        token, tag = line.split("\t")
        assert token and not any(ch.isspace() for ch in token)
        assert not tag.startswith("I-") or prev in ("B-" + tag[2:], tag)
        tokens.append(token)
        prev = tag
    text = bundle.document.text
    assert "".join(tokens) == "".join(ch for ch in text if not ch.isspace())
    for doc in docs:
        offset = doc.user_data["news_annotator"]["char_offset"]
        assert text[offset:offset + len(doc.text)] == doc.text
        assert all(sp.label_ in LABELS for sp in doc.spans["sc"])
