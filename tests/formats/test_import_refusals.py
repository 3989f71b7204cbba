"""Nothing changed or dropped without a word: each input here was once imported with exit 0 and
something silently lost, doubled or let through. Each is now refused naming the file and line
(the project unchanged, the good file of the same run imported) or counted in the summary."""

import json

from annotator.domain import REJECTED
from annotator.services.importing import ImportOptions, import_paths

GOOD = "A good article about the port strike.\n"
TEXT = "Ana Ruiz said on Monday that talks failed.\n"


def _good(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _own(spans, relations=(), text=TEXT):
    return {"format": "news-annotator/1", "text": text, "spans": list(spans),
            "relations": list(relations)}


def _texts(store):
    return sorted(d.text for d in store.iter_documents())


def _rows(store, table):
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _refused_alone(store, report, name, line):
    """The bad file is refused, named with its line; only the good file came in."""
    assert len(report.problems) == 1, report.problems
    assert report.problems[0].startswith(f"{name}:{line}: "), report.problems
    assert _texts(store) == [GOOD]
    assert _rows(store, "spans") == 0 and _rows(store, "relations") == 0


# --- CSV read strictly ---------------------------------------------------------------------------

def test_csv_stray_quote_is_refused_not_swallowing_later_rows(store, tmp_path):
    bad = tmp_path / "stray.csv"
    bad.write_text('text\nfirst row\n"second row with a stray quote\nthird row\nfourth row\n',
                   encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 5)
    assert "line 3" in report.problems[0]  # where the quote opened
    ok = tmp_path / "ok.csv"  # quoted newlines and quotes are still fine
    ok.write_text('text\n"Para one,\n""quoted""\npara two"\nSecond row\n', encoding="utf-8")
    assert import_paths(store, [ok]).documents_added == 2
    assert 'Para one,\n"quoted"\npara two' in _texts(store)


def test_csv_text_after_a_closing_quote_is_refused(store, tmp_path):
    bad = tmp_path / "quote.csv"
    bad.write_text('text\nfirst row\n"second" row\nthird row\n', encoding="utf-8")
    _refused_alone(store, import_paths(store, [_good(tmp_path), bad]), bad, 3)


def test_csv_duplicate_header_is_refused(store, tmp_path):
    bad = tmp_path / "twice.csv"
    bad.write_text("text,title,text\nfirst text,A title,second text\n", encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 1)
    assert "text" in report.problems[0]


# --- identical spans in one new document ---------------------------------------------------------

def test_identical_spans_of_a_new_document_are_stored_once_and_counted(store, tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    ann = tmp_path / "doc.ann"
    lines = [f"T{i}\tPERSON 0 8\tAna Ruiz" for i in range(1, 1001)]
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(store, [ann])
    assert report.ok, report.problems
    assert _rows(store, "spans") == 1
    assert report.repeated == 999
    assert "999 repeated label(s) stored once" in report.summary()


def test_a_relation_to_a_repeated_span_goes_to_the_one_kept(store, tmp_path):
    quote = {"start": 9, "end": 42, "label": "QUOTE"}
    spans = [{"id": 0, "start": 0, "end": 8, "label": "PERSON"}, {"id": 1, **quote},
             {"id": 2, **quote}]
    relations = [{"head": 1, "tail": 0, "role": "SAID_BY"},
                 {"head": 2, "tail": 0, "role": "SAID_BY"}]
    path = _jsonl(tmp_path / "a.jsonl", _own(spans, relations))
    report = import_paths(store, [path])
    assert report.ok, report.problems
    assert (_rows(store, "spans"), _rows(store, "relations")) == (2, 1)
    assert report.repeated == 2  # the second QUOTE, then the relation that became equal


def test_spans_that_differ_in_status_or_annotator_are_all_kept(store, tmp_path):
    span = {"start": 0, "end": 8, "label": "PERSON"}
    spans = [{"id": 0, **span}, {"id": 1, **span, "annotator": "ana"},
             {"id": 2, **span, "status": "suggested"}]
    report = import_paths(store, [_jsonl(tmp_path / "a.jsonl", _own(spans))])
    assert report.ok and report.repeated == 0
    assert _rows(store, "spans") == 3


# --- schema checks -------------------------------------------------------------------------------

def test_relation_ends_the_schema_refuses_refuse_the_file(store, tmp_path):
    spans = [{"id": 0, "start": 17, "end": 23, "label": "DATE"},
             {"id": 1, "start": 17, "end": 23, "label": "DATE", "annotator": "ana"}]
    bad = _jsonl(tmp_path / "bad.jsonl", _own([]),
                 _own(spans, [{"head": 0, "tail": 1, "role": "SAID_BY"}]))
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 2)
    assert "SAID_BY from a DATE to a DATE" in report.problems[0]


def test_relation_ends_with_skip_bad_spans_leave_out_the_relation_alone(store, tmp_path):
    spans = [{"id": 0, "start": 17, "end": 23, "label": "DATE"},
             {"id": 1, "start": 0, "end": 8, "label": "PERSON"}]
    bad = _jsonl(tmp_path / "bad.jsonl", _own(spans, [{"head": 0, "tail": 1, "role": "SAID_BY"}]))
    report = import_paths(store, [bad], options=ImportOptions(skip_bad_spans=True))
    assert report.ok and len(report.skipped) == 1 and "bad.jsonl:1:" in report.skipped[0]
    assert (_rows(store, "spans"), _rows(store, "relations")) == (2, 0)


def test_brat_relation_ends_are_checked_naming_the_line(store, tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    ann = tmp_path / "doc.ann"
    ann.write_text("T1\tDATE 17 23\tMonday\nT2\tPERSON 0 8\tAna Ruiz\nR1\tSAID_BY Arg1:T1 Arg2:T2\n",
                   encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), ann])
    _refused_alone(store, report, ann, 3)


