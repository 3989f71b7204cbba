"""The spans of the open document in widget (UTF-16) coordinates, searchable by position.

No Qt here, so it is tested and benchmarked on its own. The highlighter asks it, block by block,
which spans overlap [block start, block end): a binary search over the spans sorted by start,
with a running maximum of their ends so that long spans starting in earlier blocks are found too.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, islice, repeat
from operator import attrgetter, le, lt, neg
from typing import NamedTuple

from annotator.domain import Span
from annotator.offsets import OffsetMap


class Entry(NamedTuple):
    """A span in widget coordinates (a tuple: a document's thousands are made in C)."""

    start: int  # UTF-16, inclusive
    end: int  # UTF-16, exclusive
    span: Span

    @property
    def id(self) -> int:
        return self.span.id


class SpanIndex:
    def __init__(self, offsets: OffsetMap, spans: list[Span] = ()):
        self.offsets = offsets
        self._by_id: dict[int, Entry] = {}
        self._sorted: list[Entry] = []
        self._starts: list[int] = []
        self._max_end: list[int] = []
        self._key_list: list[tuple[int, int, int]] | None = []
        self._dirty = False
        self._build(list(spans))

    def _entry(self, span: Span) -> Entry:
        to_utf16 = self.offsets.to_utf16
        return Entry(to_utf16(span.start), to_utf16(span.end), span)

    def _build(self, spans: list[Span]) -> None:
        """All spans at once (opening a document): per-span work stays in C (map, zip, one
        bisect per offset only when the text has astral characters), and the sort is skipped
        when the spans come in reading order already (the store reads them by start)."""
        ids = list(map(attrgetter("id"), spans))
        rows = dict(zip(ids, spans, strict=True))  # the last row of an id wins
        unique = spans
        if len(rows) != len(spans):
            unique, ids = list(rows.values()), list(rows)
        starts = list(map(attrgetter("start"), unique))
        ends = list(map(attrgetter("end"), unique))
        if self.offsets.has_astral:
            starts, ends = self.offsets.many_to_utf16(starts), self.offsets.many_to_utf16(ends)
        keys = None  # (start, -end, id) of each entry: made when the first change needs them
        if not all(map(lt, starts, islice(starts, 1, None))):  # else in order already
            keys = list(zip(starts, map(neg, ends), ids))
            if not all(map(le, keys, islice(keys, 1, None))):
                order = sorted(range(len(keys)), key=keys.__getitem__)
                keys, unique = [keys[i] for i in order], [unique[i] for i in order]
                starts, ends, ids = [starts[i] for i in order], [ends[i] for i in order], \
                    [ids[i] for i in order]
        self._sorted = list(map(tuple.__new__, repeat(Entry), zip(starts, ends, unique)))
        self._by_id = dict(zip(ids, self._sorted))
        self._key_list, self._starts = keys, starts
        # running maximum of the ends; the ends themselves when no span reaches past the next
        ordered = all(map(le, ends, islice(ends, 1, None)))
        self._max_end = ends if ordered else list(accumulate(ends, max))
        self._dirty = False

    @property
    def _keys(self) -> list[tuple[int, int, int]]:
        if self._key_list is None:
            self._key_list = [_key(e) for e in self._sorted]
        return self._key_list

    def _rebuild(self) -> None:
        self._sorted = sorted(self._by_id.values(), key=_key)
        self._key_list = [_key(e) for e in self._sorted]
        self._starts = [e.start for e in self._sorted]
        self._max_end = list(accumulate((e.end for e in self._sorted), max))
        self._dirty = False

    # One span changes per key press: keep the sorted lists in place (bisect + insert) instead of
    # re-sorting every span; only the running maximum after the change point is recomputed.

    def _unlink(self, entry: Entry) -> int:
        i = bisect_left(self._keys, _key(entry))
        del self._sorted[i], self._keys[i], self._starts[i], self._max_end[i]
        return i

    def _link(self, entry: Entry) -> int:
        key = _key(entry)
        i = bisect_left(self._keys, key)
        self._sorted.insert(i, entry)
        self._keys.insert(i, key)
        self._starts.insert(i, entry.start)
        self._max_end.insert(i, 0)
        return i

    def _fix_max_end(self, i: int, settled_after: int | None = None) -> None:
        """Recompute the running maximum of the ends from position i. Past `settled_after` (the
        last position the change moved) the old values follow the same recurrence, so the first
        one found already right means every later one is: a key press touches a few entries,
        not every span after the change."""
        settled_after = i if settled_after is None else settled_after
        sorted_, max_end = self._sorted, self._max_end
        running = max_end[i - 1] if i else 0
        for j in range(i, len(sorted_)):
            end = sorted_[j].end
            if end > running:
                running = end
            if j > settled_after and max_end[j] == running:
                return
            max_end[j] = running

    def _ensure(self) -> None:
        if self._dirty:
            self._rebuild()

    # --- changes ------------------------------------------------------------------------------

    def put(self, span: Span) -> tuple[Entry | None, Entry]:
        """Insert or replace a span; returns (old entry, new entry)."""
        old = self._by_id.get(span.id)
        new = self._entry(span)
        self._by_id[span.id] = new
        if self._dirty:
            return old, new
        gone = self._unlink(old) if old is not None else len(self._sorted)
        added = self._link(new)
        self._fix_max_end(min(gone, added), max(gone, added) + 1)
        return old, new

    def remove(self, span_id: int) -> Entry | None:
        old = self._by_id.pop(span_id, None)
        if old is not None and not self._dirty:
            self._fix_max_end(self._unlink(old))
        return old

    # --- queries ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, span_id: int) -> bool:
        return span_id in self._by_id

    def get(self, span_id: int) -> Entry | None:
        return self._by_id.get(span_id)

    def entries(self) -> list[Entry]:
        self._ensure()
        return self._sorted

    def overlapping(self, start: int, end: int) -> list[Entry]:
        """Entries with entry.start < end and entry.end > start (UTF-16), sorted by start."""
        self._ensure()
        lo = bisect_right(self._max_end, start)  # first entry whose running max end > start
        hi = bisect_left(self._starts, end)
        return [e for e in self._sorted[lo:hi] if e.end > start]

    def touches(self, start: int, end: int) -> bool:
        """Whether any entry overlaps [start, end) (UTF-16): `overlapping` without the list."""
        self._ensure()
        lo = bisect_right(self._max_end, start)
        hi = bisect_left(self._starts, end)
        entries = self._sorted
        return any(entries[i].end > start for i in range(lo, hi))  # islice would walk from 0

    def starts_in(self, start: int, end: int) -> bool:
        """Whether any entry starts in [start, end) (UTF-16)."""
        self._ensure()
        return bisect_left(self._starts, start) < bisect_left(self._starts, end)

    def at(self, pos: int) -> list[Entry]:
        """Entries covering the character at UTF-16 position `pos`, innermost (shortest) first."""
        hits = self.overlapping(pos, pos + 1)
        return sorted(hits, key=lambda e: (e.end - e.start, e.start, e.id))

    def neighbour(self, current: int | None = None, pos: int = 0, pred=lambda e: True,
                  backwards: bool = False) -> Entry | None:
        """The next entry after span `current` (or after position `pos` when there is no current
        span) in reading order that matches `pred`, wrapping round; `backwards` for previous."""
        self._ensure()
        items = self._sorted
        n = len(items)
        if not n:
            return None
        cur = self._by_id.get(current) if current is not None else None
        if cur is not None:
            keys = [(e.start, -e.end, e.id) for e in items[bisect_left(self._starts, cur.start):
                                                           bisect_right(self._starts, cur.start)]]
            here = bisect_left(self._starts, cur.start) + keys.index((cur.start, -cur.end, cur.id))
            first = here - 1 if backwards else here + 1
        else:
            first = bisect_left(self._starts, pos) - 1 if backwards else bisect_left(self._starts, pos)
        step = -1 if backwards else 1
        for k in range(n):
            e = items[(first + step * k) % n]
            if e.id != current and pred(e):
                return e
        return None


def _key(entry: Entry) -> tuple[int, int, int]:
    """Reading order: by start, longer first, then by id."""
    return (entry.start, -entry.end, entry.id)
