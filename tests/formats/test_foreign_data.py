"""Other people's data: label mapping, brat attribution events and annotator files, standoff
JSON, bad spans skipped on request. Samples are written here, shaped like those tools' output."""

import json

import pytest

from annotator.cli import main
from annotator.formats.mapping import MappingError, load_mapping
from annotator.schema import load_schema
from annotator.services.importing import ImportOptions, expand_paths, import_paths

TEXT = "Velko said the talks in Norland had failed, a Tarsi official added."


def at(word, nth=0):
    pos = -1
    for _ in range(nth + 1):
        pos = TEXT.index(word, pos + 1)
    return pos, pos + len(word)


def _options(*entries, **kw):
    return ImportOptions(mapping=load_mapping(load_schema(), entries), **kw)


def _labels(store):
    out = []
    for doc_id in store.document_ids():
        text = store.document(doc_id).text
        spans = {s.id: s for s in store.spans(doc_id)}
        out.append((sorted((text[s.start:s.end], s.label, s.annotator) for s in spans.values()),
                    sorted((text[spans[r.head_id].start:spans[r.head_id].end], r.role,
                            text[spans[r.tail_id].start:spans[r.tail_id].end])
                           for r in store.relations(doc_id))))
    return out


# --- label mapping -------------------------------------------------------------------------------

def _prodigy_line():
    """A Prodigy ner_manual/rel.manual line with a CoNLL-style label set and its own roles."""
    refs = [{"start": a, "end": b, "label": lab, "token_start": 0, "token_end": 0}
            for (a, b), lab in ((at("Velko"), "PER"), (at("Norland"), "LOC"),
                                (at("Tarsi"), "MISC"), (at("talks in Norland had failed"),
                                                        "STATEMENT"))]
    return {"text": TEXT, "answer": "accept", "_input_hash": 1, "_task_hash": 2,
            "spans": refs,
            "relations": [{"head_span": refs[3], "child_span": refs[0], "label": "speaker_of"},
                          {"head_span": refs[0], "child_span": refs[2], "label": "NATIONALITY"}]}


def test_prodigy_file_with_other_labels_imports_with_a_mapping(store, tmp_path):
    path = tmp_path / "ner.jsonl"
    path.write_text(json.dumps(_prodigy_line()) + "\n", encoding="utf-8")
    options = _options("PER=PERSON", "LOC=GPE", "MISC=-", "STATEMENT=QUOTE",
                       "role:speaker_of=SAID_BY", "role:NATIONALITY=-")
    report = import_paths(store, [path], options=options)
    assert report.ok, report.problems
    [(spans, relations)] = _labels(store)
    assert spans == [("Norland", "GPE", ""), ("Velko", "PERSON", ""),
                     ("talks in Norland had failed", "QUOTE", "")]
    assert relations == [("talks in Norland had failed", "SAID_BY", "Velko")]
    assert report.left_out == {"label MISC": 1, "role NATIONALITY": 1}
    assert "not imported: label MISC (1), role NATIONALITY (1)" in report.summary()


def test_unknown_labels_are_refused_together_with_the_map_that_fixes_them(store, tmp_path):
    path = tmp_path / "ner.jsonl"
    path.write_text(json.dumps({"text": "x"}) + "\n" + json.dumps(_prodigy_line()) + "\n",
                    encoding="utf-8")
    report = import_paths(store, [path])
    assert store.document_count() == 0
    (problem,) = report.problems
    assert problem.startswith(f"{path}:2: unknown label 'PER' (1 time(s), first on line 2)")
    assert "'LOC'" not in problem  # one of ours
    for fix in ("--map PER=PERSON", "--map STATEMENT=QUOTE", "--map MISC=LABEL",
                "--map role:speaker_of=ROLE", "--map role:NATIONALITY=ROLE"):
        assert fix in problem, problem


def test_map_files_in_toml_and_json_and_bad_targets(tmp_path):
    schema = load_schema()
    toml = tmp_path / "m.toml"
    toml.write_text('Source = "SPEAKER"\nCue = "CUE"\n[labels]\nContent = "QUOTE"\n'
                    '[roles]\nSource = "SAID_BY"\n[standoff]\nbegin = "charStart"\n',
                    encoding="utf-8")
    mapping = load_mapping(schema, ["PER=PERSON"], [toml])
    assert mapping.labels == {"Source": "SPEAKER", "Cue": "CUE", "Content": "QUOTE",
                              "PER": "PERSON"}
    assert mapping.roles == {"Cue": "CUE", "Source": "SAID_BY"}  # CUE is a label and a role
    assert mapping.standoff == {"begin": "charStart"}
    js = tmp_path / "m.json"
    js.write_text(json.dumps({"labels": {"PER": "PERSON"}}), encoding="utf-8")
    assert load_mapping(schema, (), [js]).labels == {"PER": "PERSON"}
    with pytest.raises(MappingError, match="'PERSONS' is not a label or a role"):
        load_mapping(schema, ["PER=PERSONS"])
    with pytest.raises(MappingError, match="expected NAME=TARGET"):
        load_mapping(schema, ["PER"])
    with pytest.raises(MappingError, match="'SAID_BY' is not a label"):
        load_mapping(schema, ["label:Source=SAID_BY"])


