"""Reported threats, ultimatums and threat nouns on sentences written for these tests (issue 12)."""

from __future__ import annotations

import pytest


def _threat(v, startswith):
    ti, t = v.find("THREAT", startswith)
    return ti, t, v.attrs(ti)


def _tails(v, ti, role):
    return [v.spans[x].text for x in v.tails(ti, role)]


def test_threatened_after_a_date_to_do_something_unless(nlp, view):
    v = view(nlp("Marsk threatened on Friday to stop grain shipments to Tolland unless the port fees were cut."))
    ti, t, attrs = _threat(v, "stop grain shipments")
    assert t.text == "stop grain shipments to Tolland"
    assert attrs["type"] == "conditional" and attrs["mode"] == "restrict"
    assert _tails(v, ti, "CONDITION") == ["the port fees were cut"]
    assert _tails(v, ti, "SOURCE") == ["Marsk"]
    qi, q = v.find("QUOTE", "stop grain shipments")
    assert v.attrs(qi)["speech_act"] == "threat" and v.attrs(qi)["kind"] == "indirect"
    assert v.tails(ti, "EXPRESSED_IN") == [qi]


def test_mode_comes_from_the_action_not_the_cue(nlp, view):
    v = view(nlp("The party vowed to leave the ruling coalition if the tax passed."))
    assert _threat(v, "leave the ruling coalition")[2]["mode"] == "relations"
    v = view(nlp("The admiral vowed to send two frigates to guard the fishing boats."))
    ti, t, attrs = _threat(v, "send two frigates")
    assert attrs["mode"] == "violence" and t.text == "send two frigates to guard the fishing boats"
    v = view(nlp("The minister warned that rioters would face prosecution if they returned."))
    assert _threat(v, "face prosecution")[2]["mode"] == "arrest"


def test_a_conditional_plan_of_the_speakers_side_is_a_threat(nlp, view):
    text = "The union leader told members that the dockers would block the container terminal if one worker was sacked."
    v = view(nlp(text))
    ti, t, attrs = _threat(v, "block the container terminal")
    assert attrs["type"] == "conditional"
    assert _tails(v, ti, "CONDITION") == ["one worker was sacked"]


@pytest.mark.parametrize(
    "text",
    [
        "Growers say their orchards will die if the canal closes.",  # a prediction, no action of theirs
        "Officials said the new bridge would be opened in June.",  # a plan
        "The fire threatened to spread to the old town.",  # nobody threatens
        "She said the army would protect the villages if the rebels attacked.",  # no harm
    ],
)
def test_no_threat(nlp, view, text):
    assert view(nlp(text)).texts("THREAT") == []


def test_deadline_ultimatum_with_a_consequence(nlp, view):
    v = view(nlp("The mayor gave the squatters 72 hours to leave the depot or be evicted by the police."))
    ti, t, attrs = _threat(v, "be evicted")
    assert t.text == "be evicted by the police"
    assert attrs["type"] == "conditional"
    assert _tails(v, ti, "CONDITION") == ["72 hours to leave the depot"]


def test_or_else_with_a_quoted_consequence(nlp, view):
    text = (
        "The drivers gave the ministry until Tuesday to restore the fuel subsidy, "
        'or else "no bus will run in the capital".'
    )
    v = view(nlp(text))
    ti, t, attrs = _threat(v, "no bus will run")
    assert _tails(v, ti, "CONDITION") == ["until Tuesday to restore the fuel subsidy"]
    qi = v.tails(ti, "EXPRESSED_IN")[0]
    assert v.spans[v.tails(qi, "SAID_BY")[0]].text == "The drivers" or v.tails(qi, "SAID_BY")


def test_an_order_and_its_consequence_inside_a_quote(nlp, view):
    v = view(nlp('"Open the gates or the lorries stay here all winter," the farmers\' leader said.'))
    ti, t, attrs = _threat(v, "the lorries stay")
    assert attrs["type"] == "conditional"
    assert _tails(v, ti, "CONDITION") == ["Open the gates"]


def test_issued_an_ultimatum_colon(nlp, view):
    v = view(nlp("Marsk issued an ultimatum: its tanks would enter the valley unless Tolland recalled its gunboats."))
    ti, t, attrs = _threat(v, "enter the valley")
    assert attrs["mode"] == "violence"
    assert _tails(v, ti, "CONDITION") == ["Tolland recalled its gunboats"]


def test_threat_nouns_name_the_action(nlp, view):
    v = view(nlp("Tolland repeated its threat to close the airspace to Marsk airlines."))
    assert _threat(v, "close the airspace")[2]["mode"] == "restrict"
    v = view(nlp("Her speech was read as a threat to cut power to the rebel districts."))
    assert _threat(v, "cut power")[2]["type"] == "veiled"


def test_passive_threat_in_a_direct_quote(nlp, view):
    v = view(nlp('"Any drone over the base will be shot down," the colonel said.'))
    ti, t, attrs = _threat(v, "be shot down")
    assert attrs["mode"] == "violence"
