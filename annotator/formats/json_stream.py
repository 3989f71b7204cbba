"""Top-level values of a `.json` file, streamed: the items of a list, one object, or one object
per line (JSON Lines saved as `.json`), each with the line it starts on.

A sliding buffer over `decoding.iter_lines` (so encodings, NUL bytes and bad bytes are refused
as everywhere else) and `json.JSONDecoder.raw_decode`: memory holds about one chunk plus the
largest item, whatever the size of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.formats.base import ImportProblem
from annotator.formats.decoding import check_unicode, iter_lines, json_number_problem

CHUNK = 1 << 20  # characters read at a time
_WS = " \t\r\n"


class _Buffer:
    def __init__(self, path: Path):
        self.path = path
        self.lines = iter_lines(path, keepends=True)
        self.buf = ""
        self.pos = 0
        self._counted = (0, 1)  # (position in buf, its line number): lines counted once
        self.eof = False
        self.decoder = json.JSONDecoder()

    def fill(self) -> None:
        """Drop what was consumed and read at least CHUNK more characters (or the rest)."""
        self._counted = (0, self.line_of(self.pos))
        parts, size, want = [self.buf[self.pos:]], 0, max(CHUNK, len(self.buf) - self.pos)
        self.pos = 0
        for _, line in self.lines:
            parts.append(line)
            size += len(line)
            if size >= want:
                break
        else:
            self.eof = True
        self.buf = "".join(parts)

    def line_of(self, pos: int) -> int:
        at, line = self._counted
        if pos < at:
            at, line = 0, line - self.buf.count("\n", 0, at)
        line += self.buf.count("\n", at, pos)
        self._counted = (pos, line)
        return line

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos:self.pos + 1]
            self.fill()

    def take(self, char: str) -> None:
        self.peek()
        self.pos += len(char)

    def decode(self) -> tuple[int, Any]:
        """The JSON value at the current position and the line it starts on."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if not self.eof:
                    self.fill()
                    continue
                raise ImportProblem(self.path, f"malformed JSON: {exc.msg} (column {exc.colno})",
                                    line=self.line_of(exc.pos)) from exc
            except RecursionError as exc:
                raise ImportProblem(self.path, "JSON nested too deeply",
                                    line=self.line_of(self.pos)) from exc
            except ValueError as exc:
                raise json_number_problem(self.path, self.line_of(self.pos)) from exc
            if end == len(self.buf) and not self.eof:  # a number may go on in the next chunk
                self.fill()
                continue
            line = self.line_of(self.pos)
            check_unicode(self.path, line, value, self.buf, (self.pos, end))
            self.pos = end
            return line, value


def json_values(path: Path, what: str = "tasks") -> Iterator[tuple[int, Any]]:
    """(line, value) of each top-level item: a list's items, a single object, or the objects of
    a file holding one object per line. `what` names the items in messages."""
    buf = _Buffer(path)
    first = buf.peek()
    if first == "[":
        buf.take("[")
        if buf.peek() == "]":
            buf.take("]")
        else:
            while True:
                yield buf.decode()
                sep = buf.peek()
                if sep == ",":
                    buf.take(",")
                    continue
                if sep == "]":
                    buf.take("]")
                    break
                raise ImportProblem(path, "malformed JSON: expected ',' or ']'",
                                    line=buf.line_of(buf.pos))
        if buf.peek():
            raise ImportProblem(path, "extra data after the JSON list", line=buf.line_of(buf.pos))
        return
    if first != "{":
        raise ImportProblem(path, f"expected a JSON list of {what}", line=buf.line_of(buf.pos))
    yield buf.decode()
    ended = buf.line_of(buf.pos)
    while buf.peek():
        if buf.peek() != "{" or buf.line_of(buf.pos) == ended:
            raise ImportProblem(path, "extra data after the JSON object (a .json file may hold "
                                      "one list, one object, or one object per line)",
                                line=buf.line_of(buf.pos))
        yield buf.decode()  # JSON Lines saved as .json: one object per line
        ended = buf.line_of(buf.pos)
