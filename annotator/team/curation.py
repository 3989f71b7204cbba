"""Adjudication: from several annotators' layers on one document to the curated layer (gold).

Where every annotator who labelled the document has the same span (start, end, label), it goes
into the curated layer automatically (INCEpTION's auto-merge), and so does a relation they all
drew once both its ends are curated. Everything else is a *disagreement*:

* a span disagreement is a group of overlapping spans not everyone has; each annotator's
  *version* is the part of the group they have (possibly nothing);
* a relation disagreement is a (head, role, tail) that some annotators drew, once both ends are
  in the curated layer.

Picking a version makes the curated layer hold exactly that version there: its spans accepted,
the group's other spans rejected (a rejected curated row records "judged, not gold", so the
disagreement counts as resolved and auto-merge never brings the span back). The union accepts
all of them; "none" rejects all. A disagreement is resolved when every span (or the relation)
in it has a curated row. Pure: the store's `curate` intent writes what `decide` returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.domain import ACCEPTED, REJECTED, Relation, Span

Key = tuple[int, int, str]  # start, end, label
TripleKey = tuple[Key, str, Key]  # head, role, tail
UNION, NONE = "~union", "~none"


@dataclass(frozen=True)
class SpanOp:
    """Make the curated layer hold `key` with `status` (inserting it if it is not there)."""

    key: Key
    status: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)
    origin: str = "curation"


@dataclass(frozen=True)
class RelationOp:
    head: Key
    role: str
    tail: Key
    status: str
    origin: str = "curation"


@dataclass
class Disagreement:
    kind: str  # "span" or "relation"
    start: int  # the text it is about (code points), for showing and moving to it
    end: int
    versions: dict[str, tuple]  # annotator -> their keys here (spans) or (triple,) / ()
    keys: tuple  # every span key (or the one triple) of the disagreement
    resolved: bool = False
    choice: str = ""  # what the curated layer holds: NONE, "alice, bob", UNION or "edited"

    def describe(self, text: str) -> str:
        if self.kind == "relation":
            (head, role, tail), = self.keys
            return f"{text[head[0]:head[1]]!r} {role} {text[tail[0]:tail[1]]!r}"
        return f"{text[self.start:self.end]!r}"


@dataclass
class CurationState:
    annotators: list[str]
    auto_spans: list[SpanOp]
    auto_relations: list[RelationOp]
    disagreements: list[Disagreement]

    @property
    def open(self) -> list[Disagreement]:
        return [d for d in self.disagreements if not d.resolved]


def key_of(span: Span) -> Key:
    return (span.start, span.end, span.label)


def _triples(spans: Iterable[Span], relations: Iterable[Relation]) -> dict[TripleKey, Relation]:
    by_id = {s.id: s for s in spans}
    out = {}
    for r in relations:
        if r.status == ACCEPTED and r.head_id in by_id and r.tail_id in by_id:
            out[(key_of(by_id[r.head_id]), r.role, key_of(by_id[r.tail_id]))] = r
    return out


def state(layers: dict[str, tuple[list[Span], list[Relation]]],
          curated: tuple[list[Span], list[Relation]]) -> CurationState:
    """The curation of one document: `layers` maps each annotator who labelled it to their
    (accepted spans, relations); `curated` is the curated layer's (spans, relations), any status."""
    names = sorted(layers)
    keys = {n: {key_of(s) for s in layers[n][0] if s.status == ACCEPTED} for n in names}
    attrs = {}
    for n in names:
        for s in layers[n][0]:
            attrs.setdefault(key_of(s), dict(s.attrs))
    judged = {key_of(s): s.status for s in curated[0]}
    everyone = set.intersection(*keys.values()) if keys else set()
    anyone = set().union(*keys.values()) if keys else set()
    auto_spans = [SpanOp(k, ACCEPTED, attrs.get(k, {}), "curation:auto")
                  for k in sorted(everyone) if k not in judged]
    items = [_span_item(group, keys, judged) for group in _groups(anyone - everyone)]
    # relations: between spans the curated layer accepts (or is about to, by auto-merge)
    gold = {k for k, st in judged.items() if st == ACCEPTED} | {op.key for op in auto_spans}
    triples = {n: _triples(layers[n][0], layers[n][1]) for n in names}
    drawn = {n: set(t) for n, t in triples.items()}
    ends = {s.id: s for s in curated[0]}
    curated_triples = {(key_of(ends[r.head_id]), r.role, key_of(ends[r.tail_id])): r.status
                       for r in curated[1] if r.head_id in ends and r.tail_id in ends}
    all_drawn = set().union(*drawn.values()) if drawn else set()
    agreed_t = set.intersection(*drawn.values()) if drawn else set()
    auto_relations, rel_items = [], []
    for t in sorted(all_drawn):
        head, role, tail = t
        if head not in gold or tail not in gold:
            continue
        if t in agreed_t:
            if t not in curated_triples:
                auto_relations.append(RelationOp(head, role, tail, ACCEPTED, "curation:auto"))
            continue
        versions = {n: ((t,) if t in drawn[n] else ()) for n in names}
        status = curated_triples.get(t)
        item = Disagreement("relation", min(head[0], tail[0]), max(head[1], tail[1]), versions,
                            (t,), resolved=status is not None)
        item.choice = _choice(versions, {t} if status == ACCEPTED else set()) if status else ""
        rel_items.append(item)
    ordered = sorted(items + rel_items, key=lambda d: (d.start, d.kind != "span", d.end))
    return CurationState(names, auto_spans, auto_relations, ordered)


