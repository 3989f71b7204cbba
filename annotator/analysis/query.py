"""What an analyst table asks the store for: one table, its filters, its order, one page.

Plain data, shared by the store (which turns it into SQL) and the UI (which fills it from the
filter bar), so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.analysis.table_specs import EVENTS, QUOTES, SPECS, TABLES, THREATS

__all__ = ["EVENTS", "QUOTES", "TABLES", "THREATS", "TableQuery"]
# The label each table lists one row per span of.
TABLE_LABEL = {name: spec.label for name, spec in SPECS.items()}
# The attribute the "label" filter of each table matches (its category).
CATEGORY_ATTR = {name: spec.category_attr for name, spec in SPECS.items()}


@dataclass(frozen=True)
class TableQuery:
    table: str = QUOTES
    text: str = ""  # words in the row's span text, or the speaker's/source's/participant's name
    actor_id: int | None = None  # rows whose speaker / source or target / participant is it
    category: str = ""  # speech act, threat mode or event type (see CATEGORY_ATTR)
    doc_status: str = ""  # new, in_progress, done
    date_from: str = ""  # ISO date, inclusive, compared with the document's published date
    date_to: str = ""
    annotator: str = ""  # who labelled the row's span
    include_suggestions: bool = False
    sort: str = ""  # a column key; "" = the document date, newest first
    descending: bool = False
    by_actor: bool = False  # one row per actor (speaker / source / participant) with counts

    def but(self, **changes) -> TableQuery:
        return replace(self, **changes)

    @property
    def statuses(self) -> tuple[str, ...]:
        return ("accepted", "suggested") if self.include_suggestions else ("accepted",)
