"""Pre-annotation throughput: `annotator preannotate` (our components + database writes) beside
plain `nlp.pipe` of the same model over the same texts, in the same run (interleaved, the better
of two each); then the same with 2 worker processes, per process, beside one process.

The corpus (>= 100k words) repeats the project's sample articles with varied names and numbers,
so no two documents are identical (import is idempotent by text).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import AnnotatedDocument, Document  # noqa: E402
from annotator.resources import resources_dir  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402

TARGET_WORDS = 100_000
ROUNDS = 2
N_PROCESSES = 2
VARIANTS = ["Norland", "Vestria", "Kalmar", "Ostrava", "Belmont", "Tarsis", "Quillon", "Marenne"]


def corpus() -> list[str]:
    samples = [p.read_text(encoding="utf-8") for p in sorted((resources_dir() / "samples").glob("*.txt"))]
    texts, words, i = [], 0, 0
    while words < TARGET_WORDS:
        base = samples[i % len(samples)]
        variant = VARIANTS[(i // len(samples)) % len(VARIANTS)]
        text = re.sub(r"\bNorland\b", variant, base).replace("four days", f"{i % 9 + 2} days")
        text += f"\n(Report {i}.)"
        texts.append(text)
        words += len(text.split())
        i += 1
    return texts


def fresh_store(folder: Path, name: str, texts: list[str]) -> Store:
    store = Store(folder / f"{name}.db")
    store.add_documents(AnnotatedDocument(Document(text=x)) for x in texts)
    return store


def main() -> None:
    try:
        import spacy

        from annotator.nlp.models import default_pipeline_name, load_pipeline
        from annotator.services.preannotate import ProcessEngine, preannotate, run
    except ImportError as exc:
        print(f"bench: preannotate skipped ({exc})")
        return
    texts = corpus()
    n_words = sum(len(t.split()) for t in texts)
    name = default_pipeline_name()
    plain_nlp = spacy.load(name)
    plain_nlp("warm up")
    ours_nlp = load_pipeline(name)
    ours_nlp("warm up")
    plain, ours, plain_cpu, ours_cpu, spans = [], [], [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for round_ in range(ROUNDS):  # interleaved, best of each: the machine is shared
            t, c = time.perf_counter(), time.process_time()
            for _ in plain_nlp.pipe(texts, batch_size=32):
                pass
            plain.append(time.perf_counter() - t)
            plain_cpu.append(time.process_time() - c)
            with fresh_store(tmp, f"ours{round_}", texts) as store:
                t, c = time.perf_counter(), time.process_time()
                result = preannotate(store, nlp=ours_nlp, batch_size=32)
                ours.append(time.perf_counter() - t)
                ours_cpu.append(time.process_time() - c)  # all threads, the writer's too
                spans = store.db.execute("SELECT count(*) FROM spans").fetchone()[0]
        print(f"# {len(texts)} documents, {n_words:,} words, model {name}, {spans:,} suggestions "
              f"stored; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        report("preannotate-throughput", n_words / min(ours), "words/s", n_words / min(plain))
        # the same per CPU second: what a loaded machine (other jobs on the cores) cannot blur
        report("preannotate-throughput-per-cpu-second", n_words / min(ours_cpu), "words/s",
               n_words / min(plain_cpu))
        print(f"# target: ratio >= 1.0 (ours includes our components and the database writes); "
              f"{result.processed} documents processed")

        n = N_PROCESSES
        t = time.perf_counter()
        with ProcessEngine(name, ours_nlp_schema_toml(), n) as engine:
            startup = time.perf_counter() - t
            with fresh_store(tmp, "processes", texts) as store:
                pids = list(engine.pool._processes)
                t, c, w = time.perf_counter(), time.process_time(), cpu_seconds(pids)
                result = run(store, engine, batch_size=32)
                multi = time.perf_counter() - t
                multi_cpu = time.process_time() - c + cpu_seconds(pids) - w
        assert result.processed == len(texts), result
        one = n_words / min(ours)
        report(f"preannotate-{n}-processes-per-core", n_words / multi / n, "words/s", one)
        print(f"# target: ratio >= 0.8 (words/s per process over one process); {n} processes "
              f"{n_words / multi:,.0f} words/s after a {startup:.1f} s start (model loads)")
        report(f"preannotate-{n}-processes-per-cpu-second", n_words / multi_cpu, "words/s",
               n_words / min(ours_cpu))
        print("# (CPU seconds of the parent and the workers: the cost of spreading the work, "
              "whatever else runs on the machine)")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of running processes (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def ours_nlp_schema_toml() -> str:
    from annotator.schema import load_schema

    return load_schema().source_text


if __name__ == "__main__":
    main()
