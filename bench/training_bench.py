"""Training on 500 labelled documents, and the trained pipeline's suggestion throughput.

* train-500-docs: `annotator train`'s service with its defaults (dev fraction 0.2, the automatic
  schedule) on 500 generated labelled documents (bench/labelled_corpus.py: renamed copies of the
  dev gold articles, ~170k words); baseline: one pre-annotation pass of the default pipeline over
  the same documents, in the same run.
* trained-preannotate-throughput: `preannotate` (pipeline + database writes) with the trained
  pipeline beside the default one, same 500 texts, each into a fresh project.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import AnnotatedDocument, Document  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402
from bench.labelled_corpus import add_to_store, labelled_documents  # noqa: E402

N_DOCS = 500


def preannotate_pass(nlp, texts: list[str], db: Path) -> tuple[float, int]:
    from annotator.services.preannotate import preannotate

    with Store(db) as store:
        ids = store.add_documents(AnnotatedDocument(Document(text=t)) for t in texts)
        started = time.perf_counter()
        result = preannotate(store, ids, nlp=nlp, batch_size=32)
        return time.perf_counter() - started, result.words


def main() -> None:
    from annotator.nlp.models import load_pipeline
    from annotator.training.train import TrainOptions, train

    docs = labelled_documents(N_DOCS)
    texts = [d.text for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with Store(tmp / "labelled.db") as store:
            add_to_store(store, docs)
        started = time.perf_counter()
        result = train(tmp / "labelled.db", TrainOptions(out=tmp / "model"))
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"# {N_DOCS} documents, {result.train_words:,} training words, {result.train_docs} train / "
              f"{result.dev_docs} dev, {result.steps} steps, peak memory {peak:.0f} MiB")
        # the two pre-annotation passes back to back, so load on a shared machine hits both alike
        default = load_pipeline(None)
        default("warm up")
        base_seconds, words = preannotate_pass(default, texts, tmp / "default.db")
        trained = load_pipeline(str(tmp / "model"))
        trained("warm up")
        trained_seconds, _ = preannotate_pass(trained, texts, tmp / "trained.db")
        report("train-500-docs", seconds, "s", base_seconds)
        report("trained-preannotate-throughput", words / trained_seconds, "words/s", words / base_seconds)
        all_row = next(s for s in result.scores if s.label == "all")
        print(f"# dev F1 (exact, all labels): default {all_row.base.f:.2f}, trained {all_row.trained.f:.2f}; "
              "training baseline = one default pre-annotation pass over the same documents")


if __name__ == "__main__":
    main()
