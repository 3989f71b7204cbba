"""Natural order for names people number: "Copy 2" before "Copy 10" (digits compare as numbers).

Plain string order put "Copy 1, Copy 10, Copy 11, ..., Copy 2" in the document list (files are
imported in the order of their names) and in the tables sorted by document. SQLite gets the same
order as the collation NATURALSORT (registered on every connection by store/core.py).
"""

from __future__ import annotations

import re

COLLATION = "NATURALSORT"
_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key: runs of digits as numbers, the rest case-folded; ties broken by the text."""
    parts = _PARTS.split(text.casefold())
    return tuple((0, int(p), "") if i % 2 else (1, 0, p) for i, p in enumerate(parts)), text


def natural_compare(a: str, b: str) -> int:
    """The NATURAL collation: -1, 0 or 1 as `natural_key` orders a and b."""
    ka, kb = natural_key(a), natural_key(b)
    return (ka > kb) - (ka < kb)
