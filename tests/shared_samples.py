"""Where the shared sample articles are: $NEWS_SHARED, else the `shared` folder beside the checkout.

They are test input only (not ours to copy into the project), so they are found relative to the
checkout rather than at one machine's path; tests that need them skip, naming the folder, without them.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWS_SHARED") or ROOT.parent / "shared")
SAMPLES = SHARED / "samples"


def missing_reason(path: Path) -> str:
    """The skip reason naming what is missing and how to point the tests at it."""
    return f"shared samples missing: {path} (set NEWS_SHARED to the shared folder)"
