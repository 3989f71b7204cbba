"""Titles for documents that come without one: the rule every reader uses.

A short first line that reads as a headline is the title; otherwise the first sentence, cut at a
word near TITLE_CUT characters. One rule, so a brat .txt, a JSONL record without "title" and a
plain .txt file get the same title for the same text.
"""

from __future__ import annotations

import re

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
