"""Merge, property-tested: after ANY sequence of labelling, copying and merging of packs, every
label of every annotator is in the project exactly once, as in the newest copy of their pack that
was merged, and a merge never changes a row of another annotator (nor the model's suggestions).

The expected layer is computed from the pack file with plain SQL, independently of the merge.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import ValidationError
from annotator.store import Store
from annotator.store.packs import PackError
from annotator.team.assign import assign
from annotator.team.merge import merge_packs
from tests.team.conftest import dump, make_project, rows_of_others

NAMES = ("alice", "bob")
LABELS = ("PERSON", "GPE", "ORG", "QUOTE", "SPEAKER", "DATE")

label_op = st.tuples(st.just("label"), st.sampled_from(NAMES),
                     st.sampled_from(("accept", "reject", "delete", "add", "relabel", "link",
                                      "undo", "redo")),
                     st.integers(0, 50), st.integers(0, 50), st.sampled_from(LABELS))
copy_op = st.tuples(st.just("copy"), st.sampled_from(NAMES))
merge_op = st.tuples(st.just("merge"),
                     st.lists(st.tuples(st.sampled_from(NAMES), st.integers(-1, 5)),
                              min_size=1, max_size=3))
steps = st.lists(st.one_of(label_op, label_op, copy_op, merge_op), min_size=1, max_size=25)


def _do_label(pack: Path, op: str, i: int, j: int, label: str) -> None:
    with Store(pack) as store:
        ids = store.document_ids()
        doc = ids[i % len(ids)]
        spans = store.spans(doc)
        span = spans[j % len(spans)] if spans else None
        try:
            if op == "accept" and span:
                store.accept_span(span.id)
            elif op == "reject" and span:
                store.reject_span(span.id)
            elif op == "delete" and span:
                store.delete_span(span.id)
            elif op == "add":
                start = (j * 7) % (store.text_length(doc) - 10)
                store.add_span(doc, start, start + 1 + i % 9, label)
            elif op == "relabel" and span:
                store.relabel_span(span.id, label)
            elif op == "link" and len(spans) > 1:
                other = spans[(i + j) % len(spans)]
                for role in ("SAID_BY", "SOURCE", "TARGET", "PARTICIPANT", "SAME_AS"):
                    try:
                        store.link(span.id, other.id, role)
                        break
                    except ValidationError:
                        continue
            elif op == "undo":
                store.undo()
            elif op == "redo":
                store.redo()
        except ValidationError:
            pass


def expected_layer(pack: Path, who: str) -> Counter:
    """The annotator's decisions in a pack file, as merge should bring them (plain SQL)."""
    conn = sqlite3.connect(pack)
    try:
        ends = ("SELECT head_id FROM relations WHERE status != 'suggested' UNION"
                " SELECT tail_id FROM relations WHERE status != 'suggested'")
        spans = conn.execute(
            "SELECT d.content_hash, s.start, s.end, s.label, s.status, s.attrs FROM spans s"
            " JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.status != 'suggested' OR s.id IN ({ends})").fetchall()
        rels = conn.execute(
            "SELECT d.content_hash, h.start, h.end, h.label, r.role, t.start, t.end, t.label,"
            " r.status FROM relations r JOIN spans h ON h.id = r.head_id JOIN spans t"
            " ON t.id = r.tail_id JOIN documents d ON d.id = r.doc_id"
            " WHERE r.status != 'suggested'").fetchall()
        return Counter(spans) + Counter(rels)
    finally:
        conn.close()


def project_layer(project: Path, who: str) -> Counter:
    conn = sqlite3.connect(project)
    try:
        spans = conn.execute(
            "SELECT d.content_hash, s.start, s.end, s.label, s.status, s.attrs FROM spans s"
            " JOIN documents d ON d.id = s.doc_id WHERE s.annotator = ?", [who]).fetchall()
        rels = conn.execute(
            "SELECT d.content_hash, h.start, h.end, h.label, r.role, t.start, t.end, t.label,"
            " r.status FROM relations r JOIN spans h ON h.id = r.head_id JOIN spans t"
            " ON t.id = r.tail_id JOIN documents d ON d.id = r.doc_id WHERE r.annotator = ?",
            [who]).fetchall()
        return Counter(spans) + Counter(rels)
    finally:
        conn.close()


def last_action(pack: Path) -> int:
    conn = sqlite3.connect(pack)
    try:
        return conn.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0]
    finally:
        conn.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_sequence_of_merges_keeps_every_label_exactly_once(sequence):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = tmp / "project.db"
        make_project(project, 4)
        with Store(project) as store:
            assign(store, list(NAMES), tmp / "packs", overlap=0.5, seed=0)
        live = {n: tmp / "packs" / f"{n}.db" for n in NAMES}
        copies: dict[str, list[Path]] = {n: [] for n in NAMES}
        expected: dict[str, Counter] = {n: Counter() for n in NAMES}
        merged_at: dict[str, int] = {}
        model_rows = rows_of_others(project, "alice")  # suggestions only, so far
        for step in sequence:
            if step[0] == "label":
                _who, who, op, i, j, label = step
                _do_label(live[who], op, i, j, label)
            elif step[0] == "copy":
                who = step[1]
                copy = tmp / f"{who}-copy{len(copies[who])}.db"
                with Store(live[who]) as store:
                    store.backup_to(copy)
                copies[who].append(copy)
            else:
                files = [(who, copies[who][k] if 0 <= k < len(copies[who]) else live[who])
                         for who, k in step[1]]
                before = dump(project)
                others_before = {n: rows_of_others(project, n) for n in NAMES}
                # the model: merged in order, refused whole if one is older than one merged
                seen, refused = dict(merged_at), False
                for who, path in files:
                    if last_action(path) < seen.get(who, 0):
                        refused = True
                        break
                    seen[who] = last_action(path)
                try:
                    with Store(project) as store:
                        merge_packs(store, [p for _w, p in files])
                    assert not refused, "an older copy was merged"
                except PackError as exc:
                    assert refused, exc
                    assert dump(project) == before
                    continue
                for who, path in files:
                    expected[who] = expected_layer(path, who)
                merged_at = seen
                touched = {w for w, _p in files}
                for who in NAMES:
                    assert project_layer(project, who) == expected[who], who
                    if who not in touched:
                        # every row outside the merged annotators' layers is as it was
                        assert [r for r in rows_of_others(project, next(iter(touched)))
                                if r[7] == who] == \
                               [r for r in others_before[next(iter(touched))] if r[7] == who]
                for who in touched:
                    assert [r for r in rows_of_others(project, who) if r[7] not in touched] == \
                           [r for r in others_before[who] if r[7] not in touched]
        # the model's suggestions were never touched by any merge
        assert [r for r in rows_of_others(project, "alice") if r[7] in ("", None)] == \
               [r for r in model_rows if r[7] in ("", None)]
        shutil.rmtree(tmp / "packs")
