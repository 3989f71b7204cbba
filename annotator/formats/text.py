"""Plain articles in: .txt, .md and .csv (one article per row, a `text` column).

A text file is one document, read whole; a CSV file is streamed row by row (HTML pages:
`formats.html_reader`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from annotator.domain import AnnotatedDocument, Document
from annotator.formats.base import ImportProblem
from annotator.formats.context import ReadContext
from annotator.formats.decoding import (
    check_document_length,
    iter_lines,
    normalise_newlines,
    read_text,
)
from annotator.formats.titles import title_from_text


def read_plain(path: Path, ctx: ReadContext) -> list[AnnotatedDocument]:
    text = normalise_newlines(read_text(path))
    check_document_length(path, text)
    return [AnnotatedDocument(Document(text=text, title=title_from_text(text), import_file=str(path),
                                       source=path.name))]


_DOC_FIELDS = ("title", "source", "published", "url")


def read_csv(path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument]:
    """Stream the rows: each one a document, the whole file refused at the first bad row.

    Read strictly: a quote never closed, or text after a closing quote, refuses the file (a
    lenient reader swallowed every later row into one document), and so does a column name
    given twice (the last column silently won)."""
    lines = (line for _, line in iter_lines(path, keepends=True))
    reader = csv.DictReader(lines, strict=True)
    row_start = 1
    try:
        if not reader.fieldnames or "text" not in reader.fieldnames:
            found = ", ".join(reader.fieldnames or []) or "no header"
            raise ImportProblem(path, f"CSV needs a 'text' column (found: {found})", line=1)
        twice = sorted({name for name in reader.fieldnames if reader.fieldnames.count(name) > 1})
        if twice:
            raise ImportProblem(path, f"column(s) named twice in the header: {', '.join(twice)}",
                                line=1)
        row_start = reader.line_num + 1
        for row in reader:
            yield _csv_document(path, row, reader.line_num)
            row_start = reader.line_num + 1
    except csv.Error as exc:
        at = reader.reader.line_num  # DictReader's own line_num is only set after a good row
        hint = (f" (the row starting on line {row_start} opens a quote that is never closed, "
                "or has text after a closing quote)" if at > row_start else "")
        raise ImportProblem(path, f"malformed CSV: {exc}{hint}", line=at) from exc


def _csv_document(path: Path, row: dict, line: int) -> AnnotatedDocument:
    if None in row:
        raise ImportProblem(path, "row has more fields than the header", line=line)
    text = normalise_newlines(row.get("text") or "")
    if not text.strip():
        raise ImportProblem(path, "empty 'text' in this row", line=line)
    check_document_length(path, text, line)
    meta = {k: v for k, v in row.items() if k != "text" and k not in _DOC_FIELDS and v}
    fields = {k: (row.get(k) or "") for k in _DOC_FIELDS}
    fields["title"] = fields["title"] or title_from_text(text)
    fields["source"] = fields["source"] or path.name
    return AnnotatedDocument(Document(text=text, import_file=str(path), meta=meta, **fields))
