"""The three analyst tables as the app shows them: columns, and rows built from store queries.

The store returns one page of raw rows (store/tables.py); here each becomes a `TableRow` of
display cells and tooltips: the threat's CAMEO/PLOVER codes from the schema's mappings, the
event's place (its PLACE link, else the nearest GPE/LOC in its paragraph, else the dateline)
and time (its TIME link, else the nearest DATE in its paragraph, resolved against the
document's dateline or published date unless the DATE span stores `iso`). The CSV export of
the visible rows goes through the CSV tables format (formats/csv_tables.py), so the file has
exactly the columns of `annotator export --format csv`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.analysis.dates import document_anchor, resolve
from annotator.analysis.places import DATELINE, NEARBY, inferred, parse_dateline
from annotator.analysis.query import EVENTS, QUOTES, THREATS, TableQuery
from annotator.atomic_files import open_replacing
from annotator.formats.csv_tables import (
    EVENT_COLUMNS,
    QUOTE_COLUMNS,
    THREAT_COLUMNS,
    bundle_rows,
    safe_cell,
)
from annotator.schema import LabelSchema


@dataclass(frozen=True)
class Column:
    key: str  # the store's sort key
    header: str
    tip: str = ""
    sortable: bool = True
    width: int = 120  # pixels, a starting width


COLUMNS: dict[str, tuple[Column, ...]] = {
    QUOTES: (
        Column("speaker", "Speaker", "Who said it: the speaker's actor, else its name", width=150),
        Column("role", "Role", "The actor's role, else the speaker's role attribute"),
        Column("affiliation", "Affiliation"),
        Column("quote", "Quote", width=360),
        Column("kind", "Kind", width=80),
        Column("speech_act", "Speech act", width=100),
        Column("title", "Document", width=220),
        Column("published", "Date", "The document's published date", width=90),
        Column("status", "Status", width=80),
    ),
    THREATS: (
        Column("source", "Source", "Who threatens (SOURCE link)", width=150),
        Column("target", "Target", "Who is threatened (TARGET link)", width=150),
        Column("threat", "Threatened action", width=300),
        Column("type", "Type", width=90),
        Column("mode", "Mode", width=90),
        Column("condition", "Condition", width=200),
        Column("cameo", "CAMEO", "The cameo attribute, else the schema's code for the mode",
               width=90),
        Column("plover", "PLOVER", sortable=False, width=160),
        Column("title", "Document", width=220),
        Column("published", "Date", width=90),
        Column("status", "Status", width=80),
    ),
    EVENTS: (
        Column("type", "Type", width=130),
        Column("trigger", "Event", "The words naming what happened", width=160),
        Column("participants", "Participants", width=200),
        Column("place", "Place", "PLACE link, else the nearest place in the paragraph, marked"
               " (nearby), else the dateline's, marked (dateline)", width=140),
        Column("time", "Time", "TIME link, else the nearest date in the paragraph, resolved "
               "against the dateline or published date", width=170),
        Column("casualties", "Casualties", width=120),
        Column("outcome", "Outcome", width=80),
        Column("title", "Document", width=220),
        Column("published", "Date", width=90),
        Column("status", "Status", width=80),
    ),
}
GROUP_COLUMNS = (
    Column("name", "Actor", "Speaker / threat source / event participant", sortable=False,
           width=220),
    Column("rows", "Rows", sortable=False, width=70),
    Column("documents", "Documents", sortable=False, width=90),
    Column("first", "First", "Earliest published date", sortable=False, width=90),
    Column("last", "Last", "Latest published date", sortable=False, width=90),
)
TITLES = {QUOTES: "Speakers", THREATS: "Threats", EVENTS: "Events"}
GROUP_TITLES = {QUOTES: "Speaker", THREATS: "Threat source", EVENTS: "Participant"}
CSV_COLUMNS = {QUOTES: QUOTE_COLUMNS, THREATS: THREAT_COLUMNS, EVENTS: EVENT_COLUMNS}
_CSV_INDEX = {QUOTES: 0, THREATS: 1, EVENTS: 2}


@dataclass
class TableRow:
    doc_id: int | None
    span_id: int | None
    cells: list[str]
    tips: list[str] = field(default_factory=list)
    actor_id: int | None = None  # group rows: the actor; None for a name without one
    name: str = ""  # group rows: the name shown


def columns(query: TableQuery) -> tuple[Column, ...]:
    return GROUP_COLUMNS if query.by_actor else COLUMNS[query.table]


def fetch(store, query: TableQuery, limit: int, offset: int = 0) -> list[TableRow]:
    """One page of display rows (or of actor groups)."""
    if query.by_actor:
        groups = store.table_groups(query, limit=-1)[offset:offset + limit] if limit >= 0 else \
            store.table_groups(query)[offset:]
        return [group_row(g) for g in groups]
    raw = store.table_rows(query, limit, offset)
    return [display_row(query.table, r, store.schema) for r in raw]


def count(store, query: TableQuery) -> int:
    if query.by_actor:
        return len(store.table_groups(query))
    return store.table_count(query)


def group_row(g: dict[str, Any]) -> TableRow:
    name = g["name"] or "(none)"
    shown = name if g["actor_id"] is not None or not g["name"] else f"{name} (no actor)"
    cells = [shown, str(g["rows"]), str(g["documents"]), (g["first"] or "")[:10],
             (g["last"] or "")[:10]]
    return TableRow(None, None, cells, actor_id=g["actor_id"], name=g["name"] or "")


def _mapping(schema: LabelSchema, table: str, key: Any, system: str) -> str:
    entry = (schema.mappings.get(table) or {}).get(str(key) if key is not None else "") or {}
    return str(entry.get(system, "")) if isinstance(entry, dict) else ""


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def display_row(table: str, r: dict[str, Any], schema: LabelSchema) -> TableRow:
    date = (r["published"] or "")[:10]
    status = r["status"] if r["status"] != "accepted" else "accepted"
    if table == QUOTES:
        values = {"speaker": r["speaker"], "role": r["role"], "affiliation": r["affiliation"],
                  "quote": r["quote"], "kind": r["kind"], "speech_act": r["speech_act"]}
        tips = {"quote": f"{r['quote']}\n\ncue: {r['cue'] or '-'}"}
    elif table == THREATS:
        cameo = r["cameo"] or _mapping(schema, "threat_mode", r["mode"], "cameo")
        values = {"source": r["source"], "target": r["target"], "threat": r["threat"],
                  "type": r["type"], "mode": r["mode"], "condition": r["condition"],
                  "cameo": cameo.split(" ", 1)[0],  # the code; the mapping's words in the tip
                  "plover": _mapping(schema, "threat_mode", r["mode"], "plover")}
        tips = {"cameo": cameo, "plover": values["plover"]}
    else:
        place, place_tip = event_place(r)
        when, when_tip = event_time(r)
        values = {"type": r["type"], "trigger": r["trigger"], "participants": r["participants"],
                  "place": place, "time": when, "casualties": r["casualties"],
                  "outcome": r["outcome"]}
        tips = {"place": place_tip, "time": when_tip,
                "type": _mapping(schema, "event_type", r["type"], "plover")}
    values.update({"title": r["title"] or f"Document {r['doc_id']}", "published": date,
                   "status": status})
    keys = [c.key for c in COLUMNS[table]]
    cells = [_s(values.get(k)) for k in keys]
    tip_list = [tips.get(k) or cells[i] for i, k in enumerate(keys)]
    return TableRow(r["doc_id"], r["span_id"], cells, tip_list)


def _nearest(r: dict[str, Any], before: str, after: str) -> list | None:
    """The nearer of the two neighbours the store found (JSON [start, text, iso, context])."""
    found = [json.loads(r[k]) for k in (before, after) if r.get(k)]
    if not found:
        return None
    return min(found, key=lambda f: abs(f[0] - r["start"]))


def event_place(r: dict[str, Any]) -> tuple[str, str]:
    if r["place"]:
        return r["place"], f"{r['place']} (PLACE link)"
    near = _nearest(r, "place_before", "place_after")
    if near is not None:
        return inferred(near[1], NEARBY), f"{near[1]} (the nearest place in the paragraph)"
    line = parse_dateline(r.get("head") or "")
    if line is not None:
        return inferred(line.label, DATELINE), f"{line.label} (the dateline)"
    return "", "no PLACE link, no place in the paragraph and no dateline"


def event_time(r: dict[str, Any]) -> tuple[str, str]:
    """The event's date: the linked (or nearest) DATE span's stored `iso`, else its text
    resolved against the document's dateline or published date."""
    if r["time_text"]:
        text, iso, context, how = r["time_text"], r["time_iso"], r.get("time_before", ""), "TIME link"
    else:
        near = _nearest(r, "date_before", "date_after")
        if near is None:
            return "", "no TIME link and no date in the paragraph"
        text, iso, context, how = near[1], near[2], near[3] if len(near) > 3 else "", \
            "the nearest date in the paragraph"
    if iso:
        return iso, f"{iso} from '{text}' ({how}; stored on the DATE span)"
    meta = json.loads(r.get("meta") or "{}") if isinstance(r.get("meta"), str) else {}
    anchor, source = document_anchor(r["published"] or "", r.get("head") or "", meta)
    found = resolve(text, anchor, context or "")
    if not found.resolved:
        return f"{text} (unresolved)", f"'{text}' ({how}): {found.note}"
    return found.iso, f"{found.iso} from '{text}' ({how}; {found.note}; against the {source} date" \
                      f" {anchor.isoformat()})"


