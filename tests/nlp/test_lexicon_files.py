"""The word lists in resources/patterns/ and the CAMEO codes in the schema, as the rules read them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.nlp.docdata import span_attrs
from annotator.nlp.lexicons import load_jsonl, load_wordsets, wordset
from annotator.nlp.threats import ThreatFinder
from annotator.nlp.threats.codes import ThreatCodes, default_codes
from annotator.nlp.threats.emission import DEFAULT_MODE
from annotator.nlp.threats.lexicon import DEFAULT_COMPLEMENT_MODE
from annotator.resources import resources_dir
from annotator.schema import load_schema, parse_schema

NLP_SOURCE = Path(__file__).resolve().parents[2] / "annotator" / "nlp"
WORD_FILES = sorted(p.name for p in (resources_dir() / "patterns").glob("*_words.jsonl"))


def _source_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in NLP_SOURCE.rglob("*.py"))


@pytest.mark.parametrize("name", WORD_FILES)
def test_every_word_list_is_used_and_explained(name):
    path = resources_dir() / "patterns" / name
    notes = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r'\{"list": "([a-z_]+)", "note": "([^"]+)"', line)
        if m:
            notes[m.group(1)] = m.group(2)
    sets = load_wordsets(name)
    assert sets and set(sets) == set(notes), f"{name}: every list needs a note saying why"
    source = _source_text()
    unused = [n for n in sets if f'"{n}"' not in source]
    assert not unused, f"{name}: lists no rule reads: {unused}"
    assert all(words for words in sets.values())


def test_a_missing_word_list_names_the_file_and_its_lists():
    message = r"speech_words\.jsonl: no word list 'protest_wordz' \(has \[.*'protest_words'"
    with pytest.raises(ValueError, match=message):
        wordset("speech_words.jsonl", "protest_wordz")


def _modes_the_lexicon_gives() -> set[str]:
    modes = {DEFAULT_MODE, DEFAULT_COMPLEMENT_MODE}
    for row in load_jsonl("threats.jsonl"):
        if row.get("mode"):
            modes.add(row["mode"])
        modes.update(row.get("modes", {}).values())
    return modes


def test_every_threat_mode_has_a_cameo_code_the_schema_allows():
    schema = load_schema()
    codes = default_codes()
    assert codes == ThreatCodes.from_schema(schema)
    threat = schema.label("THREAT")
    allowed_modes = set(threat.attribute("mode").values)
    assert _modes_the_lexicon_gives() <= allowed_modes
    for mode in allowed_modes:
        for ttype in threat.attribute("type").values:
            code = codes.cameo(mode, ttype)
            assert threat.attribute("cameo").allows(code), (mode, ttype, code)
    assert codes.cameo("violence", "conditional") == "139"
    assert codes.cameo("violence", "direct") == "138"
    assert codes.cameo("a mode without a code", "veiled") == "130"


def test_threat_codes_come_from_the_schema_mappings(nlp):
    """The same threat gets the code its schema's mapping table gives, not one kept in code."""
    text = '"We will wipe out their camps," the general said.'
    with nlp.select_pipes(disable=["news_threats", "news_events", "news_same_as"]):
        doc = nlp(text)
    toml = load_schema().source_text.replace('[mappings.threat_mode.violence]\ncameo_code = "138"',
                                             '[mappings.threat_mode.violence]\ncameo_code = "1384"')
    assert toml != load_schema().source_text
    finder = ThreatFinder(nlp.vocab, codes=ThreatCodes.from_schema(parse_schema(toml)))
    finder(doc)
    threats = [s for s in doc.spans["news"] if s.label_ == "THREAT"]
    assert [s.text for s in threats] == ["wipe out their camps"]
    assert span_attrs(doc, threats[0]) == {"type": "direct", "mode": "violence", "cameo": "1384"}


def test_event_rows_name_schema_types_and_threat_modes_are_schema_modes():
    schema = load_schema()
    types = set(schema.label("EVENT").attribute("type").values)
    assert {r["type"] for r in load_jsonl("events.jsonl")} <= types
    plover = {"AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE", "DEMAND",
              "DISAPPROVE", "REJECT", "THREATEN", "CRIME", "SANCTION", "MOBILIZE", "COERCE"}
    assert plover <= {r["type"] for r in load_jsonl("events.jsonl")}, "every PLOVER type has a trigger row"
    modes = set(schema.label("THREAT").attribute("mode").values) | {""}
    rows = load_jsonl("threat_modes.jsonl")
    assert rows and {r["mode"] for r in rows} <= modes
    assert all(r.get("verbs") and r.get("note") for r in rows)
