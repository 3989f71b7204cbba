"""The team subcommands of the command line: assign, merge, agreement (see annotator/cli.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

Progress = Callable[[int | None, str, str], object]  # cli._progress: (total, unit, desc) -> bar


def add_team_commands(sub, with_db: Callable, progress: Progress) -> None:
    """Register `assign`, `merge` and `agreement` on the main parser's subparsers."""

    def bar_updater(bar):
        return lambda done, total: (setattr(bar, "total", total), bar.update(done - bar.n))

    def cmd_assign(args: argparse.Namespace) -> int:
        from annotator.store import Store
        from annotator.team.assign import assign

        with Store(args.db, create=False) as store, progress(None, "doc", "assign") as bar:
            report = assign(store, args.annotators, Path(args.out), overlap=args.overlap,
                            per_doc=args.per_doc, seed=args.seed, progress=bar_updater(bar))
        for pack in report.packs:
            print(f"{pack.path}: {pack.annotator}, {pack.documents} document(s) "
                  f"({pack.overlap} shared by everyone)")
        print(f"dealt {report.dealt} document(s) to {len(report.packs)} pack(s); not sent: "
              f"{report.done} done, {report.kept} dealt by an earlier run")
        return 0

    def cmd_merge(args: argparse.Namespace) -> int:
        from annotator.store import Store
        from annotator.team.merge import merge_packs

        with Store(args.db, create=False) as store:
            print(f"checking {len(args.packs)} pack(s)\u2026", file=sys.stderr, flush=True)
            with progress(None, "doc", "merge") as bar:
                report = merge_packs(store, args.packs, progress=bar_updater(bar))
        for pack in report.packs:
            print(pack.summary())
        print(f"merged {len(report.packs)} pack(s)")
        return 0

    def cmd_agreement(args: argparse.Namespace) -> int:
        from annotator.store import Store
        from annotator.team.agreement import agreement
        from annotator.team.report import render

        with Store(args.db, create=False) as store:
            report = agreement(store, annotators=args.annotators or None,
                               labels=args.labels or None)
        text = render(report, args.format)
        if args.out:
            from annotator.atomic_files import write_text_replacing

            write_text_replacing(args.out, text, encoding="utf-8", newline="\n")
            print(f"wrote {args.format} agreement report to {args.out}")
        else:
            sys.stdout.write(text)
        return 0

    p = sub.add_parser("assign", help="write one pack per annotator: their share of the "
                                      "documents plus an overlap everyone gets")
    with_db(p)
    p.add_argument("--annotators", nargs="+", required=True, metavar="NAME")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for DIR/NAME.db")
    deal = p.add_mutually_exclusive_group()
    deal.add_argument("--overlap", type=float, default=None,
                      help="fraction of the documents every annotator gets (default 0.2)")
    deal.add_argument("--per-doc", type=int, default=None, metavar="K",
                      help="every document to K annotators instead")
    p.add_argument("--seed", type=int, default=0, help="the deal is the same for the same seed")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("merge", help="bring annotators' packs back as their layers")
    with_db(p)
    p.add_argument("packs", nargs="+", metavar="PACK.db")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("agreement", help="inter-annotator agreement on documents labelled by "
                                         "at least two annotators")
    with_db(p)
    p.add_argument("--annotators", nargs="+", metavar="NAME", help="default: every layer")
    p.add_argument("--labels", nargs="+", metavar="L", help="default: every label")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--out", metavar="PATH", help="write there instead of the terminal")
    p.set_defaults(func=cmd_agreement)
