"""`.jsonl` files in: each line is read by the module that knows its shape.

Lines tagged `"format": "news-annotator/1"` and Prodigy-style lines go to `formats.jsonl`,
doccano-shaped lines (an `entities` list, or a `label` list of `[start, end, "LABEL"]`) to
`formats.doccano`. Kept apart from both so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.domain import AnnotatedDocument
from annotator.formats.base import ImportProblem
from annotator.formats.context import ReadContext
from annotator.formats.decoding import iter_lines
from annotator.formats.doccano import is_doccano
from annotator.formats.doccano import record_to_bundle as doccano_bundle
from annotator.formats.document_checks import check_document
from annotator.formats.jsonl import FORMAT_TAG
from annotator.formats.jsonl import record_to_bundle as own_or_prodigy_bundle
from annotator.formats.records import parse_line


def read_jsonl(path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument]:
    """Stream the file's documents; a problem on any line refuses the whole file (the importer
    undoes what it already wrote of it)."""
    count = 0
    for lineno, line in iter_lines(path):  # JSON Lines: "\n" only
        if not line.strip():
            continue
        yield line_to_bundle(path, lineno, parse_line(path, lineno, line), ctx)
        count += 1
    if not count:
        raise ImportProblem(path, "no documents in the file")


def line_to_bundle(path: Path, lineno: int, record: dict, ctx: ReadContext) -> AnnotatedDocument:
    """One checked JSON record (see `records.parse_line`) in whichever shape it has."""
    if record.get("format") != FORMAT_TAG and is_doccano(record):
        bundle = doccano_bundle(path, lineno, record, ctx)
    else:
        bundle = own_or_prodigy_bundle(path, lineno, record, ctx)
    return check_document(path, lineno, bundle, ctx)
