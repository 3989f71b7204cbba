"""Command line: the GUI by default, plus import / export / stats / preannotate / train / queue /
actors / dates, and the team's assign / merge / agreement (annotator/team/cli.py).

Exit codes: 0 success, 1 some input refused or the job failed, 2 bad usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from annotator import __version__


class _HiddenProgress:
    """The bar when stderr is not a terminal (tqdm would hide itself there, after ~45 ms of imports
    a scripted run does not need): keeps the count, shows nothing."""

    def __init__(self, total: int | None) -> None:
        self.total, self.n = total, 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix(self, *_args, **_kwargs) -> None:
        pass

    def set_postfix_str(self, *_args, **_kwargs) -> None:
        pass

    def __enter__(self) -> _HiddenProgress:
        return self

    def __exit__(self, *_exc) -> None:
        pass


def _progress(total: int | None, unit: str, desc: str):
    if not sys.stderr.isatty():
        return _HiddenProgress(total)
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True)


def _open_store(path: str, create: bool = True, check: bool = False):
    """`check`: SQLite's quick_check first (commands that write much: never into a damaged file)."""
    from annotator.store import Store

    return Store(path, create=create, check=check)


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.formats.mapping import load_mapping
    from annotator.services.importing import ImportOptions, expand_paths, import_paths

    # the files are listed for the bar's total only: a hidden bar saves walking the folders twice
    total = len(list(expand_paths(args.paths))) if sys.stderr.isatty() else None
    with _open_store(args.db, check=True) as store:
        options = ImportOptions(mapping=load_mapping(store.schema, args.map or (),
                                                     args.map_file or ()),
                                skip_bad_spans=args.skip_bad_spans,
                                standoff=Path(args.standoff) if args.standoff else None)
        with _progress(total, "file", "import") as bar:
            report = import_paths(store, args.paths, progress=lambda _p: bar.update(1),
                                  on_documents=lambda n: bar.set_postfix(documents=n,
                                                                         refresh=False),
                                  options=options)
    for skipped in report.skipped:
        print(f"skipped: {skipped}", file=sys.stderr)
    for problem in report.problems:
        print(f"refused: {problem}", file=sys.stderr)
    for path in report.not_tried:
        print(f"not tried: {path}", file=sys.stderr)
    print(report.summary())
    status = 0 if report.ok else 1
    if args.preannotate and (report.added_ids or report.present_ids):
        status = max(status, _preannotate_imported(args, report))
    return status


def _preannotate_imported(args: argparse.Namespace, report) -> int:
    """Pre-annotate what the import brought in, and resume documents an interrupted earlier run
    imported but left without suggestions (the files' documents that were already present)."""
    added = list(dict.fromkeys(report.added_ids))
    ids = list(dict.fromkeys([*added, *report.present_ids]))
    result = _run_preannotate(args, ids)
    resumed = max(0, result.processed - len(added))
    if resumed:
        print(f"resumed {resumed} document(s) imported earlier without suggestions")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.formats import ExportOptions
    from annotator.services.exporting import ExportFilter, export
    from annotator.team.identity import CURATED

    layers = (CURATED,) if args.curated else tuple(args.annotator or ())
    flt = ExportFilter(include_suggestions=args.include_suggestions, labels=tuple(args.label or ()),
                       annotators=layers, doc_status=args.doc_status or "",
                       include_links=args.include_suggested_links)
    options = ExportOptions(include_suggestions=args.include_suggestions, labels=flt.labels,
                            seed=args.seed, dev_fraction=args.dev_fraction)
    with _open_store(args.db, create=False) as store:
        print(_included(store, flt.doc_status))
        if not flt.include_suggestions:
            _warn_link_gaps(store, flt)
        with _progress(store.document_count(), "doc", f"export {args.format}") as bar:
            count = export(store, args.format, Path(args.out), flt, options,
                           progress=lambda n, total: bar.update(n - bar.n))
    print(f"exported {count} document(s) as {args.format} to {args.out}")
    return 0


def _included(store, doc_status: str) -> str:
    """Which documents the export takes, by status (the GUI exports done ones by default)."""
    by_status = store.stats()["documents_by_status"]
    if doc_status:
        return (f"documents: the {by_status.get(doc_status, 0)} {doc_status.replace('_', ' ')} "
                f"of {sum(by_status.values())}")
    parts = ", ".join(f"{n} {st.replace('_', ' ')}" for st, n in sorted(by_status.items()))
    return (f"documents: all {sum(by_status.values())} ({parts or 'none'}); "
            "--doc-status done for the finished ones only")


