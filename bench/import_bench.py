"""Import speed and memory, beside a bare sqlite3 baseline measured in the same run.

Articles come from `bench/articles.py` (~800 invented words, 36 labels and 12 relations each).
* `import-plain-{1k,5k}-{jsonl,txt}`: articles without labels, as one JSONL file or as a folder
  of `.txt` files, imported by `services.importing.import_paths` into a new project (opening
  the project included). Baseline: plain `sqlite3` reading the same input (json.loads per line /
  reading each file) and inserting the same rows (documents with content hash and title, FTS
  through the project's triggers) in one transaction, WAL and synchronous=FULL like the store.
* `import-spans-5k`: the same with every article's labels and relations (Prodigy-style lines);
  the baseline also inserts the spans and relations row by row.
* `import-cli-10-txt`: start-up: a whole `annotator import FOLDER --db NEW.db` process on a folder
  of 10 `.txt` articles; baseline: a `python -c` process inserting the same documents with bare
  sqlite3 (as above).
* `import-rss-{1k,5k,50k}`: peak RSS of a separate process running the real
  `annotator import FILE.jsonl --db NEW.db` on labelled articles; baseline: the 1k run.
Each time is the best of five, baseline and import taking turns (the machine is shared).
`python bench/import_bench.py rss` or `... plain spans startup` runs only those groups.

    bench: NAME: VALUE UNIT (baseline VALUE UNIT, ratio R)
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.services.importing import import_paths  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.articles import ArticleMaker, write_jsonl, write_txt_folder  # noqa: E402
from bench.common import report  # noqa: E402


def _new_project(path: Path) -> None:
    Store(path).close()


def _stamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _baseline(db: Path, records) -> float:
    """Insert (text, title, source, spans, relations) rows with bare sqlite3; seconds taken."""
    t = time.perf_counter()
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    for text, title, source, spans, relations in records():
        stamp = _stamp()
        doc_id = conn.execute(
            "INSERT INTO documents(text, title, source, import_file, content_hash, status, meta,"
            " created, updated) VALUES (?,?,?,?,?,'new','{}',?,?)",
            [text, title, source, source, hashlib.sha256(text.encode()).hexdigest(), stamp,
             stamp]).lastrowid
        ids = [conn.execute(
            "INSERT INTO spans(doc_id, start, end, label, status, origin, annotator, attrs,"
            " created, updated) VALUES (?,?,?,?,'accepted','human','','{}',?,?)",
            [doc_id, s["start"], s["end"], s["label"], stamp, stamp]).lastrowid for s in spans]
        for head, tail, role in relations:
            conn.execute(
                "INSERT INTO relations(doc_id, head_id, tail_id, role, status, origin, annotator,"
                " attrs, created, updated) VALUES (?,?,?,?,'accepted','human','','{}',?,?)",
                [doc_id, ids[head], ids[tail], role, stamp, stamp])
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t


def _jsonl_records(path: Path):
    def records():
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                spans = rec.get("spans", [])
                index = {(s["start"], s["end"], s["label"]): i for i, s in enumerate(spans)}
                rels = [(index[(r["head_span"]["start"], r["head_span"]["end"],
                                r["head_span"]["label"])],
                         index[(r["child_span"]["start"], r["child_span"]["end"],
                                r["child_span"]["label"])], r["label"])
                        for r in rec.get("relations", [])]
                yield rec["text"], rec["text"].split("\n", 1)[0][:200], path.name, spans, rels
    return records


def _txt_records(folder: Path):
    def records():
        for path in sorted(folder.iterdir()):
            text = path.read_text(encoding="utf-8")
            yield text, text.split("\n", 1)[0][:200], path.name, [], []
    return records


def _ours(db: Path, source: Path) -> float:
    t = time.perf_counter()
    with Store(db) as store:
        result = import_paths(store, [source])
    elapsed = time.perf_counter() - t
    assert result.ok and result.documents_added, result.problems[:3]
    return elapsed


def _timed(tmp: Path, run) -> float:
    db = tmp / "timed.db"
    _new_project(db)
    try:
        return run(db)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def _best_alternating(tmp: Path, base_run, our_run, rounds: int = 5) -> tuple[float, float]:
    """Best of `rounds` for each, baseline and ours taking turns so both see the same load."""
    base, ours = [], []
    for _ in range(rounds):
        base.append(_timed(tmp, base_run))
        ours.append(_timed(tmp, our_run))
    return min(base), min(ours)


def bench_speed(tmp: Path, maker: ArticleMaker, groups: set[str]) -> None:
    cases = []
    if "plain" in groups:
        for n, tag in ((1000, "1k"), (5000, "5k")):
            path = tmp / f"plain-{tag}.jsonl"
            write_jsonl(path, n, with_spans=False, maker=maker)
            cases.append((f"import-plain-{tag}-jsonl", path, _jsonl_records(path)))
            folder = tmp / f"plain-{tag}-txt"
            write_txt_folder(folder, n, maker=maker)
            cases.append((f"import-plain-{tag}-txt", folder, _txt_records(folder)))
    if "spans" in groups:
        path = tmp / "spans-5k.jsonl"
        write_jsonl(path, 5000, with_spans=True, maker=maker)
        cases.append(("import-spans-5k", path, _jsonl_records(path)))
    for name, source, records in cases:
        base, ours = _best_alternating(tmp, lambda db, records=records: _baseline(db, records),
                                       lambda db, source=source: _ours(db, source))
        report(name, ours, "s", base)


BARE_TXT_IMPORT = """
import hashlib, sqlite3, sys
from datetime import datetime, timezone
from pathlib import Path
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("PRAGMA synchronous = FULL")
conn.execute("BEGIN IMMEDIATE")
for path in sorted(Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8")
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    conn.execute("INSERT INTO documents(text, title, source, import_file, content_hash, status, meta,"
                 " created, updated) VALUES (?,?,?,?,?,'new','{}',?,?)",
                 [text, text.split(chr(10), 1)[0][:200], path.name, path.name,
                  hashlib.sha256(text.encode()).hexdigest(), stamp, stamp])
conn.execute("COMMIT")
"""


def _process_seconds(command: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def bench_startup(tmp: Path, maker: ArticleMaker) -> None:
    """What a scripted user waits for on a small import: mostly the process starting."""
    folder = tmp / "startup-10-txt"
    write_txt_folder(folder, 10, maker=maker)
    base, ours = _best_alternating(
        tmp, lambda db: _process_seconds([sys.executable, "-c", BARE_TXT_IMPORT, str(folder), str(db)]),
        lambda db: _process_seconds([sys.executable, "-m", "annotator", "import", str(folder), "--db",
                                     str(db)]))
    report("import-cli-10-txt", ours, "s", base)


def _peak_rss_mb(source: Path, db: Path) -> float:
    """Peak RSS of one `annotator import` process (its own rusage, via wait4)."""
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(source), "--db",
                             str(db)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"import of {source} failed: {errors[-2000:]}")
    return usage.ru_maxrss / 1024  # Linux reports kilobytes


def bench_rss(tmp: Path, maker: ArticleMaker) -> None:
    results = {}
    for n, tag in ((1000, "1k"), (5000, "5k"), (50_000, "50k")):
        path = tmp / f"rss-{tag}.jsonl"
        write_jsonl(path, n, with_spans=True, maker=maker)
        db = tmp / f"rss-{tag}.db"
        t = time.perf_counter()
        results[tag] = _peak_rss_mb(path, db)
        print(f"# {tag}: {path.stat().st_size / 2**20:.0f} MB of JSONL imported in "
              f"{time.perf_counter() - t:.1f} s (CLI, process start included)", flush=True)
        for p in (path, db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        report(f"import-rss-{tag}", results[tag], "MB", results["1k"])


def main() -> None:
    groups = set(sys.argv[1:]) or {"plain", "spans", "startup", "rss"}
    maker = ArticleMaker()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if groups & {"plain", "spans"}:
            bench_speed(tmp, maker, groups)
        if "startup" in groups:
            bench_startup(tmp, maker)
        if "rss" in groups:
            bench_rss(tmp, maker)


if __name__ == "__main__":
    main()
