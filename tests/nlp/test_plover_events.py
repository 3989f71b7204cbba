"""PLOVER event types on sentences written for these tests (issue 12)."""

from __future__ import annotations

import pytest


def _events(v):
    return {s.text: v.attrs(i) for i, s in v.of("EVENT")}


@pytest.mark.parametrize(
    "text, trigger, etype",
    [
        ("The two ports signed a trade agreement on Monday.", "trade agreement", "AGREE"),
        (
            "The rebels and the army signed a ceasefire agreement in March.",
            "ceasefire agreement",
            "AGREEMENT_CEASEFIRE",
        ),
        ("The council welcomed the decision.", "welcomed", "SUPPORT"),
        ("Police released the detained fishermen on Friday.", "released", "CONCEDE"),
        ("The navies began joint patrols of the strait in June.", "joint patrols", "COOPERATE"),
        ("An aid convoy reached the valley at dawn.", "aid convoy", "AID"),
        ("The brigades pulled back from the ridge overnight.", "pulled back", "RETREAT"),
        ("The ministry opened an inquiry into the crash.", "inquiry", "INVESTIGATE"),
        ("Residents handed in a petition at the town hall.", "petition", "DEMAND"),
        ("The foreign ministry summoned the Marsk ambassador.", "summoned", "DISAPPROVE"),
        ("The mayor rejected the offer on Tuesday.", "rejected", "REJECT"),
        ("The union ignored the ultimatum.", "ultimatum", "THREATEN"),
        ("Coast guards arrested six men for illegal fishing.", "illegal fishing", "CRIME"),
        ("The government banned all fishing in the bay.", "banned", "SANCTION"),
        ("The army moved two tank battalions to the border.", "moved", "MOBILIZE"),
        ("Marines seized the tanker off the coast.", "seized", "COERCE"),
        ("The capital expelled the consul on Sunday.", "expelled", "COERCE"),
        ("The strikers welcomed the offer of a shorter week.", "offer", "CONCEDE"),
        ("Witnesses described the beating of two reporters.", "beating", "ATTACK"),
        ("The council announced a freeze on the bypass project.", "freeze", "SANCTION"),
        ("Two miners died in a tunnel collapse on Friday.", "tunnel collapse", "OTHER"),
    ],
)
def test_plover_types(nlp, view, text, trigger, etype):
    ev = _events(view(nlp(text)))
    assert ev.get(trigger, {}).get("type") == etype, ev


def test_a_speech_verb_with_content_is_a_cue_not_an_event(nlp, view):
    v = view(nlp("The mayor rejected claims that the bridge was unsafe."))
    assert "rejected" not in _events(v)
    assert v.texts("CUE") == ["rejected"]
    v = view(nlp("The minister condemned the shelling of the market."))
    assert _events(v)["condemned"]["type"] == "DISAPPROVE"
    assert v.texts("QUOTE") == []


def test_threatened_and_demanded_actions_are_no_events(nlp, view):
    v = view(nlp("Tolland warned it would seize every Marsk trawler unless Marsk withdrew its gunboats."))
    ev = _events(v)
    assert "seize" not in ev and "withdrew" not in ev
    v = view(nlp("The union said it would strike if a single member was arrested."))
    assert _events(v)["arrested"]["modality"] == "hypothetical"


@pytest.mark.parametrize(
    "text",
    [
        "Bookings for the festival collapsed.",  # no accident
        "The governing coalition collapsed in May.",
        "Energy demand rose by a tenth.",  # no demand of anyone
        "The manager dismissed two workers.",  # no rejection
        "A convoy of taxis waited outside the hotel.",  # no aid
    ],
)
def test_no_event(nlp, view, text):
    assert _events(view(nlp(text))) == {}
