"""Reported speech, speakers and markup on sentences written for these tests (issue 12)."""

from __future__ import annotations

from spacy.tokens import Doc

from annotator.nlp.dateline import dateline_meta, find_dateline


def _quote(v, startswith):
    qi, q = v.find("QUOTE", startswith)
    return qi, q, v.attrs(qi)


def _speaker_text(v, qi):
    return v.spans[v.tails(qi, "SAID_BY")[0]].text


def test_dateline_is_no_speaker_and_sets_place_and_agency(nlp, view):
    text = (
        "Dam row deepens\n"
        "TOLVEN, Marsk (Eastwire) – Marsk warned on Friday that it would cut the flow of the Aller river.\n"
    )
    v = view(nlp(text))
    qi, q, attrs = _quote(v, "it would cut")
    assert _speaker_text(v, qi) == "Marsk" and v.spans[v.tails(qi, "SAID_BY")[0]].start > 8
    assert "TOLVEN" not in {v.spans[t].text for _, t, r in [(h, t, r) for h, t, r in v.rels] if r == "SAID_BY"}
    ents = {(e.text, e.label_) for e in v.doc.ents}
    assert {("TOLVEN", "GPE"), ("Marsk", "GPE"), ("Eastwire", "ORG")} <= ents
    assert dateline_meta(text) == {
        "place": "Tolven, Marsk",
        "agency": "Eastwire",
        "dateline": "TOLVEN, Marsk (Eastwire)",
    }


def test_dateline_forms():
    text = "Head\nBREST, 3 June (Nordpress) -- The ..."
    d = find_dateline(text)
    assert [text[a:b] for a, b in (d.city, d.date, d.agency)] == ["BREST", "3 June", "Nordpress"]
    assert d.region is None and text[d.end :] == "The ..."
    text = "Head\nSt. Olaf (Nordpress) - The ..."
    d = find_dateline(text)
    assert [text[a:b] for a, b in (d.city, d.agency)] == ["St. Olaf", "Nordpress"]
    assert d.region is None and d.date is None and text[d.end :] == "The ..."
    assert find_dateline("Head\nThe union - which ...") is None
    assert dateline_meta("No dateline here.") == {}


def test_markup_attribute_values_are_no_quotes(nlp, view):
    text = 'Photo: <img src="quay.jpg" alt="Dockers at the northern gate of the port"> Dockers stayed away.'
    assert view(nlp(text)).texts("QUOTE") == []


def test_scare_quoted_terms_are_no_quotes(nlp, view):
    v = view(nlp('The so-called "green corridor" was shut. Police sent a "quick reaction" team to the bridge.'))
    assert v.texts("QUOTE") == []


def test_scare_quote_inside_reported_speech_keeps_it_indirect(nlp, view):
    v = view(nlp('Hoteliers said bookings for the so-called "lantern week" had fallen sharply.'))
    qi, q, attrs = _quote(v, "bookings for")
    assert attrs["kind"] == "indirect" and q.text.endswith("had fallen sharply")


def test_speech_noun_with_possessor(nlp, view):
    v = view(nlp("The mayor's claim that the bridge was safe was rejected by engineers."))
    qi, q, attrs = _quote(v, "the bridge was safe")
    assert q.text == "the bridge was safe"
    assert _speaker_text(v, qi) == "The mayor"
    assert [v.spans[c].text for c in v.tails(qi, "CUE")] == ["claim"]


def test_pronoun_possessor_of_remarks_and_a_quoted_fragment(nlp, view):
    v = view(nlp('His remarks that the strikers were "wrecking the harbour" drew boos from the crowd.'))
    qi, q, attrs = _quote(v, "the strikers were")
    assert q.text == 'the strikers were "wrecking the harbour"' and attrs["kind"] == "partial"
    assert _speaker_text(v, qi) == "His"


def test_passive_attributions(nlp, view):
    v = view(nlp("The coastal authority was quoted as saying that the ferry would resume on Monday."))
    qi, q, _ = _quote(v, "the ferry would resume")
    assert _speaker_text(v, qi) == "The coastal authority"
    assert [v.spans[c].text for c in v.tails(qi, "CUE")] == ["was quoted as saying"]
    v = view(nlp("It was confirmed by the harbour master on Friday that two cranes had failed."))
    qi, q, _ = _quote(v, "two cranes had failed")
    assert _speaker_text(v, qi) == "the harbour master"
    assert [v.spans[c].text for c in v.tails(qi, "CUE")] == ["was confirmed"]


def test_according_to_and_believes(nlp, view):
    v = view(nlp("According to the port union, forty cranes stood idle on Tuesday."))
    qi, q, _ = _quote(v, "forty cranes")
    assert _speaker_text(v, qi) == "the port union"
    v = view(nlp("The harbour master believes the ferry can sail by Sunday."))
    qi, q, _ = _quote(v, "the ferry can sail")
    assert _speaker_text(v, qi) == "The harbour master"


