"""`annotator assign`: deal a project's documents to several annotators, one pack file each.

Each pack (`DIR/NAME.db`) is a project file holding that annotator's share plus the overlap
every annotator gets (or, with `per_doc`, every document goes to K annotators), the project's
schema and the model suggestions already made (with their uids and the pre-annotation record),
and the annotator's name preset (meta `pack_annotator`: the app records labels under it).

The deal is deterministic for a seed: documents are ordered by content hash (not by id, so two
copies of a project deal alike) and shuffled by `random.Random(seed)`. Documents already
decided stay where they are: a document marked done is not sent out, and one dealt by an
earlier run keeps its annotators (the assignment is recorded in the project and the document is
not dealt again), so a second run deals only documents imported since.

An interrupted run (killed, disk full) is finished by running the same command again: a pack
it completed is kept when it is exactly the pack this run would write (same project, annotator
and documents), a half-written `NAME.db.part` is written again, and the deal is recorded once
every pack is in place. Any other existing pack is never overwritten: the refusal names it.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import DOC_DONE, DOC_NEW, SUGGESTED, AnnotatedDocument
from annotator.store import Store, now
from annotator.team.identity import check_annotator_name

DEFAULT_OVERLAP = 0.2


@dataclass
class PackWritten:
    annotator: str
    path: Path
    pack_id: str
    documents: int
    overlap: int  # of which every annotator got a copy


@dataclass
class AssignReport:
    packs: list[PackWritten] = field(default_factory=list)
    dealt: int = 0  # documents dealt this run
    done: int = 0  # not sent: marked done in the project
    kept: int = 0  # not sent again: dealt by an earlier run


def plan(docs: list[tuple[int, str]], annotators: list[str], overlap: float | None = None,
         per_doc: int | None = None, seed: int = 0) -> tuple[dict[str, list[int]], set[int]]:
    """Pure deal: ({annotator: [doc id]}, the overlap set). `docs` are (id, content_hash)."""
    if per_doc is not None and overlap is not None:
        raise ValueError("give either --overlap or --per-doc, not both")
    if not annotators:
        raise ValueError("name at least one annotator")
    order = [d for d, _h in sorted(docs, key=lambda d: d[1])]
    random.Random(seed).shuffle(order)
    shares: dict[str, list[int]] = {name: [] for name in annotators}
    m = len(annotators)
    if per_doc is not None:
        if not 1 <= per_doc <= m:
            raise ValueError(f"--per-doc must be between 1 and the number of annotators ({m})")
        for i, doc_id in enumerate(order):
            for j in range(per_doc):
                shares[annotators[(i * per_doc + j) % m]].append(doc_id)
        common = set(order) if per_doc == m else set()
        return {a: sorted(ids) for a, ids in shares.items()}, common
    overlap = DEFAULT_OVERLAP if overlap is None else overlap
    if not 0.0 <= overlap <= 1.0:
        raise ValueError("--overlap is a fraction between 0 and 1")
    k = min(len(order), max(1, round(overlap * len(order)))) if overlap > 0 and order else 0
    common, rest = order[:k], order[k:]
    for name in annotators:
        shares[name] += common
    for i, doc_id in enumerate(rest):
        shares[annotators[i % m]].append(doc_id)
    return {a: sorted(ids) for a, ids in shares.items()}, set(common)


def assign(store: Store, annotators: list[str], out_dir: str | Path, *,
           overlap: float | None = None, per_doc: int | None = None, seed: int = 0,
           progress: Callable[[int, int], None] | None = None) -> AssignReport:
    """Write one pack per annotator and record the deal in the project. Refuses (ValueError,
    nothing written) a pack as source, bad names, or an existing pack file other than the one
    an interrupted run of the same command finished (kept, see the module docstring)."""
    if store.pack_id():
        raise ValueError(f"{store.path} is {store.pack_annotator()}'s pack; assign from the "
                         "project it came from")
    names = [check_annotator_name(n) for n in annotators]
    if len(set(names)) != len(names):
        raise ValueError("each annotator may be named once")
    out = Path(out_dir)
    targets = {name: out / f"{name}.db" for name in names}
    report = AssignReport()
    dealt_before = store.assignments()
    candidates = []
    for doc_id, digest, status in store.document_hashes():
        if status == DOC_DONE:
            report.done += 1
        elif doc_id in dealt_before:
            report.kept += 1
        else:
            candidates.append((doc_id, digest))
    shares, common = plan(candidates, names, overlap, per_doc, seed)
    finished = _finished_packs(store, targets, shares, dict(candidates))
    store.ensure_uids()
    report.dealt = len(candidates)
    out.mkdir(parents=True, exist_ok=True)
    total, done = sum(len(ids) for ids in shares.values()), 0
    rows = []
    for name, ids in shares.items():
        if not ids:
            continue
        pack_id = finished.get(name) or str(uuid.uuid4())
        if name not in finished:
            _write_pack(store, targets[name], name, pack_id, ids,
                        lambda n, base=done: progress and progress(base + n, total))
        done += len(ids)
        report.packs.append(PackWritten(name, targets[name], pack_id, len(ids),
                                        len(common & set(ids))))
        rows += [(doc_id, name, pack_id) for doc_id in ids]
    store.record_assignments(rows, now())
    return report


def _finished_packs(store: Store, targets: dict[str, Path], shares: dict[str, list[int]],
                    hashes: dict[int, str]) -> dict[str, str]:
    """{annotator: pack id} of the existing packs an interrupted run of this same deal wrote;
    ValueError naming every other existing file this run would have to overwrite."""
    from annotator.store.packs import PackError, read_pack

    finished, other = {}, []
    for name, ids in shares.items():
        path = targets[name]
        if not (path.exists() or path.is_symlink()):
            continue
        if not ids:  # this run writes no pack for them, and a file is there
            other.append(str(path))
            continue
        try:
            pack = read_pack(path)
        except PackError:
            other.append(str(path))
            continue
        if (pack.project_id == store.project_id() and pack.annotator == name
                and sorted(d.content_hash for d in pack.documents) == sorted(hashes[i] for i in ids)):
            finished[name] = pack.pack_id
        else:
            other.append(str(path))
    if other:
        raise ValueError(f"{', '.join(other)} already exist(s) and differ from the pack(s) this "
                         "run would write: a pack may hold an analyst's work, so it is never "
                         "overwritten; move or delete it, or choose another folder")
    return finished


def _write_pack(store: Store, path: Path, annotator: str, pack_id: str, doc_ids: list[int],
                step: Callable[[int], None]) -> None:
    """One pack, written beside its final name and renamed when complete (never half a pack)."""
    tmp = path.with_name(path.name + ".part")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        with Store(tmp, schema=store.schema, annotator=annotator) as pack:
            pack.make_pack(store.project_id(), pack_id, annotator)
            bundles = []
            for n, doc_id in enumerate(doc_ids, start=1):
                bundle = store.annotated(doc_id, (SUGGESTED,))
                bundle.document = dataclasses.replace(bundle.document, id=None, status=DOC_NEW)
                bundles.append(bundle)
                step(n)
            new_ids = pack.add_documents(_fresh(bundles))
            by_hash = pack.doc_ids_by_hash()
            hashes = {b.document.content_hash: d for b, d in zip(bundles, doc_ids)}
            here = {d: by_hash[h] for h, d in hashes.items()}
            pack.mark_preannotated([(here[d], origin, at)
                                    for d, origin, at in store.preannotation_rows(doc_ids)])
            if len(new_ids) != len(doc_ids):
                raise ValueError(f"{path}: {len(doc_ids) - len(new_ids)} document(s) could not "
                                 "be written")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _fresh(bundles: list[AnnotatedDocument]) -> list[AnnotatedDocument]:
    """Bundles whose spans/relations are copies (the insert sets fields on what it is given)."""
    return [AnnotatedDocument(b.document, [dataclasses.replace(s) for s in b.spans],
                              [dataclasses.replace(r) for r in b.relations]) for b in bundles]
