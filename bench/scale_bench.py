"""`make bench-scale` (not in `make bench`): projects of 10k, 100k and 1M generated short
articles, each measured beside bare sqlite3 doing the same work in the same run.

Per size:
* build: documents with 3 labels each written through `Store.add_documents` in batches of
  2,000 (one transaction each, FTS index and content hashes as in any import); baseline: plain
  sqlite3 executemany of the same rows into the same tables (FTS5 index included);
* file size per document (database + write-ahead log);
* open: `Store(path)` + the corpus list's first page + the document count (what the window
  reads on opening a project); baseline: sqlite3.connect + the first page's SELECT;
* search: the corpus list's first page and count for a word in 1 in 1,000 articles and one in
  1 in 10 (prefix queries, as the search box makes them); baseline: the bare FTS MATCH (first
  page of rowids, and the count);
* export: the 10k documents marked done (spread over the project, all of them at 10k) as jsonl
  (`--doc-status done`); baseline: sqlite3
  reads of those documents and labels, one json.dumps line per document.
Then peak memory (RSS) of `preannotate` with the default pipeline over 10k and 100k tiny
articles, each in a fresh process (baseline: the 10k run; flat memory = ratio ~1).

    python bench/scale_bench.py [SIZE ...] [--no-rss]      (default: 10000 100000 1000000)
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import DOC_DONE, AnnotatedDocument, Document, Span  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import median_ms, report  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
BATCH = 2_000
EXPORT_DOCS = 10_000
PAGE = 256
FIRST = ["Amara", "Jonas", "Ilse", "Petra", "Marek", "Sofia", "Tomas", "Lena", "Viktor", "Nadia"]
LAST = ["Velko", "Brandt", "Kovac", "Lindqvist", "Moreau", "Halloran", "Ostrova", "Reyes"]
PLACES = ["Norland", "Port Ilse", "Vestria", "Kalmar", "Tarsis", "Belmont", "Quillon", "Marenne"]
ORGS = ["the Interior Ministry", "the Harbour Authority", "the Miners' Union", "the Senate"]
VERBS = ["warned", "said", "announced", "confirmed", "denied", "insisted"]
TOPICS = ["the talks would resume", "the border would stay closed", "prices would rise",
          "the strike was over", "more troops were on the way", "the vote was postponed"]


def article(i: int, done_every: int = 100) -> AnnotatedDocument:
    """A short article (3 sentences, ~45 words) with a PERSON, a GPE and an ORG label, marked
    done if i is a multiple of `done_every`. Word `rareword{i % 1000}` occurs in 1 of 1,000
    articles, `common{i % 10}` in 1 of 10."""
    r = random.Random(i)
    person = f"{r.choice(FIRST)} {r.choice(LAST)}"
    place, org = r.choice(PLACES), r.choice(ORGS)
    lead = f"{person} {r.choice(VERBS)} on day {i} that {r.choice(TOPICS)}."
    body = (f" Officials in {place} met {org} for talks on report {i} (common{i % 10}).\n"
            f"Observers called it rareword{i % 1000} and expect more news within {i % 9 + 2} days.")
    text = lead + body
    spans = [Span(None, 0, len(person), "PERSON", id=0),
             Span(None, text.index(place), text.index(place) + len(place), "GPE", id=1),
             Span(None, text.index(org), text.index(org) + len(org), "ORG", id=2)]
    status = DOC_DONE if i % done_every == 0 else "new"
    return AnnotatedDocument(Document(text=text, title=lead[:80], status=status), spans)


# --- building --------------------------------------------------------------------------------


def done_every(n: int) -> int:
    """EXPORT_DOCS of the n documents are done (spread over the project)."""
    return max(1, n // EXPORT_DOCS)


def build_ours(path: Path, n: int) -> float:
    started = time.perf_counter()
    with Store(path) as store:
        for first in range(0, n, BATCH):
            store.add_documents(article(i, done_every(n))
                                for i in range(first, min(n, first + BATCH)))
    return time.perf_counter() - started


def build_bare(path: Path, n: int) -> float:
    """The same rows into the same tables (schema copied from a fresh project), plain sqlite3."""
    with Store(path):
        pass  # creates the schema: documents, spans, FTS5 index and triggers
    started = time.perf_counter()
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    for first in range(0, n, BATCH):
        bundles = [article(i, done_every(n)) for i in range(first, min(n, first + BATCH))]
        conn.execute("BEGIN IMMEDIATE")
        top = conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
        conn.executemany(
            "INSERT INTO documents(id, text, title, content_hash, status) VALUES (?,?,?,?,?)",
            [(top + k + 1, b.document.text, b.document.title, b.document.content_hash,
              b.document.status) for k, b in enumerate(bundles)])
        conn.executemany(
            "INSERT INTO spans(doc_id, start, end, label, status, origin) VALUES (?,?,?,?,?,?)",
            [(top + k + 1, s.start, s.end, s.label, s.status, s.origin)
             for k, b in enumerate(bundles) for s in b.spans])
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


# --- opening, searching, exporting ---------------------------------------------------------------




def open_ours(path: Path) -> None:
    with Store(path, create=False) as store:
        store.document_rows(limit=PAGE)
        store.document_count()


def open_bare(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("SELECT id, title, published, status FROM documents ORDER BY id LIMIT ?",
                 [PAGE]).fetchall()
    conn.close()


def search_ours(store: Store, word: str) -> None:
    store.document_rows(text_filter=word, limit=PAGE)
    store.document_count(text_filter=word)


def search_bare(conn: sqlite3.Connection, word: str) -> None:
    query = f'"{word}"*'
    conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid"
                 " LIMIT ?", [query, PAGE]).fetchall()
    conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?",
                 [query]).fetchone()


def export_ours(store: Store, out: Path) -> int:
    from annotator.services.exporting import ExportFilter, export

    return export(store, "jsonl", out, ExportFilter(doc_status=DOC_DONE))


def export_bare(path: Path, out: Path) -> None:
    conn = sqlite3.connect(str(path))
    ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE status = ? ORDER BY id",
                                      [DOC_DONE])]
    with open(out, "w", encoding="utf-8") as fh:
        for first in range(0, len(ids), PAGE):
            page = ids[first:first + PAGE]
            marks = ",".join("?" * len(page))
            spans: dict[int, list] = {}
            for row in conn.execute(f"SELECT doc_id, start, end, label, attrs FROM spans WHERE"
                                    f" doc_id IN ({marks}) AND status = 'accepted'"
                                    " ORDER BY doc_id, start, end", page):
                spans.setdefault(row[0], []).append(
                    {"start": row[1], "end": row[2], "label": row[3],
                     "attrs": json.loads(row[4] or "{}")})
            for doc_id, text in conn.execute(
                    f"SELECT id, text FROM documents WHERE id IN ({marks}) ORDER BY id", page):
                fh.write(json.dumps({"text": text, "spans": spans.get(doc_id, [])},
                                    ensure_ascii=False) + "\n")
    conn.close()


def measure(folder: Path, n: int) -> dict:
    ours_db, bare_db = folder / f"ours-{n}.db", folder / f"bare-{n}.db"
    ours_s, bare_s = build_ours(ours_db, n), build_bare(bare_db, n)
    bare_db.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(bare_db) + suffix).unlink(missing_ok=True)
    k = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
    report(f"scale-{k}-import-rate", n / ours_s, "docs/s", n / bare_s)
    size = file_size(ours_db) / n
    print(f"bench: scale-{k}-file-size-per-document: {size:,.0f} bytes (3 labels each; "
          f"{file_size(ours_db) / 1e6:,.0f} MB in all)", flush=True)
    open_ms, open_base = median_ms(lambda: open_ours(ours_db)), median_ms(lambda: open_bare(ours_db))
    report(f"scale-{k}-open", open_ms, "ms", open_base)
    out = {"n": n, "import": n / ours_s, "size": size, "open": open_ms}
    conn = sqlite3.connect(str(ours_db))
    with Store(ours_db, create=False) as store:
        for label, word in (("rare", "rareword123"), ("common", "common3")):
            ms = median_ms(lambda w=word: search_ours(store, w))
            base = median_ms(lambda w=word: search_bare(conn, w))
            report(f"scale-{k}-search-{label}-word", ms, "ms", base)
            out[f"search-{label}"] = ms
        # one untimed run of each first: the first read of a freshly built file after the build
        # is cold (at 1M: 2.7 s, then 0.7 s), and it must not count against whichever goes first
        export_ours(store, folder / "out.jsonl")
        export_bare(ours_db, folder / "bare.jsonl")
        export_s = median_ms(lambda: export_ours(store, folder / "out.jsonl"), 2) / 1000
        base_s = median_ms(lambda: export_bare(ours_db, folder / "bare.jsonl"), 2) / 1000
        count = store.document_count(status=DOC_DONE)
    conn.close()
    report(f"scale-{k}-export-{count // 1000}k-docs-jsonl", export_s, "s", base_s)
    out["export"] = export_s
    ours_db.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(ours_db) + suffix).unlink(missing_ok=True)
    return out


# --- memory of pre-annotation -------------------------------------------------------------------


def tiny(i: int) -> str:
    r = random.Random(i)
    return (f"{r.choice(FIRST)} {r.choice(LAST)} {r.choice(VERBS)} in {r.choice(PLACES)} that "
            f"{r.choice(TOPICS)} (report {i}).")


def rss_child(db: str) -> None:
    """Run in a fresh process: pre-annotate the project, print the peak RSS in MB."""
    import resource

    from annotator.services.preannotate import preannotate

    with Store(db, create=False) as store:
        result = preannotate(store, batch_size=64)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({"rss_mb": peak, "docs": result.processed, "seconds": result.seconds,
                      "words": result.words}))


def rss_run(folder: Path, n: int) -> dict:
    db = folder / f"rss-{n}.db"
    with Store(db) as store:
        for first in range(0, n, BATCH):
            store.add_documents(AnnotatedDocument(Document(text=tiny(i)))
                                for i in range(first, min(n, first + BATCH)))
    out = subprocess.run([sys.executable, __file__, "--rss-child", str(db)], check=True,
                         capture_output=True, text=True).stdout
    db.unlink()
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv[:1] == ["--rss-child"]:
        rss_child(argv[1])
        return
    sizes = [int(a) for a in argv if a.isdigit()] or list(SIZES)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        rows = [measure(Path(tmp), n) for n in sizes]
        if len(rows) > 1:
            print("# growth from the smallest to each larger size (x the smallest):")
            first = rows[0]
            for row in rows[1:]:
                print(f"#   {row['n']:,} docs ({row['n'] // first['n']}x): import rate "
                      f"{row['import'] / first['import']:.2f}x, size/doc "
                      f"{row['size'] / first['size']:.2f}x, open {row['open'] / first['open']:.2f}x,"
                      f" rare search {row['search-rare'] / first['search-rare']:.2f}x, common "
                      f"search {row['search-common'] / first['search-common']:.2f}x, export "
                      f"{row['export'] / first['export']:.2f}x")
        if "--no-rss" not in argv:
            small, large = rss_run(Path(tmp), 10_000), rss_run(Path(tmp), 100_000)
            for run in (small, large):
                print(f"# pre-annotated {run['docs']:,} tiny documents in {run['seconds']:.0f} s "
                      f"({run['words'] / run['seconds']:,.0f} words/s), peak RSS "
                      f"{run['rss_mb']:.0f} MB")
            report("preannotate-peak-rss-100k-docs", large["rss_mb"], "MB", small["rss_mb"])
            print("# (baseline: the same run over 10k documents; flat memory is a ratio near 1)")


if __name__ == "__main__":
    main(sys.argv[1:])
