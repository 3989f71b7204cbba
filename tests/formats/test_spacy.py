"""spaCy DocBin export: read back by spaCy, accepted by `spacy debug data`, trainable."""

import subprocess
import sys

import pytest

from annotator.formats import ExportOptions
from annotator.formats.spacy_docbin import output_paths
from annotator.services.exporting import export
from tests.formats.corpus import make_bundles

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "DATE"}


def _docs(path):
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


@pytest.fixture
def big_store(store):
    """40 articles of 4 paragraphs: 200 paragraph docs, enough for `spacy debug data`."""
    store.add_documents(make_bundles(40, 4, seed=11))
    return store


def test_docbin_holds_ents_and_every_span(corpus_store, tmp_path):
    out = tmp_path / "train.spacy"
    assert export(corpus_store, "spacy", out) == 7
    docs = _docs(out)
    texts = {d.id: d.text for d in corpus_store.iter_documents()}
    stored = {d.id: corpus_store.spans(d.id) for d in corpus_store.iter_documents()}
    assert len(docs) > 7  # one Doc per paragraph
    total_sc = 0
    for doc in docs:
        info = doc.user_data["news_annotator"]
        article, offset = texts[info["doc_id"]], info["char_offset"]
        assert article[offset:offset + len(doc.text)] == doc.text
        assert doc.text == doc.text.strip()
        assert {e.label_ for e in doc.ents} <= ENTITY_LABELS
        for span in doc.spans["sc"]:
            total_sc += 1
            # every exported span covers a stored one of the same label
            a, b = offset + span.start_char, offset + span.end_char
            assert any(s.label == span.label_ and a <= s.start and s.end <= b
                       for s in stored[info["doc_id"]])
        ents = sorted((e.start, e.end) for e in doc.ents)
        assert all(x[1] <= y[0] for x, y in zip(ents, ents[1:]))  # no overlaps
    assert total_sc == sum(len(v) for v in stored.values())  # nothing lost


def test_a_span_across_a_line_break_keeps_its_paragraphs_together(corpus_store, tmp_path):
    out = tmp_path / "t.spacy"
    export(corpus_store, "spacy", out)
    quote = "We stay\nin \u6771\u4eac \U0001F600 forever"
    docs = _docs(out)
    (doc,) = [d for d in docs if quote in d.text]
    assert [s.text for s in doc.spans["sc"] if s.label_ == "QUOTE"] == [quote]
    flags = [e for d in docs for e in d.ents if e.text == "\U0001F1F3\U0001F1F4"]
    assert [e.label_ for e in flags] == ["NORP"]  # the flag, two code points, two tokens


def test_document_unit_option(corpus_store, tmp_path):
    out = tmp_path / "t.spacy"
    export(corpus_store, "spacy", out, options=ExportOptions(extra={"spacy_unit": "document"}))
    assert len(_docs(out)) == 7


def test_split_is_seeded_by_article_and_independent_of_order(big_store, store, tmp_path,
                                                             fresh_store):
    def split(st, folder, seed):
        export(st, "spacy", folder, options=ExportOptions(dev_fraction=0.25, seed=seed))
        train, dev = (_docs(folder / n) for n in ("train.spacy", "dev.spacy"))
        ids = lambda docs: {d.user_data["news_annotator"]["title"] for d in docs}  # noqa: E731
        return ids(train), ids(dev)

    train, dev = split(big_store, tmp_path / "a", 3)
    assert len(dev) == 10 and len(train) == 30 and not train & dev
    assert split(big_store, tmp_path / "b", 3) == (train, dev)
    assert split(big_store, tmp_path / "c", 4)[1] != dev
    reordered = fresh_store("reordered.db")
    reordered.add_documents(list(reversed(make_bundles(40, 4, seed=11))))
    assert split(reordered, tmp_path / "d", 3) == (train, dev)


