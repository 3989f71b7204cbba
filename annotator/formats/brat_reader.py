"""brat standoff in: one `.ann` file and the `.txt` beside it -> one document.

T, E, R, A/M and `#` AnnotatorNotes lines; N (normalisation) lines are ignored; anything else
is a bad line. A discontinuous `T` becomes one span from its first fragment's start to its last
one's end; the `T` text must equal the `.txt` text at its offsets (fragments joined by a
space). Labels come in as accepted human labels, their names through the label mapping.

* `<doc>_<annotator>.ann` beside `<doc>.txt` (and no `<doc>_<annotator>.txt`): one annotator's
  labels of `<doc>`; they come in with that annotator (several such files: one document, the
  labels of each annotator).
* An event whose type is no label of ours (nor mapped to one, or mapped to `-`), e.g. a
  PARC/PolNeAR-style `Attribution:T4 Content:T3 Cue:T2 Source:T1`, is folded into relations
  from one of its arguments (`formats.events`); its trigger is not kept as a span (counted in
  the report). A numbered role (`Content2`, brat's way of giving a role twice) is one more
  argument of that role.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import (
    ACCEPTED,
    HUMAN,
    AnnotatedDocument,
    Document,
    Relation,
    Span,
)
from annotator.formats.base import ImportProblem
from annotator.formats.context import BadLabel, Dropped, ReadContext, UnknownName
from annotator.formats.decoding import (
    check_link,
    decode_bytes,
    normalise_with_offsets,
    read_bytes,
    read_text,
)
from annotator.formats.document_checks import check_document, check_ends, refuse_reserved
from annotator.formats.events import fold_event
from annotator.formats.titles import title_from_text


def text_for(ann: Path) -> tuple[Path, str]:
    """The `.txt` an `.ann` belongs to and the annotator its name gives ("" for a plain pair).

    `a_b_alice.ann` with `a_b.txt` beside it (and no `a_b_alice.txt`) is alice's file of a_b.
    """
    own = ann.with_suffix(".txt")
    if own.exists():
        return own, ""
    stem = ann.stem
    cut = stem.rfind("_")
    while cut > 0:
        candidate = ann.with_name(stem[:cut] + ".txt")
        if candidate.exists():
            return candidate, stem[cut + 1:]
        cut = stem.rfind("_", 0, cut)
    return own, ""


def read_brat(path: Path, ctx: ReadContext) -> list[AnnotatedDocument]:
    txt_path, annotator = text_for(path)
    refuse_reserved(path, annotator, None, f"labels of {txt_path.name} (from the file name)")
    if not txt_path.exists():
        raise ImportProblem(path, f"no {txt_path.name} beside the .ann file")
    check_link(txt_path, path.parent)  # the text is found, not named: a link stays in the folder
    raw_text = read_text(txt_path)
    text, old_to_new = normalise_with_offsets(raw_text)
    data = read_bytes(path)
    content = decode_bytes(data, path) if data.strip() else ""
    ann = _Ann(path, raw_text, ctx, annotator)
    ann.parse(content)
    spans, relations = ann.resolve(lambda i: old_to_new[i] if old_to_new else i)
    title = title_from_text(text)
    doc = Document(text=text, title=title, source=txt_path.name, import_file=str(path))
    return [check_document(path, None, AnnotatedDocument(doc, spans, relations), ctx)]


@dataclass
class _TLine:
    line: int
    label: str
    start: int
    end: int


@dataclass
class _Event:
    line: int
    etype: str
    trigger: str
    args: list[tuple[str, str]] = field(default_factory=list)


class _Ann:
    """One `.ann` file: lines parsed first, then resolved against the schema and mapping (a
    trigger is only known to be foldable once every line is read)."""

    def __init__(self, path: Path, text: str, ctx: ReadContext, annotator: str):
        self.path, self.text, self.ctx, self.annotator = path, text, ctx, annotator
        self.tlines: dict[str, _TLine] = {}
        self.events: dict[str, _Event] = {}
        self.rels: list[tuple[int, str, str, str]] = []  # (line, role, head ref, tail ref)
        self.attrs: list[tuple[int, str, str, str | bool]] = []  # (line, name, ref, value)
        self.notes: list[tuple[int, str, str]] = []  # (line, ref, note)
        self.spans: dict[str, Span] = {}  # T id -> span (local id = its index)
        self.heads: dict[str, str] = {}  # E id -> T id standing for it (trigger or fold head)

    def fail(self, lineno: int, message: str) -> BadLabel:
        return BadLabel(self.path, message, line=lineno)

    # --- lines -------------------------------------------------------------------------------

    def parse(self, content: str) -> None:
        for lineno, line in enumerate(content.split("\n"), start=1):
            line = line.rstrip("\r")
            if line.strip():
                try:
                    self._line(lineno, line)
                except BadLabel as exc:
                    self.ctx.skip(exc)

    def _line(self, lineno: int, line: str) -> None:
        ident, sep, rest = line.partition("\t")
        if not sep or not ident:
            raise self.fail(lineno, "expected an id, a tab and the annotation")
        kind = ident[0]
        if kind == "T":
            self._t_line(lineno, ident, rest)
        elif kind == "E":
            parts = rest.split()
            if not parts or ":" not in parts[0]:
                raise self.fail(lineno, "an E line needs TYPE:TRIGGER")
            etype, trig = parts[0].split(":", 1)
            event = _Event(lineno, etype, trig)
            for part in parts[1:]:
                name, colon, target = part.partition(":")
                if not colon:
                    raise self.fail(lineno, f"bad event argument {part!r}: expected ROLE:ID")
                event.args.append((name, target))
            if ident in self.events:
                raise self.fail(lineno, f"duplicate id {ident}")
            self.events[ident] = event
        elif kind == "R":
            parts = rest.split()
            if len(parts) != 3:
                raise self.fail(lineno, "an R line needs TYPE Arg1:ID Arg2:ID")
            found = dict(p.partition(":")[::2] for p in parts[1:])
            if set(found) != {"Arg1", "Arg2"}:
                raise self.fail(lineno, "an R line needs Arg1:ID and Arg2:ID")
            self.rels.append((lineno, parts[0], found["Arg1"], found["Arg2"]))
        elif kind in "AM":
            parts = rest.split()
            if len(parts) not in (2, 3):
                raise self.fail(lineno, "an attribute line needs NAME ID [VALUE]")
            self.attrs.append((lineno, parts[0], parts[1], parts[2] if len(parts) == 3 else True))
        elif kind == "#":
            body, _sep, note = rest.partition("\t")
            kind_ref = body.split()
            if len(kind_ref) == 2 and kind_ref[0] == "AnnotatorNotes":
                self.notes.append((lineno, kind_ref[1], note))
        elif kind != "N":  # N: normalisations (links to external databases): nothing to keep
            raise self.fail(lineno, f"unsupported annotation {ident!r} (expected T, E, R, A, M, "
                                    "N or #)")

    def _t_line(self, lineno: int, ident: str, rest: str) -> None:
        body, sep, shown = rest.partition("\t")
        if not sep:
            raise self.fail(lineno, "a T line needs 'TYPE START END' and the text, tab-separated")
        label, _, offsets = body.partition(" ")
        frags = []
        for piece in offsets.split(";"):
            m = re.fullmatch(r"([0-9]+) ([0-9]+)", piece.strip())
            if not m or len(m.group(1)) > 18 or len(m.group(2)) > 18:  # int() stops at 4,300 digits
                raise self.fail(lineno, f"bad offsets {offsets!r}: expected "
                                        "'START END[;START END]'")
            a, b = int(m.group(1)), int(m.group(2))
            if not a <= b <= len(self.text):
                raise self.fail(lineno, f"offsets {a} {b} out of range for a text of "
                                        f"{len(self.text)} characters")
            frags.append((a, b))
        expected = " ".join(self.text[a:b] for a, b in frags)
        if shown != expected:
            raise self.fail(lineno, f"text {shown!r} does not match the text at its offsets: "
                                    f"{expected!r}")
        start, end = min(a for a, _ in frags), max(b for _, b in frags)
        if start >= end:
            raise self.fail(lineno, "empty text-bound annotation")
        if ident in self.tlines:
            raise self.fail(lineno, f"duplicate id {ident}")
        self.tlines[ident] = _TLine(lineno, label, start, end)

    # --- resolving ---------------------------------------------------------------------------

    def resolve(self, remap) -> tuple[list[Span], list[Relation]]:
        folded = self._foldable()
        for tid, t in self.tlines.items():
            if tid in folded:
                continue
            try:
                spec = self.ctx.span_label(t.label, self.path, t.line, f"T line {tid}")
                start, end = remap(t.start), remap(t.end)
                if start >= end:
                    raise self.fail(t.line, f"label {spec.name} is empty after newline fix")
            except BadLabel as exc:
                self.ctx.skip(exc)
                continue
            self.spans[tid] = Span(None, start, end, spec.name, ACCEPTED, HUMAN, self.annotator,
                                   id=len(self.spans))
        relations = self._event_relations(folded) + self._plain_relations()
        for item in self.attrs:
            self._guard(self._attribute, *item)
        for item in self.notes:
            self._guard(self._note, *item)
        return list(self.spans.values()), relations

    def _guard(self, fn, *args):
        try:
            return fn(*args)
        except BadLabel as exc:
            self.ctx.skip(exc)
            return None

    def _foldable(self) -> set[str]:
        """Triggers of events whose type is no label of ours: not kept as spans, so the event
        is folded into its arguments, also when the mapping leaves the trigger's label out
        (`--map Attribution=-` drops the trigger, not the event's links). A label of ours left
        out (`--map EVENT=-`) takes its event's links with it, as it would kept."""
        found = set()
        for event in self.events.values():
            t = self.tlines.get(event.trigger)
            if t is None or t.label != event.etype:
                continue
            if self.ctx.label(t.label) is None and self.ctx.schema.label(t.label) is None:
                found.add(event.trigger)
        return found

    def _ref(self, lineno: int, ref: str) -> Span | None:
        """The span a T or E id stands for; None when it was not imported."""
        if ref in self.spans:
            return self.spans[ref]
        if ref in self.events:
            head = self.heads.get(ref)
            return self.spans.get(head) if head else None
        if ref in self.tlines:
            return None  # a T line that was skipped or left out
        raise self.fail(lineno, f"refers to {ref!r}, which is not in the file")

    def _event_relations(self, folded: set[str]) -> list[Relation]:
        relations: list[Relation] = []
        # events first get their head (trigger or fold head), so arguments may be events
        order = list(self.events.items())
        for eid, event in order:
            if event.trigger in self.spans:
                self.heads[eid] = event.trigger
        for eid, event in order:
            try:
                if event.trigger in folded:
                    relations += self._fold(eid, event)
                else:
                    relations += self._event_args(event)
            except BadLabel as exc:
                self.ctx.skip(exc)
        return relations

    def _fold(self, eid: str, event: _Event) -> list[Relation]:
        args = []
        for name, target in event.args:
            span = self._ref(event.line, target)
            if span is None:  # its label is unknown or left out: that is what gets reported
                self.ctx.orphan(self.path, event.line, f"argument {name} of event {eid}")
                return []
            args.append((name, span.id))
        by_id = {s.id: s for s in self.spans.values()}
        result = fold_event(args, by_id, self.ctx.schema, self.ctx.mapping, self.annotator)
        if result is None and self.ctx.is_dropped("label", event.etype):
            raise Dropped(self.path, "label", event.etype, event.line)  # counted, as asked
        if result is None:
            raise UnknownName(self.path, "label", event.etype,
                              f"event {eid} (no argument can head relations to the others)",
                              event.line, "event type")
        head, relations = result
        self.heads[eid] = next(tid for tid, s in self.spans.items() if s.id == head)
        self.ctx.notes.folded_events += 1
        return relations

    def _event_args(self, event: _Event) -> list[Relation]:
        if event.trigger not in self.tlines:
            raise self.fail(event.line, f"event trigger {event.trigger!r} is not a T annotation "
                                        "of the file")
        head = self._ref(event.line, event.trigger)
        if head is None:
            self.ctx.orphan(self.path, event.line, f"event {event.etype}")
            return []
        etype = self.ctx.label(event.etype)
        if etype is None or etype.name != head.label:
            raise self.fail(event.line, f"event type {event.etype} differs from its trigger's "
                                        f"label {head.label}")
        relations = []
        for name, target in event.args:
            try:
                role = self._role(event.line, name, "event argument role")
                tail = self._ref(event.line, target)
            except BadLabel as exc:
                self.ctx.skip(exc)
                continue
            if tail is None:
                self.ctx.orphan(self.path, event.line, f"argument {name}")
                continue
            relations.append(Relation(None, head.id, tail.id, role, ACCEPTED, HUMAN,
                                      self.annotator))
        return relations

    def _role(self, lineno: int, name: str, noun: str) -> str:
        """Our role for a brat role name: the mapping, else a case-insensitive match with any
        trailing number dropped (brat numbers repeated arguments: Participant2)."""
        spec = self.ctx.role(name)
        if spec is not None:
            return spec.role
        if self.ctx.is_dropped("role", name):
            return self.ctx.relation_role(name, self.path, lineno, noun).role  # raises Dropped
        for candidate in (name, re.sub(r"\d+$", "", name)):
            for role in self.ctx.schema.relations:
                if role.role.lower() == candidate.lower():
                    return role.role
        raise UnknownName(self.path, "role", name, noun, lineno, noun)

    def _plain_relations(self) -> list[Relation]:
        relations = []
        for lineno, role_name, head_ref, tail_ref in self.rels:
            try:
                role = self._role(lineno, role_name, "relation role")
                head, tail = self._ref(lineno, head_ref), self._ref(lineno, tail_ref)
            except BadLabel as exc:
                self.ctx.skip(exc)
                continue
            if head is None or tail is None:
                self.ctx.orphan(self.path, lineno, f"relation {role_name}")
                continue
            try:
                check_ends(self.path, lineno, role, (head.label, tail.label), self.ctx)
            except BadLabel as exc:
                self.ctx.skip(exc)
                continue
            relations.append(Relation(None, head.id, tail.id, role, ACCEPTED, HUMAN,
                                      self.annotator))
        return relations

    def _attribute(self, lineno: int, name: str, ref: str, value: str | bool) -> None:
        span = self._ref(lineno, ref)
        if span is None:
            self.ctx.orphan(self.path, lineno, f"attribute {name}")
            return
        spec = self.ctx.schema.label(span.label).attribute(name)
        if spec is None:
            raise self.fail(lineno, f"attribute {name!r} is not defined for {span.label}")
        if spec.values and isinstance(value, str):
            value = next((v for v in spec.values if v == value or v.replace(" ", "_") == value),
                         value)
        if not spec.allows(value):
            raise self.fail(lineno, f"attribute {name}={value!r} not allowed for {span.label}")
        span.attrs[name] = value

    def _note(self, lineno: int, ref: str, note: str) -> None:
        try:
            data = json.loads(note)
        except ValueError:
            return  # an ordinary note: not ours to keep
        span = self._ref(lineno, ref)
        if span is None:
            return
        label = self.ctx.schema.label(span.label)
        if not isinstance(data, dict) or not all(label.attribute(k) for k in data):
            return
        for name, value in data.items():
            if not label.attribute(name).allows(value):
                raise self.fail(lineno, f"attribute {name}={value!r} not allowed for {span.label}")
            span.attrs[name] = value
