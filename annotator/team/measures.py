"""The agreement measures, one pure function each (numpy; no store, no Qt).

Span F1: a pair's spans matched with exact boundaries and label (multiset intersection), or by
overlap (a span counts as matched when the other annotator has a span of the same label sharing
a character: P = matched of A / |A|, R = matched of B / |B|, F1 = 2PR / (P + R)).

Token units: the text split into words and punctuation (`TOKEN`). A token's label is the label
of the innermost accepted span covering it ("O" if none), for the multi-class figures; for one
label, a token is in or out of a span of that label (nested spans count for each label).
Cohen's kappa compares two annotators' token labels; Krippendorff's alpha (nominal) all of them,
computed by the `krippendorff` package from value counts (`alpha`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from annotator.domain import Span

TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets (code points) of every token."""
    found = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.asarray(found, dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def _token_range(starts: np.ndarray, ends: np.ndarray, span: Span) -> tuple[int, int]:
    """The tokens [a, b) a span overlaps."""
    return (int(np.searchsorted(ends, span.start, side="right")),
            int(np.searchsorted(starts, span.end, side="left")))


def token_labels(spans: Sequence[Span], starts: np.ndarray, ends: np.ndarray,
                 code_of: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(codes, membership): the innermost label code of each token (0 = none), and a
    (tokens x labels) boolean matrix of which labels cover it (label code - 1 = column)."""
    codes = np.zeros(len(starts), dtype=np.int64)
    member = np.zeros((len(starts), len(code_of)), dtype=bool)
    # longest first, so shorter (inner) spans overwrite: the innermost label wins
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.label)):
        a, b = _token_range(starts, ends, span)
        if a < b:
            codes[a:b] = code_of[span.label]
            member[a:b, code_of[span.label] - 1] = True
    return codes, member


# --- span F1 --------------------------------------------------------------------------------


def exact_matches(a: Sequence[Span], b: Sequence[Span]) -> int:
    keys = Counter((s.start, s.end, s.label) for s in a)
    return sum((keys & Counter((s.start, s.end, s.label) for s in b)).values())


def overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> tuple[int, int]:
    """(spans of a overlapping a same-label span of b, spans of b overlapping one of a)."""

    def matched(xs: Sequence[Span], ys: Sequence[Span]) -> int:
        return sum(1 for x in xs if any(y.label == x.label and y.start < x.end and x.start < y.end
                                        for y in ys))

    return matched(a, b), matched(b, a)


def f1_exact(n_a: int, n_b: int, tp: int) -> float | None:
    return None if n_a + n_b == 0 else 2 * tp / (n_a + n_b)


def f1_overlap(n_a: int, n_b: int, m_a: int, m_b: int) -> float | None:
    if n_a + n_b == 0:
        return None
    if n_a == 0 or n_b == 0 or m_a + m_b == 0:
        return 0.0
    p, r = m_a / n_a, m_b / n_b
    return 2 * p * r / (p + r)


# --- kappa and alpha ---------------------------------------------------------------------------


def cohen_kappa(confusion: np.ndarray) -> float | None:
    """Cohen's kappa from a square confusion matrix (rows: annotator A, columns: B); None when
    chance agreement is total (both gave every token the same single label)."""
    total = confusion.sum()
    if total == 0:
        return None
    po = np.trace(confusion) / total
    pe = float((confusion.sum(axis=1) * confusion.sum(axis=0)).sum()) / (total * total)
    if pe >= 1.0:
        return None
    return float((po - pe) / (1 - pe))


class ValueCounts:
    """Krippendorff's value counts (units x values), gathered document by document.

    Units every coder gave the same value are summed into one row per value: a unit with m
    coders who all chose v adds exactly m to the coincidence o[v, v] (m(m-1) pairs over m-1),
    and a single row of count c = the sum of those m adds c; so the alpha the package computes is
    exactly that of the full table, from a table the size of the disagreements (the package
    builds a units x values x values array).
    """

    def __init__(self, n_values: int):
        self.n_values = n_values
        self.unanimous = np.zeros(n_values, dtype=np.int64)
        self.mixed: list[np.ndarray] = []

    def add(self, counts: np.ndarray) -> None:
        """counts: (units, values), how many coders gave each value to each unit."""
        if not len(counts):
            return
        totals = counts.sum(axis=1)
        pairable = totals >= 2  # a unit one coder coded adds no pair (the package agrees)
        same = pairable & (counts.max(axis=1) == totals)
        self.unanimous += np.bincount(counts[same].argmax(axis=1), weights=totals[same],
                                      minlength=self.n_values).astype(np.int64)
        mixed = pairable & ~same
        if mixed.any():
            self.mixed.append(counts[mixed])

    def alpha(self) -> float | None:
        """Nominal alpha by the `krippendorff` package; None if it is undefined (fewer than
        two values used, or no unit coded twice)."""
        import krippendorff

        rows = [np.diag(self.unanimous)[self.unanimous > 0], *self.mixed]
        table = np.vstack(rows) if rows else np.zeros((0, self.n_values), dtype=np.int64)
        used = table.sum(axis=0) > 0
        if used.sum() < 2 or not (table.sum(axis=1) >= 2).any():
            return None
        return float(krippendorff.alpha(value_counts=table[:, used],
                                        level_of_measurement="nominal"))


# --- structure -------------------------------------------------------------------------------

PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their "
    "theirs this that these those who whom which one".split())


def normal_name(text: str) -> str:
    return " ".join(text.casefold().split())


def is_pronoun(text: str) -> bool:
    return normal_name(text) in PRONOUNS


def triple_matches(a: Sequence[tuple], b: Sequence[tuple]) -> int:
    """One-to-one matches between two annotators' triples (head, role, tail, tail name):
    head and role equal, and the tail the same span or, when a name is known on both sides,
    the same canonical name (a pronoun on one side, the name on the other)."""
    left = list(b)
    found = 0
    for head, role, tail, name in a:
        for i, (h2, r2, t2, n2) in enumerate(left):
            if h2 == head and r2 == role and (t2 == tail or (name and name == n2)):
                found += 1
                del left[i]
                break
    return found