def test_output_paths():
    from pathlib import Path

    assert output_paths(Path("x/data.spacy")) == (Path("x/data.spacy"), Path("x/data.dev.spacy"))
    assert output_paths(Path("x/corpus")) == (Path("x/corpus/train.spacy"),
                                              Path("x/corpus/dev.spacy"))


def test_file_output_puts_dev_beside_it(big_store, tmp_path):
    out = tmp_path / "news.spacy"
    export(big_store, "spacy", out, options=ExportOptions(dev_fraction=0.1))
    assert sorted(p.name for p in tmp_path.glob("*.spacy")) == ["news.dev.spacy", "news.spacy"]


def _spacy(*args, cwd):
    return subprocess.run([sys.executable, "-m", "spacy", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_spacy_debug_data_passes(big_store, tmp_path):
    export(big_store, "spacy", tmp_path / "corpus", options=ExportOptions(dev_fraction=0.2))
    assert len(_docs(tmp_path / "corpus" / "train.spacy")) >= 100
    made = _spacy("init", "config", "--lang", "en", "--pipeline", "ner,spancat", "config.cfg",
                  cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    run = _spacy("debug", "data", "config.cfg", "--paths.train", "corpus/train.spacy",
                 "--paths.dev", "corpus/dev.spacy", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Corpus is loadable" in run.stdout
    assert "No entities crossing sentence boundaries" in run.stdout
    assert "No entities consisting of or starting/ending with whitespace" in run.stdout


@pytest.mark.slow
def test_spacy_train_starts(big_store, tmp_path):
    export(big_store, "spacy", tmp_path / "corpus", options=ExportOptions(dev_fraction=0.2))
    assert _spacy("init", "config", "--lang", "en", "--pipeline", "ner", "ner.cfg",
                  cwd=tmp_path).returncode == 0
    run = _spacy("train", "ner.cfg", "--paths.train", "corpus/train.spacy", "--paths.dev",
                 "corpus/dev.spacy", "--training.max_steps", "20", "--training.eval_frequency",
                 "10", "--output", "model", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "model" / "model-last" / "meta.json").exists()


def test_fast_docbin_packs_what_spacys_docbin_packs(corpus_store):
    """The export's DocBin (strings gathered per distinct hash) holds the same strings, token
    arrays, spaces, span groups and user data as spaCy's own for the same Docs, also for a
    tagged and parsed Doc with lemmas, morphology and entities."""
    from annotator.formats.spacy_docbin import bundle_to_docs, fast_docbin_class
    from annotator.nlp.models import default_pipeline_name

    docs = [doc for doc_id in corpus_store.document_ids()
            for doc in bundle_to_docs(corpus_store.annotated(doc_id), corpus_store.schema)]
    name = default_pipeline_name()
    if name:
        docs.append(spacy.load(name)("Minister Amara Velko said on Tuesday she was leaving."))
    docs.append(spacy.blank("en")(""))
    ours, stock = fast_docbin_class()(store_user_data=True), DocBin(store_user_data=True)
    for doc in docs:
        ours.add(doc)
        stock.add(doc)
    assert ours.strings == stock.strings and "" in ours.strings
    assert len(ours) == len(stock) == len(docs)
    for a, b in zip(ours.tokens, stock.tokens):
        assert (a == b).all()
    assert all((a == b).all() for a, b in zip(ours.spaces, stock.spaces))
    assert ours.span_groups == stock.span_groups and ours.user_data == stock.user_data
    assert ours.flags == stock.flags and ours.cats == stock.cats
    vocab = spacy.blank("en").vocab
    back = list(DocBin().from_bytes(ours.to_bytes()).get_docs(vocab))
    assert [(d.text, [(e.text, e.label_) for e in d.ents]) for d in back] == [
        (d.text, [(e.text, e.label_) for e in d.ents]) for d in docs]
    assert [t.lemma_ for t in back[-2]] == [t.lemma_ for t in docs[-2]]
