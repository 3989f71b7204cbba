"""Analyst tables: a folder with quotes.csv, threats.csv and events.csv.

One row per QUOTE, THREAT or EVENT span, its values those the app's table shows for it (the
store's table query and `analysis.tables.row_values`: one code path, so a linked mention is
named the same in the table and the file; columns declared in `analysis/table_specs.py`):
* quotes.csv: document_id, title, published, quote, speaker (the SAID_BY mention's text),
  speaker_canonical_name (the Speakers table's name: the mention's actor, else its
  `canonical_name`, else that of a span joined to it by SAME_AS, else its text),
  speaker_actor_id, role, affiliation (as the table shows them), kind, speech_act, channel,
  cue (CUE), start, end.
* threats.csv: document_id, title, published, source (SOURCE), source_canonical_name,
  source_actor_id, target (TARGET), target_canonical_name, target_actor_id (names as for
  speakers), threat, type, mode, condition (CONDITION), cameo (the attribute, else the
  schema's mapping of the mode), plover, start, end.
* events.csv: document_id, title, published, type, trigger, participants (PARTICIPANT),
  participant_canonical_names (named as speakers), participant_actor_ids, time and place (as
  the Events table shows them: a TIME link or the nearest date, resolved; a PLACE link, else
  the nearest GPE/LOC of the paragraph or the dateline's place, marked "Gao (nearby)", "Bamako (dateline)"), casualties
  (CASUALTIES), outcome, modality, acled, cameo, plover (the schema's mappings of the type),
  start, end.
`*_actor_id` columns hold the ids of the actor registry (`annotator actors export`), several
joined by "; ", empty for mentions not linked to an actor.
`start`/`end` are code-point offsets into the article. Files are UTF-8 with a BOM (so
spreadsheet programs pick the encoding) and a cell that starts with `=`, `+`, `-` or `@` gets a
leading `'` so a spreadsheet never runs it as a formula. Suggestions (when included) are rows
like accepted labels.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.analysis.query import TableQuery
from annotator.analysis.table_specs import SPECS, TABLES, csv_header
from annotator.analysis.tables import GROUP_TITLES, TableRow, row_values
from annotator.atomic_files import open_replacing, staging
from annotator.domain import AnnotatedDocument
from annotator.formats.base import ExportOptions
from annotator.schema import LabelSchema

# The store's raw table rows of some spans, in the given order (ExportOptions.extra["table_rows"],
# set by services/exporting.py: Store.table_rows_by_id, with the export's statuses for links).
TableRows = Callable[[TableQuery, list[int]], list[dict[str, Any]]]
# Documents whose rows are read together (a few MB of rows at most).
BATCH = 200


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def csv_row(table: str, raw: dict[str, Any], schema: LabelSchema) -> list[str]:
    values, _ = row_values(table, raw, schema)
    return [safe_cell(values[key]) for key in SPECS[table].csv_columns]


def batch_rows(bundles: list[AnnotatedDocument], schema: LabelSchema, table_rows: TableRows
               ) -> list[list[list[str]]]:
    """The rows of some documents for each table (in TABLES order): document after document,
    each in text order, for the table spans the export kept. One table query per table for
    the whole batch, not per document: a query's fixed cost outweighed a document's rows."""
    out = []
    for table in TABLES:
        ids = [s.id for bundle in bundles
               for s in sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label, s.id or 0))
               if s.label == SPECS[table].label and s.id is not None]
        raws = table_rows(TableQuery(table=table), ids) if ids else []
        out.append([csv_row(table, raw, schema) for raw in raws])
    return out


def _batches(bundles: Iterable[AnnotatedDocument]) -> Iterator[list[AnnotatedDocument]]:
    batch: list[AnnotatedDocument] = []
    for bundle in bundles:
        batch.append(bundle)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def write_csv_tables(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                     options: ExportOptions) -> int:
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: the CSV export writes a folder, and this is a file")
    table_rows = options.extra.get("table_rows")
    if table_rows is None:
        raise ValueError("the CSV tables are read from a project: export them with annotator export")
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with staging() as stage:  # the three tables replace the previous ones together at the end
        files = [stage.open(out / SPECS[t].csv_file, "w", encoding="utf-8-sig", newline="") for t in TABLES]
        try:
            writers = [csv.writer(fh) for fh in files]
            for writer, table in zip(writers, TABLES):
                writer.writerow(csv_header(SPECS[table]))
            for batch in _batches(bundles):
                count += len(batch)
                for writer, rows in zip(writers, batch_rows(batch, schema, table_rows)):
                    writer.writerows(rows)
        finally:
            for fh in files:
                fh.close()
    return count


def export_rows(store, query: TableQuery, rows: list[TableRow], out: Path,
                progress: Callable[[int, int], None] | None = None) -> int:
    """The given table rows as the CSV export writes them (the columns of quotes.csv,
    threats.csv or events.csv), in the given order. Returns the rows written."""
    ids = [row.span_id for row in rows if row.span_id is not None]
    written = 0
    with open_replacing(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_header(SPECS[query.table]))
        for start in range(0, len(ids), 256):
            for raw in store.table_rows_by_id(query, ids[start:start + 256]):
                writer.writerow(csv_row(query.table, raw, store.schema))
                written += 1
            if progress:
                progress(min(start + 256, len(ids)), len(ids))
    return written


def export_groups(query: TableQuery, rows: list[TableRow], out: Path) -> int:
    with open_replacing(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["actor_id", GROUP_TITLES[query.table].lower(), "rows", "documents",
                         "first", "last"])
        for row in rows:
            writer.writerow([safe_cell(v) for v in [row.actor_id if row.actor_id else "",
                                                    row.name, *row.cells[1:]]])
    return len(rows)
