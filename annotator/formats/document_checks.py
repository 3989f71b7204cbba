"""The rules every imported document keeps, whatever format it came in.

Each reader checks its own syntax; these are the rules of the project's content, applied in one
place so no format lets through what another refuses: no NUL in the text (a `.txt` with one is
refused as binary, so is a JSON "\\u0000"), no label in the reserved curated layer (only
adjudication writes it), and no relation joining labels its role does not join (`SAID_BY` from
a DATE to a DATE). A bad relation goes to `ReadContext.skip`, like an unknown label: the file
is refused, or with --skip-bad-spans the relation alone is listed and left out.
"""

from __future__ import annotations

from pathlib import Path

from annotator.domain import AnnotatedDocument
from annotator.formats.base import ImportProblem
from annotator.formats.context import BadLabel, ReadContext
from annotator.formats.decoding import refuse_nul
from annotator.team.identity import CURATED, RESERVED_PREFIX


def check_document(path: Path, line: int | None, bundle: AnnotatedDocument,
                   ctx: ReadContext) -> AnnotatedDocument:
    """`bundle` (read from `path`, at `line` if it is one record) with its relations the schema
    refuses handed to `ctx.skip`; ImportProblem for NUL text or a reserved annotator name."""
    doc = bundle.document
    refuse_nul(path, doc.text, line, "the text")
    refuse_nul(path, doc.title, line, "the title")
    for kind, rows in (("span", bundle.spans), ("relation", bundle.relations)):
        for row in rows:
            refuse_reserved(path, row.annotator, line, kind)
    if bundle.relations:
        bundle.relations = _joined_relations(path, line, bundle, ctx)
    return bundle


def refuse_reserved(path: Path | str, annotator: str, line: int | None, what: str) -> None:
    """ImportProblem for an annotator name that is the curated layer's (or reserved like it)."""
    if annotator and annotator.startswith(RESERVED_PREFIX):
        raise ImportProblem(path, f"{what} by {annotator!r}: annotator names starting with "
                                  f"'{RESERVED_PREFIX}' are reserved ({CURATED} is the curated "
                                  "layer, written only by adjudication); rename the annotator",
                            line=line)


def _joined_relations(path: Path, line: int | None, bundle: AnnotatedDocument,
                      ctx: ReadContext) -> list:
    labels = {span.id if span.id is not None else -1 - i: span.label
              for i, span in enumerate(bundle.spans)}
    kept = []
    for rel in bundle.relations:
        head, tail = labels.get(rel.head_id), labels.get(rel.tail_id)
        try:
            if head is not None and tail is not None:  # a missing end is the store's to refuse
                check_ends(path, line, rel.role, (head, tail), ctx)
        except BadLabel as exc:
            ctx.skip(exc)
            continue
        kept.append(rel)
    return kept


def check_ends(path: Path | str, line: int | None, role: str, ends: tuple[str, str],
               ctx: ReadContext) -> None:
    """BadLabel unless the schema's `role` joins a label `ends[0]` to a label `ends[1]`."""
    spec = ctx.schema.role(role)
    head, tail = ends
    if spec is not None and not spec.joins(head, tail):
        raise BadLabel(path, f"relation {role} from a {head} to a {tail}: not allowed (the "
                             f"schema's {role} goes from {', '.join(sorted(spec.heads))} to "
                             f"{', '.join(sorted(spec.tails))})", line=line)
