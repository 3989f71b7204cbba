"""`annotator merge`: bring each pack's decisions back into the project as its annotator's layer.

A pack is the whole of its annotator's layer on its documents: every span and relation they
decided there (accepted or rejected, or a suggestion a decided relation points at) becomes, in
the project, a row under their name; merging a newer copy makes that layer equal to the copy
(added, updated and removed rows are counted), merging the same copy again changes nothing.
Rows are matched by uid (team/identity.py says which), so the result does not depend on how
often or in which order packs were merged. Only rows under the pack's annotator on the pack's
documents are ever written: another annotator's labels, the curated layer and the model's
suggestions are never touched.

Every pack given is read and checked, every row of it, before anything is written; one that is
refused (another project, a newer database version, not a pack, triggers or views of its own
(store/structure.py), an older copy than one already merged, a row an import would refuse:
offsets, status, attrs, a label the schema does not know, a link to a missing span) refuses the
whole merge with a message naming each refused file and its rows, and nothing changes. All
packs are then merged in ONE transaction: a crash leaves the project as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import HUMAN, SUGGESTED, Relation, Span, check_span_range
from annotator.store import Store
from annotator.store.pack_rows import summarise
from annotator.store.packs import LayerChange, Pack, PackDocument, PackError, read_pack
from annotator.team.identity import check_annotator_name, layer_uid

SPAN_FIELDS = ("start", "end", "label", "status", "origin", "attrs", "created", "updated")
RELATION_FIELDS = ("role", "status", "origin", "attrs", "created", "updated")


@dataclass
class PackReport:
    path: str
    annotator: str
    documents: int = 0  # documents of the pack found in the project
    not_in_project: list[str] = field(default_factory=list)  # titles of the others (skipped)
    spans: Counter = field(default_factory=Counter)  # added / updated / removed / kept
    relations: Counter = field(default_factory=Counter)
    other_names: Counter = field(default_factory=Counter)  # decisions saved under other names

    @property
    def unchanged(self) -> bool:
        changed = ("added", "updated", "removed")
        return not any(self.spans[k] or self.relations[k] for k in changed)

    def summary(self) -> str:
        s, r = self.spans, self.relations
        text = (f"{self.path}: {self.annotator}, {self.documents} document(s): spans +{s['added']}"
                f" ~{s['updated']} -{s['removed']}, relations +{r['added']} ~{r['updated']}"
                f" -{r['removed']}")
        if self.unchanged:
            text += " (already merged: nothing new)"
        if s["kept"]:
            text += f"; {s['kept']} span(s) the pack dropped kept: another annotator's relation " \
                    "points at them"
        if self.not_in_project:
            names = ", ".join(repr(t) for t in self.not_in_project[:5])
            more = f" and {len(self.not_in_project) - 5} more" if len(self.not_in_project) > 5 else ""
            text += f"; {len(self.not_in_project)} document(s) not in the project, not merged: " \
                    f"{names}{more}"
        if self.other_names:
            who = ", ".join(f"{n} ({c})" for n, c in sorted(self.other_names.items()))
            text += f"; labels saved there under other names merged as {self.annotator}: {who}"
        return text


@dataclass
class MergeReport:
    packs: list[PackReport] = field(default_factory=list)


def merge_packs(store: Store, paths: list[str | Path],
                progress: Callable[[int, int], None] | None = None) -> MergeReport:
    """Merge packs into the project (one transaction); PackError names a refused file."""
    packs = _checked_packs(store, paths)
    total = sum(len(p.documents) for p in packs)
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(done[0], total)

    report = MergeReport()
    with store.transaction():
        store.ensure_uids()
        for pack in packs:
            _check_not_older(store, pack)
            report.packs.append(_merge_pack(store, pack, step))
    return report


def _checked_packs(store: Store, paths: list[str | Path]) -> list[Pack]:
    """Every pack read and checked; PackError names each one refused (then none is merged)."""
    packs, refused = [], []
    for path in paths:
        try:
            pack = read_pack(path)
            check_pack(store, pack)
            packs.append(pack)
        except PackError as exc:
            refused.append(exc)
    if len(refused) > 1:
        others = "; ".join(str(exc) for exc in refused[1:])
        raise PackError(refused[0].path, f"{refused[0].reason}; "
                                         f"also refused: {others}")
    if refused:
        raise refused[0]
    return packs


def check_pack(store: Store, pack: Pack) -> None:
    """Refuse a pack that is not of this project or holds what the project cannot take."""
    if Path(pack.path).resolve() == Path(store.path).resolve():
        raise PackError(pack.path, "is the project itself")
    if pack.project_id != store.project_id():
        raise PackError(pack.path, f"a pack of another project ({pack.project_id or 'unknown'}; "
                                   f"this project is {store.project_id()})")
    try:
        check_annotator_name(pack.annotator)
    except ValueError as exc:  # ValidationError is one
        raise PackError(pack.path, f"cannot be merged: {exc}") from exc
    problems = row_problems_in_project(store, pack)
    if problems:
        raise PackError(pack.path, f"cannot be merged: {len(problems)} problem(s) in its rows: "
                                   f"{summarise(problems)}")
    _check_not_older(store, pack)


def row_problems_in_project(store: Store, pack: Pack) -> list[str]:
    """What the project cannot take of the pack's rows, each named: a label or role the schema
    does not know (suggestions too: merged as ends of a link, they would reach every export),
    attributes it does not allow, offsets beyond the project's copy of the text."""
    by_hash = store.doc_ids_by_hash()
    problems = []
    for doc in pack.documents:
        doc_id = by_hash.get(doc.content_hash)
        length = store.text_length(doc_id) if doc_id is not None else None
        for span in doc.spans:
            try:
                store._check_label(span.label)
                if span.attrs and span.status != SUGGESTED:
                    store._check_attrs(span.label, span.attrs)
                if length is not None:
                    check_span_range(length, span.start, span.end)
            except ValueError as exc:  # ValidationError is one
                problems.append(f"spans row {span.id}: {exc}")
        for rel in doc.relations:
            try:
                store._check_role(rel.role)
            except ValueError as exc:
                problems.append(f"relations row {rel.id}: {exc}")
    return problems


