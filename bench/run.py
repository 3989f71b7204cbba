"""`make bench`: run every benchmark script; each prints `bench: NAME: VALUE UNIT (baseline ...)`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["store_bench.py", "export_bench.py", "import_bench.py", "preannotate_bench.py",
           "ui_bench.py", "keypress_bench.py", "memory_bench.py", "training_bench.py",
           "tables_bench.py", "team_bench.py", "stall_bench.py", "project_bench.py",
           "dist_bench.py"]

if __name__ == "__main__":
    only = sys.argv[1:]
    failed = 0
    for name in SCRIPTS:
        script = HERE / name
        if only and name not in only:
            continue
        if not script.exists():
            continue
        print(f"# {name}", flush=True)
        failed += subprocess.call([sys.executable, str(script)], cwd=HERE.parent) != 0
    sys.exit(1 if failed else 0)
