"""Published corpora as they come: standoff JSON Lines naming their document in `documentId`
(MongoDB exports), brat events with numbered argument roles, brat event triggers mapped away.
The files are small ones of our own in those shapes."""

import json

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.store import Store
from tests.formats.test_foreign_data import TEXT, _labels, _options, at

# --- standoff JSON Lines with a document id field ------------------------------------------------


def _oid(n):
    return {"$oid": f"65f0c0ffee{n:014x}"}


def _mongo_files(tmp_path, extra_lines=()):
    """A documents file and an entities file, one JSON object a line, as a MongoDB export."""
    docs = tmp_path / "documents.jsonl"
    docs.write_text("\n".join(json.dumps(d) for d in [
        {"_id": "art-1", "title": "Talks fail", "text": TEXT, "lang": "en"},
        {"_id": _oid(99), "text": "Nothing but Velko here."}]) + "\n", encoding="utf-8")
    quote, velko, said, norland = (at("the talks in Norland had failed"), at("Velko"),
                                   at("said"), at("Norland"))
    rows = [
        # a relation line before the entities it joins, its ends given by their offsets
        {"_id": _oid(9), "documentId": "art-1", "sourceBegin": quote[0], "sourceEnd": quote[1],
         "targetBegin": velko[0], "targetEnd": velko[1], "type": "SAID_BY", "confidence": 0.8},
        {"_id": _oid(1), "documentId": "art-1", "begin": velko[0], "end": velko[1],
         "type": "PERSON", "value": "Velko", "confidence": 0.97},
        {"_id": _oid(2), "documentId": "art-1", "begin": velko[0], "end": velko[1],
         "type": "SPEAKER", "value": "Velko", "confidence": 0.91},
        {"_id": _oid(3), "documentId": "art-1", "begin": quote[0], "end": quote[1],
         "type": "QUOTE", "value": "the talks in Norland had failed", "confidence": 0.88},
        {"_id": _oid(4), "documentId": "art-1", "begin": said[0], "end": said[1],
         "type": "CUE", "value": "said", "confidence": 0.99},
        {"_id": _oid(5), "documentId": "art-1", "begin": norland[0], "end": norland[1],
         "type": "Country", "value": "Norland", "confidence": 0.6},
        # a relation naming its ends by their Mongo ids
        {"_id": _oid(10), "documentId": "art-1", "source": _oid(3), "target": _oid(4),
         "type": "CUE"},
        {"_id": _oid(11), "documentId": _oid(99), "begin": 12, "end": 17, "type": "PERSON",
         "value": "Velko"},
    ]
    ents = tmp_path / "entities.jsonl"
    ents.write_text("".join(json.dumps(r) + "\n" for r in rows) + "".join(extra_lines),
                    encoding="utf-8")
    return docs, ents


def test_standoff_json_lines_with_document_id_import_with_one_command(tmp_path, capsys):
    docs, ents = _mongo_files(tmp_path)
    db = tmp_path / "p.db"
    assert main(["import", str(docs), "--standoff", str(ents), "--map", "Country=GPE",
                 "--db", str(db)]) == 0, capsys.readouterr().err
    assert "imported 2 document(s)" in capsys.readouterr().out
    with Store(db) as store:
        first, _second = store.document_ids()
        doc = store.document(first)
        assert (doc.title, doc.meta) == ("Talks fail", {"_id": "art-1", "lang": "en"})
        [(spans, relations), (other, _)] = _labels(store)
        (said_by,) = [r for r in store.relations(first) if r.role == "SAID_BY"]
        assert {s.id: s.label for s in store.spans(first)}[said_by.tail_id] == "SPEAKER"
    assert spans == [("Norland", "GPE", ""), ("Velko", "PERSON", ""), ("Velko", "SPEAKER", ""),
                     ("said", "CUE", ""), ("the talks in Norland had failed", "QUOTE", "")]
    # of the two entities at Velko's offsets, the one SAID_BY may reach (checked above)
    assert relations == [("the talks in Norland had failed", "CUE", "said"),
                         ("the talks in Norland had failed", "SAID_BY", "Velko")]
    assert other == [("Velko", "PERSON", "")]  # its ids were {"$oid": ...} on both sides