# --- brat: attribution events, annotator files -----------------------------------------------

def _attribution_ann():
    """PARC/PolNeAR-like standoff: Source, Cue, Content spans and an Attribution event."""
    src, cue, content = at("Velko"), at("said"), at("the talks in Norland had failed")
    return (f"T1\tSource {src[0]} {src[1]}\tVelko\n"
            f"T2\tCue {cue[0]} {cue[1]}\tsaid\n"
            f"T3\tContent {content[0]} {content[1]}\tthe talks in Norland had failed\n"
            f"T4\tAttribution {cue[0]} {cue[1]}\tsaid\n"
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")


def test_brat_attribution_event_becomes_said_by_and_cue(store, tmp_path):
    (tmp_path / "wsj_0001.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "wsj_0001.ann").write_text(_attribution_ann(), encoding="utf-8")
    report = import_paths(store, [tmp_path],
                          options=_options("Source=SPEAKER", "Content=QUOTE", "Cue=CUE"))
    assert report.ok, report.problems
    [(spans, relations)] = _labels(store)
    assert spans == [("Velko", "SPEAKER", ""), ("said", "CUE", ""),
                     ("the talks in Norland had failed", "QUOTE", "")]
    assert relations == [("the talks in Norland had failed", "CUE", "said"),
                         ("the talks in Norland had failed", "SAID_BY", "Velko")]
    assert report.folded_events == 1 and "1 brat event(s) turned into relations" in \
        report.summary()


def test_brat_attribution_without_mapping_names_each_fix(store, tmp_path):
    (tmp_path / "wsj_0001.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "wsj_0001.ann").write_text(_attribution_ann(), encoding="utf-8")
    (problem,) = import_paths(store, [tmp_path]).problems
    assert "wsj_0001.ann:1: unknown label 'Source'" in problem
    assert "--map Source=SPEAKER --map Cue=CUE --map Content=QUOTE" in problem
    assert "Attribution" not in problem.split("; map them")[0]  # the event folds once mapped
    assert store.document_count() == 0


def test_brat_files_of_several_annotators_import_into_one_document(store, tmp_path):
    (tmp_path / "art_7.txt").write_text(TEXT, encoding="utf-8")
    velko, norland = at("Velko"), at("Norland")
    (tmp_path / "art_7_alice.ann").write_text(
        f"T1\tPERSON {velko[0]} {velko[1]}\tVelko\nT2\tGPE {norland[0]} {norland[1]}\tNorland\n",
        encoding="utf-8")
    (tmp_path / "art_7_bob_smith.ann").write_text(
        f"T1\tPERSON {velko[0]} {velko[1]}\tVelko\n", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["art_7_alice.ann",
                                                          "art_7_bob_smith.ann"]
    named = [tmp_path / "art_7.txt", tmp_path / "art_7_alice.ann"]  # as a shell glob gives them
    assert [p.name for p in expand_paths(named)] == ["art_7_alice.ann"]
    report = import_paths(store, [tmp_path])
    assert report.ok and report.documents_added == 1 and report.documents_merged == 1
    [(spans, _)] = _labels(store)
    assert spans == [("Norland", "GPE", "alice"), ("Velko", "PERSON", "alice"),
                     ("Velko", "PERSON", "bob_smith")]
    (doc_id,) = store.document_ids()
    assert store.document(doc_id).source == "art_7.txt"


# --- --skip-bad-spans ------------------------------------------------------------------------

def test_skip_bad_spans_keeps_the_document_and_lists_each_skipped_span(store, tmp_path):
    good = {"start": at("Velko")[0], "end": at("Velko")[1], "label": "PERSON"}
    line = {"text": TEXT, "spans": [good, {"start": 0, "end": 500, "label": "GPE"},
                                    {"start": 0, "end": 5, "label": "ALIEN"},
                                    {"start": 0, "end": 5, "label": "PERSON", "text": "Velkx"}],
            "relations": [{"head_span": good, "child_span": {"start": 0, "end": 5,
                                                             "label": "ALIEN"},
                           "label": "SAME_AS"}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "A fine first line."}) + "\n" + json.dumps(line) + "\n",
                    encoding="utf-8")
    refused = import_paths(store, [path])
    assert len(refused.problems) == 1 and store.document_count() == 0
    report = import_paths(store, [path], options=_options(skip_bad_spans=True))
    assert report.ok and report.documents_added == 2
    assert [s.split(": ", 1)[0] for s in report.skipped] == [f"{path}:2"] * 4
    assert "span #2 [0, 500) is out of range" in report.skipped[0]
    assert "unknown label 'ALIEN'" in report.skipped[1] and "--map ALIEN=" in report.skipped[1]
    assert "does not match" in report.skipped[2]
    assert "relation #1: an end of it was not imported" in report.skipped[3]
    assert "4 bad span(s)/relation(s) skipped" in report.summary()
    assert [s[:2] for s in _labels(store)[1][0]] == [("Velko", "PERSON")]


def test_cli_lists_skipped_spans_and_maps(tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": TEXT, "spans": [
        {"start": 0, "end": 5, "label": "PER"}, {"start": 0, "end": 99, "label": "PER"}]}),
        encoding="utf-8")
    db = tmp_path / "p.db"
    assert main(["import", str(path), "--db", str(db), "--map", "PER=PERSON",
                 "--skip-bad-spans"]) == 0
    captured = capsys.readouterr()
    assert f"skipped: {path}:1: span #2 [0, 99) is out of range" in captured.err
    assert "1 bad span(s)/relation(s) skipped" in captured.out
    assert main(["import", str(path), "--db", str(db), "--map", "PER=NOPE"]) == 1
    assert "'NOPE' is not a label or a role" in capsys.readouterr().err


