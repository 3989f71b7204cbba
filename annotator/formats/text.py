"""Plain articles in: .txt, .md, .html/.htm and .csv (one article per row, a `text` column).

A text or HTML file is one document, read whole; a CSV file is streamed row by row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from html.parser import HTMLParser
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

_TITLE_MAX = 200
TITLE_LINE_MAX = 100  # a first line up to this long is a headline...
TITLE_CUT = 80  # ...else the first sentence, cut at a word near this many characters
_TITLE_SCAN = 2000  # characters of the article looked at (the title is near the start)
_MID_SENTENCE = ",;:([{\u2013\u2014-/&"  # a line ending in one of these goes on
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "prof",
                  "rev", "gov", "sen", "rep", "jr", "sr", "no", "vs", "inc", "ltd", "co", "corp"}
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")


def title_from_text(text: str) -> str:
    """A document title from its text: the first line if it reads as a headline (short, not
    running on into the next line), else the first sentence, cut at a word boundary near
    TITLE_CUT characters with an ellipsis. Markdown '#' marks are dropped."""
    head = text[:_TITLE_SCAN].lstrip()
    if not head:
        return ""
    lines = head.split("\n")
    first = lines[0].strip().lstrip("#").strip()
    following = lines[1].strip() if len(lines) > 1 else ""
    runs_on = bool(first) and (first[-1] in _MID_SENTENCE
                               or (following[:1].islower() and not _ENDS_SENTENCE.search(first)))
    if first and len(first) <= TITLE_LINE_MAX and not runs_on:
        return first
    return _cut(_first_sentence(" ".join(head.lstrip("#").split())))


def _first_sentence(flat: str) -> str:
    for match in _SENTENCE_END.finditer(flat):
        word = flat[:match.start()].rsplit(" ", 1)[-1].lower()
        if match.group().startswith(".") and (
                word in _ABBREVIATIONS or len(word) == 1 or "." in word):
            continue  # "Dr. Velko", "J. Smith", "the U.S. said": not the end of a sentence
        return flat[:match.end()]
    return flat


def _cut(sentence: str) -> str:
    if len(sentence) <= TITLE_CUT:
        return sentence
    cut = sentence.rfind(" ", 0, TITLE_CUT + 1)
    if cut < TITLE_CUT // 2:  # one very long word: cut inside it
        cut = TITLE_CUT
    return sentence[:cut].rstrip(" ,;:\u2013\u2014-") + "\u2026"


_title_from = title_from_text


def read_plain(path: Path, ctx: ReadContext) -> list[AnnotatedDocument]:
    text = normalise_newlines(read_text(path))
    check_document_length(path, text)
    return [AnnotatedDocument(Document(text=text, title=_title_from(text), import_file=str(path),
                                       source=path.name))]


class _ArticleText(HTMLParser):
    """Collects the readable text of a page: <article> if there is one, else <body>."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg",
            "button", "iframe", "template"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
             "section", "article", "figcaption", "pre", "dd", "dt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.parts: dict[str, list[str]] = {"article": [], "body": []}
        self.article_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "article":
            self.article_depth += 1
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "article" and self.article_depth:
            self.article_depth -= 1
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip_depth:
            self._emit(data)

    def _emit(self, data: str) -> None:
        self.parts["body"].append(data)
        if self.article_depth:
            self.parts["article"].append(data)

    def text(self) -> str:
        raw = "".join(self.parts["article"] or self.parts["body"])
        lines = (re.sub(r"[ \t\f\v]+", " ", line).strip() for line in raw.split("\n"))
        return "\n".join(line for line in lines if line)


def read_html(path: Path, ctx: ReadContext) -> list[AnnotatedDocument]:
    parser = _ArticleText()
    parser.feed(read_text(path))
    parser.close()
    text = parser.text()
    if not text:
        raise ImportProblem(path, "no article text found in the HTML")
    check_document_length(path, text)
    title = re.sub(r"\s+", " ", parser.title).strip()[:_TITLE_MAX] or _title_from(text)
    return [AnnotatedDocument(Document(text=text, title=title, import_file=str(path),
                                       source=path.name))]


_DOC_FIELDS = ("title", "source", "published", "url")


def read_csv(path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument]:
    """Stream the rows: each one a document, the whole file refused at the first bad row."""
    lines = (line for _, line in iter_lines(path, keepends=True))
    try:
        reader = csv.DictReader(lines)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            found = ", ".join(reader.fieldnames or []) or "no header"
            raise ImportProblem(path, f"CSV needs a 'text' column (found: {found})", line=1)
        for row in reader:
            line = reader.line_num
            if None in row:
                raise ImportProblem(path, "row has more fields than the header", line=line)
            text = normalise_newlines(row.get("text") or "")
            if not text.strip():
                raise ImportProblem(path, "empty 'text' in this row", line=line)
            check_document_length(path, text, line)
            meta = {k: v for k, v in row.items() if k != "text" and k not in _DOC_FIELDS and v}
            fields = {k: (row.get(k) or "") for k in _DOC_FIELDS}
            fields["title"] = fields["title"] or _title_from(text)
            fields["source"] = fields["source"] or path.name
            yield AnnotatedDocument(Document(text=text, import_file=str(path), meta=meta,
                                             **fields))
    except csv.Error as exc:
        raise ImportProblem(path, f"malformed CSV: {exc}") from exc
