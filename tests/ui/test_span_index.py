"""The span index kept in place (one span changed per key press) equals one built from scratch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import Span
from annotator.offsets import OffsetMap
from annotator.ui.span_index import SpanIndex

TEXT = "Norland 🇳🇴 warned «Velko» 你好 again.\nSecond line here, a bit longer."

bounds = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12))
ops = st.lists(st.tuples(st.sampled_from(["put", "remove"]), st.integers(1, 8), bounds),
               max_size=40)


def _span(span_id: int, start: int, length: int) -> Span:
    return Span(1, start, min(len(TEXT), start + length), "PERSON", id=span_id)


def _state(index: SpanIndex):
    entries = index.entries()
    return ([(e.start, e.end, e.id) for e in entries], index._starts, index._max_end)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_incremental_changes_match_a_fresh_index(operations):
    offsets = OffsetMap(TEXT)
    index = SpanIndex(offsets, [_span(1, 0, 7), _span(2, 30, 5)])
    spans = {1: _span(1, 0, 7), 2: _span(2, 30, 5)}
    for op, span_id, (start, length) in operations:
        if op == "put":
            spans[span_id] = _span(span_id, start, length)
            index.put(spans[span_id])
        else:
            spans.pop(span_id, None)
            index.remove(span_id)
        fresh = SpanIndex(offsets, list(spans.values()))
        assert _state(index) == _state(fresh)
        probe = offsets.to_utf16(start)
        assert [e.id for e in index.overlapping(probe, probe + 3)] == \
               [e.id for e in fresh.overlapping(probe, probe + 3)]
