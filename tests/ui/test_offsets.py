"""Code points <-> UTF-16 and token snapping (annotator/offsets.py), with property tests."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from annotator.offsets import (
    OffsetMap,
    snap_to_tokens,
    token_spans,
    utf16_length,
    widget_text,
)

TRICKY = "Zoe\u0308 \U0001F600 said \u738b\u5c0f\u660e met\u00a0her in \u6771\u4eac. \U0001F1F3\U0001F1F4 ok"

# Text that mixes what breaks offset code: astral emoji (with ZWJ, skin tones, flags), CJK,
# combining marks, NBSP, line/paragraph separators, punctuation and plain ASCII.
PIECES = st.sampled_from([
    "a", "b", "Z", "7", " ", " ", "\n", ".", ",", "'", "-", "\u201c", "\u201d", "\u00a0",
    "\u2028", "\u2029", "\u0301", "\u0308", "e\u0301", "\U0001F600", "\U0001F44D\U0001F3FD",
    "\U0001F469\u200d\U0001F4BB", "\U0001F1F3\U0001F1F4", "\u738b", "\u5c0f", "\u6771\u4eac",
    "\u3053\u3093", "\U00020000", "\u0645\u0631\u062d\u0628\u0627", "\u2764\ufe0f", "\t",
    "don't", "U.S.", "state-run",
])
TEXTS = st.lists(PIECES, max_size=40).map("".join)
ANY_TEXT = st.text(max_size=60)


def utf16_of(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


# --- OffsetMap --------------------------------------------------------------------------------


def test_map_on_a_tricky_text():
    m = OffsetMap(TRICKY)
    assert m.utf16_len == len(TRICKY.encode("utf-16-le")) // 2 == utf16_length(TRICKY)
    emoji = TRICKY.index("\U0001F600")
    assert m.to_utf16(emoji) == emoji and m.to_utf16(emoji + 1) == emoji + 2
    assert m.to_codepoint(emoji + 1) == emoji  # inside the surrogate pair: rounds down
    assert m.to_codepoint(emoji + 1, round_up=True) == emoji + 1
    cjk = TRICKY.index("\u738b")
    assert m.to_utf16(cjk) == cjk + 1  # one astral character before it
    assert m.range_to_codepoints(m.to_utf16(cjk), m.to_utf16(cjk + 3)) == (cjk, cjk + 3)


def test_ascii_is_identity_and_bounds_are_checked():
    m = OffsetMap("plain text")
    assert [m.to_utf16(i) for i in range(11)] == list(range(11))
    with pytest.raises(IndexError):
        m.to_utf16(12)
    with pytest.raises(IndexError):
        m.to_codepoint(-1)


@settings(max_examples=300)
@given(ANY_TEXT | TEXTS)
def test_conversion_matches_utf16_encoding_both_ways(text):
    m = OffsetMap(text)
    assert m.utf16_len == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == utf16_of(text, cp)
        assert m.to_codepoint(u) == cp
        assert m.to_codepoint(u, round_up=True) == cp


@settings(max_examples=200)
@given(TEXTS, st.data())
def test_every_utf16_position_maps_to_a_character_boundary(text, data):
    m = OffsetMap(text)
    u = data.draw(st.integers(0, m.utf16_len))
    down, up = m.to_codepoint(u), m.to_codepoint(u, round_up=True)
    assert 0 <= down <= up <= len(text) and up - down <= 1
    assert m.to_utf16(down) <= u <= m.to_utf16(up)


@given(ANY_TEXT)
def test_widget_text_keeps_the_length(text):
    shown = widget_text(text)
    assert utf16_length(shown) == utf16_length(text) and "\r" not in shown


# --- token snapping ---------------------------------------------------------------------------


def test_tokens_keep_clusters_and_inner_punctuation():
    words = [TRICKY[s:e] for s, e in token_spans(TRICKY)]
    assert words == ["Zoe\u0308", "\U0001F600", "said", "\u738b", "\u5c0f", "\u660e", "met",
                     "her", "in", "\u6771", "\u4eac", ".", "\U0001F1F3\U0001F1F4", "ok"]
    text = "the state-run U.S. paper didn't (really) \U0001F469\u200d\U0001F4BB"
    assert [text[s:e] for s, e in token_spans(text)] == [
        "the", "state-run", "U.S", ".", "paper", "didn't", "(", "really", ")",
        "\U0001F469\u200d\U0001F4BB"]


@pytest.mark.parametrize("selection, expected", [
    ("inister Amara Vel", "Minister Amara Velko"),
    (" Amara ", "Amara"),
    ("a V", "Amara Velko"),
    ("Velko warned", "Velko warned"),
])
def test_snap_examples(selection, expected):
    text = "Minister Amara Velko warned."
    start = text.index(selection)
    s, e = snap_to_tokens(text, start, start + len(selection))
    assert text[s:e] == expected


def test_snap_of_whitespace_only_is_none():
    assert snap_to_tokens("a   b", 1, 4) is None
    assert snap_to_tokens("abc", 2, 2) is None


def _boundaries(text):
    tokens = token_spans(text)
    return {s for s, _ in tokens}, {e for _, e in tokens}


@settings(max_examples=400)
@given(TEXTS, st.data())
@example("Zoe\u0308 x", None)
def test_snapping_properties(text, data):
    if data is None:
        start, end = 3, 4
    else:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    result = snap_to_tokens(text, start, end)
    if start == end:
        assert result is None  # an empty selection labels nothing
        return
    if result is None:
        assert not any(t_s < end and t_e > start for t_s, t_e in token_spans(text))
        return
    s, e = result
    starts, ends = _boundaries(text)
    # lands on token boundaries of the WHOLE text (the local window agrees with the full scan)
    assert s in starts and e in ends
    # covers every non-space character selected
    core = [i for i in range(start, end) if not text[i].isspace()]
    assert all(s <= i < e for i in core if any(ts <= i < te for ts, te in token_spans(text)))
    # holds only tokens that touch the selection, no whitespace at the ends
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert s < max(end, start + 1) and e > start
    # idempotent, and never splits a surrogate pair or a combining sequence
    assert snap_to_tokens(text, s, e) == (s, e)


@given(TEXTS)
def test_snapping_a_token_exactly_keeps_it(text):
    for s, e in token_spans(text):
        assert snap_to_tokens(text, s, e) == (s, e)


@given(TEXTS, st.data())
def test_snapped_spans_never_start_on_a_combining_mark(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    result = snap_to_tokens(text, start, end)
    assume(result is not None)
    s, e = result
    assert not (0 < s and text[s] in "\u0301\u0308\u200d\ufe0f" and not text[s - 1].isspace())
    assert e == len(text) or text[e] not in "\u0301\u0308\u200d\ufe0f\U0001F3FD"