def _check_not_older(store: Store, pack: Pack) -> None:
    seen = store.merged_pack(pack.pack_id)
    if seen is None:
        return
    if seen["annotator"] != pack.annotator:
        raise PackError(pack.path, f"this pack was merged before as {seen['annotator']}'s, now "
                                   f"it says {pack.annotator}'s: refusing to mix two layers")
    if pack.last_action < seen["last_action"]:
        raise PackError(pack.path, f"an older copy of {pack.annotator}'s pack than the one "
                                   f"merged on {seen['merged'][:16]} from {seen['file']}; "
                                   "merging it would undo their later work")


def _merge_pack(store: Store, pack: Pack, step: Callable[[], None]) -> PackReport:
    who = pack.annotator
    report = PackReport(str(pack.path), who)
    by_hash = store.doc_ids_by_hash()
    present: list[tuple[int, PackDocument]] = []
    for doc in pack.documents:
        doc_id = by_hash.get(doc.content_hash)
        if doc_id is None:
            report.not_in_project.append(doc.title or doc.content_hash[:12])
            step()
        else:
            present.append((doc_id, doc))
    spans_now, rels_now = store.layer_rows(who, [d for d, _doc in present])
    human = [s.uid for _d, doc in present for s in doc.spans if s.origin == HUMAN and s.uid]
    human_rels = [r.uid for _d, doc in present for r in doc.relations if r.origin == HUMAN and r.uid]
    owners = {"spans": store.uid_owners("spans", human),
              "relations": store.uid_owners("relations", human_rels)}
    for doc_id, doc in present:
        spans, relations = desired_layer(doc_id, doc, pack, owners)
        change = diff_layer(doc_id, spans_now[doc_id], rels_now[doc_id], spans, relations)
        kept = store.apply_layer_change(who, change)
        report.documents += 1
        report.spans.update(added=len(change.insert_spans), updated=len(change.update_spans),
                            removed=len(change.delete_spans) - kept, kept=kept)
        report.relations.update(added=len(change.insert_relations),
                                updated=len(change.update_relations),
                                removed=len(change.delete_relations))
        decided = [x for x in (*doc.spans, *doc.relations) if x.status != SUGGESTED]
        report.other_names.update(x.annotator for x in decided if x.annotator not in ("", who))
        store.record_layer_document(doc_id, who, pack.pack_id, doc.status, len(decided))
        step()
    store.record_pack(pack)
    return report