def test_standoff_json_lines_bad_lines_are_refused_with_file_and_line(tmp_path, capsys):
    quote = at("the talks in Norland had failed")
    cases = [
        ('{"_id": "x", "documentId": "art-1", "begin": 0,\n', "malformed JSON"),
        (json.dumps({"_id": "x", "begin": 0, "end": 5, "type": "PERSON"}) + "\n",
         "annotation has no document id"),
        (json.dumps({"_id": "x", "documentId": "art-1", "sourceBegin": quote[0],
                     "sourceEnd": quote[1], "targetBegin": 0, "targetEnd": 3,
                     "type": "SAID_BY"}) + "\n",
         f"relation [{quote[0]}, {quote[1]}) -> [0, 3): no entity at the target offsets"),
    ]
    db = tmp_path / "p.db"
    for bad, message in cases:
        docs, ents = _mongo_files(tmp_path, [bad])
        assert main(["import", str(docs), "--standoff", str(ents), "--map", "Country=GPE",
                     "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert f"{ents}:9: " in err and message in err, err
        with Store(db) as store:
            assert store.document_count() == 0


def test_standoff_relation_by_offsets_to_a_left_out_entity_is_counted(store, tmp_path):
    docs, ents = _mongo_files(tmp_path)
    options = _options("Country=GPE", "SPEAKER=-", "PERSON=-", standoff=ents)
    report = import_paths(store, [docs], options=options)
    assert report.ok, report.problems
    [(_spans, relations), _] = _labels(store)
    assert relations == [("the talks in Norland had failed", "CUE", "said")]
    assert report.left_out == {"label SPEAKER": 1, "label PERSON": 2}
    assert report.orphans == 1 and "relations to spans left out (1)" in report.summary()


# --- brat: numbered argument roles, triggers mapped away ------------------------------------------

TWO_PART = "'The talks,' Velko said, 'had failed.'"


def _two_part_ann():
    """PolNeAR-style: content split around its cue, the second part given as Content2."""
    def span(word):
        start = TWO_PART.index(word)
        return start, start + len(word)
    first, second, cue, src = (span("The talks,"), span("had failed."), span("said"),
                               span("Velko"))
    return (f"T17\tSource {src[0]} {src[1]}\tVelko\n"
            f"T18\tCue {cue[0]} {cue[1]}\tsaid\n"
            f"T19\tContent {first[0]} {first[1]}\tThe talks,\n"
            f"T21\tContent {second[0]} {second[1]}\thad failed.\n"
            f"T20\tAttribution {cue[0]} {cue[1]}\tsaid\n"
            "E5\tAttribution:T20 Content:T19 Cue:T18 Source:T17 Content2:T21\n")


def test_brat_numbered_role_is_a_second_argument_of_that_role(store, tmp_path):
    (tmp_path / "a.txt").write_text(TWO_PART, encoding="utf-8")
    (tmp_path / "a.ann").write_text(_two_part_ann(), encoding="utf-8")
    report = import_paths(store, [tmp_path],
                          options=_options("Source=SPEAKER", "Content=QUOTE", "Cue=CUE"))
    assert report.ok, report.problems
    [(spans, relations)] = _labels(store)
    assert [s[:2] for s in spans] == [("The talks,", "QUOTE"), ("Velko", "SPEAKER"),
                                      ("had failed.", "QUOTE"), ("said", "CUE")]
    assert relations == [("The talks,", "CUE", "said"), ("The talks,", "SAID_BY", "Velko"),
                         ("had failed.", "CUE", "said"), ("had failed.", "SAID_BY", "Velko")]
    assert report.folded_events == 1


def test_brat_event_trigger_mapped_away_keeps_the_event_links(store, tmp_path):
    """`--map Attribution=-` leaves the trigger out, not the event's links; an event left out
    whose arguments cannot be joined is counted as left out, not refused."""
    from tests.formats.test_foreign_data import _attribution_ann

    (tmp_path / "wsj_0001.txt").write_text(TEXT, encoding="utf-8")
    fail = at("failed")
    (tmp_path / "wsj_0001.ann").write_text(
        _attribution_ann() + f"T5\tCollapse {fail[0]} {fail[1]}\tfailed\n"
        "E2\tCollapse:T5 Agent:T1 Manner:T2\n", encoding="utf-8")
    report = import_paths(store, [tmp_path], options=_options(
        "Source=SPEAKER", "Content=QUOTE", "Cue=CUE", "Attribution=-", "Collapse=-"))
    assert report.ok, report.problems
    [(spans, relations)] = _labels(store)
    assert [s[:2] for s in spans] == [("Velko", "SPEAKER"), ("said", "CUE"),
                                      ("the talks in Norland had failed", "QUOTE")]
    assert relations == [("the talks in Norland had failed", "CUE", "said"),
                         ("the talks in Norland had failed", "SAID_BY", "Velko")]
    assert report.folded_events == 1 and report.orphans == 0
    assert report.left_out == {"label Collapse": 1}
    assert "not imported: label Collapse (1)" in report.summary()
    # one of our own labels left out takes its event's links with it (no SAME_AS invented)
    other = tmp_path / "other"
    other.mkdir()
    visit = "Velko visited Norland."
    (other / "ev.txt").write_text(visit, encoding="utf-8")
    (other / "ev.ann").write_text("T1\tPERSON 0 5\tVelko\nT2\tGPE 14 21\tNorland\n"
                                  "T3\tEVENT 6 13\tvisited\n"
                                  "E1\tEVENT:T3 Participant:T1 Place:T2\n", encoding="utf-8")
    report = import_paths(store, [other], options=_options("EVENT=-"))
    assert report.ok and report.left_out == {"label EVENT": 1} and report.orphans == 1
    assert [labels for labels in _labels(store) if labels[0][0][0] == "Norland"] == [
        ([("Norland", "GPE", ""), ("Velko", "PERSON", "")], [])]

