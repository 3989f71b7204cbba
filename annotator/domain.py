"""Plain data objects of the annotation domain. No Qt, no SQL.

Offsets (`start`, `end`) are Python code-point indices into `Document.text`, end exclusive.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, NamedTuple

SUGGESTED = "suggested"
ACCEPTED = "accepted"
REJECTED = "rejected"
SPAN_STATUSES = (SUGGESTED, ACCEPTED, REJECTED)

DOC_NEW = "new"
DOC_IN_PROGRESS = "in_progress"
DOC_DONE = "done"
DOC_STATUSES = (DOC_NEW, DOC_IN_PROGRESS, DOC_DONE)

HUMAN = "human"
# The attribute a trained pipeline writes its confidence (0-1) into (nlp/combine.py): shown,
# never edited by the analyst.
SCORE = "score"


def new_uid() -> str:
    """The identity of a new span or relation, unique across every project file.

    A time-ordered UUID (version 7, RFC 9562: 48 bits of Unix milliseconds, then 74 random
    bits): new uids land at the end of the store's unique uid index instead of anywhere in it,
    so an import into a project of millions of labels does not slow down as the index outgrows
    SQLite's page cache (random version 4 uids made each batch of 100k ~3x slower by 3M rows)."""
    ms = time.time_ns() // 1_000_000 & (1 << 48) - 1
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits, 74 of them used
    value = (ms << 80 | 0x7 << 76 | (rand >> 62 & 0xFFF) << 64 | 0b10 << 62
             | rand & (1 << 62) - 1)
    return str(uuid.UUID(int=value))


def content_hash(text: str) -> str:
    """Identity of a document for idempotent import: the hash of its exact stored text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Document:
    text: str
    title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""
    import_file: str = ""
    status: str = DOC_NEW
    meta: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.text)


@dataclass
class Span:
    doc_id: int | None
    start: int
    end: int
    label: str
    status: str = ACCEPTED
    origin: str = HUMAN
    annotator: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    created: str = ""
    updated: str = ""
    actor_id: int | None = None  # the corpus-wide actor this mention stands for (registry)
    uid: str = ""  # a UUID given at creation: the span's identity across project files

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Relation:
    doc_id: int | None
    head_id: int
    tail_id: int
    role: str
    status: str = ACCEPTED
    origin: str = HUMAN
    annotator: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    created: str = ""
    updated: str = ""
    uid: str = ""  # a UUID given at creation: the relation's identity across project files


# Labels whose mentions can be linked to an actor of the registry.
ACTOR_LABELS = ("SPEAKER", "PERSON", "ORG", "GPE", "NORP")


@dataclass
class Actor:
    """One entry of the corpus-wide actor registry: every mention linked to it is this actor.

    `external_id` is typed in by the analyst (e.g. a Wikidata QID); nothing is looked up."""

    name: str
    type: str = ""  # PERSON, ORG, GPE, NORP or ""
    aliases: list[str] = field(default_factory=list)
    affiliation: str = ""
    role: str = ""
    external_id: str = ""
    id: int | None = None
    created: str = ""
    updated: str = ""
    mentions: int = 0  # linked spans (filled by the registry queries)
    documents: int = 0


@dataclass
class Action:
    """One row of the action log: what a user intent changed, enough to undo and redo it."""

    id: int
    ts: str
    kind: str
    annotator: str
    doc_id: int | None
    changes: list[dict[str, Any]]
    undone: int = 0


class ValidationError(ValueError):
    """Input that breaks a domain rule (bad offsets, unknown label, ...)."""


def check_span_bounds(text: str, start: int, end: int) -> None:
    check_span_range(len(text), start, end)


def check_span_range(length: int, start: int, end: int) -> None:
    """The bounds check by text length alone (the store caches lengths, not whole texts)."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValidationError(f"span offsets must be integers, got {start!r}, {end!r}")
    if not (0 <= start < end <= length):
        raise ValidationError(f"span [{start}, {end}) out of range for text of length {length}")


@dataclass
class AnnotatedDocument:
    """A document with its spans and relations, as formats read and write them.

    Within a bundle, `Span.id` values are local identifiers (any unique ints) and
    `Relation.head_id` / `tail_id` refer to them; the store maps them to database ids.
    """

    document: Document
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


class DocSuggestions(NamedTuple):
    """A model's suggestions for one document as plain data (what worker processes send back):
    spans as (start, end, label, attrs), relations as (head index, tail index, role) into
    `spans`, the document's token count and the metadata its text gives (`doc_meta`: the
    dateline's place and agency), added to the document's meta with the suggestions."""

    doc_id: int
    spans: list[tuple[int, int, str, dict[str, Any]]]
    relations: list[tuple[int, int, str]]
    words: int
    meta: dict[str, Any] | None = None
