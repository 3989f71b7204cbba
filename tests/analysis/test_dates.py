"""Relative dates resolved against the document date: a table of cases.

The anchor of most rows is Friday 2026-11-20 (the published date of most gold samples).
"""

from __future__ import annotations

from datetime import date

import pytest

from annotator.analysis.dates import document_anchor, future_context, resolve
from annotator.analysis.places import parse_dateline

FRI = date(2026, 11, 20)  # a Friday
WED = date(2026, 11, 18)

CASES = [
    # (text, anchor, words before it in the sentence, ISO expected, kind)
    # weekdays: the most recent one in a report of the past, the coming one after a future cue
    ("Wednesday", FRI, "talks collapsed on", "2026-11-18", "day"),
    ("on Wednesday", FRI, "", "2026-11-18", "day"),
    ("Monday", FRI, "the minister said on", "2026-11-16", "day"),
    ("Friday", FRI, "talks ended on", "2026-11-20", "day"),  # the publication day itself
    ("Monday", FRI, "delegations will meet on", "2026-11-23", "day"),
    ("Monday", FRI, "Return by", "2026-11-23", "day"),
    ("Saturday", FRI, "said it would resume talks on", "2026-11-21", "day"),
    ("last Friday", FRI, "", "2026-11-13", "day"),
    ("next Friday", FRI, "", "2026-11-27", "day"),
    ("Tuesday night", FRI, "clashes broke out on", "2026-11-17", "day"),
    ("Thursday", WED, "", "2026-11-12", "day"),  # after the anchor's weekday: last week's
    # month and day without a year: the last one up to the document date, or the next one
    # after a future cue
    ("November 13", FRI, "", "2026-11-13", "day"),
    ("October 19", FRI, "", "2026-10-19", "day"),
    ("January 5", FRI, "", "2026-01-05", "day"),
    ("January 5", FRI, "talks are due to resume on", "2027-01-05", "day"),
    ("November 25", FRI, "", "2025-11-25", "day"),  # not after the document in a past report
    ("19 October", FRI, "", "2026-10-19", "day"),
    ("the first of October", date(2026, 9, 16), "exports will be cut from", "2026-10-01", "day"),
    ("May 2", FRI, "", "2026-05-02", "day"),
    ("March 9", FRI, "will hold a vote on", "2027-03-09", "day"),
    # deictic words
    ("yesterday", FRI, "", "2026-11-19", "day"),
    ("today", FRI, "", "2026-11-20", "day"),
    ("tomorrow", FRI, "", "2026-11-21", "day"),
    ("this morning", FRI, "", "2026-11-20", "day"),
    ("three days ago", FRI, "", "2026-11-17", "day"),
    # weeks, months, years
    ("last week", FRI, "", "2026-11-09/2026-11-15", "range"),
    ("this week", FRI, "", "2026-11-16/2026-11-22", "range"),
    ("next week", FRI, "", "2026-11-23/2026-11-29", "range"),
    ("earlier this month", FRI, "", "2026-11-01/2026-11-20", "range"),
    ("last month", FRI, "", "2026-10", "month"),
    ("next month", FRI, "", "2026-12", "month"),
    ("this year", FRI, "", "2026", "year"),
    ("Last year", FRI, "", "2025", "year"),
    ("this weekend", FRI, "", "2026-11-21/2026-11-22", "range"),
    ("the end of the week", FRI, "", "2026-11-20/2026-11-22", "range"),
    ("the end of the month", date(2026, 6, 12), "", "2026-06-21/2026-06-30", "range"),
    ("March", FRI, "the first truce in", "2026-03", "month"),
    ("January", date(2026, 11, 25), "a new round of talks will open in", "2027-01", "month"),
    ("January", date(2026, 11, 25), "fighting resumed in", "2026-01", "month"),
    ("July 2027", FRI, "", "2027-07", "month"),
    ("next summer", FRI, "", "2027-06-01/2027-08-31", "range"),
    # ranges
    ("between March 3 and 5", FRI, "", "2026-03-03/2026-03-05", "range"),
    ("March 3-5", FRI, "", "2026-03-03/2026-03-05", "range"),
    ("from March 30 to April 2", FRI, "", "2026-03-30/2026-04-02", "range"),
    ("between 3 and 5 March", FRI, "", "2026-03-03/2026-03-05", "range"),
    ("from Monday to Wednesday", FRI, "strikes ran", "2026-11-16/2026-11-18", "range"),
    # absolute
    ("November 13, 2025", FRI, "", "2025-11-13", "day"),
    ("2022", FRI, "", "2022", "year"),
    ("the 1970s", FRI, "", "1970/1979", "range"),
    ("2026-11-02", None, "", "2026-11-02", "day"),
]

