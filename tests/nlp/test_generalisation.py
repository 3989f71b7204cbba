"""Threat, event and quote constructions beyond the ones the first samples used (own short texts)."""

from __future__ import annotations

import pytest


def _threats(v):
    return v.texts("THREAT")


def _has(texts, needle):
    return any(needle in t for t in texts)


# --- threats -------------------------------------------------------------------------------------


def test_ultimatum_or_face_expulsion(nlp, view):
    text = "The government gave the ambassador 48 hours to leave the country or face expulsion."
    v = view(nlp(text))
    ti, t = v.find("THREAT", "face expulsion")
    assert v.attrs(ti)["mode"] == "expel"
    assert v.attrs(ti)["type"] == "conditional"
    assert "expulsion" not in v.texts("EVENT")  # threatened, not done


def test_ultimatum_with_quoted_harm(nlp, view):
    text = 'The Valley Front gave the government 72 hours to free its commander or face "war in every city".'
    v = view(nlp(text))
    assert _has(_threats(v), "war in every city")
    qi, q = v.find("QUOTE", "war in every city")
    assert v.attrs(qi)["kind"] == "partial"
    spk = v.tails(qi, "SAID_BY")
    assert spk and "Valley Front" in v.spans[spk[0]].text


def test_threatened_to_expel_diplomats(nlp, view):
    v = view(nlp("The Foreign Office threatened to expel Tarvonian diplomats in return."))
    ti, t = v.find("THREAT", "expel Tarvonian diplomats")
    assert v.attrs(ti)["mode"] == "expel"
    assert [v.spans[x].text for x in v.tails(ti, "TARGET")] == ["Tarvonian"]


def test_threatened_to_sack_workers(nlp, view):
    v = view(nlp("The government threatened to sack workers who do not return to work by Monday."))
    ti, _ = v.find("THREAT", "sack workers")
    assert v.attrs(ti)["mode"] == "restrict"


def test_conditional_closure_threats_stay_apart(nlp, view):
    text = (
        '"If Meridia does not recall its agents, we will close its consulate in Kessel and suspend '
        'all military cooperation," the foreign minister said.'
    )
    v = view(nlp(text))
    close, _ = v.find("THREAT", "close its consulate")
    suspend, _ = v.find("THREAT", "suspend all military cooperation")
    assert v.attrs(close)["mode"] == "relations" and v.attrs(close)["type"] == "conditional"
    conds = [v.spans[c].text for c in v.tails(close, "CONDITION")]
    assert conds == ["Meridia does not recall its agents"]  # without its "if" (GUIDELINES.md)


def test_warned_of_serious_consequences_if(nlp, view):
    text = 'The speaker of parliament warned Meridia of "serious consequences" if it retaliated against students.'
    v = view(nlp(text))
    ti, _ = v.find("THREAT", "serious consequences")
    assert v.attrs(ti)["type"] == "conditional"
    assert [v.spans[c].text for c in v.tails(ti, "CONDITION")] == ["it retaliated against students"]


def test_headline_warn_of_consequences(nlp, view):
    v = view(nlp("Truce signed at lakeside summit, but rebels warn of consequences"))
    assert "consequences" in _threats(v)


def test_heavy_price_options_on_the_table_and_pay_for(nlp, view):
    text = (
        "The spokesman said the government would pay a heavy price for the provocation. "
        "The minister said all options were on the table.\n"
        '"They will pay for every drop of blood," the general said.'
    )
    v = view(nlp(text))
    threats = _threats(v)
    assert _has(threats, "pay a heavy price")
    assert _has(threats, "all options were on the table")
    assert _has(threats, "pay for every drop of blood")


def test_vowed_to_and_passive_coordinated_threat(nlp, view):
    text = (
        "The general vowed to hunt every one of them down.\n"
        'The minister said the group would be "hunted down and destroyed".'
    )
    v = view(nlp(text))
    threats = _threats(v)
    assert _has(threats, "hunt every one of them down")
    # one act, two verbs: one THREAT
    assert [t for t in threats if "destroyed" in t or "hunted down" in t] == ["hunted down and destroyed"]


def test_ultimatum_in_a_headline_quote(nlp, view):
    v = view(nlp('Minister to miners: "Return by Monday or lose your jobs"\nThe strike entered its third day.'))
    ti, _ = v.find("THREAT", "lose your jobs")
    assert v.attrs(ti)["mode"] == "restrict"
    qi, _ = v.find("QUOTE", "Return by Monday")
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "Minister"


