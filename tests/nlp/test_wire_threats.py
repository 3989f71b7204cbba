"""Threats as wire copy reports them (issue 25), on sentences written for these tests: "warned that
... would", "vowed to", "threatened to", "said it would not hesitate to", "gave ... until ... or",
conditional and veiled threats; and the promises, predictions and criticism that are none."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "threat", "mode"),
    [
        # warned that ... would
        ("The regulator warned that banks which broke the rules would be fined.", "be fined", "arrest"),
        (
            "The junta warned that it would use all necessary means to restore order.",
            "use all necessary means",
            "violence",
        ),
        # vowed to
        ("The coalition vowed to topple the government by force.", "topple the government by force", "violence"),
        # threatened to
        ("Dockers at Halvik threatened to walk out on Monday.", "walk out", ""),
        # said it would not hesitate to
        (
            "The foreign ministry said it would not hesitate to use force to defend its fishing fleet.",
            "use force to defend its fishing fleet",
            "violence",
        ),
        ("The mining company said it would not hesitate to sack striking staff.", "sack striking staff", "restrict"),
        # gave ... until ... or
        (
            "The governor gave the squatters until Sunday to leave the park or be removed by police.",
            "be removed by police",
            "arrest",
        ),
        ("The interior minister told protesters to leave the square by dawn or be arrested.", "be arrested", "arrest"),
        # conditional and veiled
        (
            '"There will be consequences for anyone who touches our trucks," the colonel said.',
            "consequences",
            "violence",
        ),
        ("Officials in Marsk said all options remained open.", "all options remained open", "violence"),
        ('The foreign minister said his country would respond "at a time of its choosing".', "respond", "violence"),
        ("Loren said her government would not stand idly by.", "not stand idly by", "violence"),
        ('The envoy warned of a "robust response" if the ships entered its waters.', "robust response", "violence"),
        (
            "The foreign ministry warned it would take countermeasures if the tariffs went ahead.",
            "countermeasures",
            "restrict",
        ),
        ("The union threatened legal action against the council.", "legal action against the council", ""),
        ("The army said it reserved the right to respond.", "reserved the right to respond", "violence"),
        ('He warned that Valdria would "not sit back" if its fishermen were harmed.', "not sit back", "violence"),
        (
            '"If a single soldier crosses the river, the ceasefire is dead," the commander said.',
            "the ceasefire is dead",
            "violence",
        ),
        (
            "The militia said it would consider attacking government buildings if the vote was rigged.",
            "attacking government buildings",
            "violence",
        ),
        # a harm aimed at what a party owns, without a condition
        (
            "The government would also ask the courts to freeze the cooperative's bank accounts, he said.",
            "freeze the cooperative's bank accounts",
            "restrict",
        ),
    ],
)
def test_wire_threat(nlp, view, text, threat, mode):
    v = view(nlp(text))
    found = [(i, s) for i, s in v.of("THREAT") if threat in s.text]
    assert found, f"no THREAT with {threat!r}; have {v.texts('THREAT')}"
    assert " if " not in found[0][1].text  # the condition is no part of the threat
    assert v.attrs(found[0][0]).get("mode", "") == mode


def test_an_order_with_a_harm_after_or_is_an_ultimatum(nlp, view):
    v = view(nlp("The interior minister told protesters to leave the square by dawn or be arrested."))
    ti, t = v.find("THREAT", "be arrested")
    assert v.attrs(ti)["type"] == "conditional"
    assert [v.spans[x].text for x in v.tails(ti, "CONDITION")] == ["leave the square by dawn"]


def test_not_hesitating_is_a_reported_threat_of_its_speaker(nlp, view):
    v = view(nlp("The foreign ministry said it would not hesitate to use force to defend its fishing fleet."))
    ti, t = v.find("THREAT", "use force")
    assert t.text == "use force to defend its fishing fleet"
    qi = v.tails(ti, "EXPRESSED_IN")[0]
    assert v.attrs(qi)["speech_act"] == "threat"
    assert [v.spans[x].text for x in v.tails(ti, "SOURCE")] == ["The foreign ministry"]


@pytest.mark.parametrize(
    "text",
    [
        "The health minister vowed to cut waiting times by half.",  # a promise: cut needs supplies, aid, access...
        "The ministry said it would not hesitate to help the flood victims.",  # resolve, but no harm
        '"The deal is off," he said after the talks collapsed.',  # an agreement ended, no condition
        "The judge ordered the company to pay the fine or appeal within a month.",  # an order's alternative, no harm
        "Householders who defend themselves are unlikely to be prosecuted, new guidelines say.",  # a prediction
        "Ostrander said Labour would set out its own plans and attacked the Tory plans.",  # criticism, in the past
        '"Cutting thousands of jobs will hit the morale of the staff," the union said.',  # an effect, nobody acts
        '"We will run a separate relief operation," she said.',  # an operation, not an armed one
    ],
)
def test_no_wire_threat(nlp, view, text):
    assert view(nlp(text)).texts("THREAT") == []
