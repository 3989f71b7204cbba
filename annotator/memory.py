"""Label memory: the analyst's decisions on exact texts, applied to every document at once.

Plain data and rules, no SQL and no Qt: the store keeps the remembered rows (table ``memory``)
and asks this module what a label action teaches (`fact`) and what a document's suggestions
should become (`MemoryIndex.plan`).

What is remembered:

* entity labels (schema group "entity": names, places, dates): an accepted span teaches "this
  text is ORG", a rejected one "this text is not ORG"; the latest decision on a (text, label)
  stands. Every other mention is then suggested with origin ``memory``, and a rejected text is
  suggested by nobody again (model suggestions of it are dropped too: from new pre-annotations,
  and when a document is opened). Speech, threat and event labels depend on their sentence
  rather than on their words, so their texts are not suggested elsewhere;
* names: an accepted span of a label with a ``canonical_name`` attribute (SPEAKER) whose
  canonical name is set teaches an alias ("the defence minister" -> "Khawaja Asif"); suggestions
  of that label whose text (or canonical name, as the rules resolved it) is a remembered alias
  get the remembered canonical name, so later documents attribute to the same person.

A mention matches when it has the same tokens (runs of word characters, single other
characters), with any whitespace between them, at word boundaries; only the first letter's case
may differ (a name at the start of a sentence, "The defence minister").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

ORIGIN = "memory"  # origin of the suggestions the memory makes
IMPORTED = "human"  # origin of spans read from files (domain.HUMAN): never dropped here
ACCEPTED, REJECTED = "accepted", "rejected"
CANONICAL = "canonical_name"
SUGGESTING_GROUPS = ("entity",)  # labels whose remembered texts are suggested elsewhere
SMALL = 16  # up to this many entries: a string search each, else one pass with a token table

TOKEN = re.compile(r"\w+|[^\w\s]")
_PIECE = re.compile(r"\w+|\s+|[^\w\s]")  # tokens and the whitespace runs between them
Key = tuple[str, ...]


def normalise(text: str) -> str:
    """The remembered form of a span's text: whitespace runs as one space, trimmed."""
    return " ".join(text.split())


def _fold(token: str) -> str:
    return token[:1].lower() + token[1:]


def _cases(first: str) -> set[str]:
    """The forms of a (folded) first token a text may have: as remembered, or capitalised."""
    return {first, first[:1].upper() + first[1:]}


def key(text: str) -> Key:
    """What two mentions must share to match: their tokens, the first letter case-folded."""
    tokens = TOKEN.findall(text)
    if tokens:
        tokens[0] = _fold(tokens[0])
    return tuple(tokens)


@dataclass(frozen=True)
class Fact:
    """What one span teaches: (text, label) was accepted or rejected (with a canonical name)."""

    text: str  # normalised
    label: str
    decision: str  # ACCEPTED or REJECTED
    canonical: str = ""


def fact(schema, label: str, status: str, text: str, attrs: dict[str, Any]) -> Fact | None:
    """The fact a span in this state teaches; None: it teaches nothing (a suggestion, a label
    whose texts are not remembered, a name without its canonical name)."""
    spec = schema.label(label)
    text = normalise(text)
    if spec is None or not text or status not in (ACCEPTED, REJECTED):
        return None
    canonical = normalise(str(attrs.get(CANONICAL) or "")) if spec.attribute(CANONICAL) else ""
    if spec.group in SUGGESTING_GROUPS:
        return Fact(text, label, status, canonical if status == ACCEPTED else "")
    if canonical and status == ACCEPTED:
        return Fact(text, label, ACCEPTED, canonical)
    return None


def suggests(schema, label: str) -> bool:
    spec = schema.label(label)
    return spec is not None and spec.group in SUGGESTING_GROUPS


def names(schema) -> frozenset[str]:
    """Labels whose suggestions take remembered canonical names."""
    return frozenset(lab.name for lab in schema.labels if lab.attribute(CANONICAL))


@dataclass(frozen=True)
class Entry:
    """One remembered row: the latest decision on a (text, label)."""

    text: str
    label: str
    decision: str
    canonical: str = ""
    updated: str = ""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry


