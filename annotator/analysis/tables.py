"""The three analyst tables as the app shows them: columns, and rows built from store queries.

The store returns one page of raw rows (store/tables.py); here each becomes a `TableRow` of
display cells and tooltips: the threat's CAMEO/PLOVER codes from the schema's mappings, the
event's place (its PLACE link, else the nearest GPE/LOC in its paragraph, else the dateline)
and time (its TIME link, else the nearest DATE in its paragraph, resolved against the
document's dateline or published date unless the DATE span stores `iso`). `row_values` is the
one builder of a row's values: the CSV export (formats/csv_tables.py, of the visible rows and of
`annotator export --format csv`) writes what it returns, so a file says what the table shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.analysis.dates import document_anchor, resolve
from annotator.analysis.places import DATELINE, NEARBY, inferred, parse_dateline
from annotator.analysis.query import QUOTES, THREATS, TableQuery
from annotator.analysis.table_specs import SPECS, Column
from annotator.schema import LabelSchema

COLUMNS: dict[str, tuple[Column, ...]] = {name: spec.columns for name, spec in SPECS.items()}
GROUP_COLUMNS = (
    Column("name", "Actor", "Speaker / threat source / event participant", sortable=False,
           width=220),
    Column("rows", "Rows", sortable=False, width=70),
    Column("documents", "Documents", sortable=False, width=90),
    Column("first", "First", "Earliest published date", sortable=False, width=90),
    Column("last", "Last", "Latest published date", sortable=False, width=90),
)
TITLES = {name: spec.title for name, spec in SPECS.items()}
GROUP_TITLES = {name: spec.group_title for name, spec in SPECS.items()}


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
    values, tips = row_values(table, r, schema)
    keys = [c.key for c in COLUMNS[table]]
    cells = [values[k] for k in keys]
    if table == THREATS:  # the code; the mapping's words in the tip
        cells[keys.index("cameo")] = values["cameo"].split(" ", 1)[0]
    cells[keys.index("published")] = values["published"][:10]
    tip_list = [tips.get(k) or cells[i] for i, k in enumerate(keys)]
    return TableRow(r["doc_id"], r["span_id"], cells, tip_list)


def row_values(table: str, r: dict[str, Any], schema: LabelSchema) -> tuple[dict[str, str], dict[str, str]]:
    """Every value of one row (the view's cells and the CSV's columns alike, by key) and the
    tooltips of some: one builder, so the table and its CSV export say the same."""
    values: dict[str, Any] = {k: r.get(k) for k in ("start", "end", "title", "published", "status")}
    values.update(document_id=r["doc_id"], title=r["title"] or f"Document {r['doc_id']}")
    if table == QUOTES:
        values.update({k: r[k] for k in ("speaker", "speaker_text", "speaker_actor", "role", "affiliation",
                                         "quote", "kind", "speech_act", "channel", "cue")})
        tips = {"quote": f"{r['quote']}\n\ncue: {r['cue'] or '-'}"}
    elif table == THREATS:
        values.update({k: r[k] for k in ("source", "source_text", "source_actor", "target", "target_text",
                                         "target_actor", "threat", "type", "mode", "condition")})
        values.update(cameo=r["cameo"] or _mapping(schema, "threat_mode", r["mode"], "cameo"),
                      plover=_mapping(schema, "threat_mode", r["mode"], "plover"))
        tips = {"cameo": values["cameo"], "plover": values["plover"]}
    else:
        (place, place_tip), (when, when_tip) = event_place(r), event_time(r)
        values.update({k: r[k] for k in ("type", "trigger", "participants", "participants_text", "participant_actors",
                                         "casualties", "outcome", "modality")})
        values.update(place=place, time=when, **{system: _mapping(schema, "event_type", r["type"], system)
                                                 for system in ("acled", "cameo", "plover")})
        tips = {"place": place_tip, "time": when_tip, "type": values["plover"]}
    return {k: _s(v) for k, v in values.items()}, tips


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
    against = f"; against the {source} date {anchor.isoformat()}" if anchor else ""  # a full date needs none
    return found.iso, f"{found.iso} from '{text}' ({how}; {found.note}{against})"


# --- copying ----------------------------------------------------------------------


def tsv(headers: list[str], rows: Iterable[list[str]]) -> str:
    """Rows as tab-separated text for a spreadsheet: tabs and line breaks inside cells become
    spaces (a paste never splits a cell)."""
    def clean(cell: str) -> str:
        return " ".join(str(cell).replace("\t", " ").splitlines())
    lines = ["\t".join(clean(h) for h in headers)]
    lines += ["\t".join(clean(c) for c in row) for row in rows]
    return "\n".join(lines) + "\n"
