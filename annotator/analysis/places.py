"""Datelines: the place (and sometimes the date) a wire story was filed from.

"BRAVEL, March 9 (Wirestream) – ..." and "ISKERA, Hallorn (Northline) – ..." open many news
articles: an upper-case place, then a date or a country/region, an optional agency in brackets
and a dash. The dateline gives an event without a linked PLACE its place, and its date is the
anchor relative dates resolve against when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# The place: upper-case words (letters of any script in upper case, spaces, dots, hyphens,
# apostrophes), at least two letters, at the very start of a paragraph.
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[^\W\d_a-z](?:[^\W\d_a-z]|[ .'\u2019-])*[^\W\d_a-z])\s*,\s*"
    r"(?:(?P<date>" + _MONTH + r"\s+\d{1,2}(?:,?\s+\d{4})?)|(?P<region>[^\W\d_][\w .'\u2019-]{1,40}?))"
    r"\s*(?:\((?P<agency>[^)\n]{1,40})\))?\s*[\u2013\u2014-]{1,2}\s+",
    re.MULTILINE)


@dataclass(frozen=True)
class Dateline:
    place: str  # as written ("BRAVEL"), see `name`
    region: str = ""  # "Hallorn" in "ISKERA, Hallorn (Northline) -"
    date_text: str = ""  # "March 9" in "BRAVEL, March 9 (Wirestream) -"
    agency: str = ""
    start: int = 0  # code points into the text
    end: int = 0

    @property
    def name(self) -> str:
        """The place in title case ("LANTERN HARBOUR" -> "Lantern Harbour")."""
        return " ".join(w[:1] + w[1:].lower() if w.isupper() else w for w in self.place.split())

    @property
    def label(self) -> str:
        return f"{self.name}, {self.region}" if self.region else self.name


def parse_dateline(text: str, within: int = 600) -> Dateline | None:
    """The dateline opening the article's first paragraphs (within `within` code points), if any.

    The title line comes first in most imports, so every line start up to `within` is tried."""
    head = text[:within]
    for match in _DATELINE.finditer(head):
        place = match.group("place").strip()
        if not any(ch.isalpha() for ch in place) or place != place.upper():
            continue
        return Dateline(place=place, region=(match.group("region") or "").strip(),
                        date_text=(match.group("date") or "").strip(),
                        agency=(match.group("agency") or "").strip(),
                        start=match.start("place"), end=match.end())
    return None


# --- an event's place when the article does not link one -----------------------------------------

NEAR = 400  # code points around an event the nearest place of its paragraph is looked for
DATELINE, NEARBY = "dateline", "nearby"  # where an inferred place came from


def inferred(value: str, source: str) -> str:
    """A value the article did not give the event itself, marked with where it came from
    ("Bamako (dateline)"): a table or a CSV cell never passes it off as the article's."""
    return f"{value} ({source})"
