"""The dateline of a wire story: "KORVEL, Vastria (Baltwire) –" at the start of a paragraph.

A dateline names where the story was filed and by which agency; it is no sentence of the story.
Parsed with the lead, it becomes the subject of the lead's verb ("KORVEL ... threatened") and so
a speaker, and the NER takes the city for an organisation. So the stages read it from the
characters once: the sentence component starts the lead after it, the gazetteer presets its
places (GPE), date (DATE) and agency (ORG), the quote stages never take a speaker in it, and the
document gets ``place`` and ``agency`` metadata from it (`dateline_meta`).

Only the first dateline among the first paragraphs counts. Its place begins with a word in
capitals ("KORVEL", "PORT ILAN") unless an agency in brackets follows ("Korvel (Baltwire) -").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_PARAGRAPH = 3  # the dateline opens one of the first paragraphs (after the headline)
_CAPS_WORD = r"[A-Z][A-Z'’.\-]*[A-Z.]"
_TITLE_WORD = r"[A-Z][A-Za-z'’.\-]+"
_PLACE = rf"(?P<city>(?:{_CAPS_WORD}|{_TITLE_WORD})(?: (?:{_CAPS_WORD}|{_TITLE_WORD})){{0,3}})"
_REGION = rf"(?:, (?P<region>{_TITLE_WORD}(?: {_TITLE_WORD}){{0,2}}))?"
_DATE = r"(?:, (?P<date>\d{1,2} [A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.? \d{1,2}))?"
_AGENCY = r"(?:\s*\((?P<agency>[A-Z][^()\n]{1,40})\))?"
_DASH = r"\s*(?:--|[–—-])\s+"
DATELINE_RE = re.compile(rf"{_PLACE}{_REGION}{_DATE}{_AGENCY}{_DASH}")


@dataclass(frozen=True)
class Dateline:
    """Character offsets of a dateline's parts (end: where the lead begins)."""

    start: int
    end: int
    city: tuple[int, int]
    region: tuple[int, int] | None
    date: tuple[int, int] | None
    agency: tuple[int, int] | None

    def place(self, text: str) -> str:
        """ "Korvel, Vastria": the city in title case (as written when it is not in capitals)."""
        city = text[self.city[0] : self.city[1]]
        if city.isupper():
            city = " ".join(w.capitalize() for w in city.split())
        if self.region is not None:
            city += ", " + text[self.region[0] : self.region[1]]
        return city


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening one of the first paragraphs of `text`, or None."""
    pos = 0
    for _ in range(MAX_PARAGRAPH):
        m = DATELINE_RE.match(text, pos)
        if m is not None and _plausible(m):
            return Dateline(
                m.start(),
                m.end(),
                m.span("city"),
                m.span("region") if m.group("region") else None,
                m.span("date") if m.group("date") else None,
                m.span("agency") if m.group("agency") else None,
            )
        nl = text.find("\n", pos)
        if nl < 0:
            return None
        pos = nl + 1
    return None


def _plausible(m: re.Match) -> bool:
    """A place in capitals, or any place with an agency after it (a sentence such as "Dunmere
    first made the offer - ..." has neither)."""
    return m.group("agency") is not None or m.group("city").split()[0].isupper()


def dateline_meta(text: str) -> dict[str, Any]:
    """Document metadata from the dateline: ``{"place": ..., "agency": ..., "dateline": ...}``
    (``{}`` without one)."""
    d = find_dateline(text)
    if d is None:
        return {}
    out: dict[str, Any] = {"place": d.place(text), "dateline": text[d.start : d.end].strip(" –—-")}
    if d.agency is not None:
        out["agency"] = text[d.agency[0] : d.agency[1]].strip()
    return out
