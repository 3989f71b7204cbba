"""A few hundred malformed import files: each is refused with a message naming it, and the
project database is left exactly as it was."""

import codecs
import json
import random

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.services.importing import import_paths

VALID = {"text": "Velko said on Tuesday that talks \U0001F600 had failed.",
         "spans": [{"start": 0, "end": 5, "label": "PERSON"}], "meta": {"k": "v"}}


def _snapshot(store):
    return {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "spans", "relations", "actions")}


def malformed_cases(rng: random.Random):
    line = json.dumps(VALID, ensure_ascii=False)
    # truncated JSON at every kind of position
    for cut in sorted(rng.sample(range(1, len(line) - 1), 80)):
        yield f"trunc{cut}.jsonl", (line[:cut] + "\n").encode()
    # wrong types for every field
    bad_values = [None, 1, 1.5, "x", [], {}, True, [1], {"a": 1}]
    for key in ("text", "spans", "meta"):
        for value in bad_values:
            record = dict(VALID, **{key: value})
            if key == "text" and value == "x":
                continue  # a valid one-character document
            if key == "meta" and (value is None or isinstance(value, dict)):
                continue  # allowed: empty metadata
            if key == "spans" and value in (None, [], {}):
                continue  # allowed: no spans
            yield f"type-{key}-{type(value).__name__}-{len(str(value))}.jsonl", json.dumps(record).encode()
    for field in ("start", "end", "label"):
        for value in bad_values + [-1, 10**9]:
            span = dict(VALID["spans"][0], **{field: value})
            if field in ("start", "end") and type(value) is int and 0 <= value <= 5:
                continue  # still a valid span
            yield (f"span-{field}-{type(value).__name__}-{str(value)[:5]}.jsonl",
                   json.dumps(dict(VALID, spans=[span])).encode())
    # NUL bytes in text files at random places
    body = "An article about talks.\nSecond line.\n".encode()
    for i in range(60):
        pos = rng.randrange(len(body))
        yield f"nul{i}.txt", body[:pos] + b"\x00" + body[pos:]
    # invalid UTF-8 sequences
    for i, junk in enumerate([b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80",
                              b"\x80", b"\xfe\xfe"]):
        yield f"enc{i}.txt", b"Valid start " + junk + b" end"
        yield f"enc{i}.jsonl", b'{"text": "abc ' + junk + b'"}'
    # random binary blobs
    for i in range(30):
        yield f"bin{i}.txt", bytes(rng.randrange(256) for _ in range(200)) + b"\x00"
    # empty and whitespace-only files of every type
    for suffix in (".txt", ".md", ".html", ".jsonl", ".csv"):
        yield f"empty{suffix}", b""
        yield f"blank{suffix}", b" \n\t\n"
    # deep nesting, huge lines
    for depth in (1_000, 100_000):
        yield f"deep{depth}.jsonl", ('{"text": "x", "meta": {"a": ' + "[" * depth + "]" * depth + "}}").encode()
    yield "hugeline.jsonl", json.dumps({"text": "word " * 1_100_000}).encode()
    # CSV problems
    yield "notext.csv", b"title,body\nA,B\n"
    yield "ragged.csv", b"title,text\nA,B,C,D\n"
    yield "emptytext.csv", b"title,text\nA,\n"
    # HTML without article text
    yield "script-only.html", b"<html><script>var a = 1;</script><nav>menu</nav></html>"
    # a bad UTF-16 file (odd length)
    yield "odd16.txt", codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00\xd8"
    # valid JSON but not a document
    for i, value in enumerate(["[]", "1", '"text"', "null", '{"spans": []}']):
        yield f"notdoc{i}.jsonl", value.encode()
    # relations pointing nowhere, mismatched span text, unknown role
    yield "rel-dangling.jsonl", json.dumps({"format": "news-annotator/1", "text": "ab cd",
                                            "spans": [{"id": 0, "start": 0, "end": 2, "label": "PERSON"}],
                                            "relations": [{"head": 0, "tail": 7, "role": "SAME_AS"}]}).encode()
    yield "rel-role.jsonl", json.dumps({"format": "news-annotator/1", "text": "ab cd",
                                        "spans": [{"id": 0, "start": 0, "end": 2, "label": "PERSON"},
                                                  {"id": 1, "start": 3, "end": 5, "label": "PERSON"}],
                                        "relations": [{"head": 0, "tail": 1, "role": "LOVES"}]}).encode()
    # a good line followed by a bad one: nothing of the file may be imported
    for i in range(20):
        yield f"goodthenbad{i}.jsonl", (line + "\n" + line[: rng.randrange(1, len(line) - 1)]).encode()


CASES = list(malformed_cases(random.Random(20261125)))


def test_there_are_a_few_hundred_cases():
    assert len(CASES) >= 250
    assert len({name for name, _ in CASES}) == len(CASES)


def test_50_mb_text_is_refused(store, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "w", encoding="utf-8") as fh:
        chunk = "All work and no play makes a long article. " * 1000
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    before = _snapshot(store)
    report = import_paths(store, [path])
    assert len(report.problems) == 1 and "limit" in report.problems[0]
    assert _snapshot(store) == before


@pytest.mark.parametrize("index", range(len(CASES)), ids=[name for name, _ in CASES])
def test_malformed_file_is_refused_and_changes_nothing(store, tmp_path, index):
    store.add_documents([AnnotatedDocument(Document(text="already here"))])
    name, data = CASES[index]
    path = tmp_path / name
    path.write_bytes(data)
    before = _snapshot(store)
    report = import_paths(store, [path])
    assert report.documents_added == 0
    assert len(report.problems) == 1, report.problems
    assert str(path) in report.problems[0]
    assert _snapshot(store) == before
