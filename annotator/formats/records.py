"""Helpers shared by the JSON-record formats (own JSONL, Prodigy, doccano): writing one JSON
Lines record, checking a parsed line and reading one span of it, each refusal naming file and
line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.domain import ACCEPTED, HUMAN, SPAN_STATUSES, Span
from annotator.formats.base import ImportProblem
from annotator.formats.context import BadLabel, ReadContext
from annotator.formats.decoding import check_document_length, check_unicode, json_number_problem

# Characters that str.splitlines() (and some JSONL tools) take for line ends but json.dumps
# leaves raw inside strings: escaped, so one record is always exactly one line.
_LINE_ENDS_IN_STRINGS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_line(record: Any, sort_keys: bool = False) -> str:
    """One JSON Lines record (no newline): UTF-8 text kept, every line break escaped."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=sort_keys)
    for raw, escaped in _LINE_ENDS_IN_STRINGS:  # str.replace is C-fast, translate() is not
        if raw in line:
            line = line.replace(raw, escaped)
    return line


def expect(cond: bool, path: Path, lineno: int, message: str) -> None:
    """A problem of the whole line (or file): refused, whatever the options."""
    if not cond:
        raise ImportProblem(path, message, line=lineno)


def bad(cond: bool, path: Path, lineno: int, message: str) -> None:
    """A problem of one span or relation: `ReadContext.skip` decides (see formats.context)."""
    if not cond:
        raise BadLabel(path, message, line=lineno)


def str_field(record: dict, key: str, path: Path, lineno: int) -> str:
    value = record.get(key, "")
    if value is None:
        return ""
    expect(isinstance(value, str), path, lineno, f"'{key}' must be a string")
    return value


def json_value_line(path: Path, lineno: int, line: str) -> Any:
    """One line of a JSON Lines file as a JSON value, or ImportProblem naming the line."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportProblem(path, f"malformed JSON: {exc}", line=lineno) from exc
    except RecursionError as exc:
        raise ImportProblem(path, "JSON nested too deeply", line=lineno) from exc
    except ValueError as exc:
        raise json_number_problem(path, lineno) from exc
    check_unicode(path, lineno, value, line)
    return value


def parse_line(path: Path, lineno: int, line: str) -> dict[str, Any]:
    """One JSON Lines line -> a record with a non-empty string `text`, or ImportProblem."""
    return check_record(path, lineno, json_value_line(path, lineno, line))


def check_record(path: Path, lineno: int, record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ImportProblem(path, "each line must be a JSON object", line=lineno)
    if not isinstance(record.get("text"), str):
        raise ImportProblem(path, "line has no string 'text'", line=lineno)
    if not record["text"].strip():
        raise ImportProblem(path, "'text' is empty", line=lineno)
    check_document_length(path, record["text"], lineno)
    return record


def read_span(path: Path, lineno: int, i: int, raw: Any, text: str, ctx: ReadContext, *,
              own: bool) -> Span:
    """Span #i of a line, checked against `text` (the line's text, before newline fixes); its
    label mapped to the schema's. Any problem is a BadLabel (the span alone can be skipped).

    The hot path of a labelled import: plain `if`s, so no message is built for a good span."""
    n = i + 1
    if type(raw) is not dict:
        raise BadLabel(path, f"span #{n} must be an object", line=lineno)
    start, end = raw.get("start"), raw.get("end")
    if type(start) is not int or type(end) is not int:
        raise BadLabel(path, f"span #{n}: 'start' and 'end' must be integers", line=lineno)
    if not 0 <= start < end <= len(text):
        raise BadLabel(path, f"span #{n} [{start}, {end}) is out of range for a text of "
                             f"{len(text)} characters", line=lineno)
    spec = ctx.span_label(raw.get("label"), path, lineno, f"span #{n}")
    shown = raw.get("text")
    if type(shown) is str and text[start:end] != shown:
        raise BadLabel(path, f"span #{n}: text {shown!r} does not match the text at "
                             f"[{start}, {end}): {text[start:end]!r}", line=lineno)
    attrs = raw.get("attrs") or {}
    if attrs:
        bad(isinstance(attrs, dict), path, lineno, f"span #{n}: 'attrs' must be an object")
        for key, value in attrs.items():
            attr = spec.attribute(key)
            bad(attr is not None and attr.allows(value), path, lineno,
                f"span #{n}: attribute {key}={value!r} not allowed for {spec.name}")
    label = spec.name
    if not own:
        return Span(None, start, end, label, ACCEPTED, HUMAN, str(raw.get("annotator", "")), attrs)
    status = raw.get("status", ACCEPTED)
    bad(status in SPAN_STATUSES, path, lineno, f"span #{n}: unknown status {status!r}")
    span_id = raw.get("id", i)
    expect(type(span_id) is int, path, lineno, f"span #{n}: 'id' must be an integer")
    return Span(None, start, end, label, status, str(raw.get("origin", HUMAN)),
                str(raw.get("annotator", "")), attrs, id=span_id,
                created=str(raw.get("created", "")), updated=str(raw.get("updated", "")),
                uid=read_uid(path, lineno, raw, f"span #{n}"))


def read_uid(path: Path, lineno: int, raw: dict, what: str) -> str:
    """The UUID a span or relation keeps across files ("" if the line gives none)."""
    value = raw.get("uid") or ""
    expect(isinstance(value, str) and len(value) <= 64, path, lineno,
           f"{what}: 'uid' must be a string of at most 64 characters")
    return value
