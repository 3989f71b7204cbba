"""Export speed per format for a project of 100k labels, beside a plain baseline.

A temporary project is filled with synthetic articles (tests/formats/corpus.py: quotes, threats,
events with their relations and attributes) until it holds >= 100,000 spans. Each format then
exports the whole project through `services.exporting.export` (store reads + the writer). The
baseline is the least any export must do: read the same documents and spans with plain sqlite3
and write them with `json.dumps`, one line per document; for the formats made of tokens (spacy,
prodigy, conll) it also tokenises every text with the same tokenizer (`tokenizer.pipe`), and for
brat (two files per document) it writes a .txt and an .ann file per document, so each ratio
measures our overhead over the format's own unavoidable work. Each time is the better of two.
`python bench/export_bench.py brat conll` runs only those formats.

    bench: export-FORMAT-100k-spans: VALUE s (baseline VALUE s, ratio R)
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.formats import ExportOptions, exporters  # noqa: E402
from annotator.services.exporting import export  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402
from tests.formats.corpus import make_bundles  # noqa: E402

TARGET_SPANS = 100_000
OUTPUTS = {"jsonl": "out.jsonl", "spacy": "out.spacy", "prodigy": "out.jsonl",
           "doccano": "out.jsonl", "brat": "brat", "conll": "out.conll",
           "labelstudio": "tasks.json", "csv": "tables"}


def _bare_rows(conn: sqlite3.Connection):
    """(text, spans) per document with plain sqlite3 and one dict per span."""
    spans: dict[int, list] = {}
    for row in conn.execute("SELECT doc_id, start, end, label, attrs FROM spans"
                            " WHERE status = 'accepted' ORDER BY doc_id, start, end"):
        spans.setdefault(row[0], []).append(
            {"start": row[1], "end": row[2], "label": row[3], "attrs": json.loads(row[4])})
    for doc_id, text in conn.execute("SELECT id, text FROM documents ORDER BY id"):
        yield text, spans.get(doc_id, [])


def baseline(db_path: Path, out: Path) -> float:
    """Read with sqlite3, write one json.dumps line per document."""
    t = time.perf_counter()
    conn = sqlite3.connect(str(db_path))
    with open(out, "w", encoding="utf-8") as fh:
        for text, spans in _bare_rows(conn):
            fh.write(json.dumps({"text": text, "spans": spans}, ensure_ascii=False))
            fh.write("\n")
    conn.close()
    return time.perf_counter() - t


def baseline_tokens(db_path: Path, out: Path) -> float:
    """The same, plus the tokens of every text from the same tokenizer (`tokenizer.pipe`),
    written as their offsets: what any token-based format must at least do."""
    from annotator.formats.tokens import blank_nlp

    tokenizer = blank_nlp().tokenizer
    t = time.perf_counter()
    conn = sqlite3.connect(str(db_path))
    rows = list(_bare_rows(conn))
    with open(out, "w", encoding="utf-8") as fh:
        for (text, spans), doc in zip(rows, tokenizer.pipe(text for text, _ in rows)):
            fh.write(json.dumps({"text": text, "spans": spans,
                                 "tokens": doc.to_array("IDX").tolist()}, ensure_ascii=False))
            fh.write("\n")
    conn.close()
    return time.perf_counter() - t


def baseline_files(db_path: Path, out: Path) -> float:
    """A text file and a label file per document (brat's layout): the bare cost of creating
    two files per document, with one line per span."""
    t = time.perf_counter()
    conn = sqlite3.connect(str(db_path))
    out.mkdir()
    for n, (text, spans) in enumerate(_bare_rows(conn), start=1):
        with open(out / f"doc-{n:05d}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with open(out / f"doc-{n:05d}.ann", "w", encoding="utf-8", newline="") as fh:
            fh.write("".join(f"T{i}\t{s['label']} {s['start']} {s['end']}\t"
                             f"{text[s['start']:s['end']]}\n" for i, s in enumerate(spans, 1)))
    conn.close()
    return time.perf_counter() - t


BASELINES = {"json": baseline, "tokens": baseline_tokens, "files": baseline_files}
BASELINE_OF = {"spacy": "tokens", "prodigy": "tokens", "conll": "tokens", "brat": "files"}


def main() -> None:
    only = set(sys.argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "bench.db"
        with Store(db) as store:
            batch, n_spans, first = 500, 0, 0
            while n_spans < TARGET_SPANS:
                bundles = make_bundles(batch, n_paragraphs=4, seed=first, first=first)
                store.add_documents(bundles)
                n_spans += sum(len(b.spans) for b in bundles)
                first += batch
            n_docs = store.document_count()
            n_spans = store.db.execute("SELECT count(*) FROM spans").fetchone()[0]
            print(f"# {n_docs:,} documents, {n_spans:,} spans")
            for fmt in exporters():
                if only and fmt not in only:
                    continue
                kind = BASELINE_OF.get(fmt, "json")
                runs, bases = [], []
                for i in range(2):  # interleaved, the better of two: the machine may be busy
                    bases.append(BASELINES[kind](db, tmp / f"baseline-{fmt}-{i}"))
                    out = tmp / fmt / OUTPUTS.get(fmt, "out")
                    out.parent.mkdir()
                    t = time.perf_counter()
                    export(store, fmt, out, options=ExportOptions(dev_fraction=0.1))
                    runs.append(time.perf_counter() - t)
                    shutil.rmtree(out.parent)
                report(f"export-{fmt}-100k-spans", min(runs), "s", min(bases))
                if kind != "json":
                    print(f"#   ({kind} baseline)")


if __name__ == "__main__":
    main()
