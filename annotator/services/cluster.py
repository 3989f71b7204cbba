"""Pre-annotation on a Dask cluster (`annotator preannotate --engine dask [--scheduler ADDRESS]`).

Dask distributed does the distribution: a worker plugin loads the pipeline once per worker
process (and on every worker that joins later), tasks turn partitions of (doc_id, text) into
plain `DocSuggestions` records, and this process, the only one that touches the project file,
commits them in batches through the same writer as a local run (services/preannotate.run).
Partitions are read from the store as they are submitted, at most two per worker thread in
flight, so neither side ever holds the corpus. Documents already pre-annotated by the same
origin are skipped, so an interrupted run resumes where it stopped.

Without a scheduler address a LocalCluster of `n_workers` single-threaded processes is
started. Workers need the same package and model installed as this machine (the origin each
worker reports is checked before any work is sent). Needs the optional extra:
`pip install news-annotator[cluster]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from annotator.services.preannotate import PreannotateResult, Progress, run
from annotator.store import Store

EXTRA_HINT = ("the Dask engine needs the optional extra: pip install 'news-annotator[cluster]' "
              "(dask[distributed])")


class ClusterError(RuntimeError):
    """The cluster cannot run the job (not installed, unreachable, workers disagree)."""


def _distributed():
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(EXTRA_HINT) from exc
    return distributed


def pipeline_plugin(model: str | None, schema_toml: str):
    """A WorkerPlugin that loads the pipeline (and parses the schema) when a worker starts."""
    from distributed.diagnostics.plugin import WorkerPlugin

    from annotator.services import nlp_worker

    class PipelinePlugin(WorkerPlugin):
        name = "news-annotator-pipeline"

        def __init__(self, model: str | None, schema_toml: str):
            self.model, self.schema_toml = model, schema_toml

        def setup(self, worker) -> None:
            nlp_worker.load(self.model)

    return PipelinePlugin(model, schema_toml)


class DaskEngine:
    """Partitions out to a Dask cluster, suggestion records back (in completion order)."""

    def __init__(self, model: str | None, schema_toml: str, scheduler: str | None = None,
                 n_workers: int = 2):
        distributed = _distributed()
        from annotator.services.nlp_worker import load

        self.model, self.schema_toml = model, schema_toml
        self.cluster = None
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout="30s")
            else:
                self.cluster = distributed.LocalCluster(
                    n_workers=n_workers, threads_per_worker=1, processes=True,
                    dashboard_address=None)
                self.client = distributed.Client(self.cluster)
        except OSError as exc:
            self.close()
            raise ClusterError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
        try:
            self.client.register_plugin(pipeline_plugin(model, schema_toml))
            origins = self.client.run(load, model)
        except Exception as exc:
            self.close()
            raise ClusterError(f"the Dask workers could not load the pipeline "
                               f"{model or '(default)'}: {exc}") from exc
        if not origins:
            self.close()
            raise ClusterError(f"the Dask scheduler {scheduler} has no workers")
        if len(set(origins.values())) > 1:
            self.close()
            found = ", ".join(f"{address}: {origin}" for address, origin in sorted(origins.items()))
            raise ClusterError("the Dask workers have different pipelines installed "
                               f"({found}); install the same package and model on every worker")
        self.origin = next(iter(origins.values()))
        self.threads = sum(self.client.nthreads().values()) or 1

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for part in (getattr(self, "client", None), self.cluster):
            if part is not None:
                part.close()

    def records(self, items: Iterable[tuple[int, str]], batch_size: int,
                schema_toml: str | None = None) -> Iterator:
        distributed = _distributed()
        from annotator.services.nlp_worker import suggest
        from annotator.services.preannotate import take

        it = iter(items)
        inner = max(1, min(batch_size, 32))

        def submit():
            batch = take(it, batch_size)
            if not batch:
                return None
            return self.client.submit(suggest, batch, self.model,
                                      schema_toml or self.schema_toml, inner, pure=False)

        running = distributed.as_completed()
        for _ in range(2 * self.threads):
            future = submit()
            if future is None:
                break
            running.add(future)
        try:
            for future in running:
                records = future.result()
                future.release()
                following = submit()
                if following is not None:
                    running.add(following)
                yield from records
        finally:
            for future in list(running.futures):
                future.cancel()


def preannotate_on_cluster(store: Store, doc_ids: Iterable[int] | None = None, *,
                           model: str | None = None, scheduler: str | None = None,
                           n_workers: int = 2, batch_size: int = 64, force: bool = False,
                           progress: Progress | None = None,
                           cancelled: Callable[[], bool] = lambda: False) -> PreannotateResult:
    """`preannotate` with the parse on a Dask cluster; `batch_size` documents per partition and
    per transaction."""
    with DaskEngine(model, store.schema.source_text, scheduler, n_workers) as engine:
        return run(store, engine, doc_ids, batch_size=batch_size, force=force,
                   progress=progress, cancelled=cancelled)