# --- copying and exporting ----------------------------------------------------------------------


def tsv(headers: list[str], rows: Iterable[list[str]]) -> str:
    """Rows as tab-separated text for a spreadsheet: tabs and line breaks inside cells become
    spaces (a paste never splits a cell)."""
    def clean(cell: str) -> str:
        return " ".join(str(cell).replace("\t", " ").splitlines())
    lines = ["\t".join(clean(h) for h in headers)]
    lines += ["\t".join(clean(c) for c in row) for row in rows]
    return "\n".join(lines) + "\n"


def export_csv(store, query: TableQuery, rows: list[TableRow], out: Path,
               progress: Callable[[int, int], None] | None = None) -> int:
    """The given table rows as the CSV export writes them (same columns as quotes.csv,
    threats.csv or events.csv), in the given order. Returns the rows written."""
    statuses = query.statuses
    wanted: dict[int, list[int]] = {}
    for row in rows:
        if row.doc_id is not None and row.span_id is not None:
            wanted.setdefault(row.doc_id, []).append(row.span_id)
    actors = store.actor_map()
    by_span: dict[int, list[str]] = {}
    for n, (doc_id, span_ids) in enumerate(wanted.items(), start=1):
        bundle = store.annotated(doc_id, statuses)
        spans = {s.id: s for s in bundle.spans}
        table_rows = bundle_rows(bundle, store.schema, actors)[_CSV_INDEX[query.table]]
        by_offsets = {(int(r[-2]), int(r[-1])): r for r in table_rows}
        for span_id in span_ids:
            span = spans.get(span_id)
            if span is not None and (span.start, span.end) in by_offsets:
                by_span[span_id] = by_offsets[(span.start, span.end)]
        if progress:
            progress(n, len(wanted))
    written = 0
    with open_replacing(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS[query.table])
        for row in rows:
            values = by_span.get(row.span_id)
            if values is not None:
                writer.writerow([safe_cell(v) for v in values])
                written += 1
    return written


def export_groups_csv(query: TableQuery, rows: list[TableRow], out: Path) -> int:
    with open_replacing(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["actor_id", GROUP_TITLES[query.table].lower(), "rows", "documents",
                         "first", "last"])
        for row in rows:
            writer.writerow([safe_cell(v) for v in [row.actor_id if row.actor_id else "",
                                                    row.name, *row.cells[1:]]])
    return len(rows)