def test_an_object_for_a_text_attribute_is_refused(store, tmp_path):
    spans = [{"id": 0, "start": 0, "end": 8, "label": "SPEAKER",
              "attrs": {"canonical_name": {"first": "Ana"}}}]
    bad = _jsonl(tmp_path / "bad.jsonl", _own(spans))
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 1)
    assert "canonical_name" in report.problems[0]
    spans[0]["attrs"] = {"canonical_name": "Ana Ruiz", "score": 0.9}  # text and a number: fine
    assert import_paths(store, [_jsonl(tmp_path / "ok.jsonl", _own(spans))]).ok
    assert _rows(store, "spans") == 1


# --- every record not imported is counted --------------------------------------------------------

def test_prodigy_reject_imports_its_labels_as_rejected_and_says_so(store, tmp_path):
    record = {"text": TEXT, "answer": "reject",
              "spans": [{"start": 0, "end": 8, "label": "PERSON"}]}
    report = import_paths(store, [_jsonl(tmp_path / "p.jsonl", record)])
    assert report.ok, report.problems
    (doc_id,) = store.document_ids()
    assert [(s.label, s.status) for s in store.spans(doc_id)] == [("PERSON", REJECTED)]
    assert report.rejected_answers == 1
    assert "1 Prodigy 'reject' record(s): labels imported as rejected" in report.summary()


def test_prodigy_ignore_counts_the_labels_it_does_not_import(store, tmp_path):
    record = {"text": TEXT, "answer": "ignore",
              "spans": [{"start": 0, "end": 8, "label": "PERSON"},
                        {"start": 17, "end": 23, "label": "DATE"}]}
    report = import_paths(store, [_jsonl(tmp_path / "p.jsonl", record)])
    assert report.ok and report.documents_added == 1 and _rows(store, "spans") == 0
    assert report.left_out == {"spans of Prodigy 'ignore' answers": 2}
    assert "spans of Prodigy 'ignore' answers (2)" in report.summary()


def test_doccano_document_label_is_counted_by_name(store, tmp_path):
    report = import_paths(store, [_jsonl(tmp_path / "d.jsonl", {"text": TEXT, "label": "PERSON"},
                                         {"text": GOOD, "label": ["PERSON", "ORG"]})])
    assert report.ok and report.documents_added == 2
    assert report.left_out == {"document label PERSON (no document categories)": 2,
                               "document label ORG (no document categories)": 1}
    assert "not imported: document label ORG" in report.summary()


# --- one rule for NUL ----------------------------------------------------------------------------

def test_nul_in_json_text_is_refused_like_in_a_txt(store, tmp_path):
    bad = _jsonl(tmp_path / "bad.jsonl", {"text": "fine"}, {"text": "a\u0000b"})
    nul_txt = tmp_path / "nul.txt"
    nul_txt.write_bytes(b"a\x00b")
    report = import_paths(store, [_good(tmp_path), bad, nul_txt])
    assert [p.split(": ")[0] for p in report.problems] == [f"{bad}:2", f"{nul_txt}:1"]
    assert all("NUL" in p for p in report.problems)
    assert _texts(store) == [GOOD]


def test_nul_in_a_label_studio_task_is_refused(store, tmp_path):
    bad = tmp_path / "ls.json"
    bad.write_text(json.dumps([{"data": {"text": "a\u0000b"}}]), encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 1)


# --- the reserved curated layer ------------------------------------------------------------------

def test_brat_file_of_the_curated_layer_is_refused(store, tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    ann = tmp_path / "doc_~curated.ann"
    ann.write_text("T1\tPERSON 0 8\tAna Ruiz\n", encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), ann])
    assert report.problems and report.problems[0].startswith(f"{ann}: ")
    assert "reserved" in report.problems[0]
    assert _texts(store) == [GOOD] and _rows(store, "spans") == 0


def test_jsonl_annotator_of_the_curated_layer_is_refused(store, tmp_path):
    bad = _jsonl(tmp_path / "bad.jsonl", _own([]),
                 _own([{"id": 0, "start": 0, "end": 8, "label": "PERSON",
                        "annotator": "~curated"}]))
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 2)
    assert "reserved" in report.problems[0]
