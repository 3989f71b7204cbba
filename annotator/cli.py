"""Command line: the GUI by default, plus import / export / stats / preannotate / train / queue.

Exit codes: 0 success, 1 some input refused or the job failed, 2 bad usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator import __version__


def _progress(total: int | None, unit: str, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True,
                disable=None)  # None: hide when stderr is not a terminal


def _open_store(path: str, create: bool = True):
    from annotator.store import Store

    return Store(path, create=create)


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.services.importing import expand_paths, import_paths

    files = list(expand_paths(args.paths))
    with _open_store(args.db) as store, _progress(len(files), "file", "import") as bar:
        report = import_paths(store, files, progress=lambda _p: bar.update(1))
    for problem in report.problems:
        print(f"refused: {problem}", file=sys.stderr)
    print(f"imported {report.documents_added} document(s) from {report.files} file(s); "
          f"{report.documents_skipped} already present; {len(report.problems)} file(s) refused")
    status = 0 if report.ok else 1
    if args.preannotate and report.added_ids:
        status = max(status, _run_preannotate(args, report.added_ids))
    return status


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.formats import ExportOptions
    from annotator.services.exporting import ExportFilter, export

    flt = ExportFilter(include_suggestions=args.include_suggestions, labels=tuple(args.label or ()),
                       annotator=args.annotator or "", doc_status=args.doc_status or "")
    options = ExportOptions(include_suggestions=args.include_suggestions, labels=flt.labels,
                            seed=args.seed, dev_fraction=args.dev_fraction)
    with _open_store(args.db, create=False) as store:
        with _progress(store.document_count(), "doc", f"export {args.format}") as bar:
            count = export(store, args.format, Path(args.out), flt, options,
                           progress=lambda n, total: bar.update(n - bar.n))
    print(f"exported {count} document(s) as {args.format} to {args.out}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _open_store(args.db, create=False) as store:
        stats = store.stats()
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    print(f"documents: {stats['documents']}  "
          + "  ".join(f"{k}: {v}" for k, v in stats["documents_by_status"].items()))
    print(f"{'label':<12} {'status':<10} {'count':>7}")
    for row in stats["spans"]:
        print(f"{row['label']:<12} {row['status']:<10} {row['count']:>7}")
    for row in stats["relations"]:
        print(f"{row['role']:<12} {row['status']:<10} {row['count']:>7}  (relation)")
    return 0


def cmd_preannotate(args: argparse.Namespace) -> int:
    return _run_preannotate(args, None)


def _run_preannotate(args: argparse.Namespace, doc_ids: list[int] | None) -> int:
    from annotator.services.preannotate import preannotate

    engine = getattr(args, "engine", "local")
    with _open_store(args.db, create=False) as store:
        with _progress(None, "doc", "pre-annotate") as bar:
            def progress(done, total, words):
                bar.total = total
                bar.update(done - bar.n)

            if engine == "dask":
                from annotator.services.cluster import preannotate_on_cluster

                result = preannotate_on_cluster(
                    store, doc_ids, model=args.model, scheduler=args.scheduler,
                    n_workers=args.workers, batch_size=args.batch_size, progress=progress)
            else:
                result = preannotate(store, doc_ids, model=args.model,
                                     batch_size=args.batch_size, n_process=args.n_process,
                                     progress=progress)
    print(f"pre-annotated {result.processed} document(s) with {result.origin} "
          f"({result.skipped} already done), {result.words_per_second:,.0f} words/s, "
          f"{result.documents_per_second:,.1f} documents/s")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from annotator.training.report import train_lines
    from annotator.training.train import TrainOptions, train

    options = TrainOptions(out=args.out, labels=tuple(args.labels or ()), base=args.base,
                           dev_fraction=args.dev_fraction, max_steps=args.max_steps, seed=args.seed)
    with _progress(None, "step", "train") as bar:
        def progress(step, total, loss, scores):
            bar.total = total
            bar.update(step - bar.n)
            if scores:
                bar.set_postfix_str(f"loss {loss:.1f} dev {scores['score']:.3f}", refresh=False)

        result = train(args.db, options, progress=progress)
    print("\n".join(train_lines(result)))
    if result.model_dir:
        print(f"use it: annotator preannotate --db {args.db} --model {result.model_dir}")
    return 130 if result.interrupted else 0


def cmd_queue(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from annotator.training.queue import most_useful_next
    from annotator.training.report import queue_lines

    with _progress(None, "doc", "rank") as bar:
        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        result = most_useful_next(args.db, model=args.model, limit=args.limit, progress=progress)
    print(json.dumps(asdict(result), indent=1) if args.json else "\n".join(queue_lines(result)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annotator", description="News Annotator")
    parser.add_argument("--version", action="version", version=f"News Annotator {__version__}")
    parser.add_argument("--db", help="project database (GUI default: your data folder)")
    sub = parser.add_subparsers(dest="command")

    def with_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", required=True, help="project database file")

    def with_model(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", help="spaCy pipeline package name or folder")
        p.add_argument("--batch-size", type=int, default=32)
        p.add_argument("--n-process", type=int, default=1)

    p = sub.add_parser("import", help="import files or folders (.txt .md .html .jsonl .csv)")
    p.add_argument("paths", nargs="+")
    with_db(p)
    p.add_argument("--preannotate", action="store_true", help="pre-annotate what was imported")
    with_model(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export labelled data")
    with_db(p)
    p.add_argument("--format", default="jsonl")
    p.add_argument("--out", required=True)
    p.add_argument("--include-suggestions", action="store_true")
    p.add_argument("--label", action="append", help="only this label (repeatable)")
    p.add_argument("--annotator", help="only labels by this annotator")
    p.add_argument("--doc-status", choices=["new", "in_progress", "done"])
    p.add_argument("--seed", type=int, default=0, help="seed of the train/dev split")
    p.add_argument("--dev-fraction", type=float, default=0.0)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="documents, spans per label and status")
    with_db(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("preannotate", help="add spaCy suggestions to every document")
    with_db(p)
    with_model(p)
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="dask: run the pipeline on a Dask cluster (extra: news-annotator[cluster])")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                                       "(default: start a local cluster)")
    p.add_argument("--workers", type=int, default=2,
                   help="worker processes of the local Dask cluster (without --scheduler)")
    p.set_defaults(func=cmd_preannotate)

    p = sub.add_parser("train", help="train a pipeline from the accepted labels")
    with_db(p)
    p.add_argument("--out", required=True, help="folder for the trained pipeline")
    p.add_argument("--labels", nargs="+", help="only these labels (default: all with enough)")
    p.add_argument("--base", help="pipeline to start from (default: the default pipeline)")
    p.add_argument("--dev-fraction", type=float, default=0.2, help="documents held out to score")
    p.add_argument("--max-steps", type=int, help="training steps (default: from the data size)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("queue", help="unfinished documents, most useful to label first")
    with_db(p)
    p.add_argument("--model", help="trained pipeline folder (default: the default pipeline)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_queue)
    return parser


def _cluster_error() -> type[Exception]:
    from annotator.services.cluster import ClusterError

    return ClusterError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from annotator.system_check import check_gui_libraries

        problem = check_gui_libraries()
        if problem:
            print(problem, file=sys.stderr)
            return 3
        from annotator.app import run_gui

        return run_gui(args.db)
    from annotator.formats import ImportProblem
    from annotator.store import StoreError

    try:
        return args.func(args)
    except (StoreError, ImportProblem, ValueError, OSError, _cluster_error()) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: finished work is saved; run the same command to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
