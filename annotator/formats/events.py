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

from annotator.domain import ACCEPTED, HUMAN, Relation, Span
from annotator.formats.mapping import DROP, LabelMap
from annotator.schema import LabelSchema


def fold_event(args: list[tuple[str, int]], spans: dict[int, Span], schema: LabelSchema,
               mapping: LabelMap, annotator: str = "") -> tuple[int, list[Relation]] | None:
    """(head argument's span id, relations from it) for the event with `args` (role name as
    in the file, local span id), or None when no argument can head them all."""
    for _name, head in args:
        relations = []
        for name, tail in args:
            if tail == head:
                continue
            role = _role_between(name, spans[head].label, spans[tail].label, schema, mapping)
            if role is None:
                break
            if role != DROP:
                relations.append(Relation(None, head, tail, role, ACCEPTED, HUMAN, annotator))
        else:
            return head, relations
    return None


def _role_between(name: str, head: str, tail: str, schema: LabelSchema,
                  mapping: LabelMap) -> str | None:
    mapped = mapping.roles.get(name)
    if mapped == DROP:
        return DROP
    if mapped is not None:
        spec = schema.role(mapped)
        return mapped if spec is not None and spec.joins(head, tail) else None
    roles = schema.roles_for(head, tail)
    return roles[0].role if len(roles) == 1 else None
