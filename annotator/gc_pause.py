"""Pausing Python's cyclic garbage collector while a bulk of objects is made.

Opening a long article makes tens of thousands of small objects at once (a Span per stored
row, an index entry per span). The collector runs every 700 new container objects, and now and
then also scans every older object in the process (with a spaCy model loaded, millions): most of
its work during such a burst finds nothing, since the new objects are all alive. Pausing it for
the burst lets one collection afterwards do the work of dozens. Reference counting still frees
everything as usual; only cycles wait until the end of the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off inside the block (nested blocks keep it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
