"""`.jsonl` files in: each line is read by the module that knows its shape.

Lines tagged `"format": "news-annotator/1"` and Prodigy-style lines go to `formats.jsonl`,
doccano-shaped lines (an `entities` list, or a `label` list of `[start, end, "LABEL"]`) to
`formats.doccano`. Kept apart from both so neither imports the other.
"""

from __future__ import annotations

from pathlib import Path

from annotator.domain import AnnotatedDocument
from annotator.formats.base import ImportProblem
from annotator.formats.decoding import read_text
from annotator.formats.doccano import is_doccano
from annotator.formats.doccano import record_to_bundle as doccano_bundle
from annotator.formats.jsonl import FORMAT_TAG
from annotator.formats.jsonl import record_to_bundle as own_or_prodigy_bundle
from annotator.formats.records import parse_line
from annotator.schema import LabelSchema


def read_jsonl(path: Path, schema: LabelSchema) -> list[AnnotatedDocument]:
    """Parse every line first; any problem refuses the whole file (nothing half-imports)."""
    content = read_text(path)
    bundles = []
    for lineno, line in enumerate(content.split("\n"), start=1):  # JSON Lines: "\n" only
        if not line.strip():
            continue
        record = parse_line(path, lineno, line)
        if record.get("format") != FORMAT_TAG and is_doccano(record):
            bundle = doccano_bundle(path, lineno, record, schema)
        else:
            bundle = own_or_prodigy_bundle(path, lineno, record, schema)
        bundles.append(bundle)
    if not bundles:
        raise ImportProblem(path, "no documents in the file")
    return bundles
