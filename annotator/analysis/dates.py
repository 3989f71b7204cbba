"""Relative dates resolved against a document's date: "on Wednesday", "last week", "October 19".

A focused rule module rather than dateparser: dateparser (with regex, pytz and tzlocal, several
MB in the executable) parses one date string into one datetime, but news dates need ranges
("last week", "between March 3 and 5", "the 1970s"), a reading direction taken from the
sentence ("will meet on Monday" is after publication, "met on Monday" before) and an honest
"unresolved" for durations and anaphora ("four days", "that morning"). The rules below cover
what our gold samples label as DATE; `tests/analysis/test_dates.py` is their table of cases.

Results are ISO 8601: a day `2026-11-18`, a month `2026-11`, a year `2026`, or an interval
`2026-11-09/2026-11-15`. The anchor is the dateline's date when the article has one, else its
published date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from annotator.analysis.places import parse_dateline

WEEKDAYS = {name: i for i, names in enumerate((
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
    ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
    ("sunday", "sun"))) for name in names}
MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1})
ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
           "winter": (12, 2)}
UNITS = ("day", "week", "month", "year", "hour", "minute", "decade", "fortnight", "night")

_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MO = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# Words just before a date (within six words) that put it after the reference point, and
# words that do so only right before it ("return by Monday", not "mediated by X, began on").
_FUTURE = re.compile(r"\b(will|shall|won't|'ll|going to|plans?|planned|scheduled|due|expected|"
                     r"set to|deadline|upcoming|would|could|might|intends?|threatened to|"
                     r"vowed to|promised to|to be held)\b")
_FUTURE_LAST = re.compile(r"\b(by|until|till|before)$")
_PAST_LAST = re.compile(r"\b(since|ago|last)$")
_PARTS = re.compile(r"\b(morning|afternoon|evening|night|noon|midday)\b")


@dataclass(frozen=True)
class Resolution:
    iso: str  # "" when unresolved
    kind: str  # day, range, month, year, unresolved
    note: str = ""  # how it was read, or why not

    @property
    def resolved(self) -> bool:
        return bool(self.iso)


def _unresolved(why: str) -> Resolution:
    return Resolution("", "unresolved", why)


def _day(d: date, note: str) -> Resolution:
    return Resolution(d.isoformat(), "day", note)


def _range(a: date, b: date, note: str) -> Resolution:
    if a == b:
        return _day(a, note)
    return Resolution(f"{a.isoformat()}/{b.isoformat()}", "range", note)


def _month(year: int, month: int, note: str) -> Resolution:
    return Resolution(f"{year:04d}-{month:02d}", "month", note)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def future_context(before: str) -> bool:
    """Whether the words just before a date (same sentence) point after the reference day."""
    sentence = re.split(r"[.!?;\n]\s|\n", before)[-1].lower()
    window = " ".join(sentence.split()[-6:]).strip(" ,")
    if _PAST_LAST.search(window):
        return False
    return bool(_FUTURE.search(window) or _FUTURE_LAST.search(window))


def _year_for(month: int, day: int, anchor: date, direction: str) -> date | None:
    """The first occurrence of a month/day on or after the anchor (future), the last on or
    before it (past), or the nearest."""
    options = [d for d in (_safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)) if d]
    if direction == "future":
        later = [d for d in options if d >= anchor]
        return min(later) if later else None
    if direction == "past":
        earlier = [d for d in options if d <= anchor]
        return max(earlier) if earlier else None
    return min(options, key=lambda d: (abs((d - anchor).days), d > anchor)) if options else None


def _month_year(month: int, anchor: date, direction: str) -> int:
    candidates = [anchor.year - 1, anchor.year, anchor.year + 1]
    if direction == "future":
        return min(y for y in candidates if (y, month) >= (anchor.year, anchor.month))
    if direction == "past":
        return max(y for y in candidates if (y, month) <= (anchor.year, anchor.month))
    mid = lambda y: date(y, month, 15)  # noqa: E731
    return min(candidates, key=lambda y: abs((mid(y) - anchor).days))


def _weekday(wd: int, anchor: date, direction: str, strict: bool) -> date:
    if direction == "future":
        ahead = (wd - anchor.weekday()) % 7
        return anchor + timedelta(days=ahead or (7 if strict else 0))
    back = (anchor.weekday() - wd) % 7
    return anchor - timedelta(days=back or (7 if strict else 0))


def _week(anchor: date, offset: int) -> tuple[date, date]:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-").lower()
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    text = re.sub(r"^(on|in|at|during|since|by|until|till|before|after|from|of)\s+", "", text)
    return text


def resolve(text: str, anchor: date | None, before: str = "") -> Resolution:
    """The calendar meaning of a DATE span's text; `before` is the text preceding it in the
    article (its sentence decides the direction of "Monday" or "October 19")."""
    t = _clean(text)
    direction = "future" if future_context(before) else "past"
    for rule in _ABSOLUTE:
        found = rule(t)
        if found is not None:
            return found
    if _DURATION.match(t):
        return _unresolved(f"'{text}' is a length of time, not a date")
    if re.search(r"\d+-year-old|\byears? old\b", t):
        return _unresolved(f"'{text}' is an age")
    if anchor is None:
        return _unresolved("the document has no published date or dateline date")
    for rule in _RELATIVE:
        found = rule(t, anchor, direction)
        if found is not None:
            return found
    return _unresolved(f"no rule reads '{text}' as a date (it may refer to another date in the"
                       " text)")


# --- rules that need no anchor ------------------------------------------------------------------


def _iso(t: str) -> Resolution | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m and _safe_date(*map(int, m.groups())):
        return _day(date(*map(int, m.groups())), "an ISO date")
    return None


def _full_date(t: str) -> Resolution | None:
    m = (re.fullmatch(rf"({_MO})\.? {_DAY},? (\d{{4}})", t)
         or re.fullmatch(rf"{_DAY} (?:of )?({_MO})\.?,? (\d{{4}})", t))
    if not m:
        return None
    a, b, year = m.groups()
    month, day = (MONTHS[a], int(b)) if a in MONTHS else (MONTHS[b], int(a))
    d = _safe_date(int(year), month, day)
    return _day(d, "a full date") if d else _unresolved(f"'{t}' is not a calendar date")


def _month_with_year(t: str) -> Resolution | None:
    m = re.fullmatch(rf"(?:(early|mid|late)[- ])?({_MO})\.?,? (\d{{4}})", t)
    if not m:
        return None
    part, name, year = m.groups()
    return _part_of_month(int(year), MONTHS[name], part, "a month of a given year")


def _year(t: str) -> Resolution | None:
    m = re.fullmatch(r"(?:the )?(?:year )?(1[5-9]\d\d|2[01]\d\d)", t)
    if m:
        return Resolution(m.group(1), "year", "a year")
    m = re.fullmatch(r"(?:the )?(?:(early|mid|late)[- ])?(1[5-9]\d|2[01]\d)0'?s", t)
    if m:
        start = int(m.group(2)) * 10
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(m.group(1), (0, 9))
        return Resolution(f"{start + lo}/{start + hi}", "range", "a decade")
    return None


def _part_of_month(year: int, month: int, part: str | None, note: str) -> Resolution:
    if not part:
        return _month(year, month, note)
    last = calendar.monthrange(year, month)[1]
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[part]
    return _range(date(year, month, lo), date(year, month, hi), f"{part} in the month; {note}")


_ABSOLUTE = (_iso, _full_date, _month_with_year, _year)
_QUANTITY = "|".join([r"\d+", "several", "a few", "few", "many", "a couple of", "couple of",
                      *sorted(NUMBERS, key=len, reverse=True)])
_DURATION = re.compile(
    r"^(?:(?:for|about|around|nearly|almost|more than|less than|over|some|at least|the past|"
    r"the last|the next|another|the) )*(?:(?:" + _QUANTITY + r")(?:[- ]and[- ]a[- ]half)?[- ])?"
    r"(?:" + "|".join(UNITS) + r")s?(?:-long)?$")


# --- rules relative to the anchor -----------------------------------------------------------------


def _deictic(t: str, anchor: date, direction: str) -> Resolution | None:
    t = _PARTS.sub("", t).strip()
    table = {"today": 0, "this": 0, "tonight": 0, "all day": 0, "yesterday": -1, "last": -1,
             "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2,
             "earlier today": 0, "later today": 0, "": None}
    if t in table and table[t] is not None:
        return _day(anchor + timedelta(days=table[t]), f"'{t or 'today'}' from the document date")
    m = re.fullmatch(r"(\w+|\d+) (day|week|month|year)s? (ago|earlier|before|later|from now|"
                     r"hence)", t)
    if m:
        n = _number(m.group(1))
        if n is None:
            return None
        sign = -1 if m.group(3) in ("ago", "earlier", "before") else 1
        unit = m.group(2)
        if m.group(3) in ("earlier", "before", "later"):
            return _unresolved(f"'{t}' counts from another date in the text")
        if unit in ("day", "week"):
            days = n * (7 if unit == "week" else 1)
            return _day(anchor + timedelta(days=sign * days), f"{t} from the document date")
        if unit == "month":
            y, mo = _add_months(anchor.year, anchor.month, sign * n)
            return _month(y, mo, f"{t} from the document date")
        return Resolution(f"{anchor.year + sign * n:04d}", "year", f"{t} from the document date")
    return None


def _weekday_rule(t: str, anchor: date, direction: str) -> Resolution | None:
    m = re.fullmatch(rf"(?:(last|next|this|coming|past|previous) )?({_WD})\.?(?: \w+)?", t)
    if not m or (m.group(0).split()[-1] not in WEEKDAYS
                 and not _PARTS.fullmatch(m.group(0).split()[-1])):
        return None
    mod, name = m.groups()
    wd = WEEKDAYS[name]
    if mod in ("last", "past", "previous"):
        d, how = _weekday(wd, anchor, "past", strict=True), "the last"
    elif mod in ("next", "coming"):
        d, how = _weekday(wd, anchor, "future", strict=True), "the next"
    else:
        d = _weekday(wd, anchor, direction, strict=False)
        how = "the coming" if direction == "future" else "the most recent"
    return _day(d, f"{how} {name.title()} from the document date")


def _weekday_range(t: str, anchor: date, direction: str) -> Resolution | None:
    m = re.fullmatch(rf"(?:between |from )?({_WD}) (?:and|to|through|until|-) ({_WD})", t)
    if not m:
        m = re.fullmatch(rf"({_WD})-({_WD})", t)
    if not m:
        return None
    a, b = WEEKDAYS[m.group(1)], WEEKDAYS[m.group(2)]
    if direction == "future":
        first = _weekday(a, anchor, "future", strict=False)
        last = first + timedelta(days=(b - a) % 7)
    else:
        last = _weekday(b, anchor, "past", strict=False)
        first = last - timedelta(days=(b - a) % 7)
    return _range(first, last, "days of the week around the document date")


def _month_day(t: str, anchor: date, direction: str) -> Resolution | None:
    m = (re.fullmatch(rf"({_MO})\.? {_DAY}", t) or re.fullmatch(rf"{_DAY} (?:of )?({_MO})\.?", t)
         or re.fullmatch(rf"(?:the )?(\w+) of ({_MO})", t))
    if not m:
        return None
    a, b = m.groups()
    if a in MONTHS:
        month, day = MONTHS[a], int(b)
    else:
        month = MONTHS[b]
        day = int(a) if a.isdigit() else ORDINALS.get(a)
        if day is None:
            return None
    d = _year_for(month, day, anchor, direction)
    if d is None:
        return _unresolved(f"'{t}' is not a calendar date")
    return _day(d, "month and day; the next one after the document date" if direction == "future"
                else "month and day; the last one up to the document date")


def _day_range(t: str, anchor: date, direction: str) -> Resolution | None:
    mode = direction
    m = re.fullmatch(rf"(?:between |from )?({_MO})\.? {_DAY} ?(?:and|to|through|until|-) ?"
                     rf"(?:({_MO})\.? )?{_DAY}", t)
    if m:
        m1, d1, m2, d2 = m.groups()
        m1, m2 = MONTHS[m1], MONTHS[m2 or m1]
    else:
        m = re.fullmatch(rf"(?:between |from )?{_DAY} (?:({_MO})\.? )?(?:and|to|through|until|-)"
                         rf" ?{_DAY} ({_MO})\.?", t) or re.fullmatch(
                             rf"{_DAY}-{_DAY} ({_MO})\.?", t)
        if not m:
            return None
        groups = m.groups()
        if len(groups) == 4:
            d1, m1, d2, m2 = groups
            m2 = MONTHS[m2]
            m1 = MONTHS[m1] if m1 else m2
        else:
            d1, d2, m2 = groups
            m1 = m2 = MONTHS[m2]
    first = _year_for(m1, int(d1), anchor, mode)
    if first is None:
        return _unresolved(f"'{t}' is not a calendar date")
    last = _safe_date(first.year + (1 if m2 < m1 else 0), m2, int(d2))
    if last is None or last < first:
        return _unresolved(f"'{t}' is not a range of calendar dates")
    return _range(first, last, f"a range of days; the year of the {'next' if mode == 'future' else 'last'}"
                  " such days from the document date")


def _month_rule(t: str, anchor: date, direction: str) -> Resolution | None:
    m = re.fullmatch(rf"(?:(last|next|this|(?:early|mid|late)(?:[- ]|$)|the end of|the start of|"
                     rf"the beginning of|the middle of) ?)?({_MO})\.?", t)
    if not m:
        return None
    mod, name = m.groups()
    month = MONTHS[name]
    mod = (mod or "").strip(" -")
    if mod == "last":
        year = _month_year(month, anchor - timedelta(days=1), "past")
        if (year, month) == (anchor.year, anchor.month):
            year -= 1
    elif mod == "next":
        year = _month_year(month, anchor, "future")
        if (year, month) == (anchor.year, anchor.month):
            year += 1
    elif mod == "this":
        year = anchor.year
    else:
        year = _month_year(month, anchor, direction)
    part = {"early": "early", "mid": "mid", "late": "late", "the end of": "late",
            "the start of": "early", "the beginning of": "early", "the middle of": "mid"}.get(mod)
    return _part_of_month(year, month, part, f"a month; the {'next' if direction == 'future' else 'last'}"
                          " one from the document date")


def _period(t: str, anchor: date, direction: str) -> Resolution | None:
    m = re.fullmatch(r"(earlier |later )?(?:(last|this|all|next|the past|the coming|the) )?"
                     r"(week|weekend|month|year)(?:'s)?", t)
    m2 = re.fullmatch(r"the (end|start|beginning|middle) of (?:the |this |next |last )?"
                      r"(week|month|year)", t)
    if m2:
        edge, unit = m2.groups()
        offset = {"next": 1, "last": -1}.get(t.split()[3] if len(t.split()) > 4 else "", 0)
        return _edge(unit, edge, anchor, offset)
    if not m:
        return None
    side, mod, unit = m.groups()
    if mod is None and side is None:
        return None
    offset = {"last": -1, "the past": -1, "next": 1, "the coming": 1}.get(mod or "", 0)
    if mod == "the":  # "the weekend": the coming one, or the one just gone
        offset = 0 if direction == "future" or unit != "weekend" else -1
    if unit in ("week", "weekend"):
        first, last = _week(anchor, offset)
        if unit == "weekend":
            first = last - timedelta(days=1)
            if mod == "the" and direction != "future" and anchor < first:
                first, last = first - timedelta(days=7), last - timedelta(days=7)
    elif unit == "month":
        y, mo = _add_months(anchor.year, anchor.month, offset)
        first, last = date(y, mo, 1), _month_end(y, mo)
    else:
        first, last = date(anchor.year + offset, 1, 1), date(anchor.year + offset, 12, 31)
    if side == "earlier " and offset == 0:
        last = min(last, anchor)
    elif side == "later " and offset == 0:
        first = max(first, anchor)
    if unit == "month" and not side:
        return _month(first.year, first.month, f"{t} of the document date")
    if unit == "year" and not side:
        return Resolution(f"{first.year:04d}", "year", f"{t} of the document date")
    return _range(first, last, f"{t} of the document date")


def _edge(unit: str, edge: str, anchor: date, offset: int) -> Resolution:
    if unit == "week":
        first, last = _week(anchor, offset)
        cut = {"end": (4, 6), "start": (0, 1), "beginning": (0, 1), "middle": (2, 3)}[edge]
        return _range(first + timedelta(days=cut[0]), first + timedelta(days=cut[1]),
                      f"the {edge} of the week of the document date")
    if unit == "month":
        y, mo = _add_months(anchor.year, anchor.month, offset)
        part = {"end": "late", "start": "early", "beginning": "early", "middle": "mid"}[edge]
        return _part_of_month(y, mo, part, f"the {edge} of the month")
    y = anchor.year + offset
    months = {"end": (10, 12), "start": (1, 3), "beginning": (1, 3), "middle": (5, 8)}[edge]
    return _range(date(y, months[0], 1), _month_end(y, months[1]), f"the {edge} of the year")


def _season(t: str, anchor: date, direction: str) -> Resolution | None:
    m = re.fullmatch(r"(?:(last|this|next|the|early|late) )?(spring|summer|autumn|fall|winter)"
                     r"(?: of (\d{4}))?", t)
    if not m:
        return None
    mod, name, year = m.groups()
    lo, hi = SEASONS[name]
    if year:
        y = int(year)
    else:
        # the season containing, following (future) or preceding (past) the anchor
        y = anchor.year - (1 if lo > hi and anchor.month <= hi else 0)
        start = date(y, lo, 1)
        end = _month_end(y + (1 if lo > hi else 0), hi)
        inside = start <= anchor <= end
        if mod == "next" or (not inside and direction == "future" and anchor > end):
            y += 1
        elif mod == "last" or (not inside and direction != "future" and anchor < start):
            y -= 1
    first = date(y, lo, 1)
    last = _month_end(y + (1 if lo > hi else 0), hi)
    return _range(first, last, f"the {name} (northern hemisphere) around the document date")


_RELATIVE = (_deictic, _weekday_range, _weekday_rule, _day_range, _month_day, _period,
             _month_rule, _season)


# --- the anchor -----------------------------------------------------------------------------------


def parse_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def document_anchor(published: str, text_head: str = "", meta: dict | None = None
                    ) -> tuple[date | None, str]:
    """The day relative dates count from, and where it came from: `meta["dateline_date"]`
    (ISO), a date in the dateline (`meta["dateline"]` or the article's opening), else the
    published date."""
    meta = meta or {}
    pub = parse_iso_date(published)
    explicit = parse_iso_date(str(meta.get("dateline_date", "")))
    if explicit:
        return explicit, "dateline"
    dateline_text = str(meta.get("dateline", ""))
    line = parse_dateline(dateline_text + " - x" if dateline_text else text_head)
    if line is not None and line.date_text:
        found = resolve(line.date_text, pub or date.today())
        d = parse_iso_date(found.iso) if found.kind == "day" else None
        if d is not None and pub is not None and d > pub:
            d = _safe_date(d.year - 1, d.month, d.day)  # a dateline is never after publication
        if d is not None:
            return d, "dateline"
    return pub, "published" if pub else ""
