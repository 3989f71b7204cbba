"""Offsets between the stored text and a text widget, and snapping selections to tokens.

Pure Python, no Qt. Stored offsets are Python code-point indices into the stored string. Qt
counts UTF-16 code units: every astral character (emoji, rare CJK, ...) is two units, every other
character one. A QTextDocument additionally turns each block separator ("\\n", U+2029) into one
position, which keeps the count equal as long as nothing collapses: "\\r\\n" would become one
separator, so `widget_text` replaces "\\r" one-for-one before the text reaches the widget.

`OffsetMap` is built once per document from the stored text: a sorted list of the code-point
indices of its astral characters. Conversion either way is a binary search over that list
(O(log a) for a astral characters; O(1) when there are none, the common case); a whole
document's spans convert in one vectorised call (`many_to_utf16`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache, partial
from itertools import accumulate, islice
from operator import add, le

__all__ = ["OffsetMap", "snap_to_tokens", "token_spans", "utf16_length", "widget_text"]


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def widget_text(text: str) -> str:
    """The string to hand to a QTextDocument so that its positions match `OffsetMap`.

    Only characters that Qt would merge with a neighbour are replaced, each by exactly one
    UTF-16 unit, so the map built from the stored text stays valid for the widget.
    """
    return text.replace("\r", "\n") if "\r" in text else text


class OffsetMap:
    """Code point <-> UTF-16 unit positions for one text."""

    __slots__ = ("_astral_cp", "_astral_u16", "length", "utf16_len")

    def __init__(self, text: str):
        self.length = len(text)
        if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
            self._astral_cp: list[int] = []  # no astral characters: the identity map
        else:
            self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position of each astral character's high surrogate.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral_cp)]
        self.utf16_len = self.length + len(self._astral_cp)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point index `cp` (0 <= cp <= len(text))."""
        if not 0 <= cp <= self.length:
            raise IndexError(f"code-point offset {cp} outside 0..{self.length}")
        if not self._astral_cp:
            return cp
        return cp + bisect_left(self._astral_cp, cp)

    def to_codepoint(self, u16: int, round_up: bool = False) -> int:
        """Code-point index of UTF-16 position `u16`.

        A position between the two halves of a surrogate pair is not a character boundary;
        it rounds down (to the astral character's start) unless `round_up`.
        """
        if not 0 <= u16 <= self.utf16_len:
            raise IndexError(f"UTF-16 offset {u16} outside 0..{self.utf16_len}")
        if not self._astral_cp:
            return u16
        # astral characters that start strictly before u16
        k = bisect_left(self._astral_u16, u16)
        if k and self._astral_u16[k - 1] + 1 == u16:  # inside a surrogate pair
            return self._astral_cp[k - 1] + (1 if round_up else 0)
        return u16 - k

    @property
    def has_astral(self) -> bool:
        """False: code points and UTF-16 units are the same numbers."""
        return bool(self._astral_cp)

    def many_to_utf16(self, cps: list[int]) -> list[int]:
        """`to_utf16` of many offsets at once (a document's spans on open): one pass with the
        bisect in C, no per-offset range check and call."""
        if not self._astral_cp:
            return list(cps)
        if cps and (min(cps) < 0 or max(cps) > self.length):
            bad = next(cp for cp in cps if not 0 <= cp <= self.length)
            raise IndexError(f"code-point offset {bad} outside 0..{self.length}")
        astral = self._astral_cp
        if len(astral) < len(cps) and all(map(le, cps, islice(cps, 1, None))):
            # sorted offsets (spans in reading order): one step per astral character instead
            # of a binary search per offset; shift(cp) = astral characters before cp
            steps = [0] * (len(cps) + 1)
            for cp in astral:
                steps[bisect_right(cps, cp)] += 1
            return list(map(add, cps, accumulate(steps)))
        return list(map(add, cps, map(partial(bisect_left, astral), cps)))

    def range_to_codepoints(self, start: int, end: int) -> tuple[int, int]:
        """A widget selection [start, end) in UTF-16 units as code points, widened to whole
        characters if an end falls inside a surrogate pair."""
        return self.to_codepoint(start), self.to_codepoint(end, round_up=True)