def test_in_a_statement_sets_the_channel_and_a_name_after_a_noun_is_the_speaker(nlp, view):
    v = view(nlp("In a statement, the opposition Harbour Alliance argued that the mayor had misled the council."))
    qi, q, attrs = _quote(v, "the mayor had misled")
    assert _speaker_text(v, qi) == "Harbour Alliance"
    assert attrs.get("channel") == "press release"


def test_a_name_inside_the_quote_is_not_its_speaker(nlp, view):
    v = view(nlp('"Ask Mayor Tesch why the buses stopped," one commuter shouted.'))
    qi, q, _ = _quote(v, "Ask Mayor")
    assert _speaker_text(v, qi) == "one commuter"


def test_greeting_inside_a_quote_is_not_the_speaker(nlp, view):
    v = view(nlp('"Good evening, Tolven. Tonight we march on the port," Lene Obst told the crowd.'))
    qi, q, _ = _quote(v, "Good evening")
    assert _speaker_text(v, qi) == "Lene Obst"


def test_quote_after_a_colon_takes_the_clause_subject(nlp, view):
    v = view(nlp('The port director, Ilse Brann, was blunt: "The cranes will not move."'))
    qi, q, _ = _quote(v, "The cranes will not move")
    assert _speaker_text(v, qi) == "Ilse Brann"


def test_long_speaker_phrase_between_quote_and_cue(nlp, view):
    text = (
        '"We stay until the quota goes," the chairman of the northern trawler cooperative, '
        "Aksel Moe, said on Monday."
    )
    v = view(nlp(text))
    qi, q, _ = _quote(v, "We stay")
    assert _speaker_text(v, qi) == "Aksel Moe"


def test_second_cue_after_and_keeps_the_speaker(nlp, view):
    v = view(nlp("She said the bridge would reopen in May and vowed to sue anyone who blocked it."))
    qi, q, attrs = _quote(v, "sue anyone")
    assert _speaker_text(v, qi) == "She" and attrs["speech_act"] == "threat"


def test_called_reports_speech_only_with_a_quotation(nlp, view):
    assert view(nlp("The union called a meeting for Friday.")).texts("QUOTE") == []
    v = view(nlp('The skipper called the fine "robbery on the open sea".'))
    qi, q, attrs = _quote(v, "the fine")
    assert attrs["kind"] == "partial"


def test_blank_pipeline_keeps_datelines_and_markup_apart(blank_nlp, view):
    text = 'Head\nTOLVEN (Eastwire) – "We will stay," the skipper said. <img alt="Boats at the quay">\n'
    v = view(blank_nlp(text))
    assert v.texts("QUOTE") == ["We will stay,"]
    assert all("TOLVEN" not in v.spans[t].text for _, t, r in v.rels if r == "SAID_BY")


def test_one_speaker_has_one_role_and_affiliation_in_an_article(nlp, view):
    v = view(nlp("Pakistan's Defence Minister Khawaja Asif said on Monday that the talks were over. "
                 "\u201cWe will respond with force,\u201d Asif told reporters. "
                 "\u201cThere is no other way,\u201d the minister added."))
    described = {}
    for quote in ("the talks were over", "We will respond", "There is no other"):
        attrs = v.attrs(v.speaker_of(quote))
        described[quote] = (attrs.get("canonical_name"), attrs.get("role"), attrs.get("affiliation"))
    assert set(described.values()) == {("Khawaja Asif", "Defence Minister", "Pakistan")}, described


def test_quote_over_joined_paragraphs_keeps_every_piece_and_its_speaker(nlp, view):
    # a crawl joined the paragraphs of a quote: each piece opens with a mark, only the last closes
    text = (
        "Ferry row\n\n"
        'Harbour master Ivo Rask said: "The ferry will run until the end of the month. '
        'After that the quay has to be rebuilt. "Nobody here wanted this. '
        '"We will tell every family what the timetable is."\n'
    )
    v = view(nlp(text))
    assert v.texts("QUOTE") == [
        "The ferry will run until the end of the month. After that the quay has to be rebuilt.",
        "Nobody here wanted this.",
        "We will tell every family what the timetable is.",
    ]
    assert {_speaker_text(v, qi) for qi, _ in v.of("QUOTE")} == {"Ivo Rask"}


def test_joined_quote_after_a_fragment_continues_its_speaker_not_a_later_one(nlp, view):
    # the unnamed pieces follow the fragment of the mayor; the councillor speaks only later
    text = (
        "Quay plan\n\n"
        'Mayor Lena Ostrova told the council the plan would "wreck the harbour". '
        '"First they closed the ferry office. "Now they want the whole quay as well." '
        "Councillor Piet Hale dismissed the mayor's speech on Tuesday, telling the local radio station "
        'that the council had been "very patient".\n'
    )
    v = view(nlp(text))
    for start in ("First they closed", "Now they want"):
        qi, _ = v.find("QUOTE", start)
        assert _speaker_text(v, qi) == "Lena Ostrova"


