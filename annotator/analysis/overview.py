"""The Corpus Overview's numbers: what the charts show, gathered from the store in one go.

Run on a worker thread (each query scans the corpus). The period of the time axes follows the
span of published dates: days up to 45 days, weeks up to 40 weeks, else months. A period maps
back to the date range the tables filter on, so a click on a bar filters a table.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from annotator.analysis.dates import parse_iso_date

MAX_TYPES = 7  # event types shown; the rest are "other"
TOP = 10


@dataclass
class Overview:
    period: str = "month"
    periods: list[str] = field(default_factory=list)
    documents: dict[str, dict[str, int]] = field(default_factory=dict)  # status -> period -> n
    labels: dict[str, dict[str, int]] = field(default_factory=dict)  # label group -> period -> n
    events: dict[str, dict[str, int]] = field(default_factory=dict)  # type -> period -> n
    speakers: list[dict] = field(default_factory=list)  # actor_id, name, count
    sources: list[dict] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    progress: dict[str, dict[str, int]] = field(default_factory=dict)  # annotator -> day -> n


def choose_period(first: str, last: str) -> str:
    a, b = parse_iso_date(first), parse_iso_date(last)
    if a is None or b is None:
        return "month"
    days = (b - a).days
    return "day" if days <= 45 else "week" if days <= 40 * 7 else "month"


def period_range(period: str, key: str) -> tuple[str, str]:
    """The first and last day of a period key ("2026-11", "2026-W46", "2026-11-20")."""
    if period == "day":
        return key, key
    if period == "month":
        y, m = int(key[:4]), int(key[5:7])
        return f"{key}-01", f"{key}-{calendar.monthrange(y, m)[1]:02d}"
    if period == "year":
        return f"{key}-01-01", f"{key}-12-31"
    # SQLite's %W: weeks start on Monday; week 00 holds the days before the first Monday
    y, w = int(key[:4]), int(key[6:])
    jan1 = date(y, 1, 1)
    first_monday = jan1 + timedelta(days=(7 - jan1.weekday()) % 7)
    start = first_monday + timedelta(weeks=w - 1) if w else jan1
    end = first_monday - timedelta(days=1) if w == 0 else start + timedelta(days=6)
    return start.isoformat(), min(end, date(y, 12, 31)).isoformat()


def collect(store, include_suggestions: bool = False) -> Overview:
    statuses = ("accepted", "suggested") if include_suggestions else ("accepted",)
    first, last = store.published_range()
    ov = Overview(period=choose_period(first, last))
    periods: set[str] = set()
    for key, status, n in store.documents_by_period(ov.period):
        ov.documents.setdefault(status, {})[key] = n
        periods.add(key)
    groups = {lab.name: lab.group or lab.name for lab in store.schema.labels}
    for key, label, n in store.labels_by_period(ov.period, statuses):
        series = ov.labels.setdefault(groups.get(label, label), {})
        series[key] = series.get(key, 0) + n
        periods.add(key)
    totals: dict[str, int] = {}
    rows = store.events_by_period(ov.period, statuses)
    for _key, etype, n in rows:
        totals[etype] = totals.get(etype, 0) + n
    kept = set(sorted(totals, key=lambda t: -totals[t])[:MAX_TYPES])
    for key, etype, n in rows:
        name = (etype or "(no type)") if etype in kept else "other"
        series = ov.events.setdefault(name, {})
        series[key] = series.get(key, 0) + n
        periods.add(key)
    ov.periods = sorted(periods)
    ov.speakers = store.top_linked("QUOTE", "SAID_BY", TOP, statuses)
    ov.sources = store.top_linked("THREAT", "SOURCE", TOP, statuses)
    days: set[str] = set()
    for day, annotator, n in store.progress_by_day():
        ov.progress.setdefault(annotator, {})[day] = n
        days.add(day)
    ov.days = sorted(days)
    return ov
