"""Team benchmarks: merging three 1,000-document packs, and agreement on 1,000 documents x 3
annotators (target: under 2 s).

Baselines, in the same run on the same files: a plain sqlite3 copy of the same rows (merge:
INSERT ... SELECT of the packs' decided rows into the project; agreement: copying the three
layers' span and relation rows and reading the texts), i.e. the cost of just moving the data.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import AnnotatedDocument, Document, Span  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.team.agreement import agreement  # noqa: E402
from annotator.team.assign import assign  # noqa: E402
from annotator.team.merge import merge_packs  # noqa: E402
from bench.common import report  # noqa: E402

NAMES = ("alice", "bob", "carol")
N_DOCS = 1000
SENTENCE = ("Minister {p} of {g} warned on {d} that talks in {c} would fail, and "
            "\u201cwe will not wait,\u201d she said after rebels attacked a post near {c}. ")
PEOPLE = ["Amara Velko", "Boris Tal", "Ines Marr", "Olek Sund"]
PLACES = ["Norland", "Vell", "Port Ilse", "Ostra"]


def build_project(path: Path) -> None:
    """1,000 articles of ~330 tokens, each with ~60 model suggestions and SAID_BY links."""
    rng = random.Random(0)
    bundles, suggestions = [], []
    for i in range(N_DOCS):
        parts, spans, links = [], [], []
        pos = 0
        for _ in range(10):
            p, g, c = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(PLACES)
            text = SENTENCE.format(p=p, g=g, d=f"day {i}", c=c)
            for words, label in ((p, "PERSON"), (g, "GPE"), (c, "GPE"),
                                 ("\u201cwe will not wait,\u201d", "QUOTE"), ("she", "SPEAKER"),
                                 ("attacked", "EVENT")):
                start = pos + text.index(words)
                spans.append(Span(None, start, start + len(words), label))
            links.append((len(spans) - 3, len(spans) - 2, "SAID_BY"))
            parts.append(text)
            pos += len(text)
        bundles.append(AnnotatedDocument(Document(text="".join(parts), title=f"Article {i}")))
        suggestions.append((spans, links))
    with Store(path, annotator="lead") as store:
        ids = store.add_documents(bundles)
        store.replace_suggestions_batch([(d, [Span(d, s.start, s.end, s.label) for s in spans],
                                          links) for d, (spans, links) in zip(ids, suggestions)],
                                        "model-1")


def label_pack(pack: Path, who: str, seed: int) -> None:
    """The annotator's decisions (bulk SQL: set-up, not what is measured): most suggestions
    accepted, some rejected, some boundaries moved, links accepted."""
    rng = random.Random(seed)
    conn = sqlite3.connect(pack)
    with conn:
        rows = conn.execute("SELECT id, start, end FROM spans").fetchall()
        updates = []
        for span_id, start, end in rows:
            roll = rng.random()
            status = "rejected" if roll < 0.08 else "accepted"
            new_end = end - 1 if 0.08 <= roll < 0.12 and end - start > 3 else end
            updates.append((status, who, new_end, span_id))
        conn.executemany("UPDATE spans SET status = ?, annotator = ?, end = ? WHERE id = ?",
                         updates)
        conn.execute("UPDATE relations SET status = 'accepted', annotator = ?", [who])
        conn.execute("INSERT INTO actions(ts, kind, annotator, changes, undone) VALUES"
                     " ('2024-01-01', 'bulk', ?, '[]', 0)", [who])
    conn.close()


def baseline_merge(project: Path, packs: list[Path]) -> float:
    conn = sqlite3.connect(project, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TEMP TABLE hashes AS SELECT id, content_hash FROM documents")
    for i, pack in enumerate(packs):
        conn.execute(f"ATTACH DATABASE ? AS p{i}", [str(pack)])
        conn.execute(
            "INSERT INTO spans(doc_id, start, end, label, status, origin, annotator, attrs,"
            " created, updated, uid) SELECT h.id, s.start, s.end, s.label, s.status, s.origin,"
            f" s.annotator, s.attrs, s.created, s.updated, s.uid || '-{i}' FROM p{i}.spans s"
            f" JOIN p{i}.documents d ON d.id = s.doc_id JOIN hashes h ON h.content_hash ="
            " d.content_hash WHERE s.status != 'suggested'")
        conn.execute(
            "INSERT INTO relations(doc_id, head_id, tail_id, role, status, origin, annotator,"
            " attrs, created, updated, uid) SELECT x.doc_id, x.head_id, x.tail_id, x.role,"
            f" x.status, x.origin, x.annotator, x.attrs, x.created, x.updated, x.uid || '-{i}'"
            f" FROM p{i}.relations x WHERE x.status != 'suggested'")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def baseline_agreement(project: Path) -> float:
    conn = sqlite3.connect(project)
    t = time.perf_counter()
    marks = ",".join("?" * len(NAMES))
    conn.execute(f"CREATE TEMP TABLE s AS SELECT * FROM spans WHERE annotator IN ({marks})"
                 " AND status = 'accepted'", NAMES)
    conn.execute(f"CREATE TEMP TABLE r AS SELECT * FROM relations WHERE annotator IN ({marks})",
                 NAMES)
    texts = conn.execute("SELECT id, text FROM documents").fetchall()
    elapsed = time.perf_counter() - t
    conn.close()
    assert len(texts) == N_DOCS
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = tmp / "project.db"
        build_project(project)
        with Store(project) as store:
            assign(store, list(NAMES), tmp / "packs", overlap=1.0)
        packs = [tmp / "packs" / f"{n}.db" for n in NAMES]
        for seed, (pack, who) in enumerate(zip(packs, NAMES)):
            label_pack(pack, who, seed)
        plain = tmp / "plain.db"
        shutil.copy(project, plain)
        base = baseline_merge(plain, packs)
        t = time.perf_counter()
        with Store(project) as store:
            result = merge_packs(store, packs)
        ours = time.perf_counter() - t
        rows = sum(p.spans["added"] + p.relations["added"] for p in result.packs)
        report(f"merge-3-packs-x{N_DOCS}-docs ({rows} rows)", ours, "s", base)
        base = baseline_agreement(project)
        t = time.perf_counter()
        with Store(project) as store:
            figures = agreement(store)
        ours = time.perf_counter() - t
        assert figures["documents"] == N_DOCS, figures["documents"]
        report(f"agreement-{N_DOCS}-docs-x3 ({figures['tokens']} tokens, alpha "
               f"{figures['overall']['alpha']:.3f})", ours, "s", base)
        print(f"bench: agreement target: under 2 s: {'met' if ours < 2 else 'MISSED'}",
              flush=True)


if __name__ == "__main__":
    main()
