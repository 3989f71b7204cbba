"""Shared output of every benchmark: one comparable line per measurement."""

from __future__ import annotations


def report(name: str, value: float, unit: str, baseline: float) -> None:
    ratio = value / baseline if baseline else float("inf")
    print(f"bench: {name}: {value:.4g} {unit} (baseline {baseline:.4g} {unit}, ratio {ratio:.2f})",
          flush=True)
