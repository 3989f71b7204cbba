"""n-ary annotations (brat events, attribution records) -> our binary relations.

Other corpora group the parts of one attribution in one annotation, e.g. the brat event
`Attribution:T4 Content:T3 Cue:T2 Source:T1`: no span of ours stands for the event itself. With
the parts mapped to our labels (Content=QUOTE, Source=SPEAKER, Cue=CUE), the event becomes
relations from the one argument that can head a relation to every other argument: QUOTE
-SAID_BY-> SPEAKER and QUOTE -CUE-> CUE. An argument's role comes from the mapping
(`--map role:Source=SAID_BY`) or, when the schema has exactly one role joining the two labels,
from the schema.
"""

from __future__ import annotations

import re

from annotator.domain import ACCEPTED, HUMAN, Relation, Span
from annotator.formats.mapping import DROP, LabelMap
from annotator.schema import LabelSchema


def fold_event(args: list[tuple[str, int]], spans: dict[int, Span], schema: LabelSchema,
               mapping: LabelMap, annotator: str = "") -> tuple[int, list[Relation]] | None:
    """(head argument's span id, relations from it) for the event with `args` (role name as
    in the file, local span id), or None when no argument can head them all.

    Arguments of one role (`Content` and brat's numbered `Content2`) head or join alike: each
    head gets a relation to every argument of the other roles."""
    bases = [_base_role(name, args, schema, mapping) for name, _ in args]
    for head_role in dict.fromkeys(bases):
        heads = [span for (_name, span), base in zip(args, bases) if base == head_role]
        relations = _relations_from(heads, [(name, base, tail) for (name, tail), base
                                            in zip(args, bases) if base != head_role],
                                    spans, schema, mapping)
        if relations is not None:
            return heads[0], [Relation(None, head, tail, role, ACCEPTED, HUMAN, annotator)
                              for head, tail, role in relations]
    return None


def _relations_from(heads: list[int], tails: list[tuple[str, str, int]], spans: dict[int, Span],
                    schema: LabelSchema, mapping: LabelMap) -> list[tuple[int, int, str]] | None:
    """(head, tail, role) from each head to each tail (role name, base role, span id), or None
    when a pair has no role."""
    relations = []
    for head in heads:
        for name, base, tail in tails:
            if tail == head:
                continue
            role = _role_between(mapping.roles.get(name, mapping.roles.get(base)),
                                 spans[head].label, spans[tail].label, schema)
            if role is None:
                return None
            if role != DROP:
                relations.append((head, tail, role))
    return relations


def _base_role(name: str, args: list[tuple[str, int]], schema: LabelSchema,
               mapping: LabelMap) -> str:
    """`Content2` -> `Content` when `Content` is known (another argument's role, mapped, or a
    role of the schema): brat numbers a role given twice."""
    base = re.sub(r"\d+$", "", name)
    if base == name or not base:
        return name
    known = {other for other, _ in args} | set(mapping.roles) | set(mapping.labels)
    if base in known or any(role.role.lower() == base.lower() for role in schema.relations):
        return base
    return name


def _role_between(mapped: str | None, head: str, tail: str, schema: LabelSchema) -> str | None:
    if mapped == DROP:
        return DROP
    if mapped is not None:
        spec = schema.role(mapped)
        return mapped if spec is not None and spec.joins(head, tail) else None
    roles = schema.roles_for(head, tail)
    return roles[0].role if len(roles) == 1 else None
