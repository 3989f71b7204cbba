"""Analyst tables: a folder with quotes.csv, threats.csv and events.csv.

One row per QUOTE, THREAT or EVENT span, with the spans linked to it through relations
resolved to their text (several joined by "; "):
* quotes.csv: document_id, title, published, quote, speaker (SAID_BY), speaker_canonical_name
  (the speaker's actor in the registry, else its `canonical_name`, or that of a span joined to
  it by SAME_AS), speaker_actor_id, kind, speech_act, channel, cue (CUE), start, end.
* threats.csv: document_id, title, published, source (SOURCE), source_canonical_name,
  source_actor_id, target (TARGET), target_canonical_name, target_actor_id (canonical names as
  for speakers), threat, type, mode, condition (CONDITION), cameo (the attribute, else the
  schema's mapping of the mode), plover, start, end.
* events.csv: document_id, title, published, type, trigger, participants (PARTICIPANT),
  participant_actor_ids, time (TIME), place (PLACE; without one the nearest GPE/LOC of the
  paragraph, else the dateline's place, marked as the Events table marks them: "Gao (nearby)",
  "Bamako (dateline)"), casualties (CASUALTIES), outcome, modality, acled, cameo, plover (the
  schema's mappings of the type), start, end.
`*_actor_id` columns hold the ids of the actor registry (`annotator actors export`), several
joined by "; ", empty for mentions not linked to an actor.
`start`/`end` are code-point offsets into the article. Files are UTF-8 with a BOM (so
spreadsheet programs pick the encoding) and a cell that starts with `=`, `+`, `-` or `@` gets a
leading `'` so a spreadsheet never runs it as a formula. Suggestions (when included) are rows
like accepted labels.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.analysis.places import inferred_place
from annotator.atomic_files import staging
from annotator.domain import AnnotatedDocument, Span
from annotator.formats.base import ExportOptions
from annotator.schema import LabelSchema

DOC_COLUMNS = ["document_id", "title", "published"]
QUOTE_COLUMNS = DOC_COLUMNS + ["quote", "speaker", "speaker_canonical_name", "speaker_actor_id",
                               "kind", "speech_act", "channel", "cue", "start", "end"]
THREAT_COLUMNS = DOC_COLUMNS + ["source", "source_canonical_name", "source_actor_id", "target",
                                "target_canonical_name", "target_actor_id", "threat", "type",
                                "mode", "condition", "cameo", "plover", "start", "end"]
EVENT_COLUMNS = DOC_COLUMNS + ["type", "trigger", "participants", "participant_actor_ids", "time",
                               "place", "casualties", "outcome", "modality", "acled", "cameo",
                               "plover", "start", "end"]
SEP = "; "
PLACE_LABELS = ("GPE", "LOC")  # an event without a PLACE link takes the nearest of these


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


class _Links:
    """Relations of one document, looked up by head span and role."""

    def __init__(self, bundle: AnnotatedDocument, actors: dict | None = None):
        self.actors = actors or {}
        self.text = bundle.document.text
        self.spans = {s.id: s for s in bundle.spans}
        self.out: dict[tuple[int, str], list[Span]] = {}
        self.same: dict[int, list[Span]] = {}
        for rel in sorted(bundle.relations, key=lambda r: (r.head_id, r.tail_id, r.role)):
            head, tail = self.spans.get(rel.head_id), self.spans.get(rel.tail_id)
            if head is None or tail is None:
                continue
            self.out.setdefault((head.id, rel.role), []).append(tail)
            if rel.role == "SAME_AS":
                self.same.setdefault(head.id, []).append(tail)
                self.same.setdefault(tail.id, []).append(head)
        for targets in self.out.values():
            targets.sort(key=lambda s: (s.start, s.end))

    def targets(self, span: Span, role: str) -> list[Span]:
        return self.out.get((span.id, role), [])

    def texts(self, span: Span, role: str) -> str:
        seen = []
        for target in self.targets(span, role):
            t = self.text[target.start:target.end]
            if t not in seen:
                seen.append(t)
        return SEP.join(seen)

    def canonicals(self, span: Span, role: str) -> str:
        """The canonical names of the spans `span` links to with `role`, each once."""
        names: list[str] = []
        for target in self.targets(span, role):
            name = self.canonical(target)
            if name and name not in names:
                names.append(name)
        return SEP.join(names)

    def actor_ids(self, span: Span, role: str) -> str:
        ids = []
        for target in self.targets(span, role):
            if target.actor_id is not None and target.actor_id not in ids:
                ids.append(target.actor_id)
        return SEP.join(str(i) for i in ids)

    def canonical(self, span: Span) -> str:
        for candidate in [span, *self.same.get(span.id, [])]:
            actor = self.actors.get(candidate.actor_id)
            if actor is not None:
                return actor.name
        for candidate in [span, *self.same.get(span.id, [])]:
            name = candidate.attrs.get("canonical_name")
            if name:
                return str(name)
        return ""


def _mapping(schema: LabelSchema, table: str, key: Any, system: str) -> str:
    entry = (schema.mappings.get(table) or {}).get(str(key) if key is not None else "") or {}
    return str(entry.get(system, "")) if isinstance(entry, dict) else ""


def bundle_rows(bundle: AnnotatedDocument, schema: LabelSchema, actors: dict | None = None
                ) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """The quotes, threats and events rows of one document; `actors`: the registry by id
    (canonical names of linked mentions)."""
    doc = bundle.document
    links = _Links(bundle, actors)
    base = [doc.id if doc.id is not None else "", doc.title, doc.published]
    quotes, threats, events = [], [], []
    places = sorted((s.start, s.end) for s in bundle.spans if s.label in PLACE_LABELS)
    for span in sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label, s.id or 0)):
        text = doc.text[span.start:span.end]
        a = span.attrs
        if span.label == "QUOTE":
            quotes.append(base + [text, links.texts(span, "SAID_BY"),
                                  links.canonicals(span, "SAID_BY"),
                                  links.actor_ids(span, "SAID_BY"), a.get("kind"),
                                  a.get("speech_act"), a.get("channel"),
                                  links.texts(span, "CUE"), span.start, span.end])
        elif span.label == "THREAT":
            mode = a.get("mode")
            threats.append(base + [links.texts(span, "SOURCE"), links.canonicals(span, "SOURCE"),
                                   links.actor_ids(span, "SOURCE"),
                                   links.texts(span, "TARGET"), links.canonicals(span, "TARGET"),
                                   links.actor_ids(span, "TARGET"),
                                   text, a.get("type"), mode, links.texts(span, "CONDITION"),
                                   a.get("cameo") or _mapping(schema, "threat_mode", mode, "cameo"),
                                   _mapping(schema, "threat_mode", mode, "plover"),
                                   span.start, span.end])
        elif span.label == "EVENT":
            etype = a.get("type")
            events.append(base + [etype, text, links.texts(span, "PARTICIPANT"),
                                  links.actor_ids(span, "PARTICIPANT"), links.texts(span, "TIME"),
                                  links.texts(span, "PLACE") or inferred_place(
                                      doc.text, span.start, span.end, places),
                                  links.texts(span, "CASUALTIES"), a.get("outcome"),
                                  a.get("modality"),
                                  _mapping(schema, "event_type", etype, "acled"),
                                  _mapping(schema, "event_type", etype, "cameo"),
                                  _mapping(schema, "event_type", etype, "plover"),
                                  span.start, span.end])
    return quotes, threats, events


def write_csv_tables(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                     options: ExportOptions) -> int:
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: the CSV export writes a folder, and this is a file")
    out.mkdir(parents=True, exist_ok=True)
    names = ("quotes.csv", "threats.csv", "events.csv")
    headers = (QUOTE_COLUMNS, THREAT_COLUMNS, EVENT_COLUMNS)
    count = 0
    with staging() as stage:  # the three tables replace the previous ones together at the end
        files = [stage.open(out / name, "w", encoding="utf-8-sig", newline="") for name in names]
        try:
            writers = [csv.writer(fh) for fh in files]
            for writer, header in zip(writers, headers):
                writer.writerow(header)
            for bundle in bundles:
                count += 1
                for writer, rows in zip(writers, bundle_rows(bundle, schema,
                                                             options.extra.get("actors"))):
                    writer.writerows([safe_cell(v) for v in row] for row in rows)
        finally:
            for fh in files:
                fh.close()
    return count
