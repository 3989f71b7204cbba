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
from collections.abc import Sequence

import numpy as np

TOKEN = re.compile(r"\w+|[^\w\s]")  # what `corpus_tokens` finds, as a regular expression


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets (code points) of every token."""
    return [t.span() for t in TOKEN.finditer(text)]


def _kind(point: int) -> int:
    char = chr(point)
    return 2 if char.isalnum() or point == 95 else 0 if char.isspace() else 1


_ASCII_KIND = np.array([_kind(v) for v in range(128)], dtype=np.int8)


def corpus_tokens(text: str) -> tuple[np.ndarray, np.ndarray]:
    """`TOKEN`'s matches in a whole corpus at once: (starts, ends). A run of word characters
    (letters, digits, "_") is one token; every other character that is not a space is one."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(points):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # 2 word, 1 mark, 0 space: ASCII from a table; np.unique (a sort) only for the rest
    kind = _ASCII_KIND[np.minimum(points, 127)]
    other = points > 127
    if other.any():
        values, inverse = np.unique(points[other], return_inverse=True)
        kind[other] = np.array([_kind(v) for v in values.tolist()], dtype=np.int8)[inverse]
    word = kind == 2
    before = np.concatenate(([False], word[:-1]))
    after = np.concatenate((word[1:], [False]))
    mark = kind == 1
    starts = np.nonzero((word & ~before) | mark)[0]
    ends = np.nonzero((word & ~after) | mark)[0] + 1
    return starts.astype(np.int64), ends.astype(np.int64)


def token_labels(starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, tok_start: np.ndarray,
                 tok_end: np.ndarray, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """(codes, membership) of every token for one annotator's spans (arrays of start, end and
    label code 1..n_labels, in the same coordinates as the tokens): the innermost label code
    covering each token (0 = none), and a (tokens x labels) matrix of which labels cover it."""
    codes = np.zeros(len(tok_start), dtype=np.int64)
    member = np.zeros((len(tok_start), n_labels), dtype=bool)
    first = np.searchsorted(tok_end, starts, side="right")
    last = np.searchsorted(tok_start, ends, side="left")
    width = np.maximum(last - first, 0)
    if not width.sum():
        return codes, member
    span = np.repeat(np.arange(len(starts)), width)  # one row per (span, token it covers)
    offset = np.arange(len(span)) - np.repeat(np.cumsum(width) - width, width)
    token = first[span] + offset
    member[token, labels[span] - 1] = True
    # innermost: per token the shortest span (then the smallest label code) wins
    order = np.lexsort((labels[span], (ends - starts)[span], token))
    token, span = token[order], span[order]
    head = np.ones(len(token), dtype=bool)
    head[1:] = token[1:] != token[:-1]
    codes[token[head]] = labels[span[head]]
    return codes, member


# --- span F1 --------------------------------------------------------------------------------


def exact_keys(starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, width: int,
               n_labels: int) -> np.ndarray:
    """One int64 per span, equal for spans with the same start, end and label (`width`: more
    than the longest span)."""
    return (starts * width + (ends - starts)) * (n_labels + 1) + labels


def exact_matches(keys_a: np.ndarray, keys_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys both annotators have, and how many times (multiset intersection)."""
    ua, ca = np.unique(keys_a, return_counts=True)
    ub, cb = np.unique(keys_b, return_counts=True)
    common, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    return common, np.minimum(ca[ia], cb[ib])


def overlapped(starts: np.ndarray, ends: np.ndarray, other_starts: np.ndarray,
               other_ends: np.ndarray) -> np.ndarray:
    """For each span, whether some other span shares a character with it (one label, one
    coordinate system: documents laid end to end never overlap each other)."""
    if not len(other_starts) or not len(starts):
        return np.zeros(len(starts), dtype=bool)
    order = np.argsort(other_starts, kind="stable")
    sorted_starts = other_starts[order]
    reach = np.maximum.accumulate(other_ends[order])  # furthest end among spans starting before
    n = np.searchsorted(sorted_starts, ends, side="left")  # others starting before our end
    return (n > 0) & (reach[np.maximum(n - 1, 0)] > starts)


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


def mention_name(text: str) -> str:
    """A mention's normalised name; "" for a pronoun, which names nobody on its own."""
    name = normal_name(text)
    return "" if name in PRONOUNS else name


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
