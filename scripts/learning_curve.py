"""Learning curve: what training on k of our own gold documents buys on documents it never saw.

    python scripts/learning_curve.py [--k 2 4 8] [--draws N] [--tune] [--max-steps N]

Train `annotator train`'s pipeline (the service, same defaults) on k documents of the dev gold
set (resources/samples/*.gold.jsonl; k = 0 is the default pipeline, the largest k all of them)
and score its suggestions on the held-out gold set (resources/samples/heldout/) with the same
scorer as `eval_suggestions.py`, F1 per suggestion type. Held-out documents are never trained on,
tuned on or used to pick a checkpoint: the training runs have no dev split (their checkpoint is
scored on their own training documents).

--tune scores on the dev documents that were not trained on instead (never the held-out set):
use it to try settings, then run without it once. With --draws N each k below "all" is trained
on N different random subsets and the F1s are averaged.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import eval_suggestions as ev  # noqa: E402

KINDS = ("entities", "quotes", "quotes exact", "speaker links", "threats", "events", "events with type")
LINE = re.compile(r"^eval: (\w+): ([\w ]+): P=([\d.]+) R=([\d.]+) F1=([\d.]+)")


def f1_by_kind(nlp, schema, gold: list) -> dict[str, float]:
    out = {}
    for line in ev.evaluate("test", nlp, schema, gold, None, False):
        m = LINE.match(line)
        if m:
            out[m.group(2)] = float(m.group(5))
    return out


def mean(scores: list[dict[str, float]]) -> dict[str, float]:
    return {kind: sum(d.get(kind, 0.0) for d in scores) / len(scores) for kind in scores[0]}


def make_store(path: Path, gold: list):
    from annotator.domain import ACCEPTED, DOC_DONE, AnnotatedDocument, Document, Span
    from annotator.store import Store

    store = Store(path)
    bundles = [AnnotatedDocument(Document(text=g.text, title=g.text.split("\n", 1)[0], status=DOC_DONE),
                                 [Span(None, s, e, label, ACCEPTED, annotator="gold")
                                  for s, e, label, _ in g.spans]) for g in gold]
    return store, store.add_documents(bundles)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--k", type=int, nargs="+", help="training set sizes (default 2, 4, half and all)")
    ap.add_argument("--draws", type=int, default=1, help="random subsets per k below all")
    ap.add_argument("--tune", action="store_true", help="score on untrained dev documents, not held-out")
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from annotator.nlp.models import load_pipeline, model_origin
    from annotator.schema import load_schema
    from annotator.training.train import TrainingRefused, TrainOptions, train

    samples = ROOT / "resources" / "samples"
    dev = [d for f in sorted(samples.glob("*.gold.jsonl")) for d in ev.read_gold(f)]
    heldout = [d for f in sorted((samples / "heldout").glob("*.gold.jsonl")) for d in ev.read_gold(f)]
    if not dev or (not heldout and not args.tune):
        print("learning curve: no gold files")
        return 1
    ks = sorted(set(args.k or [2, 4, len(dev) // 2, len(dev)]))
    ks = [k for k in ks if 0 < k <= len(dev)]
    schema = load_schema()
    target = "untrained dev documents (--tune)" if args.tune else f"{len(heldout)} held-out documents"
    default = load_pipeline(None)
    print(f"learning curve: train on k of {len(dev)} dev gold documents, F1 on {target}; "
          f"k=0 is {model_origin(default)}")
    rows: list[tuple[str, dict[str, float], str]] = []
    if not args.tune:
        rows.append(("0", f1_by_kind(default, schema, heldout), ""))
    with tempfile.TemporaryDirectory() as tmp:
        store, ids = make_store(Path(tmp) / "gold.db", dev)
        rng = random.Random(args.seed)
        for k in ks:
            draws = 1 if k == len(dev) else args.draws
            runs = []
            for draw in range(draws):
                chosen = sorted(rng.sample(range(len(dev)), k))
                test = [dev[i] for i in range(len(dev)) if i not in chosen] if args.tune else heldout
                if not test:
                    continue
                out = Path(tmp) / f"model-{k}-{draw}"
                started = time.perf_counter()
                try:
                    result = train(store, TrainOptions(out=out, doc_ids=tuple(ids[i] for i in chosen),
                                                       dev_doc_ids=(), max_steps=args.max_steps,
                                                       seed=args.seed + draw))
                except TrainingRefused as exc:
                    print(f"learning curve: k={k}: {exc}")
                    continue
                nlp = load_pipeline(str(out))
                base = f1_by_kind(default, schema, test) if args.tune else None
                runs.append((f1_by_kind(nlp, schema, test), base, result, time.perf_counter() - started))
            if not runs:
                continue
            skipped = sorted({s.split(":")[0] for r in runs for s in r[2].skipped})
            note = (f"{runs[0][2].steps} steps, {sum(r[3] for r in runs) / len(runs):.0f}s"
                    + (f", mean of {len(runs)} draws" if len(runs) > 1 else "")
                    + (f"; not trained (too few): {' '.join(skipped)}" if skipped else ""))
            if args.tune:
                rows.append((f"{k} base", mean([r[1] for r in runs]), "default pipeline, same documents"))
            rows.append((str(k), mean([r[0] for r in runs]), note))
        store.close()
    print("learning curve: " + f"{'k':<7}" + "".join(f"{kind:>18}" for kind in KINDS))
    for k, scores, note in rows:
        print("learning curve: " + f"{k:<7}" + "".join(f"{scores.get(kind, 0.0):>18.2f}" for kind in KINDS)
              + (f"   ({note})" if note else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
