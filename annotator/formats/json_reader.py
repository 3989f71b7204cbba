"""`.json` files in, streamed: Label Studio tasks, or records of the JSONL formats.

A file may hold a list, one object, or one object per line (JSON Lines saved as `.json`). An
item with a `data` object is a Label Studio task; an item with a `text` is read like a line of
a `.jsonl` file (own format, Prodigy, doccano). A problem anywhere refuses the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.domain import AnnotatedDocument
from annotator.formats.base import ImportProblem
from annotator.formats.context import ReadContext
from annotator.formats.document_checks import check_document
from annotator.formats.json_stream import json_values
from annotator.formats.jsonl_reader import line_to_bundle
from annotator.formats.labelstudio import is_task, task_to_bundle
from annotator.formats.records import check_record


def read_json(path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument]:
    count = 0
    for line, value in json_values(path, "Label Studio tasks"):
        if is_task(value) or not (isinstance(value, dict) and "text" in value):
            yield check_document(path, line, task_to_bundle(path, line, value, ctx), ctx)
        else:
            yield line_to_bundle(path, line, check_record(path, line, value), ctx)
        count += 1
    if not count:
        raise ImportProblem(path, "no tasks in the file")