@pytest.mark.parametrize(
    "text",
    [
        "The government will close the embassy for renovation next month, officials said.",
        "The union said workers would strike on Monday if the talks fail.",
        "The economic consequences of the war have been severe, the report said.",
        "Police said the strike by teachers would continue until Friday.",
        "Negotiators said they would suspend the talks for the holidays.",
        "She said the new law would target tax evasion by large companies.",
        "The team will face the champions in the final on Sunday.",
    ],
)
def test_plans_and_labour_strikes_are_no_threats(nlp, view, text):
    assert _threats(view(nlp(text))) == []


# --- events --------------------------------------------------------------------------------------


def _events(v):
    return {s.text: v.attrs(i)["type"] for i, s in v.of("EVENT")}


def test_gunmen_opened_fire_killing_and_wounding(nlp, view):
    v = view(nlp("Gunmen opened fire on a convoy near Haddar on Saturday, killing five people and wounding nine."))
    ev = _events(v)
    assert ev.get("opened fire") == "ATTACK"
    assert ev.get("killing") == "CASUALTIES" and ev.get("wounding") == "CASUALTIES"


def test_arrest_protest_and_abduction_triggers(nlp, view):
    text = (
        "Rights groups said 40 people had been rounded up in raids on villages. "
        "Relatives of the detained men held a sit-in outside the governor's office. "
        "Two aid workers were abducted on the road to Haddar on Monday."
    )
    ev = _events(view(nlp(text)))
    assert ev.get("rounded up") == "ARREST"
    assert ev.get("sit-in") == "PROTEST"
    assert ev.get("abducted") == "ATTACK"
    assert ev.get("raids") == "ATTACK"


def test_casualties_in_a_relative_clause_of_an_attack(nlp, view):
    ev = _events(view(nlp("It was an attack on a police post that killed four officers.")))
    assert ev.get("attack") == "ATTACK" and ev.get("killed") == "CASUALTIES"


def test_one_sided_agreeing_is_no_agreement(nlp, view):
    v = view(nlp("He said Norland had agreed to participate in the talks."))
    assert "agreed" not in _events(v)
    v = view(nlp("Its envoy said the two sides had agreed to meet again in January."))
    ev = _events(v)
    assert ev.get("agreed") == "AGREE" and ev.get("meet") == "TALKS"  # PLOVER AGREE: not a ceasefire (GUIDELINES.md)


def test_strike_keeps_its_sense_through_the_article(nlp, view):
    text = (
        "Miners began a national strike over pay on Monday.\n"
        'The union leader said the strike would go on "until the closures are cancelled".\n'
        "In the north, an airstrike hit a rebel base. Six fighters died in the strike."
    )
    v = view(nlp(text))
    strikes = [(s.start, v.attrs(i)["type"]) for i, s in v.of("EVENT") if s.text == "strike"]
    assert [t for _, t in sorted(strikes)] == ["PROTEST", "PROTEST", "ATTACK"]
    assert _threats(v) == []


def test_clashes_between_demonstrators_and_police_are_a_protest(nlp, view):
    v = view(nlp("Clashes broke out when demonstrators tried to break through a police cordon."))
    assert _events(v).get("Clashes") == "PROTEST"


def test_no_events_for_statements_riot_police_collapse_or_a_dead_truce(nlp, view):
    text = (
        "Minister warns rebels after border talks collapse\n"
        "Riot police stood by. The ministry said in a statement that the talks had failed. "
        "Velko's warning came hours later.\n"
        '"If a single soldier crosses the river, the truce is dead," he said.'
    )
    ev = _events(view(nlp(text)))
    assert not {"collapse", "statement", "warning", "Riot", "dead"} & set(ev)
    assert ev.get("talks") == "TALKS"


# --- quotes and speakers -------------------------------------------------------------------------


def test_according_to_a_statement_from_an_office(nlp, view):
    text = "Four attackers were killed, according to a statement from the army's press office."
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "Four attackers were killed")
    assert q.text == "Four attackers were killed"
    assert "press office" in v.spans[v.tails(qi, "SAID_BY")[0]].text


def test_according_to_first_and_no_full_stop_in_reported_speech(nlp, view):
    v = view(nlp("According to police, about 40,000 people took part in the march."))
    qi, q = v.find("QUOTE", "about 40,000")
    assert q.text == "about 40,000 people took part in the march"
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "police"


def test_colon_introduced_quote(nlp, view):
    text = 'The ministry said in a statement: "The suspects carried cameras and maps of military sites."'
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "The suspects carried")
    assert v.attrs(qi)["kind"] == "direct"
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "The ministry"


def test_speaker_after_a_long_relative_clause(nlp, view):
    text = (
        "Its spokesman, Anton Reyes, who spent most of Monday's briefing defending the embassy staff and "
        "listing the aid projects that Meridia funds in Tarvonia, said the government in Brovna would "
        "pay a heavy price for the provocation."
    )
    v = view(nlp(text))
    qi, _ = v.find("QUOTE", "the government in Brovna")
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "Anton Reyes"


