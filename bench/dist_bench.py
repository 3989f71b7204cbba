"""Frozen (PyInstaller, dist/news-annotator) against unfrozen (`python -m annotator`).

- dist_bundle_size: the one-folder bundle on disk; baseline: a plain PySide6 + spaCy one-folder
  build without the exclusions and stripping of build/annotator.spec (405 MB, measured before).
- dist_start_version: process start to exit for `--version` (interpreter + CLI import only).
- dist_start_window: GUI start to window shown, on an existing project. The app quits from its
  event loop as soon as the window is up (ANNOTATOR_QUIT_AFTER_MS=0), so this is start-up to
  window shown plus a short tear-down, measured the same way for both.
- dist_start_window_highlights: the same on a pre-annotated project, so the first article opens
  with its suggestion highlights painted.
- dist_first_start_highlights: GUI start on a new project until its automatic first-start
  pre-annotation of the bundled samples has stored suggestions (found by polling the database;
  the window reloads and paints them at once): start-up to first highlights.
- dist_first_suggestions: `import SAMPLE --preannotate` on a new project: spaCy import, model
  load, annotation and storage of one article, the CLI path to first suggestions.

Medians of warm runs (one untimed warm-up each, so both sides read from the page cache).
Prints a skip line when dist/ has no built app (`make dist`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import report  # noqa: E402

BUNDLE = ROOT / "dist" / "news-annotator"
EXE = BUNDLE / ("news-annotator.exe" if sys.platform == "win32" else "news-annotator")
PLAIN_BUILD_MB = 405.0  # PySide6 + spaCy one-folder build before trimming (see module docstring)
RUNS = int(os.environ.get("DIST_BENCH_RUNS", "5"))


def command(frozen: bool) -> list[str]:
    return [str(EXE)] if frozen else [sys.executable, "-m", "annotator"]


def environment(home: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"), ANNOTATOR_NAME="bench",
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    env.pop("ANNOTATOR_QUIT_AFTER_MS", None)
    env.update(extra)
    # A returning user: a first start asks the annotator's name in a modal dialog before the
    # window shows (ANNOTATOR_NAME above skips it too; this is QSettings' file on Linux/XDG).
    conf = home / "config" / "NewsAnnotator" / "News Annotator.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text("[annotator]\nname=bench\n", encoding="utf-8")
    return env


def timed(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {result.returncode}:\n"
                           f"{result.stderr[-2000:]}")
    return elapsed


def median_time(args_for_run, env: dict, frozen: bool, runs: int = RUNS) -> float:
    """args_for_run(i) gives the arguments of run i; run -1 is the untimed warm-up."""
    timed(command(frozen) + args_for_run(-1), env)
    return statistics.median(timed(command(frozen) + args_for_run(i), env) for i in range(runs))


def compare(name: str, args_for_run, env: dict, runs: int = RUNS) -> None:
    try:
        frozen = median_time(args_for_run, env, True, runs)
        unfrozen = median_time(args_for_run, env, False, runs)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"# {name}: not measured: {exc}", flush=True)
        return
    report(name, frozen, "s", unfrozen)


def first_start_highlights(frozen: bool, db: Path, env: dict, timeout: float = 180) -> float:
    """Seconds from launch until the GUI's first-start pre-annotation has stored suggestions
    (the window reloads and paints them right after): polls the project database."""
    import sqlite3

    started = time.perf_counter()
    proc = subprocess.Popen(command(frozen) + ["--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"GUI exited {proc.returncode}: {proc.stderr.read()[-1500:]}")
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
                        if conn.execute("SELECT 1 FROM spans LIMIT 1").fetchone():
                            return time.perf_counter() - started
                except sqlite3.Error:
                    pass  # not created yet, or mid-migration
            time.sleep(0.02)
        raise RuntimeError(f"no suggestions after {timeout:.0f} s")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def compare_first_start(tmp: Path, env: dict, runs: int = 3) -> None:
    """A new project: the window imports the bundled samples and pre-annotates them itself."""
    gui_env = {**env, "ANNOTATOR_QUIT_AFTER_MS": "180000"}  # a safety net; we stop it earlier
    try:
        values = {}
        for frozen in (True, False):
            first_start_highlights(frozen, tmp / f"warm-{frozen}.db", gui_env)
            values[frozen] = statistics.median(
                first_start_highlights(frozen, tmp / f"new-{frozen}-{i}.db", gui_env)
                for i in range(runs))
    except RuntimeError as exc:
        print(f"# dist_first_start_highlights: not measured: {exc}", flush=True)
        return
    report("dist_first_start_highlights", values[True], "s", values[False])


def bundle_mb() -> float:
    return sum(p.stat().st_size for p in BUNDLE.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def main() -> int:
    if not EXE.exists():
        print(f"bench: dist: skipped: no built app at {EXE.relative_to(ROOT)} (run `make dist`)")
        return 0
    samples = sorted((ROOT / "resources" / "samples").glob("*.txt"))
    report("dist_bundle_size", bundle_mb(), "MB", PLAIN_BUILD_MB)
    with tempfile.TemporaryDirectory(prefix="dist-bench-") as tmp:
        tmp = Path(tmp)
        env = environment(tmp)
        compare("dist_start_version", lambda i: ["--version"], env)

        plain = tmp / "plain.db"  # existing project, no suggestions
        subprocess.run(command(False) + ["import", *map(str, samples), "--db", str(plain)],
                       env=env, cwd=ROOT, capture_output=True, check=True)
        gui_env = environment(tmp, ANNOTATOR_QUIT_AFTER_MS="0")
        compare("dist_start_window", lambda i: ["--db", str(plain)], gui_env)

        annotated = tmp / "annotated.db"
        result = subprocess.run(command(True) + ["import", *map(str, samples), "--db",
                                                 str(annotated), "--preannotate"],
                                env=env, cwd=ROOT, capture_output=True, text=True)
        if result.returncode == 0:
            compare("dist_start_window_highlights", lambda i: ["--db", str(annotated)], gui_env)
        else:
            print("# dist_start_window_highlights: not measured: pre-annotation failed:\n"
                  + result.stderr[-1500:], flush=True)

        compare_first_start(tmp, env)

        def first_suggestions(i: int) -> list[str]:
            db = tmp / f"first-{i + 1}-{time.monotonic_ns()}.db"
            return ["import", str(samples[0]), "--db", str(db), "--preannotate"]

        compare("dist_first_suggestions", first_suggestions, env, runs=max(3, RUNS // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