@dataclass
class MemoryPlan:
    """What a document's suggestions become: memory suggestions to add, to remove, and
    suggestions (of any origin) whose canonical name the memory sets."""

    add: list[tuple[int, int, str, dict[str, Any]]] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)  # span ids
    attrs: dict[int, dict[str, Any]] = field(default_factory=dict)  # span id -> new attrs

    @property
    def empty(self) -> bool:
        return not (self.add or self.remove or self.attrs)


@dataclass(frozen=True)
class Tokens:
    """A text cut into pieces (tokens and the whitespace between them) with their end offsets:
    the pieces cover the text exactly, so the offsets are running sums of their lengths (no
    match object per token). Texts never change: the store keeps the last one."""

    text: str
    pieces: list[str]
    ends: list[int]


def tokenize(text: str) -> Tokens:
    pieces = _PIECE.findall(text)
    return Tokens(text, pieces, list(accumulate(map(len, pieces))))


class MemoryIndex:
    """The remembered entries, ready to find their mentions in a text; kept up to date by
    `update` as label actions change rows (rebuilding it for every action would cost more than
    the action)."""

    def __init__(self, entries: Iterable[Entry], suggesting: Iterable[str] = (),
                 named: Iterable[str] = ()):
        """`suggesting`: labels whose accepted texts become suggestions; `named`: labels whose
        suggestions take canonical names."""
        self.suggesting = frozenset(suggesting)
        self.named = frozenset(named)
        self._rows: dict[tuple[Key, str], dict[str, Entry]] = {}  # rows by key, then by text
        self.entries: dict[tuple[Key, str], Entry] = {}  # the latest row of each key
        self.aliases: dict[Key, str] = {}
        self._table: dict[str, list[tuple[list[str], Entry]]] | None = None  # by first token
        self.update(sorted(entries, key=lambda e: e.updated))

    def __len__(self) -> int:
        return len(self.entries)

    def keys(self) -> set[tuple[Key, str]]:
        return set(self.entries)

    def update(self, entries: Iterable[Entry] = (), gone: Iterable[tuple[str, str]] = ()) -> None:
        """Rows written (`entries`) and rows deleted (`gone`: their (text, label))."""
        touched = set()
        for text, label in gone:
            k = (key(text), label)
            self._rows.get(k, {}).pop(text, None)
            touched.add(k)
        for e in entries:
            k = (key(e.text), e.label)
            if k[0]:
                self._rows.setdefault(k, {})[e.text] = e
                touched.add(k)
        for k in touched:
            old = self.entries.pop(k, None)
            if old is not None:
                self._unindex(k, old)
            rows = self._rows.get(k)
            if rows:
                self.entries[k] = e = max(rows.values(), key=lambda r: r.updated)
                self._index(k, e)
            else:
                self._rows.pop(k, None)

    def _index(self, k: tuple[Key, str], e: Entry) -> None:
        if e.canonical and e.decision == ACCEPTED and e.label in self.named:
            self.aliases[k[0]] = e.canonical
            self.aliases.setdefault(key(e.canonical), e.canonical)
        if self._table is not None:
            for first in _cases(k[0][0]):
                self._table.setdefault(first, []).append((list(k[0][1:]), e))

    def _unindex(self, k: tuple[Key, str], e: Entry) -> None:
        if self.aliases.get(k[0]) == e.canonical and e.canonical:
            del self.aliases[k[0]]
        if self._table is not None:
            for first in _cases(k[0][0]):
                rest = self._table.get(first, [])
                rest[:] = [r for r in rest if r[1] is not e]

    # --- looking up --------------------------------------------------------------------------

    def decision(self, text: str, label: str) -> str | None:
        e = self.entries.get((key(text), label))
        return e.decision if e else None

    def rejected(self, text: str, label: str) -> bool:
        return self.decision(text, label) == REJECTED

    def canonical(self, text: str) -> str | None:
        return self.aliases.get(key(text))

    def find(self, text: str, tokens: Tokens | None = None) -> list[Match]:
        """Every mention of every entry in `text` (overlapping ones too), by start offset.
        `tokens`: the text's, if kept."""
        if len(self.entries) <= SMALL:
            found = [Match(start, end, e) for (k, _label), e in self.entries.items()
                     for start, end in mentions(text, k)]
        else:
            found = self._scan(tokens if tokens is not None and tokens.text is text
                               else tokenize(text))
        return sorted(found, key=lambda m: (m.start, -m.end, m.entry.label))

    def _scan(self, tokens: Tokens) -> list[Match]:
        """One pass over the text's tokens with a table by first token (many entries)."""
        if self._table is None:
            self._table = {}
            for k, e in self.entries.items():
                for first in _cases(k[0][0]):
                    self._table.setdefault(first, []).append((list(k[0][1:]), e))
        table, pieces, ends = self._table, tokens.pieces, tokens.ends
        found = []
        for i in [i for i, w in enumerate(pieces) if w in table]:
            for rest, e in table[pieces[i]]:
                j = i
                for tok in rest:
                    j += 1
                    if j < len(pieces) and pieces[j][0].isspace():
                        j += 1
                    if j >= len(pieces) or pieces[j] != tok:
                        break
                else:
                    found.append(Match(ends[i] - len(pieces[i]), ends[j], e))
        return found

    # --- planning a document's suggestions -----------------------------------------------------

    def plan(self, text: str, spans: Sequence, scope: set[tuple[Key, str]] | None = None,
             tokens: Tokens | None = None) -> MemoryPlan:
        """What the memory changes in one document with these `spans` (domain Spans, any
        status). Memory suggestions never override a decision: none where the same span is
        already accepted, rejected or suggested by another origin, nor over an accepted or
        rejected span of its label; of overlapping mentions of one label the longest is
        suggested.

        `scope`: the (key, label) pairs a label action just changed (this index holds their
        entries as they are now); memory suggestions of other texts are then left as they are.
        None: the whole document is planned."""
        plan = MemoryPlan()
        mine = {(s.start, s.end, s.label): s for s in spans
                if s.origin == ORIGIN and s.status == "suggested"}
        partial = scope is not None
        if partial:
            mine = {k: s for k, s in mine.items() if (key(text[s.start:s.end]), s.label) in scope}
        others = {(s.start, s.end, s.label): s for s in spans
                  if (s.start, s.end, s.label) not in mine}
        taken: dict[str, bytearray] = {}  # label -> characters a new memory suggestion may not
        for s in others.values():  # overlap: decided spans (and, partly, other memory ones)
            if s.status != "suggested" or (partial and s.origin == ORIGIN):
                _mark(taken, s.label, s.start, s.end, len(text))
        longer = self._names(others.values())
        wanted: dict[tuple[int, int, str], dict[str, Any]] = {}
        found = self.find(text, tokens)
        for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
            e = m.entry
            k = (m.start, m.end, e.label)
            if e.decision != ACCEPTED or e.label not in self.suggesting or k in others:
                continue
            marks = taken.get(e.label)
            if marks is not None and 1 in marks[m.start:m.end]:
                continue  # over a decision, or inside a longer mention already picked
            if _inside(longer, m.start, m.end):
                continue  # part of a longer name ("Niger" of "Niger River")
            _mark(taken, e.label, m.start, m.end, len(text))
            wanted[k] = self._named({}, e.label, text[m.start:m.end])
        for k, span in mine.items():
            if k not in wanted:
                plan.remove.append(span.id)
            elif wanted[k] != span.attrs:
                plan.attrs[span.id] = wanted[k]
        plan.add = sorted((s, e, lab, attrs) for (s, e, lab), attrs in wanted.items()
                          if (s, e, lab) not in mine)
        if not partial:  # a document opened: the model's suggestions of rejected texts go
            plan.remove += _rejected_suggestions(found, others.values())
        for s in others.values():
            if s.status == "suggested" and s.label in self.named:
                attrs = self._named(dict(s.attrs), s.label, text[s.start:s.end])
                if attrs != s.attrs:
                    plan.attrs[s.id] = attrs
        return plan

    def _names(self, spans: Iterable) -> list[tuple[int, int]]:
        """(start, end) of the names a remembered text inside them is no mention of: spans of
        a suggesting label, labelled (not rejected) or suggested by another origin."""
        return sorted((s.start, s.end) for s in spans if s.label in self.suggesting
                      and s.status != REJECTED and not (s.status == "suggested" and s.origin == ORIGIN))

    def _named(self, attrs: dict[str, Any], label: str, text: str) -> dict[str, Any]:
        """`attrs` with the remembered canonical name of the mention (or of the canonical name
        the rules gave it), when its label takes one."""
        if label in self.named:
            # a name the rules resolved to someone else stands (evidence in the document),
            # unless that name is itself a remembered alias
            found = self.canonical(attrs.get(CANONICAL) or text)
            if found and found != attrs.get(CANONICAL):
                attrs[CANONICAL] = found
        return attrs

    def adjust(self, text: str, spans: Sequence) -> list[int | None]:
        """For a model's new suggestions (objects with start, end, label, attrs): drop those
        whose text the analyst rejected for their label (None at their index), give names their
        remembered canonical name (attrs changed in place). Returns the kept indices."""
        kept: list[int | None] = []
        for i, s in enumerate(spans):
            words = text[s.start:s.end]
            if self.rejected(words, s.label):
                kept.append(None)
                continue
            if s.label in self.named:
                s.attrs = self._named(dict(s.attrs), s.label, words)
            kept.append(i)
        return kept


