"""Bytes -> text for imported files: encodings, binary detection, newline normalisation."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from annotator.formats.base import ImportProblem

MAX_FILE_BYTES = 512 * 1024 * 1024
# One article longer than this (about 800k words) is almost surely a dump or a mistake, and would
# make the article view and the parser crawl; refuse it rather than freeze the app.
MAX_DOCUMENT_CHARS = 5_000_000

_NEWLINES = re.compile(r"\r\n?")


def read_text(path: Path) -> str:
    """Decode UTF-8 (BOM optional) or UTF-16 with BOM; refuse binary, undecodable and empty."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportProblem(path, f"file is {size // 2**20} MB; the limit is "
                                      f"{MAX_FILE_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    return decode_bytes(data, path)


def decode_bytes(data: bytes, path: Path | str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"invalid UTF-16 at byte {exc.start}") from exc
    else:
        if b"\x00" in data:
            raise ImportProblem(path, "binary data (NUL bytes): not a text file",
                                line=data[: data.index(b"\x00")].count(b"\n") + 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportProblem(
                path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                      "save it as UTF-8 or UTF-16 with BOM", line=line) from exc
    if "\x00" in text:
        raise ImportProblem(path, "binary data (NUL characters): not a text file")
    if not text.strip():
        raise ImportProblem(path, "empty file")
    return text


def normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise CRLF/CR to LF and return `old_to_new`, mapping every old offset (0..len)."""
    if "\r" not in text:
        return text, []
    out, old_to_new, removed = [], [], 0
    i = 0
    while i < len(text):
        ch = text[i]
        old_to_new.append(i - removed)
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            removed += 1  # the \r disappears; the \n that follows is kept
        elif ch == "\r":
            out.append("\n")
        else:
            out.append(ch)
        i += 1
    old_to_new.append(len(text) - removed)
    return "".join(out), old_to_new


def check_document_length(path: Path | str, text: str, line: int | None = None) -> None:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ImportProblem(path, f"document of {len(text):,} characters is longer than the limit "
                                  f"of {MAX_DOCUMENT_CHARS:,}; split it into articles", line=line)