# --- standoff JSON -----------------------------------------------------------------------------

def _standoff(tmp_path):
    docs = tmp_path / "documents.jsonl"
    docs.write_text("\n".join(json.dumps(d) for d in [
        {"doc_id": "n-001", "headline": "Talks fail", "body": TEXT, "outlet": "Wire"},
        {"doc_id": "n-002", "body": "Nothing annotated here."}]) + "\n", encoding="utf-8")
    ents = tmp_path / "entities.json"
    velko, content, cue = at("Velko"), at("the talks in Norland had failed"), at("said")
    ents.write_text(json.dumps({"n-001": {
        "entities": [
            {"id": "e1", "type": "Person", "begin": velko[0], "end": velko[1],
             "covered_text": "Velko"},
            {"id": "e2", "type": "Country", "begin": at("Norland")[0], "end": at("Norland")[1]}],
        "relations": [{"source": "e1", "target": "e2", "type": "coref"}],
        "attributions": [{"source": {"begin": velko[0], "end": velko[1]},
                          "cue": {"begin": cue[0], "end": cue[1]},
                          "content": {"begin": content[0], "end": content[1]}}]}},
        indent=2), encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[labels]\nPerson = "PERSON"\nCountry = "GPE"\nsource = "SPEAKER"\n'
                       'cue = "CUE"\ncontent = "QUOTE"\n[roles]\ncoref = "SAME_AS"\n',
                       encoding="utf-8")
    return docs, ents, mapping


def test_standoff_json_imports_with_one_command_and_a_small_mapping(tmp_path, capsys):
    docs, ents, mapping = _standoff(tmp_path)
    db = tmp_path / "p.db"
    assert main(["import", str(docs), "--standoff", str(ents), "--map-file", str(mapping),
                 "--db", str(db)]) == 0, capsys.readouterr().err
    assert "imported 2 document(s)" in capsys.readouterr().out
    from annotator.store import Store

    with Store(db) as store:
        first, second = store.document_ids()
        doc = store.document(first)
        assert (doc.title, doc.meta) == ("Talks fail", {"doc_id": "n-001", "outlet": "Wire"})
        [(spans, relations), (none, _)] = _labels(store)
    assert spans == [("Norland", "GPE", ""), ("Velko", "PERSON", ""), ("Velko", "SPEAKER", ""),
                     ("said", "CUE", ""), ("the talks in Norland had failed", "QUOTE", "")]
    assert relations == [("Velko", "SAME_AS", "Norland"),
                         ("the talks in Norland had failed", "CUE", "said"),
                         ("the talks in Norland had failed", "SAID_BY", "Velko")]
    assert none == []


def test_standoff_annotations_of_missing_documents_are_reported(store, tmp_path):
    docs, ents, mapping = _standoff(tmp_path)
    data = json.loads(ents.read_text())
    data["n-404"] = [{"id": "x", "type": "Person", "begin": 0, "end": 3}]
    ents.write_text(json.dumps(data), encoding="utf-8")
    options = ImportOptions(mapping=load_mapping(store.schema, (), [mapping]), standoff=ents)
    report = import_paths(store, [docs], options=options)
    assert report.documents_added == 2
    assert report.problems == [f"{ents}: 1 annotation(s) of 1 document id(s) that no documents "
                               "file holds, not imported: n-404"]