def _rejected_suggestions(found: list[Match], spans: Iterable) -> list[int]:
    """Ids of the model's (or rules') suggestions on mentions of a text the analyst rejected for
    their label ("Mali" as PERSON, corrected to GPE in another document); imported ones stay."""
    rejected = {(m.start, m.end, m.entry.label) for m in found if m.entry.decision == REJECTED}
    return [s.id for s in spans if s.status == "suggested" and s.origin not in (ORIGIN, IMPORTED)
            and (s.start, s.end, s.label) in rejected]


def _inside(names: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a longer name of `names` (sorted) holds [start, end)."""
    for a, b in names:
        if a > start:
            return False
        if b >= end and b - a > end - start:
            return True
    return False


def _mark(taken: dict[str, bytearray], label: str, start: int, end: int, size: int) -> None:
    marks = taken.get(label)
    if marks is None:
        marks = taken[label] = bytearray(size)
    marks[start:end] = b"\x01" * (end - start)


def mentions(text: str, k: Key) -> list[tuple[int, int]]:
    """(start, end) of every mention of one entry's tokens `k` in `text`: the same matches as
    the token table, found by plain string search (no pattern to compile per entry)."""
    first = k[0]
    if len(first) > 1:  # the rest of the first token is literal: find it
        anchor, back = first[1:], 1
        starts = _all(text, anchor)
    else:  # one character: either case of it
        anchor, back = first, 0
        starts = sorted(set(_all(text, first)) | set(_all(text, first.upper())))
    out = []
    for p in starts:
        start = p - back
        if start < 0:
            continue
        end = _match_at(text, start, k)
        if end is not None:
            out.append((start, end))
    return out


def _all(text: str, literal: str) -> list[int]:
    out, i = [], text.find(literal)
    while i >= 0:
        out.append(i)
        i = text.find(literal, i + 1)
    return out


def _match_at(text: str, start: int, k: Key) -> int | None:
    """The end of a mention of `k` starting at `start`, or None."""
    first = k[0]
    if _fold(text[start:start + 1]) != first[:1]:
        return None
    if _is_word(first[0]) and start and _is_word(text[start - 1]):
        return None  # inside a longer word
    pos = start + len(first)
    if text[start + 1:pos] != first[1:]:
        return None
    n = len(text)
    for prev, tok in zip(k, k[1:]):
        q = pos
        while q < n and text[q].isspace():
            q += 1
        if q == pos and _is_word(prev[-1]) and _is_word(tok[0]):
            return None  # two words with nothing between: one longer word
        if not text.startswith(tok, q):
            return None
        pos = q + len(tok)
    if _is_word(k[-1][-1]) and pos < n and _is_word(text[pos]):
        return None
    return pos


_WORD = re.compile(r"\w")


def _is_word(ch: str) -> bool:
    return bool(_WORD.match(ch))
