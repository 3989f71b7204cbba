"""Every row of a pack checked before merge uses it, as an import checks every line of a file.

A pack is a project file from someone else's machine: any program may have written its rows.
Offsets outside the text, a `start` that is text, a status we do not know or `attrs` that are
not a JSON object merged silently before and then broke the brat, spaCy and JSONL exports for
good; a span of a document the pack lacks or a relation to a missing span crashed `merge` with
a traceback. Here each row is checked on its raw SQLite values and named (table, row id, what
is wrong); the labels and roles against the project's schema are checked by team/merge.py.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from annotator.domain import DOC_STATUSES, SPAN_STATUSES, ValidationError, check_span_range
from annotator.store.rows import RELATION_COLUMNS, RELATION_SELECT, SPAN_COLUMNS, SPAN_SELECT

MAX_NAMED = 10  # problems named in the message; the rest are counted

_TEXT_COLUMNS = ("origin", "annotator", "created", "updated", "uid")


def _attrs_problem(raw: Any) -> str:
    if raw is None or raw == "":
        return ""
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return f"attrs are not JSON: {str(raw)[:40]!r}"
    return "" if isinstance(value, dict) else f"attrs must be a JSON object, not {str(raw)[:40]!r}"


def _common_problems(row: dict[str, Any]) -> list[str]:
    out = []
    if row["status"] not in SPAN_STATUSES:
        out.append(f"unknown status {row['status']!r}")
    out.extend(f"{c} must be text, not {row[c]!r}" for c in _TEXT_COLUMNS
               if row[c] is not None and not isinstance(row[c], str))
    attrs = _attrs_problem(row["attrs"])
    return out + ([attrs] if attrs else [])


def document_problems(conn: sqlite3.Connection) -> tuple[dict[int, int], list[str]]:
    """{document id: text length} of the pack's documents, and what is wrong with them."""
    lengths: dict[int, int] = {}
    problems = []
    for doc_id, kind, length, digest, title, status in conn.execute(
            "SELECT id, typeof(text), length(text), content_hash, title, status FROM documents"
            " ORDER BY id"):
        why = []
        if kind != "text":
            why.append(f"its text is {kind}, not text")
        if not isinstance(digest, str) or not digest:
            why.append("no content hash")
        if title is not None and not isinstance(title, str):
            why.append(f"title must be text, not {title!r}")
        if status not in DOC_STATUSES:
            why.append(f"unknown status {status!r}")
        problems.extend(f"documents row {doc_id}: {w}" for w in why)
        lengths[doc_id] = length if kind == "text" else 0
    return lengths, problems


def span_problems(conn: sqlite3.Connection, lengths: dict[int, int]) -> tuple[dict[int, int], list[str]]:
    """{span id: its document id} of the pack's spans, and what is wrong with them."""
    doc_of: dict[int, int] = {}
    problems = []
    for values in conn.execute(f"SELECT {SPAN_SELECT} FROM spans ORDER BY id"):
        row = dict(zip(SPAN_COLUMNS, values))
        why = _common_problems(row)
        if row["doc_id"] not in lengths:
            why.append(f"its document {row['doc_id']!r} is not in the pack")
        else:
            try:
                check_span_range(lengths[row["doc_id"]], row["start"], row["end"])
            except ValidationError as exc:
                why.append(str(exc))
        if not isinstance(row["label"], str) or not row["label"]:
            why.append(f"label must be text, not {row['label']!r}")
        problems.extend(f"spans row {row['id']}: {w}" for w in why)
        doc_of[row["id"]] = row["doc_id"]
    return doc_of, problems


def relation_problems(conn: sqlite3.Connection, lengths: dict[int, int],
                      doc_of: dict[int, int]) -> list[str]:
    problems = []
    for values in conn.execute(f"SELECT {RELATION_SELECT} FROM relations ORDER BY id"):
        row = dict(zip(RELATION_COLUMNS, values))
        why = _common_problems(row)
        if row["doc_id"] not in lengths:
            why.append(f"its document {row['doc_id']!r} is not in the pack")
        for end in ("head_id", "tail_id"):
            if doc_of.get(row[end]) != row["doc_id"]:
                why.append(f"{end} {row[end]!r} is not a span of its document")
        if not isinstance(row["role"], str) or not row["role"]:
            why.append(f"role must be text, not {row['role']!r}")
        problems.extend(f"relations row {row['id']}: {w}" for w in why)
    return problems


def row_problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the pack's documents, spans and relations, each row named."""
    lengths, problems = document_problems(conn)
    doc_of, more = span_problems(conn, lengths)
    return problems + more + relation_problems(conn, lengths, doc_of)


def summarise(problems: list[str]) -> str:
    """The first few problems, and how many more."""
    shown = "; ".join(problems[:MAX_NAMED])
    rest = len(problems) - MAX_NAMED
    return shown + (f"; and {rest} more" if rest > 0 else "")
