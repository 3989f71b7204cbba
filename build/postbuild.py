"""Steps after PyInstaller's COLLECT: shrink the one-folder bundle and report its size.

Run by build/annotator.spec (so `pyinstaller build/annotator.spec` alone gives the finished
bundle), or by hand: `python build/postbuild.py dist/news-annotator`.

Why not PyInstaller's own `strip=True`: it strips every shared library, and stripping NumPy's
bundled OpenBLAS (numpy.libs / scipy_openblas) breaks it. The big win is elsewhere anyway: the
Cython extensions of spaCy, thinc, blis, srsly... ship with debug info (blis alone is 40 MB);
stripping just the `*.cpython-*.so` extension modules roughly halves spaCy's share and is safe
(their exported `PyInit_*` symbols live in the dynamic table, which strip keeps). libpython
from a locally built interpreter (pyenv, uv) also carries debug info: 23 MB -> 4 MB.
Linux only: on macOS stripping would invalidate the code signatures PyInstaller applies, and
Windows builds carry no debug info in the .pyd files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def strip_extensions(bundle: Path) -> tuple[int, int]:
    """Strip debug info from Python extension modules; returns (files stripped, bytes saved)."""
    if not sys.platform.startswith("linux"):
        return 0, 0
    strip = shutil.which("strip")
    if strip is None:
        print("postbuild: `strip` not found (binutils); bundle left unstripped", file=sys.stderr)
        return 0, 0
    count = saved = 0
    targets = sorted(bundle.rglob("*.cpython-*.so")) + sorted(bundle.rglob("libpython3*.so*"))
    for path in targets:
        if path.is_symlink():
            continue
        before = path.stat().st_size
        result = subprocess.run([strip, "--strip-unneeded", str(path)], capture_output=True,
                                text=True)
        if result.returncode != 0:
            print(f"postbuild: could not strip {path}: {result.stderr.strip()}", file=sys.stderr)
            continue
        count += 1
        saved += before - path.stat().st_size
    return count, saved


def add_desktop_entry(bundle: Path) -> None:
    """Linux: the .desktop file and its installer beside the executable."""
    if not sys.platform.startswith("linux"):
        return
    here = Path(__file__).resolve().parent
    for name in ("news-annotator.desktop", "install-desktop.sh"):
        shutil.copy2(here / name, bundle / name)


def finish(bundle: Path) -> None:
    add_desktop_entry(bundle)
    count, saved = strip_extensions(bundle)
    if count:
        print(f"postbuild: stripped {count} extension modules, saved {saved / 2**20:.1f} MiB")
    print(f"postbuild: bundle {bundle} is {folder_size(bundle) / 2**20:.1f} MiB")


if __name__ == "__main__":
    finish(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/news-annotator"))
