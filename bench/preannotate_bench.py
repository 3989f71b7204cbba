"""Pre-annotation throughput: `annotator preannotate` (our components + database writes) beside
plain `nlp.pipe` of the same model over the same texts, in the same run.

The corpus (>= 200k words) repeats the project's sample articles with varied names and numbers,
so no two documents are identical (import is idempotent by text).
"""

from __future__ import annotations

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

TARGET_WORDS = 200_000
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


def main() -> None:
    try:
        import spacy  # noqa: F401

        from annotator.nlp.models import default_pipeline_name, load_pipeline
        from annotator.services.preannotate import preannotate
    except ImportError as exc:
        print(f"bench: preannotate skipped ({exc})")
        return
    texts = corpus()
    n_words = sum(len(t.split()) for t in texts)
    name = default_pipeline_name()
    import spacy

    plain_nlp = spacy.load(name)
    plain_nlp("warm up")
    t = time.perf_counter()
    for _ in plain_nlp.pipe(texts, batch_size=32):
        pass
    plain = time.perf_counter() - t

    ours_nlp = load_pipeline(name)
    ours_nlp("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "bench.db") as store:
            ids = store.add_documents(AnnotatedDocument(Document(text=x)) for x in texts)
            t = time.perf_counter()
            result = preannotate(store, ids, nlp=ours_nlp, batch_size=32)
            ours = time.perf_counter() - t
            spans = store.db.execute("SELECT count(*) FROM spans").fetchone()[0]
    print(f"# {len(texts)} documents, {n_words:,} words, model {name}, {spans:,} suggestions stored")
    report("preannotate-throughput", n_words / ours, "words/s", n_words / plain)
    print(f"# target: ratio >= 0.9 (ours includes our components and the database writes); "
          f"{result.processed} documents processed")


if __name__ == "__main__":
    main()
