"""Shared output of every benchmark: one comparable line per measurement."""

from __future__ import annotations

import statistics
import time


def report(name: str, value: float, unit: str, baseline: float) -> None:
    ratio = value / baseline if baseline else float("inf")
    print(f"bench: {name}: {value:.4g} {unit} (baseline {baseline:.4g} {unit}, ratio {ratio:.2f})",
          flush=True)


def median_ms(fn, repeat: int = 5) -> float:
    """The median of `repeat` timed calls of fn(), in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
