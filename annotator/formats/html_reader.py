"""HTML pages in: the readable text of a page (its <article>, else its <body>) as one document.

Streamed: the file is fed to the parser a chunk at a time and the text is kept as it will be
stored (each line's runs of spaces collapsed, blank lines dropped) and only up to the document
limit, so memory holds about one article, not the page nor millions of small strings (a 30 MB
page of short paragraphs peaked at 690 MB before it was refused).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from annotator.domain import AnnotatedDocument, Document
from annotator.formats.base import ImportProblem
from annotator.formats.context import ReadContext
from annotator.formats.decoding import MAX_DOCUMENT_CHARS, check_document_length, iter_lines
from annotator.formats.titles import title_from_text

CHUNK = 1 << 20  # characters fed to the parser at a time
_TITLE_MAX = 200
_SPACES = re.compile(r"[ \t\f\v]+")


class _Text:
    """Text written piece by piece, kept collapsed line by line up to `limit` characters;
    past it, `overflow` is set and nothing more is kept."""

    def __init__(self, limit: int):
        self.limit = limit
        self.done: list[str] = []  # kept lines, joined 1,024 at a time (few large strings)
        self.lines: list[str] = []
        self.size = 0  # characters kept
        self.tail: list[str] = []  # the line being written
        self.tail_size = 0
        self.written = False  # anything, even a line break (the article is chosen by this)
        self.overflow = False

    def write(self, data: str) -> None:
        self.written = True
        if self.overflow:
            return
        self.tail.append(data)
        self.tail_size += len(data)
        if "\n" in data:
            lines = "".join(self.tail).split("\n")
            last = lines.pop()
            self.tail, self.tail_size = [last], len(last)
            for line in lines:
                self._line(line)
        elif self.tail_size > 2 * self.limit:  # one endless line: collapse what it has so far
            head = _SPACES.sub(" ", "".join(self.tail)).lstrip()
            self.tail, self.tail_size = [head], len(head)
            self.overflow = self.size + len(head.rstrip()) > self.limit

    def _line(self, line: str) -> None:
        line = _SPACES.sub(" ", line).strip()
        if line:
            self.lines.append(line)
            if len(self.lines) >= 1024:
                self.done.append("\n".join(self.lines))
                self.lines.clear()
            self.size += len(line) + 1
            self.overflow = self.size > self.limit + 1  # + 1: the last line's "\n" is dropped

    def text(self) -> str:
        if not self.overflow:
            self._line("".join(self.tail))
            self.tail, self.tail_size = [], 0
        return "\n".join(self.done + ["\n".join(self.lines)] if self.lines else self.done)


class _ArticleText(HTMLParser):
    """Collects the readable text of a page: <article> if there is one, else <body>."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg",
            "button", "iframe", "template"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
             "section", "article", "figcaption", "pre", "dd", "dt"}

    def __init__(self, limit: int = MAX_DOCUMENT_CHARS) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.article, self.body = _Text(limit), _Text(limit)
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
            if len(self.title) < 4 * _TITLE_MAX:
                self.title += data
        elif not self.skip_depth:
            self._emit(data)

    def _emit(self, data: str) -> None:
        self.body.write(data)
        if self.article_depth:
            self.article.write(data)

    def chosen(self) -> _Text:
        return self.article if self.article.written else self.body


def read_html(path: Path, ctx: ReadContext) -> list[AnnotatedDocument]:
    parser = _ArticleText(MAX_DOCUMENT_CHARS)
    batch: list[str] = []
    size = 0
    for _, line in iter_lines(path, keepends=True):  # the checks of every text file, streamed
        batch.append(line)
        size += len(line)
        if size >= CHUNK:
            parser.feed("".join(batch))
            batch, size = [], 0
            if parser.article.overflow:  # the article is the text once it has begun
                break
    else:
        parser.feed("".join(batch))
        parser.close()
    chosen = parser.chosen()
    if chosen.overflow:
        raise ImportProblem(path, f"document of more than {MAX_DOCUMENT_CHARS:,} characters is "
                                  "longer than the limit; split it into articles")
    text = chosen.text()
    if not text:
        raise ImportProblem(path, "no article text found in the HTML")
    check_document_length(path, text)
    title = re.sub(r"\s+", " ", parser.title).strip()[:_TITLE_MAX] or title_from_text(text)
    return [AnnotatedDocument(Document(text=text, title=title, import_file=str(path),
                                       source=path.name))]
