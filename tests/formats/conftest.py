import json

import pytest

from annotator.services.importing import import_paths
from annotator.store import Store
from tests.conftest import TRICKY
from tests.formats.corpus import make_bundles

# An article with CRLF newlines, astral emoji, a flag (two code points), CJK, a combining mark,
# NBSP and a quote that runs across a line break, overlapping labels included.
CRLF_ARTICLE = (TRICKY + "\r\nShe said: \u201cWe stay\r\nin \u6771\u4eac \U0001F600 forever\u201d."
                "\r\nSecond line \u00e9 with CRLF.\r\n")


def _at(text, needle, nth=0):
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def crlf_prodigy_line():
    t = CRLF_ARTICLE
    spans = [
        ("PERSON", _at(t, "Zoe\u0308"), {}),
        ("PERSON", _at(t, "\u738b\u5c0f\u660e"), {}),
        ("EVENT", _at(t, "met"), {"type": "TALKS"}),
        ("GPE", _at(t, "\u6771\u4eac"), {}),
        ("NORP", _at(t, "\U0001F1F3\U0001F1F4"), {}),
        ("SPEAKER", _at(t, "She"), {"canonical_name": "Zo\u00eb \u201cZ\u201d Ilgaz"}),
        ("CUE", _at(t, "said", 1), {}),
        ("QUOTE", _at(t, "We stay\r\nin \u6771\u4eac \U0001F600 forever"),
         {"kind": "direct", "channel": "social media"}),
        ("GPE", _at(t, "\u6771\u4eac", 1), {}),
        ("DATE", _at(t, "Second"), {}),
    ]
    records = [{"start": s, "end": e, "label": label, "text": t[s:e], "attrs": attrs}
               for label, (s, e), attrs in spans]

    def ref(i):
        return {k: records[i][k] for k in ("start", "end", "label")}

    rels = [(2, 1, "PARTICIPANT"), (2, 3, "PLACE"), (7, 5, "SAID_BY"), (7, 6, "CUE"),
            (1, 0, "SAME_AS")]
    return {"text": t, "title": "Tricky", "answer": "accept", "spans": records,
            "relations": [{"label": role, "head_span": ref(h), "child_span": ref(c)}
                          for h, c, role in rels]}


@pytest.fixture
def corpus_store(store, tmp_path):
    """Six synthetic articles plus the CRLF article imported from a Prodigy line."""
    store.add_documents(make_bundles(6))
    src = tmp_path / "crlf.jsonl"
    src.write_text(json.dumps(crlf_prodigy_line(), ensure_ascii=False) + "\n", encoding="utf-8",
                   newline="")
    report = import_paths(store, [src])
    assert report.ok, report.problems
    return store


def snapshot(store, attrs=True, trimmed=False):
    """What a project holds, independent of database ids: per text, spans and relations."""
    out = {}
    for doc_id in store.document_ids():
        doc = store.document(doc_id)
        spans = {s.id: s for s in store.spans(doc_id, ["accepted", "suggested"])}

        def key(s):
            return (s.start, s.end, s.label)

        out[doc.text] = (
            sorted((key(s), json.dumps(s.attrs, sort_keys=True) if attrs else "")
                   for s in spans.values()),
            sorted((key(spans[r.head_id]), key(spans[r.tail_id]), r.role)
                   for r in store.relations(doc_id, ["accepted", "suggested"])),
        )
    return out


def read_output(path):
    """A file's bytes, or a folder's files as {name: bytes}."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return path.read_bytes()


@pytest.fixture
def fresh_store(tmp_path):
    stores = []

    def make(name="fresh.db"):
        s = Store(tmp_path / name)
        stores.append(s)
        return s

    yield make
    for s in stores:
        s.close()
