"""Bytes -> text for imported files: encodings, binary detection, newline normalisation.

`read_text` decodes a whole file (one-document formats); `iter_lines` streams a file line by
line with the same checks, so a JSONL or CSV file of any size is read in memory bounded by its
longest line.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from annotator.formats.base import ImportProblem, shown

MAX_FILE_BYTES = 512 * 1024 * 1024
# One article longer than this (about 800k words) is almost surely a dump or a mistake, and would
# make the article view and the parser crawl; refuse it rather than freeze the app.
MAX_DOCUMENT_CHARS = 5_000_000

_NEWLINES = re.compile(r"\r\n?")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a named pipe does not wait for a writer
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def check_link(path: Path, folder: Path) -> None:
    """A symbolic link found in `folder` is followed only to something inside it: a shared
    folder with `doc.txt -> /etc/passwd` must not import the password file as an article."""
    if not path.is_symlink():
        return
    try:
        target, home = path.resolve(strict=True), folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # dangling, or a loop of links
        raise ImportProblem(path, "symbolic link to nothing readable: not followed") from exc
    if not target.is_relative_to(home):
        raise ImportProblem(path, f"symbolic link out of the folder {shown(folder)} (to "
                                  f"{shown(target)}): not followed")


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading, or ImportProblem: a named pipe would block the import
    (holding the write lock) and a device such as /dev/zero would never end, so both are
    refused from the opened descriptor itself, before a byte is read."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(mode)), "not a plain file")
        raise ImportProblem(path, f"{kind}, not a regular file: only regular files are imported")
    if _NONBLOCK:
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(path: Path) -> bytes:
    """The whole of a regular file, refused over `MAX_FILE_BYTES` (checked before reading, and
    while reading should it grow)."""
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if size <= MAX_FILE_BYTES:
                data = fh.read(MAX_FILE_BYTES + 1)
                size = len(data)
        except OSError as exc:
            raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ImportProblem(path, f"file is {size // 2**20} MB; the limit is "
                                  f"{MAX_FILE_BYTES // 2**20} MB")
    return data


def read_text(path: Path) -> str:
    """Decode UTF-8 (BOM optional) or UTF-16 with BOM; refuse binary, undecodable and empty."""
    return decode_bytes(read_bytes(path), path)


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
    refuse_nul(path, text)
    if not text.strip():
        raise ImportProblem(path, "empty file")
    return text


def refuse_nul(path: Path | str, text: str, line: int | None = None, what: str = "") -> None:
    """The one rule for NUL, whatever the format: a text holding one is refused (in a `.txt`
    it means a binary file; in a JSON string, `\\u0000`, a text no view or export handles)."""
    if "\x00" in text:
        if line is None and not what:
            line = text[: text.index("\x00")].count("\n") + 1
        where = f" in {what}" if what else ""
        raise ImportProblem(path, f"binary data (a NUL character{where}): not text", line=line)


def iter_lines(path: Path, keepends: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, line) of a text file split at "\\n" only (JSON Lines' rule), decoded and
    checked like `read_text`: UTF-8 (BOM optional) or UTF-16 with BOM; NUL bytes and bad
    bytes refused naming the line; a file of only whitespace is "empty file"."""
    fh = open_regular(path)
    with fh:
        head = fh.read(2)
        fh.seek(0)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            lines = _utf16_lines(path, fh)
        else:
            lines = _utf8_lines(path, fh)
        seen_text = False
        for lineno, line in lines:
            if not seen_text and line.strip():
                seen_text = True
            yield lineno, (line if keepends or not line.endswith("\n") else line[:-1])
    if not seen_text:
        raise ImportProblem(path, "empty file")


def _utf8_lines(path: Path, fh) -> Iterator[tuple[int, str]]:
    offset = 0
    # a file within the size limit bounds its lines itself; a bigger one is read a line at most
    # that long at a time (the plain line iterator is five times faster)
    big = os.fstat(fh.fileno()).st_size > MAX_FILE_BYTES
    try:
        for lineno, raw in enumerate(iter(lambda: fh.readline(MAX_FILE_BYTES + 1), b"")
                                     if big else fh, start=1):
            if len(raw) > MAX_FILE_BYTES:
                raise ImportProblem(path, f"line longer than the limit of {MAX_FILE_BYTES // 2**20} MB",
                                    line=lineno)
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
            if b"\x00" in raw:
                raise ImportProblem(path, "binary data (NUL bytes): not a text file", line=lineno)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ImportProblem(
                    path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                          f"{offset + exc.start}); save it as UTF-8 or UTF-16 with BOM",
                    line=lineno) from exc
            offset += len(raw)
            yield lineno, line
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc


def _utf16_lines(path: Path, fh) -> Iterator[tuple[int, str]]:
    text = io.TextIOWrapper(fh, encoding="utf-16", newline="\n")
    lineno = 0
    try:
        for lineno, line in enumerate(text, start=1):
            if "\x00" in line:
                raise ImportProblem(path, "binary data (NUL characters): not a text file",
                                    line=lineno)
            yield lineno, line
    except UnicodeDecodeError as exc:
        raise ImportProblem(path, "invalid UTF-16 text", line=lineno + 1) from exc
    finally:
        text.detach()


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


def json_number_problem(path: Path | str, line: int | None) -> ImportProblem:
    """The one ValueError `json` raises that is no JSONDecodeError: an integer too long for
    Python to convert (a guard against slow conversions), refused like any malformed line."""
    return ImportProblem(path, f"malformed JSON: a number of more than "
                               f"{sys.get_int_max_str_digits():,} digits", line=line)


def check_unicode(path: Path | str, line: int | None, value: Any, raw: str,
                  span: tuple[int, int] | None = None) -> None:
    """Refuse a JSON value holding a lone surrogate ("\\ud800"): JSON escapes can spell one,
    UTF-8 (so the project) cannot store it. Only a value whose source `raw` (or its `span`)
    has a surrogate escape is walked, so ordinary lines cost one regex search."""
    if not _SURROGATE_ESCAPE.search(raw, *(span or (0, len(raw)))):
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ImportProblem(path, f"lone surrogate \\u{ord(item[exc.start]):04x} in a string: "
                                          "not Unicode text, UTF-8 cannot hold it", line=line) from exc
