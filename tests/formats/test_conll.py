"""CoNLL IOB2 export: shape, tokens, and seqeval's strict IOB2 reading."""

import re

import pytest

from annotator.domain import AnnotatedDocument, Document, Span
from annotator.services.exporting import export

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "DATE"}


def _read(path):
    """[(document tokens, [sentence tags])] from the file, checking the layout on the way."""
    docs = []
    sentence = []
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # ends with a newline
    for line in lines[:-1]:
        if line == "-DOCSTART-\tO":
            assert not sentence
            docs.append(([], []))
            continue
        if not line:
            if sentence:
                docs[-1][1].append(sentence)
            sentence = []
            continue
        token, tag = line.split("\t")
        assert token and not any(ch.isspace() for ch in token), repr(token)
        assert re.fullmatch(r"O|[BI]-(PERSON|ORG|GPE|LOC|NORP|DATE)", tag), tag
        docs[-1][0].append(token)
        sentence.append(tag)
    assert not sentence
    return docs


def test_layout_and_tokens(corpus_store, tmp_path):
    out = tmp_path / "out.conll"
    assert export(corpus_store, "conll", out) == 7
    docs = _read(out)
    assert len(docs) == 7
    for (tokens, sentences), doc in zip(docs, corpus_store.iter_documents()):
        # the tokens are the text without its whitespace, in order
        assert "".join(tokens) == "".join(ch for ch in doc.text if not ch.isspace())
        assert sum(len(s) for s in sentences) == len(tokens)
        assert len(sentences) > 1
        for sentence in sentences:  # strict IOB2: I-X only after B-X or I-X
            for prev, tag in zip(["O"] + sentence, sentence):
                if tag.startswith("I-"):
                    assert prev in ("B-" + tag[2:], tag), (prev, tag)


def test_seqeval_strict_iob2_agrees_with_lenient(corpus_store, tmp_path):
    pytest.importorskip("seqeval")
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    out = tmp_path / "out.conll"
    export(corpus_store, "conll", out)
    docs = _read(out)
    y = [s for _, sentences in docs for s in sentences]
    lenient = get_entities(y)
    strict = Entities(y, IOB2, suffix=False).entities
    n_strict = sum(len(s) for s in strict)
    expected = sum(1 for d in corpus_store.document_ids() for s in corpus_store.spans(d)
                   if s.label in ENTITY_LABELS)
    assert len(lenient) == n_strict == expected
    # strict IOB2 reads back exactly the stored entities: label and text (without its whitespace)
    for (tokens, sentences), doc_id in zip(docs, corpus_store.document_ids()):
        text = corpus_store.document(doc_id).text
        read = sorted((e.tag, "".join(tokens[e.start:e.end])) for e in _flat_entities(sentences, Entities, IOB2))
        stored = sorted((s.label, "".join(text[s.start:s.end].split())) for s in corpus_store.spans(doc_id)
                        if s.label in ENTITY_LABELS)
        assert read == stored


def _flat_entities(sentences, entities_class, scheme):
    """seqeval's strict entities of one document, their token offsets counted over the whole document."""
    flat = [tag for sentence in sentences for tag in sentence]
    (entities,) = entities_class([flat], scheme, suffix=False).entities
    return entities


def test_overlaps_and_sentences(store, tmp_path):
    text = "Port Ilse City mayor Vel\u00a0Ko spoke.\nNorland replied. Then Ostmere did."
    spans = [Span(None, 0, 9, "GPE", id=0), Span(None, 0, 14, "ORG", id=1),
             Span(None, 21, 27, "PERSON", id=2), Span(None, 35, 42, "GPE", id=3),
             Span(None, 0, 35, "QUOTE", id=4), Span(None, 57, 64, "GPE", id=5)]
    store.add_documents([AnnotatedDocument(Document(text=text), spans)])
    out = tmp_path / "o.conll"
    export(store, "conll", out)
    ((tokens, sentences),) = _read(out)
    assert tokens[:6] == ["Port", "Ilse", "City", "mayor", "Vel", "Ko"]
    assert sentences[0][:6] == ["B-ORG", "I-ORG", "I-ORG", "O", "B-PERSON", "I-PERSON"]
    assert sentences[1] == ["B-GPE", "O", "O"]  # a line break and a full stop end sentences
    assert sentences[2] == ["O", "B-GPE", "O", "O"]


def test_a_sentence_never_breaks_inside_an_entity(store, tmp_path):
    text = "They met at St. Ilse. Gate today in Port\nIlse."
    spans = [Span(None, 12, 20, "LOC", id=0), Span(None, 36, 45, "GPE", id=1)]
    store.add_documents([AnnotatedDocument(Document(text=text), spans)])
    out = tmp_path / "o.conll"
    export(store, "conll", out)
    ((tokens, sentences),) = _read(out)
    flat = [t for s in sentences for t in s]
    for sentence in sentences:
        assert not sentence[0].startswith("I-")
    assert flat.count("B-GPE") == 1 and flat.count("I-GPE") == 1
