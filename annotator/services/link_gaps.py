"""What an accepted-only export would miss: accepted quotes without an accepted speaker,
accepted threats without an accepted source or target.

Asked before an export (the window offers to include the suggested links, the CLI prints a
warning), so a "who said what" table never comes out quietly empty in its speaker column.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.store import Store


@dataclass(frozen=True)
class Expected:
    label: str  # the head: QUOTE
    role: str  # the link it should have: SAID_BY
    plural: str  # "quotes"
    noun: str  # "speaker"


EXPECTED = (Expected("QUOTE", "SAID_BY", "quotes", "speaker"),
            Expected("THREAT", "SOURCE", "threats", "source"),
            Expected("THREAT", "TARGET", "threats", "target"))
EXPECTED_ROLES = frozenset((e.label, e.role) for e in EXPECTED)


@dataclass(frozen=True)
class LinkGap:
    expected: Expected
    heads: int  # accepted spans of the label
    missing: int  # of them, without an accepted link of the role to an accepted span
    suggested: int  # of those, with a suggested one (including suggested links adds it)

    def sentence(self) -> str:
        e = self.expected
        return f"{self.missing} of {self.heads} accepted {e.plural} have no accepted {e.noun}"

    def detail(self) -> str:
        """The sentence with how many a suggested link would fill."""
        e = self.expected
        verb = "has" if self.suggested == 1 else "have"
        return (f"{self.sentence()} ({self.suggested} {verb} a suggested {e.noun})"
                if self.suggested else self.sentence())


def link_gaps(store: Store, doc_status: str = "") -> list[LinkGap]:
    """The gaps in documents of `doc_status` ('' = all), for the roles the schema has; only
    those with something missing."""
    gaps = []
    for e in EXPECTED:
        role = store.schema.role(e.role)
        if role is None or e.label not in role.heads:
            continue
        heads, missing, suggested = store.link_gap_counts(e.label, e.role, doc_status)
        if missing:
            gaps.append(LinkGap(e, heads, missing, suggested))
    return gaps