def test_quote_before_the_next_speakers_own_cue_keeps_the_earlier_speaker(nlp, view):
    # the councillor's cue introduces the quote after it, not the pieces before it
    text = (
        "Quay plan\n\n"
        '"The harbour needs the ferry," Mayor Lena Ostrova said. "The quay is older than the town hall. '
        '"Closing it would cost every shop on the front." Councillor Piet Hale said: "The sums do not add up."\n'
    )
    v = view(nlp(text))
    for start in ("The quay is older", "Closing it would"):
        qi, _ = v.find("QUOTE", start)
        assert _speaker_text(v, qi) == "Lena Ostrova"
    qi, _ = v.find("QUOTE", "The sums")
    assert _speaker_text(v, qi).endswith("Piet Hale")


def test_role_noun_speaker_takes_the_name_after_its_of_phrase(nlp, view):
    # the parser hangs the name on the board; a preposition's object is still nobody's name
    text = (
        "Harbour\n\n"
        'Chairman of the Harbour Safety Board Peter Ainsworth MP, said: "The quay is not safe for lorries."\n'
        'A spokesman for Tony Blair said: "We do not comment on that."\n'
    )
    v = view(nlp(text))
    qi, _ = v.find("QUOTE", "The quay is not safe")
    assert _speaker_text(v, qi) == "Peter Ainsworth"
    qi, _ = v.find("QUOTE", "We do not comment")
    assert _speaker_text(v, qi) == "A spokesman"


def test_beliefs_fears_and_complaints_report_their_content(nlp, view):
    v = view(nlp(
        "Bridge row\n\n"
        "Fishermen fear the new bridge will block the channel. "
        "The harbour master complained that nobody had asked the pilots. "
        "Engineers thought the deck was strong enough.\n"
    ))
    for start, speaker in (
        ("the new bridge will block", "Fishermen"),
        ("nobody had asked", "The harbour master"),
        ("the deck was strong", "Engineers"),
    ):
        qi, q, attrs = _quote(v, start)
        assert attrs["kind"] == "indirect" and _speaker_text(v, qi) == speaker


def test_reported_content_ends_at_the_colon_before_a_direct_quote(nlp, view):
    text = 'Bridge\n\nHe said the old bridge remained safe: "It was built to last. Nobody has shown me otherwise."\n'
    v = view(nlp(text))
    qi, q, attrs = _quote(v, "the old bridge")
    assert q.text == "the old bridge remained safe" and attrs["kind"] == "indirect"
    qi, q, attrs = _quote(v, "It was built")
    assert attrs["kind"] == "direct" and _speaker_text(v, qi) == "He"


def test_role_noun_subject_before_a_colon_speaks_the_quote(nlp, view):
    text = (
        "Ferry vote\n\n"
        'The opposition leader went on: "The ferry was never the problem. "The timetable was."\n'
    )
    v = view(nlp(text))
    for start in ("The ferry was never", "The timetable was"):
        qi, _ = v.find("QUOTE", start)
        assert _speaker_text(v, qi) == "The opposition leader"


def test_quote_opening_the_next_sentence_continues_the_previous_speaker(nlp, view):
    # other people are named in between, but only as what the speaker talked about
    text = (
        "Ferry vote\n\n"
        "The councillor told a local radio station that the mayor had a \"real chance\" on Monday, after Peter "
        'Hain left the port board at the end of the long and difficult winter season. "If you ran a shop, would '
        'you close it in the winter? '
        '"That is the sensible question to ask before the vote."\n'
    )
    v = view(nlp(text))
    for start in ("If you ran a shop", "That is the sensible"):
        qi, _ = v.find("QUOTE", start)
        assert _speaker_text(v, qi) == "The councillor"


def test_cue_with_two_subjects_takes_the_nominal_one(nlp):
    # the model parses an unknown acronym before a title as an adjective subject of its own,
    # beside the name: this is that parse, given to the quote stage as the model gave it
    words = ["Ferrow", "general", "secretary", "Ann", "Bell", "added", ":", '"', "These", "are", "special", "days",
             ".", '"']
    spaces = [True, True, True, True, True, False, True, False, True, True, True, False, False, False]
    pos = ["ADJ", "ADJ", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT", "PUNCT", "PRON", "AUX", "ADJ", "NOUN", "PUNCT",
           "PUNCT"]
    tags = ["JJ", "JJ", "NN", "NNP", "NNP", "VBD", ":", "``", "DT", "VBP", "JJ", "NNS", ".", "''"]
    heads = [5, 2, 4, 4, 5, 5, 5, 5, 9, 5, 11, 9, 9, 5]
    deps = ["nsubj", "amod", "compound", "compound", "nsubj", "ROOT", "punct", "punct", "nsubj", "ccomp", "amod",
            "attr", "punct", "punct"]
    ents = ["O", "O", "O", "B-PERSON", "I-PERSON"] + ["O"] * 9
    doc = Doc(nlp.vocab, words=words, spaces=spaces, pos=pos, tags=tags, heads=heads, deps=deps, ents=ents)
    [q] = nlp.get_pipe("news_quotes").match(doc).quotes
    assert doc[q.speaker.start : q.speaker.end].text == "Ann Bell"