# --- token snapping ---------------------------------------------------------------------------

# Characters that join the preceding one into one user-perceived character (a cluster).
_ZWJ = "\u200d"
_JOINERS_INSIDE_WORDS = "'\u2019-\u2010\u00b7."  # don't, state-run, U.S.


@lru_cache(maxsize=4096)
def _category(ch: str) -> str:
    return unicodedata.category(ch)


def _is_extend(ch: str) -> bool:
    cat = _category(ch)
    return cat in ("Mn", "Me", "Mc") or ch == _ZWJ or "\U0001F3FB" <= ch <= "\U0001F3FF" \
        or "\uFE00" <= ch <= "\uFE0F" or "\U000E0020" <= ch <= "\U000E007F"


def _is_regional(ch: str) -> bool:
    return "\U0001F1E6" <= ch <= "\U0001F1FF"


_CJK = re.compile(
    "[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003134f]"
)


def _kind(ch: str) -> str:
    """'space', 'cjk' (one token per character), 'word' or 'punct'."""
    if ch.isspace() or _category(ch) in ("Zs", "Zl", "Zp", "Cc"):
        return "space"
    if _CJK.match(ch):
        return "cjk"
    cat = _category(ch)
    if cat[0] in "LNM" or ch == "_":
        return "word"
    return "punct"


def _clusters(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Grapheme-like clusters of text[lo:hi]: base + combining marks, ZWJ sequences, flags."""
    out = []
    i = lo
    while i < hi:
        j = i + 1
        if text[i].isspace():  # whitespace is always a cluster of its own
            out.append((i, j))
            i = j
            continue
        if _is_regional(text[i]) and j < hi and _is_regional(text[j]):
            j += 1
        while j < hi and _is_extend(text[j]):
            j += 1
            if text[j - 1] == _ZWJ and j < hi and not text[j].isspace():
                j += 1  # the character joined by the ZWJ
        out.append((i, j))
        i = j
    return out


def token_spans(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Word-like tokens of text[lo:hi] as (start, end) code-point ranges.

    Runs of letters/digits (with their combining marks, and inner apostrophes, hyphens and
    dots: "don't", "state-run", "U.S"), one token per CJK character, one per other
    non-space cluster (punctuation, emoji incl. ZWJ sequences and flags).
    """
    hi = len(text) if hi is None else hi
    clusters = _clusters(text, lo, hi)
    kinds = [_kind(text[s]) for s, _ in clusters]
    tokens: list[tuple[int, int]] = []
    n = len(clusters)
    i = 0
    while i < n:
        kind = kinds[i]
        if kind == "space":
            i += 1
            continue
        start, end = clusters[i]
        if kind == "word":
            j = i + 1
            while j < n:
                if kinds[j] == "word":
                    j += 1
                elif (text[clusters[j][0]] in _JOINERS_INSIDE_WORDS and j + 1 < n
                      and kinds[j + 1] == "word" and clusters[j][1] - clusters[j][0] == 1):
                    j += 2
                else:
                    break
            end = clusters[j - 1][1]
            i = j
        else:
            i += 1
        tokens.append((start, end))
    return tokens


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    """A window around [start, end) wide enough that tokens touching it are whole: extend to
    whitespace on both sides (tokens never contain whitespace)."""
    lo = start
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return lo, hi


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen a selection [start, end) to whole tokens; trim surrounding whitespace.

    Returns None when the selection holds no token (only whitespace, or empty).
    Every token that overlaps the selection is included whole, and nothing else.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    lo, hi = _context(text, start, end)
    touching = [(s, e) for s, e in token_spans(text, lo, hi) if s < end and e > start]
    if not touching:
        return None
    return touching[0][0], touching[-1][1]
