"""The spaCy export streamed in parts and carrying the links: read back with plain spaCy."""

import pytest

from annotator.formats import ExportOptions
from annotator.formats.spacy_docbin import RELATIONS_KEY, read_relations
from annotator.formats.spacy_parts import read_docs
from annotator.services.exporting import export
from tests.formats.corpus import make_bundles

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402


@pytest.fixture
def big_store(store):
    store.add_documents(make_bundles(40, 4, seed=11))
    return store


def _summary(docs):
    return [(d.text, [(e.start, e.end, e.label_) for e in d.ents],
             [(s.start, s.end, s.label_) for s in d.spans["sc"]], d.user_data["news_annotator"])
            for d in docs]


def test_a_large_export_is_a_folder_of_parts_read_back_as_one(big_store, tmp_path):
    whole = tmp_path / "whole.spacy"
    export(big_store, "spacy", whole)
    parts = tmp_path / "parts.spacy"
    export(big_store, "spacy", parts, options=ExportOptions(extra={"spacy_part_tokens": 300}))
    assert parts.is_dir() and len(list(parts.glob("part-*.spacy"))) > 3
    assert _summary(read_docs(parts)) == _summary(read_docs(whole))
    # spaCy's own training corpus reader takes the folder as one corpus
    from spacy.training import Corpus

    nlp = spacy.blank("en")
    assert len(list(Corpus(parts)(nlp))) == len(list(read_docs(whole)))
    assert not list(tmp_path.glob(".*"))  # no temporary left


def test_parts_keep_the_train_dev_split_of_a_single_file(big_store, tmp_path):
    options = {"dev_fraction": 0.25, "seed": 3}
    export(big_store, "spacy", tmp_path / "one", options=ExportOptions(**options))
    export(big_store, "spacy", tmp_path / "many",
           options=ExportOptions(**options, extra={"spacy_part_tokens": 200}))
    for name in ("train.spacy", "dev.spacy"):
        assert (tmp_path / "many" / name).is_dir()
        assert _summary(read_docs(tmp_path / "many" / name)) == _summary(
            read_docs(tmp_path / "one" / name))


def test_plain_spacy_finds_each_quotes_speaker_and_each_threats_target(big_store, tmp_path):
    out = tmp_path / "corpus.spacy"
    export(big_store, "spacy", out)
    expected = set()
    for document in big_store.iter_documents():
        spans = {s.id: s for s in big_store.spans(document.id)}
        for rel in big_store.relations(document.id):
            head, tail = spans[rel.head_id], spans[rel.tail_id]
            expected.add((document.id, document.text[head.start:head.end].strip(), rel.role,
                          document.text[tail.start:tail.end].strip()))
    assert {role for *_, role, _ in expected} >= {"SAID_BY", "TARGET"}
    found = set()
    for doc in DocBin().from_disk(out).get_docs(spacy.blank("en").vocab):  # plain spaCy
        assert RELATIONS_KEY in doc.user_data
        for head, role, tail in read_relations(doc):
            found.add((doc.user_data["news_annotator"]["doc_id"], head.text, role, tail.text))
    assert found == expected
    said_by = [link for link in found if link[2] == "SAID_BY"]
    assert said_by and all(speaker for *_, speaker in said_by)
