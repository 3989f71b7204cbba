"""Stage 1 of news_quotes: quotation marks, found from the characters and mapped onto tokens.

Quotes are found in the text, not in the tokens: a tokenizer splits or glues marks differently per
language and model, the characters do not change. Straight and curly double marks pair up per
paragraph; a quote left open at a paragraph's end continues when the next paragraph opens with a
mark (one `group` for all pieces); single marks make a quote only around four words or more.
Marks inside markup (`<img alt="...">`) or around an attribute value (`alt="..."`) quote nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from annotator.nlp.context import DocContext
from annotator.nlp.quotes.records import Quote

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‛"
SINGLE_CLOSE = "’"
DOUBLE_MARKS_RE = re.compile('["' + DOUBLE_OPEN + DOUBLE_CLOSE + "]")
SINGLE_MARKS_RE = re.compile("['‘’]")
OPENER_BEFORE = set(" \t\n([{—–-/:") | {""}
MIN_SINGLE_QUOTE_WORDS = 4
MARKUP_TAG_RE = re.compile(r"<[A-Za-z!/][^<>\n]*>")


@dataclass
class CharQuote:
    """A quote in character offsets."""

    open: int  # index of the opening mark
    start: int  # content start
    end: int  # content end
    close: int  # index of the closing mark (== end when the quote was left open)
    single: bool = False
    group: int = -1  # pieces of one quote running over several paragraphs share a group


def find_quotes(text: str) -> list[CharQuote]:
    """Quotes by punctuation: balanced straight or curly double marks, per paragraph.

    A quote still open at a paragraph's end continues into the next paragraph when that one
    starts with an opening mark (the news convention for multi-paragraph quotes); otherwise it
    ends with the paragraph. Single marks make a quote only at the top level, when they open
    after a space and close before a non-letter, around at least four words.
    """
    quotes: list[CharQuote] = []
    n = len(text)
    pos = 0
    cur_open: int | None = None
    group: int | None = None  # group of the quote being continued
    carry_group: int | None = None
    next_group = 0
    marks = _speech_marks(text, [m.start() for m in DOUBLE_MARKS_RE.finditer(text)])  # only the marks
    k = 0
    while pos <= n:
        nl = text.find("\n", pos)
        pe = n if nl < 0 else nl
        para_quotes: list[tuple[int, int]] = []
        while k < len(marks) and marks[k] < pos:
            k += 1
        while k < len(marks) and marks[k] < pe:
            i = marks[k]
            k += 1
            ch = text[i]
            if ch in DOUBLE_OPEN:
                role = "open"
            elif ch in DOUBLE_CLOSE:
                role = "close"
            else:
                role = "close" if cur_open is not None else "open"
                if role == "open" and i > pos and not text[i - 1].isspace() and text[i - 1] not in "([{—–-/:":
                    after = text[i + 1] if i + 1 < pe else " "
                    if after.isspace() or after in ".,;:!?)":
                        continue  # a stray closing mark ("...B" c.) opens nothing
            if role == "close" and cur_open is not None and _reopens(text, i, pos, pe):
                role = "open"  # '"A. "B."': paragraphs joined on one line, the quote runs on
            if role == "open":
                if cur_open is not None:  # left open: the next piece of one quote, or unbalanced
                    piece = _make(text, cur_open, i, closed=False)
                    if _reopens(text, i, pos, pe):
                        if group is None:
                            group = next_group
                            next_group += 1
                        piece.group = group
                        carry_group = group
                    quotes.append(piece)
                    group = None
                cur_open = i
                group, carry_group = carry_group, None
            elif cur_open is not None:
                q = _make(text, cur_open, i)
                if group is not None:
                    q.group = group
                quotes.append(q)
                para_quotes.append((cur_open, i))
                cur_open = None
                group = None
        if cur_open is not None:
            # continues if the next paragraph opens with a mark
            nxt = pe + 1
            while nxt < n and text[nxt] in " \t\n":
                nxt += 1
            if nl >= 0 and nxt < n and (text[nxt] == '"' or text[nxt] in DOUBLE_OPEN):
                # this paragraph's piece ends here; the next piece opens at the next mark
                piece = _make(text, cur_open, pe, closed=False)
                if group is None:
                    group = next_group
                    next_group += 1
                piece.group = group
                quotes.append(piece)
                cur_open = None
                carry_group = group
            else:
                q = _make(text, cur_open, pe, closed=False)
                if group is not None:
                    q.group = group
                quotes.append(q)
                cur_open = None
                group = None
        # single-quoted stretches outside double quotes
        quotes.extend(_single_quotes(text, pos, pe, quotes))
        if nl < 0:
            break
        pos = nl + 1
    if cur_open is not None:
        quotes.append(_make(text, cur_open, n, closed=False))
    quotes = [q for q in quotes if q.end > q.start]
    quotes.sort(key=lambda q: q.open)
    return quotes


def _reopens(text: str, i: int, ps: int, pe: int) -> bool:
    """Whether the mark at i opens the next piece of a quote left open: it stands after a
    sentence's end and a space and before a word ('... delivered. "The ...'), as when a crawl
    joined the paragraphs of a quote running over several (each opens with a mark, none closes)."""
    j = i - 1
    while j >= ps and text[j] in " \t":
        j -= 1
    if j == i - 1 or j < ps or text[j] not in ".!?":
        return False
    return i + 1 < pe and (text[i + 1].isalnum() or text[i + 1] in SINGLE_OPEN + "'")


def _speech_marks(text: str, marks: list[int]) -> list[int]:
    """The marks that may quote speech: not those inside a markup tag, nor an attribute value's
    pair (`alt="..."`: the mark after "=" and the next one)."""
    if "=" not in text and "<" not in text:
        return marks
    tags = [m.span() for m in MARKUP_TAG_RE.finditer(text)] if "<" in text else []
    out = []
    skip_next = False
    for i in marks:
        if skip_next:
            skip_next = False
            continue
        if any(a <= i < b for a, b in tags):
            continue
        if i > 0 and text[i - 1] == "=":
            skip_next = True
            continue
        out.append(i)
    return out


def _make(text: str, open_i: int, close_i: int, closed: bool = True, single: bool = False) -> CharQuote:
    """The quote between two mark positions, its content without surrounding spaces."""
    start, end = open_i + 1, close_i
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return CharQuote(open_i, start, end, close_i, single)


def _single_quotes(text: str, ps: int, pe: int, doubles: list[CharQuote]) -> list[CharQuote]:
    """Single-quoted stretches of the paragraph [ps, pe) outside its double quotes: apostrophes
    ("don't", "the army's") must not open or close one, hence the letter tests."""
    if "'" not in text[ps:pe] and "‘" not in text[ps:pe]:
        return []
    inside = [(q.open, q.close) for q in doubles if q.open < pe and q.close >= ps]
    out = []
    open_i = None
    for m in SINGLE_MARKS_RE.finditer(text, ps, pe):
        i = m.start()
        ch = text[i]
        if any(a <= i <= b for a, b in inside):
            continue
        before = text[i - 1] if i > ps else ""
        after = text[i + 1] if i + 1 < pe else ""
        if open_i is None:
            if ch in "'‘" and (before in OPENER_BEFORE or before.isspace()) and after.isalnum():
                open_i = i
        elif ch in "'’" and (before.isalnum() or before in ".!?,") and not after.isalnum():
            q = _make(text, open_i, i, single=True)
            if len(text[q.start : q.end].split()) >= MIN_SINGLE_QUOTE_WORDS:
                out.append(q)
            open_i = None
    return out


def token_quotes(ctx: DocContext) -> list[Quote]:
    """The quotes of `find_quotes` as token ranges (content without surrounding spaces, plus the
    tokens of the marks), in text order."""
    doc: Doc = ctx.doc
    out = []
    n = len(doc)
    text = ctx.text
    for cq in find_quotes(text):
        span = doc.char_span(cq.start, cq.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        start, end = span.start, span.end
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if end <= start:
            continue
        open_i = ctx.token_at_char(cq.open)
        close_i = ctx.token_at_char(cq.close) if cq.close < len(text) else n - 1
        out.append(Quote(start, end, open_i, max(close_i, end - 1), single=cq.single, group=cq.group))
    return out
