"""Exporting the actor registry: CSV for spreadsheets, JSON for programs.

Columns / keys: id, name, type, aliases, affiliation, role, external_id, mentions, documents.
The ids are those every export carries for linked mentions (JSONL `actor_id`, brat
`NewsActors:ID` normalisations, Label Studio region `meta.actor_id`, the CSV tables'
`*_actor_id` columns), so the registry joins them back to actors.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from annotator.atomic_files import open_replacing, write_text_replacing
from annotator.formats.csv_tables import safe_cell

FIELDS = ("id", "name", "type", "aliases", "affiliation", "role", "external_id", "mentions",
          "documents")


def registry_records(store) -> list[dict]:
    return [{"id": a.id, "name": a.name, "type": a.type, "aliases": list(a.aliases),
             "affiliation": a.affiliation, "role": a.role, "external_id": a.external_id,
             "mentions": a.mentions, "documents": a.documents} for a in store.actors()]


def export_registry(store, out: Path, fmt: str = "") -> int:
    """Write every actor to `out` (`fmt` "csv" or "json"; by default from the suffix).
    Returns how many."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "csv").lower()
    if fmt not in ("csv", "json"):
        raise ValueError(f"{out}: the registry is written as .csv or .json, not {fmt!r}")
    records = registry_records(store)
    if fmt == "json":
        write_text_replacing(out, json.dumps({"format": "news-annotator-actors/1", "actors": records},
                                             ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return len(records)
    with open_replacing(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FIELDS)
        for r in records:
            writer.writerow([safe_cell("; ".join(r[k]) if k == "aliases" else r[k])
                             for k in FIELDS])
    return len(records)