def desired_layer(doc_id: int, doc: PackDocument, pack: Pack, owners: dict[str, dict[str, str]]
                  ) -> tuple[list[Span], list[tuple[Relation, str, str]]]:
    """What the annotator's layer on one document should hold after merging this pack: spans
    with their layer uid, and relations with the layer uids of their ends."""
    who = pack.annotator
    decided_rels = [r for r in doc.relations if r.status != SUGGESTED]
    ends = {r.head_id for r in decided_rels} | {r.tail_id for r in decided_rels}
    uid_of: dict[int, str] = {}
    spans = []
    for s in doc.spans:
        if s.status == SUGGESTED and s.id not in ends:
            continue
        uid_of[s.id] = _target_uid(s, pack, owners["spans"])
        spans.append(Span(doc_id, s.start, s.end, s.label, s.status, s.origin, who, dict(s.attrs),
                          created=s.created, updated=s.updated, uid=uid_of[s.id]))
    relations = []
    for r in decided_rels:
        rel = Relation(doc_id, 0, 0, r.role, r.status, r.origin, who, dict(r.attrs),
                       created=r.created, updated=r.updated,
                       uid=_target_uid(r, pack, owners["relations"]))
        relations.append((rel, uid_of[r.head_id], uid_of[r.tail_id]))
    return spans, relations


def _target_uid(row: Span | Relation, pack: Pack, owners: dict[str, str]) -> str:
    """A label the annotator made keeps its uid, unless another layer holds it already; one that
    came from the project (a suggestion) gets the annotator's derived uid."""
    if not row.uid:  # written by a program that knew no uids: the pack's own id is stable
        return layer_uid(pack.annotator, f"{pack.pack_id}:{row.id}")
    if row.origin == HUMAN and owners.get(row.uid, pack.annotator) == pack.annotator:
        return row.uid
    return layer_uid(pack.annotator, row.uid)


def diff_layer(doc_id: int, spans_now: list[Span], rels_now: list[Relation], spans: list[Span],
               relations: list[tuple[Relation, str, str]]) -> LayerChange:
    """The writes that make the layer now (`*_now`) equal the desired one, matched by uid."""
    change = LayerChange(doc_id)
    existing = {s.uid: s for s in spans_now}
    uid_by_id = {s.id: s.uid for s in spans_now}
    for span in spans:
        old = existing.pop(span.uid, None)
        if old is None:
            change.insert_spans.append(span)
            continue
        values = {f: getattr(span, f) for f in SPAN_FIELDS if getattr(span, f) != getattr(old, f)}
        if values:
            change.update_spans.append((old.id, values))
    change.delete_spans = [s.id for s in existing.values()]
    rels = {r.uid: r for r in rels_now}
    for rel, head, tail in relations:
        old = rels.pop(rel.uid, None)
        if old is None:
            change.insert_relations.append((rel, head, tail))
            continue
        values = {f: getattr(rel, f) for f in RELATION_FIELDS if getattr(rel, f) != getattr(old, f)}
        if uid_by_id.get(old.head_id) != head:
            values["head_id"] = head
        if uid_by_id.get(old.tail_id) != tail:
            values["tail_id"] = tail
        if values:
            change.update_relations.append((old.id, values))
    change.delete_relations = [r.id for r in rels.values()]
    return change