def test_speaker_one_of_the_organisers_named_in_apposition(nlp, view):
    text = '"Our husbands go underground every day," one of the organisers, Mira Dolan, told reporters.'
    v = view(nlp(text))
    assert v.spans[v.speaker_of("Our husbands")].text == "Mira Dolan"


def test_reported_speech_ending_in_a_quoted_fragment_keeps_the_closing_mark(nlp, view):
    v = view(nlp('Interior Minister Karel Osmani said the Front would be "hunted down and destroyed".'))
    quotes = v.texts("QUOTE")
    assert quotes == ['the Front would be "hunted down and destroyed"']


def test_reported_clause_and_a_quoted_clause_stay_two_quotes(nlp, view):
    text = 'The ministry said the rebels had fired first and that "the responsibility lies with them."'
    v = view(nlp(text))
    assert sorted(v.texts("QUOTE")) == ["the rebels had fired first", "the responsibility lies with them."]


def test_no_quote_for_refusals_questions_and_purposes(nlp, view):
    text = (
        "It did not say who had kidnapped them. "
        'Asked whether his fighters would disarm, Haddad said: "Our guns stay with us." '
        "Hundreds of people marched on Thursday to demand the release of relatives."
    )
    v = view(nlp(text))
    assert v.texts("QUOTE") == ["Our guns stay with us."]


def test_denied_with_a_gerund_and_said_with_a_misparsed_clause(nlp, view):
    text = (
        "The Front denied losing any fighters. It accused the army of shelling villages and said "
        "three civilians, including a child, were killed."
    )
    quotes = view(nlp(text)).texts("QUOTE")
    assert "losing any fighters" in quotes
    assert "three civilians, including a child, were killed" in quotes


def test_that_clause_after_a_channel_phrase(nlp, view):
    text = (
        "The commander, Yara Tesh, warned in a radio message that any violation would have "
        '"severe consequences" for the troops.'
    )
    v = view(nlp(text))
    qi, _ = v.find("QUOTE", "any violation would have")
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "Yara Tesh"


def test_parenthetical_and_trailing_cues(nlp, view):
    text = (
        "The army, the defence ministry said, is ready to strike the launch sites within hours.\n"
        "Two guards died in the blast, which sent smoke over the city, the regional governor, "
        "Emil Strand, told state television."
    )
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "The army, the defence ministry said")
    assert "ministry" in v.spans[v.tails(qi, "SAID_BY")[0]].text
    qi, q = v.find("QUOTE", "Two guards died")
    assert q.text == "Two guards died in the blast, which sent smoke over the city"
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "Emil Strand"


def test_headline_reported_speech_and_time_adjuncts(nlp, view):
    text = (
        "Lisan warns it will shoot down drones after strike on fuel depot\n"
        "The government said on Saturday it would shoot down any drone entering its airspace, "
        "a day after an explosion destroyed a depot."
    )
    v = view(nlp(text))
    quotes = v.texts("QUOTE")
    assert "it will shoot down drones" in quotes
    assert "it would shoot down any drone entering its airspace" in quotes
    assert _has(_threats(v), "shoot down drones")
    assert "strike" in v.texts("EVENT")


def test_whatever_threaten_governs_is_a_threat(nlp, view):
    text = (
        "The union threatened to walk out of the talks. "
        "The regulator threatened the bank with a fine. "
        "Residents were threatened with eviction."
    )
    v = view(nlp(text))
    walk, _ = v.find("THREAT", "walk out of the talks")
    fine, _ = v.find("THREAT", "a fine")
    eviction, _ = v.find("THREAT", "eviction")
    assert v.attrs(eviction)["mode"] == "expel"


def test_veiled_threat_idioms(nlp, view):
    text = (
        '"That patience is now exhausted," the minister said. '
        '"Any attempt to free the boats by force would be met with a firm response," he added.'
    )
    threats = _threats(view(nlp(text)))
    assert _has(threats, "patience is now exhausted")
    assert _has(threats, "met with a firm response")


def test_more_event_triggers(nlp, view):
    text = (
        "An attacker threw a grenade into the crowd. Gunmen seized two engineers near the dam. "
        "Troops seized weapons and explosives. Thousands of demonstrators took to the streets on Friday. "
        "The leader was not hurt."
    )
    ev = _events(view(nlp(text)))
    assert ev.get("threw a grenade") == "ATTACK"
    assert [t for t in ev if t == "seized"] == ["seized"]  # the engineers, not the weapons
    assert ev.get("took to the streets") == "PROTEST"
    assert ev.get("hurt") == "CASUALTIES"


