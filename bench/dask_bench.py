"""Pre-annotation on a local Dask cluster: documents/s with 1 and with 2 workers (part of
`make bench-scale`, not `make bench`; needs the [cluster] extra).

The project is the bundled sample articles copied to N documents (default 240), pre-annotated
with the default pipeline by `preannotate --engine dask` (services/cluster.py: one
single-threaded worker process per worker, the writer in this process). Timed: the run itself
(`PreannotateResult.seconds`), not starting the cluster and loading the model on its workers;
each size gets a fresh copy of the project. Lines:
* dask-1-worker documents/s against this process alone (`preannotate`, one process, same
  batches): what shipping partitions to a worker costs;
* dask-2-workers documents/s against 1 worker: the scaling (2.0 = perfect; on a 2-core machine
  the writer and the scheduler share the cores with the workers).

    python bench/dask_bench.py [N]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import AnnotatedDocument, Document  # noqa: E402
from annotator.resources import resources_dir  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402

BATCH = 16  # documents per partition and per transaction


def build(path: Path, n: int) -> None:
    samples = [p.read_text(encoding="utf-8")
               for p in sorted((resources_dir() / "samples").glob("*.txt"))]
    with Store(path) as store:
        store.add_documents(AnnotatedDocument(Document(text=f"{samples[i % len(samples)]}\n"
                                                            f"(Copy {i}.)"))
                            for i in range(n))


def local_rate(path: Path) -> float:
    from annotator.services.preannotate import preannotate

    with Store(path, create=False) as store:
        result = preannotate(store, batch_size=BATCH)
    return result.documents_per_second


def dask_rate(path: Path, workers: int) -> float:
    from annotator.services.cluster import DaskEngine
    from annotator.services.preannotate import run

    with Store(path, create=False) as store:
        with DaskEngine(None, store.schema.source_text, n_workers=workers) as engine:
            result = run(store, engine, batch_size=BATCH)
    return result.documents_per_second


def main(argv: list[str]) -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("# dask_bench: skipped, the [cluster] extra is not installed")
        return
    n = int(argv[0]) if argv else 240
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        build(template, n)

        def fresh(name: str) -> Path:
            path = Path(tmp) / f"{name}.db"
            shutil.copy(template, path)
            return path

        local = local_rate(fresh("local"))
        one = dask_rate(fresh("dask1"), 1)
        two = dask_rate(fresh("dask2"), 2)
    print(f"# {n} documents: this process {local:.1f} docs/s, Dask 1 worker {one:.1f} docs/s, "
          f"2 workers {two:.1f} docs/s")
    report("preannotate-dask-1-worker-docs-per-s", one, "docs/s", local)
    report("preannotate-dask-2-workers-docs-per-s", two, "docs/s", one)


if __name__ == "__main__":
    main(sys.argv[1:])