UNRESOLVED = [
    ("four days", FRI, "length of time"),
    ("three-week", FRI, "length of time"),
    ("months", FRI, "length of time"),
    ("14\u00a0days", FRI, "length of time"),
    ("several weeks", FRI, "length of time"),
    ("that morning", FRI, "no rule"),
    ("the third day", FRI, "no rule"),
    ("19-year-old", FRI, "an age"),
    ("two days later", FRI, "another date"),
    ("Wednesday", None, "no published date"),
    ("last week", None, "no published date"),
    ("February 30", FRI, "not a calendar date"),
]


@pytest.mark.parametrize("text, anchor, before, iso, kind", CASES,
                         ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_resolves(text, anchor, before, iso, kind):
    found = resolve(text, anchor, before)
    assert (found.iso, found.kind) == (iso, kind), found.note
    assert found.note


@pytest.mark.parametrize("text, anchor, why", UNRESOLVED, ids=[c[0] for c in UNRESOLVED])
def test_says_when_it_cannot_resolve(text, anchor, why):
    found = resolve(text, anchor)
    assert not found.resolved and found.kind == "unresolved"
    assert why in found.note


def test_future_cues_are_the_words_just_before_the_date():
    assert future_context("The two sides will meet on")
    assert not future_context("The minister said on")
    # a future word earlier in the sentence does not turn a later past date around
    assert not future_context("It will take months, officials said after talks collapsed on")
    # nor one in the previous sentence
    assert not future_context("They will return. Talks collapsed on")
    # "by" and "until" point ahead only right before the date
    assert future_context("Return to work by")
    assert not future_context("The talks, mediated by Estmark, began on")
    assert not future_context("Villages have been shelled since")


def test_dateline_date_is_the_anchor():
    head = "Five killed in clashes\nBRAVEL, March 9 (Wirestream) \u2013 At least five people"
    assert document_anchor("2026-11-20", head) == (date(2026, 3, 9), "dateline")
    assert document_anchor("2026-11-20", "No dateline here.") == (date(2026, 11, 20), "published")
    assert document_anchor("", "no date") == (None, "")
    assert document_anchor("2026-11-20", "", {"dateline_date": "2026-11-18"})[0] == WED
    assert document_anchor("2026-11-20", "", {"dateline": "KALDA, Nov 19"})[0] == date(2026, 11, 19)


def test_datelines():
    line = parse_dateline("Headline\nISKERA, Hallorn (Northline) \u2013 Hallorn threatened")
    assert (line.place, line.region, line.agency, line.date_text) == ("ISKERA", "Hallorn",
                                                                      "Northline", "")
    assert line.label == "Iskera, Hallorn"
    line = parse_dateline("LANTERN HARBOUR, November 19 (Wirestream) \u2013 Organisers")
    assert (line.name, line.date_text) == ("Lantern Harbour", "November 19")
    assert parse_dateline("Norland defence minister warns Red Ridge Brigade\nThe talks") is None
    assert parse_dateline("NATO, the alliance, said on Monday - nothing") is None