def test_people_and_internal_meetings_are_no_events(nlp, view):
    text = (
        "The prime minister chaired an emergency cabinet meeting on Tuesday. "
        "Speaking outside the hospital where the wounded were being treated, Petrovic accused the ruling "
        "party of stoking hatred."
    )
    v = view(nlp(text))
    assert not {"meeting", "cabinet meeting", "wounded"} & set(_events(v))
    qi, q = v.find("QUOTE", "the ruling")
    assert q.text == "the ruling party of stoking hatred"
    assert not any(s.text.startswith("Speaking") for _, s in v.of("QUOTE"))


def test_reported_speech_stops_at_a_second_speech_verb(nlp, view):
    text = (
        'The observers\' mission said it was "deeply alarmed" by the violence and urged all parties '
        "to show restraint."
    )
    quotes = view(nlp(text)).texts("QUOTE")
    assert 'it was "deeply alarmed" by the violence' in quotes
    assert "all parties to show restraint" in quotes


def test_veiled_threat_phrases(nlp, view):
    text = (
        'Dravia warned that it would respond "at a time and place of our choosing".\n'
        '"Our restraint should not be mistaken for weakness," the president said.\n'
        'The commander said his fighters were "ready to do what is necessary".'
    )
    threats = _threats(view(nlp(text)))
    assert _has(threats, "time and place of our choosing")
    assert _has(threats, "mistaken for weakness")
    assert _has(threats, "do what is necessary")


def test_shelling_and_killing_triggers(nlp, view):
    text = (
        "Artillery shells landed in the border town of Sefa, killing a woman. One driver was shot dead. "
        '"The killing of innocent civilians will not go unpunished," the ministry said. '
        "Kidnappings for ransom have risen since the collapse of a peace deal last year. "
        "The ministry handed the envoy a formal protest."
    )
    v = view(nlp(text))
    ev = _events(v)
    assert ev.get("shells landed") == "ATTACK"
    assert ev.get("shot dead") == "CASUALTIES"
    assert ev.get("killing") == "CASUALTIES"
    assert ev.get("Kidnappings") == "ATTACK"
    assert "collapse" not in ev and "protest" not in ev
    deal = [i for i, s in v.of("EVENT") if s.text.endswith("deal")][0]
    assert v.attrs(deal).get("outcome") == "failure"


def test_called_on_and_coordinated_main_verbs(nlp, view):
    v = view(nlp("The United Nations called on both sides to exercise maximum restraint and offered to host talks."))
    qi, q = v.find("QUOTE", "both sides")
    assert q.text == "both sides to exercise maximum restraint"
    assert "United Nations" in v.spans[v.tails(qi, "SAID_BY")[0]].text


def test_speaker_of_a_subjectless_cue_after_a_relative_clause(nlp, view):
    text = (
        "In a recording sent to local journalists, a man who identified himself as the group's commander "
        'said his fighters were "ready to do what is necessary". He also warned the army not to attempt a rescue.'
    )
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "his fighters were")
    assert q.text == 'his fighters were "ready to do what is necessary"'
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "a man"
    assert "the army not to attempt a rescue" in v.texts("QUOTE")


def test_protest_demands_and_nested_speech_are_no_quotes(nlp, view):
    text = (
        "Families of the hostages staged a sit-in outside the offices on Wednesday, demanding that the "
        "company act quickly. Protesters gathered outside the embassy, throwing eggs and demanding the "
        "expulsion of the ambassador. Its spokesman, Milan Kos, said the party had asked its members not to "
        "hold counter-demonstrations."
    )
    v = view(nlp(text))
    assert v.texts("QUOTE") == ["the party had asked its members not to hold counter-demonstrations"]


def test_a_lower_case_word_never_starts_a_sentence_after_a_word(nlp, view):
    text = (
        "Soldiers killed as militants storm border camp\n"
        "Militants armed with rifles stormed an army camp near Qadim on Tuesday, killing seven soldiers, "
        "the military said."
    )
    v = view(nlp(text))
    qi, q = v.find("QUOTE", "Militants armed")
    assert q.text == "Militants armed with rifles stormed an army camp near Qadim on Tuesday, killing seven soldiers"


def test_pay_for_it_needs_the_target_as_subject(nlp, view):
    assert _threats(view(nlp("The government will pay for it from the reserve fund."))) == []
    v = view(nlp('"We will make them pay for every drop of blood," the general said.'))
    assert _has(_threats(v), "pay for every drop of blood")


@pytest.mark.parametrize(
    "text",
    [
        "The study demonstrated that the vaccine works.",
        "He shot a video of the parade.",
        "Fans were rallying behind the team.",
    ],
)
def test_ambiguous_words_are_no_events(nlp, view, text):
    assert _events(view(nlp(text))) == {}
