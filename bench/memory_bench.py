"""The label memory on document open: what looking up every remembered text costs.

Article: ~5,000 words of the project's own dev gold articles (renamed copies, bench.labelled_corpus)
joined into one document, its entity labels left out. Memory: the article's own entity texts
accepted (they occur in it: about one memory suggestion per 25 words) plus made-up names that do
not, 2,000 and 20,000 entries in all (a project that has learnt many names).

Ours (per open, medians): `Store.apply_memory(doc, spans)` as Session.load calls it, when the
document is already up to date (the lookup alone: the index over every entry is kept, the text
is cut into tokens and scanned once, the plan is empty, nothing written); the first open, which
writes the memory suggestions, is printed. Baseline, same run: what opening a document reads
anyway, `Store.document` + `Store.spans`.

Run: python bench/memory_bench.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.domain import AnnotatedDocument, Document, Span  # noqa: E402
from annotator.memory import ORIGIN, key  # noqa: E402
from annotator.store import Store  # noqa: E402
from bench.common import report  # noqa: E402
from bench.labelled_corpus import labelled_documents  # noqa: E402

N_WORDS = 5_000
ENTITY = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE")
REPEAT = 30


def article() -> tuple[str, list[tuple[str, str]], list[Span]]:
    """(text, its entity (text, label) pairs, its other gold spans as suggestions)."""
    parts, names, spans, words, offset = [], [], [], 0, 0
    for doc in labelled_documents(40, seed=7):
        for s in doc.spans:
            if s.label in ENTITY:
                names.append((" ".join(doc.text[s.start:s.end].split()), s.label))
            else:
                spans.append(Span(None, offset + s.start, offset + s.end, s.label, "suggested",
                                  "model-1"))
        parts.append(doc.text)
        offset += len(doc.text) + 2
        words += len(doc.text.split())
        if words >= N_WORDS:
            break
    return "\n\n".join(parts), sorted(set(names)), spans


def made_up(n: int) -> list[str]:
    syl = ["ka", "ro", "ve", "lin", "dar", "mo", "sel", "tri", "an", "bel", "cor", "du"]
    out = []
    for i in range(n):
        a, b, c = i % 12, (i // 12) % 12, (i // 144) % 12
        out.append(f"{syl[a]}{syl[b]}{syl[c]}x".capitalize() + f" {syl[(i // 1728) % 12]}qz")
    return out


def measure(folder: Path, total: int) -> None:
    text, names, spans = article()
    path = folder / f"memory-{total}.db"
    with Store(path, annotator="bench") as store:
        doc_id, other = store.add_documents([
            AnnotatedDocument(Document(text=text, title="bench"), spans),
            AnnotatedDocument(Document(text="Where the names are learnt.", title="teach"))])
        with store.transaction():  # the remembered rows, as label actions would have left them
            rows = names + [(n, "PERSON") for n in made_up(max(0, total - len(names)))]
            for i, (words, label) in enumerate(rows):
                store.db.execute("INSERT INTO memory(text, label, accepted, rejected, decision,"
                                 " canonical, updated) VALUES (?, ?, 1, 0, 'accepted', '', ?)",
                                 [words, label, f"2024-01-01T00:00:{i:06d}"])
    with Store(path, annotator="bench") as store:
        t = time.perf_counter()
        change = store.apply_memory(doc_id)
        first = time.perf_counter() - t
        made = len(change.spans) if change else 0
        ours, base = [], []
        for _ in range(REPEAT):
            store._texts.clear()  # read and cut the text again, as the first open would
            store._memory_tokens = None
            t = time.perf_counter()
            store.document(doc_id)
            spans = store.spans(doc_id)
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert store.apply_memory(doc_id, spans) is None  # up to date: the lookup alone
            ours.append(time.perf_counter() - t)
        assert sum(s.origin == ORIGIN for s in store.spans(doc_id)) == made
    words = len(text.split())
    med = statistics.median
    print(f"# {words:,}-word article, {len(rows):,} remembered texts ({len(names)} of them in "
          f"it, {len({key(n) for n, _ in names})} distinct); first open wrote {made} memory "
          f"suggestion(s) in {first * 1000:.1f} ms", flush=True)
    report(f"memory-lookup-on-open-{len(rows) // 1000}k", med(ours) * 1000, "ms", med(base) * 1000)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for total in (2_000, 20_000):
            measure(Path(tmp), total)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