def _warn_link_gaps(store, flt) -> None:
    """Say on stderr what an accepted-only export misses (quotes without speakers, ...)."""
    from annotator.services.link_gaps import link_gaps

    for gap in link_gaps(store, flt.doc_status):
        left = gap.missing - (gap.suggested if flt.include_links else 0)
        if not left:
            continue
        if flt.include_links:
            line = f"{left} of {gap.heads} accepted {gap.expected.plural} have no {gap.expected.noun}"
        else:
            line = gap.detail() + ("; --include-suggested-links adds them" if gap.suggested
                                   else "")
        print(f"warning: {line}", file=sys.stderr)


def cmd_stats(args: argparse.Namespace) -> int:
    from annotator.team.identity import CURATED

    with _open_store(args.db, create=False) as store:
        stats = store.stats()
        chosen = [CURATED] if args.curated else args.annotator
        stats["layers"] = store.layer_stats(chosen)
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
    for layer in stats["layers"]:
        spans = ", ".join(f"{k} {v}" for k, v in sorted(layer["spans"].items())) or "no spans"
        print(f"layer {layer['annotator']}: {layer['documents']} document(s), {spans}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """Set a damaged project aside and put its newest backup that passes the check in its place."""
    from annotator.services.recovery import check_backups, recover
    from annotator.store.integrity import file_problem

    db = Path(args.db)
    if db.exists() and not args.force and not file_problem(db):
        print(f"error: {db} passes the check: nothing to recover (to go back to a backup anyway, "
              "use File > Restore Backup… or --force)", file=sys.stderr)
        return 1
    if args.backup:
        backup = Path(args.backup)
    else:
        backup = next((s.path for s in check_backups(db) if s.good), None)
        if backup is None:
            print(f"error: {db}: no backup passes the check; nothing was changed", file=sys.stderr)
            return 1
    damaged = recover(db, backup)
    print(f"restored {backup} to {db}; the damaged file is kept as {damaged}")
    return 0


def cmd_preannotate(args: argparse.Namespace) -> int:
    _run_preannotate(args, None)
    return 0


def _run_preannotate(args: argparse.Namespace, doc_ids: list[int] | None):
    from annotator.services.preannotate import preannotate

    engine = getattr(args, "engine", "local")
    with _open_store(args.db, create=False, check=True) as store:
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
    return result


def cmd_demo(args: argparse.Namespace) -> int:
    """The demo project the GUI's Help > Open Demo Project opens, written where you say."""
    from annotator.services.samples import build_demo, sample_paths

    nlp = None
    if not args.no_suggestions:
        from annotator.nlp.models import load_pipeline

        nlp = load_pipeline(args.model)
    with _progress(len(sample_paths()), "doc", "demo") as bar:
        path = build_demo(Path(args.db), nlp=nlp, progress=lambda done, _total: bar.update(done - bar.n))
    print(f"demo project with {len(sample_paths())} sample article(s) written to {path}")
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


def cmd_actors_export(args: argparse.Namespace) -> int:
    from annotator.analysis.registry import export_registry

    with _open_store(args.db, create=False) as store:
        count = export_registry(store, Path(args.out), args.format or "")
    print(f"exported {count} actor(s) to {args.out}")
    return 0


def cmd_dates(args: argparse.Namespace) -> int:
    from annotator.services.dates import resolve_dates

    with _open_store(args.db, create=False) as store:
        ids = store.document_ids()
        with _progress(len(ids), "doc", "resolve dates") as bar:
            report = resolve_dates(store, ids, progress=lambda n, total: bar.update(n - bar.n))
    for doc_id, _text, why in report.unresolved[:args.show]:
        print(f"unresolved: document {doc_id}: {why}", file=sys.stderr)
    more = len(report.unresolved) - args.show
    if more > 0:
        print(f"unresolved: ... and {more} more", file=sys.stderr)
    print(f"resolved {report.resolved} date(s) in {report.documents} document(s); "
          f"{len(report.unresolved)} could not be resolved (left without iso)")
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

    p = sub.add_parser("import", help="import files or folders (.txt .md .html .csv .jsonl .json "
                                      ".ann)")
    p.add_argument("paths", nargs="+")
    with_db(p)
    p.add_argument("--map", action="append", metavar="NAME=TARGET",
                   help="read the file's label or role NAME as our TARGET (repeatable; "
                        "label:NAME=... / role:NAME=... to say which; TARGET '-' leaves it out)")
    p.add_argument("--map-file", action="append", metavar="FILE",
                   help="TOML or JSON mapping: [labels], [roles], [standoff] tables")
    p.add_argument("--skip-bad-spans", action="store_true",
                   help="import a document without its bad spans (each one listed) instead of "
                        "refusing the file")
    p.add_argument("--standoff", metavar="ANNOTATIONS",
                   help="annotations file (entities/relations keyed by document id, or JSON "
                        "Lines naming it in documentId; character begin/end) for the documents "
                        "file(s) given")
    p.add_argument("--preannotate", action="store_true",
                   help="pre-annotate what was imported (and resume an interrupted run)")
    with_model(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export labelled data")
    with_db(p)
    p.add_argument("--format", default="jsonl")
    p.add_argument("--out", required=True)
    p.add_argument("--include-suggestions", action="store_true")
    p.add_argument("--include-suggested-links", action="store_true",
                   help="accepted labels plus the suggested links of accepted spans (and the "
                        "spans they reach)")
    p.add_argument("--label", action="append", help="only this label (repeatable)")
    layer = p.add_mutually_exclusive_group()
    layer.add_argument("--annotator", nargs="+", metavar="NAME",
                       help="only these annotators' layers (and the documents they labelled)")
    layer.add_argument("--curated", action="store_true",
                       help="only the curated layer: the adjudicated gold")
    p.add_argument("--doc-status", choices=["new", "in_progress", "done"])
    p.add_argument("--seed", type=int, default=0, help="seed of the train/dev split")
    p.add_argument("--dev-fraction", type=float, default=0.0)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="documents, spans per label and status, layers")
    with_db(p)
    p.add_argument("--json", action="store_true")
    layer = p.add_mutually_exclusive_group()
    layer.add_argument("--annotator", nargs="+", metavar="NAME", help="layers to count")
    layer.add_argument("--curated", action="store_true", help="count the curated layer")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("actors", help="the actor registry")
    actors = p.add_subparsers(dest="actors_command", required=True)
    p = actors.add_parser("export", help="write the registry as CSV or JSON")
    with_db(p)
    p.add_argument("--out", required=True, help="a .csv or .json file")
    p.add_argument("--format", choices=["csv", "json"], help="default: from the suffix")
    p.set_defaults(func=cmd_actors_export)

    p = sub.add_parser("dates", help="resolve DATE spans to ISO dates (their iso attribute) "
                                     "against each document's dateline or published date")
    with_db(p)
    p.add_argument("--show", type=int, default=20, help="unresolved dates to list")
    p.set_defaults(func=cmd_dates)

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

    p = sub.add_parser("demo", help="write the demo project (the bundled sample articles, with "
                                    "suggestions) to --db")
    p.add_argument("--db", required=True, help="the demo project file to write (replaced)")
    p.add_argument("--model", help="spaCy pipeline package name or folder")
    p.add_argument("--no-suggestions", action="store_true", help="the samples only, no model")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("train", help="train a pipeline from the accepted labels")
    with_db(p)
    p.add_argument("--out", required=True, help="folder for the trained pipeline")
    p.add_argument("--labels", nargs="+", help="only these labels (default: all with enough)")
    p.add_argument("--base", help="pipeline to start from (default: the default pipeline)")
    p.add_argument("--dev-fraction", type=float, default=0.2, help="documents held out to score")
    p.add_argument("--max-steps", type=int, help="training steps (default: from the data size)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("recover", help="set a damaged project aside (renamed, untouched) and "
                       "restore its newest backup that passes SQLite's check")
    p.add_argument("db", help="the damaged project file")
    p.add_argument("--backup", help="restore this backup instead of the newest good one")
    p.add_argument("--force", action="store_true", help="even if the project passes the check")
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("queue", help="unfinished documents, most useful to label first")
    with_db(p)
    p.add_argument("--model", help="trained pipeline folder (default: the default pipeline)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_queue)

    from annotator.team.cli import add_team_commands

    add_team_commands(sub, with_db, _progress)
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
    from annotator.store.integrity import DamagedProject, is_corruption

    try:
        return args.func(args)
    # MappingError: ValueError
    except (StoreError, ImportProblem, ValueError, OSError, _cluster_error()) as exc:
        db = getattr(args, "db", None)
        if isinstance(exc, StoreError) and db:
            from annotator.services.recovery import as_damaged

            exc = as_damaged(exc, Path(db)) or exc
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:  # found damaged while working, not when opening
        if not is_corruption(exc):
            raise
        print(f"error: {DamagedProject(Path(getattr(args, 'db', '') or ''), str(exc))}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: finished work is saved; run the same command to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