def _groups(keys: set[Key]) -> list[list[Key]]:
    """Keys grouped by overlap (connected runs along the text)."""
    groups: list[list[Key]] = []
    reach = -1
    for k in sorted(keys):
        if groups and k[0] < reach:
            groups[-1].append(k)
            reach = max(reach, k[1])
        else:
            groups.append([k])
            reach = k[1]
    return groups


def _span_item(group: list[Key], keys: dict[str, set[Key]], judged: dict[Key, str]
               ) -> Disagreement:
    versions = {n: tuple(k for k in group if k in mine) for n, mine in keys.items()}
    resolved = all(k in judged for k in group)
    item = Disagreement("span", min(k[0] for k in group), max(k[1] for k in group), versions,
                        tuple(group), resolved=resolved)
    if resolved:
        item.choice = _choice(versions, {k for k in group if judged[k] == ACCEPTED})
    return item


def _choice(versions: dict[str, tuple], accepted: set) -> str:
    """What the curated layer holds there: NONE, the annotators whose version it is ("alice,
    bob"), UNION, or "edited"."""
    if not accepted:
        return NONE
    same = [name for name, version in versions.items() if set(version) == accepted]
    if same:
        return ", ".join(same)
    return UNION if accepted == set().union(*map(set, versions.values())) else "edited"


def decide(item: Disagreement, choice: str, layers: dict[str, tuple[list[Span], list[Relation]]]
           ) -> tuple[list[SpanOp], list[RelationOp]]:
    """The curated rows that make `choice` (an annotator, UNION or NONE) hold for `item`."""
    if choice in (UNION, NONE):
        chosen = set(item.keys) if choice == UNION else set()
        origin = "curation:union" if choice == UNION else "curation:none"
    else:
        if choice not in item.versions:
            raise ValueError(f"{choice} did not label this document")
        chosen, origin = set(item.versions[choice]), f"curation:{choice}"
    if item.kind == "relation":
        (head, role, tail), = item.keys
        return [], [RelationOp(head, role, tail, ACCEPTED if chosen else REJECTED, origin)]
    attrs = {}
    for name in ([choice] if choice in layers else []) + sorted(layers):
        for s in layers[name][0]:
            attrs.setdefault(key_of(s), dict(s.attrs))
    return [SpanOp(k, ACCEPTED if k in chosen else REJECTED, attrs.get(k, {}), origin)
            for k in item.keys], []


# --- with a store ---------------------------------------------------------------------------------


def document_layers(store, doc_id: int) -> tuple[dict, tuple]:
    """(layers, curated) of one document, as `state` takes them."""
    from annotator.team.identity import CURATED

    names = sorted(store.coverage([doc_id]).get(doc_id, set()))
    layers = {n: (store.layer_spans(doc_id, [n], (ACCEPTED,)),
                  store.layer_relations(doc_id, [n], (ACCEPTED,))) for n in names}
    return layers, (store.layer_spans(doc_id, [CURATED]), store.layer_relations(doc_id, [CURATED]))


def open_document(store, doc_id: int):
    """Load a document's curation and apply its auto-merge (one action, if anything agrees
    that is not curated yet). Returns (state, layers, the Change or None)."""
    layers, curated = document_layers(store, doc_id)
    now = state(layers, curated)
    change = None
    if now.auto_spans or now.auto_relations:
        change = store.curate(doc_id, now.auto_spans, now.auto_relations, kind="curate_auto")
        layers, curated = document_layers(store, doc_id)
        now = state(layers, curated)
    return now, layers, change
