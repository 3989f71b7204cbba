"""Where the news components keep their results on a spaCy `Doc`.

Data model (all of it survives `Doc.to_bytes()`, `DocBin` and `nlp.pipe(n_process>1)`):

* ``doc.spans["news"]`` (`SPANS_KEY`): one `SpanGroup` with every span a news component found.
  ``span.label_`` is a schema label: SPEAKER, QUOTE, CUE, THREAT, CONDITION, EVENT, and, when a
  relation needs an entity as its end point, the entity's own label (PERSON, ORG, GPE, LOC,
  NORP, DATE). A span appears once per (start, end, label).
* ``doc._.news_attrs`` (dict): schema attributes per span, keyed by ``attrs_key(span)`` =
  ``"LABEL:start_char:end_char"``; e.g. ``{"QUOTE:10:52": {"kind": "direct", ...}}``. Read
  them with ``span_attrs(doc, span)`` or the read-only ``span._.news_attrs``. (A dict on the Doc,
  not a Span extension, because spaCy keys Span extensions by offsets only, so a PERSON and a
  SPEAKER over the same characters would share their attributes.)
* ``doc._.news_relations`` (list): ``[head_index, tail_index, role]`` triples, indices into
  ``doc.spans["news"]``, roles from the schema (SAID_BY, CUE, SOURCE, TARGET, CONDITION,
  EXPRESSED_IN, PARTICIPANT, PLACE, TIME, SAME_AS, ...).

Components write through `NewsAnnotations`, which deduplicates spans and relations and writes
the group back once per component call (cheap, no quadratic re-scans).
"""

from __future__ import annotations

from typing import Any, Iterable

from spacy.tokens import Doc, Span

SPANS_KEY = "news"


def _span_attrs_getter(span: Span) -> dict[str, Any]:
    """The attributes of a span, read from the Doc-level dict (see the module docstring)."""
    return span.doc._.news_attrs.get(attrs_key(span), {})


def register_extensions() -> None:
    """Register the Doc/Span extensions once per process (idempotent: every component import calls it)."""
    if not Doc.has_extension("news_relations"):
        Doc.set_extension("news_relations", default=[])
    if not Doc.has_extension("news_attrs"):
        Doc.set_extension("news_attrs", default={})
    if not Span.has_extension("news_attrs"):
        Span.set_extension("news_attrs", getter=_span_attrs_getter)


register_extensions()


def attrs_key(span: Span, label: str | None = None) -> str:
    """The key of a span's attributes in ``doc._.news_attrs``: label and character offsets, so two
    labels over the same characters keep theirs apart."""
    return f"{label or span.label_}:{span.start_char}:{span.end_char}"


def span_attrs(doc: Doc, span: Span) -> dict[str, Any]:
    """The schema attributes of `span` ({} when it has none)."""
    return doc._.news_attrs.get(attrs_key(span), {})


SPANS_CACHE_KEY = "news_spans_cache"


def news_spans(doc: Doc) -> list[Span]:
    """The spans of ``doc.spans["news"]`` as a new list. Reading a SpanGroup builds every Span anew,
    so the list the last `NewsAnnotations.commit` wrote is kept in ``doc.user_hooks`` (never
    serialised) and reused while the group is the same object with the same length."""
    group = doc.spans.get(SPANS_KEY)
    if group is None:
        return []
    cached = doc.user_hooks.get(SPANS_CACHE_KEY)
    if cached is not None and cached[0] is group and cached[1] == len(group):
        return list(cached[2])
    return list(group)


def news_relations(doc: Doc) -> list[tuple[int, int, str]]:
    """The relations as plain ``(head, tail, role)`` tuples (the extension may hold lists after
    deserialisation)."""
    return [(int(h), int(t), str(r)) for h, t, r in doc._.news_relations]


class NewsAnnotations:
    """Append-only writer over ``doc.spans["news"]`` and ``doc._.news_relations``."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.spans: list[Span] = news_spans(doc)
        self.index: dict[tuple[int, int, str], int] = {
            (s.start, s.end, s.label_): i for i, s in enumerate(self.spans)
        }
        self.attrs: dict[str, dict[str, Any]] = doc._.news_attrs
        self.relations: list = doc._.news_relations
        self._rel_seen = {(int(h), int(t), str(r)) for h, t, r in self.relations}
        self._dirty = False

    # --- spans -----------------------------------------------------------------------------
    def add(self, start: int, end: int, label: str, attrs: dict[str, Any] | None = None) -> int:
        """Add the token span [start, end) with `label`; returns its index in the group."""
        key = (start, end, label)
        idx = self.index.get(key)
        if idx is None:
            span = Span(self.doc, start, end, label=label)
            idx = len(self.spans)
            self.spans.append(span)
            self.index[key] = idx
            self._dirty = True
        if attrs:
            span = self.spans[idx]
            current = self.attrs.setdefault(attrs_key(span), {})
            for k, v in attrs.items():
                if v is not None and v != "" and k not in current:
                    current[k] = v
        return idx

    def relabel(self, idx: int, label: str) -> bool:
        """Give span `idx` another label in place, so relations keep their indices (a trained
        model overruling a rule). False, and nothing changes, when that label is already there."""
        old = self.spans[idx]
        key = (old.start, old.end, label)
        if key in self.index:
            return False
        del self.index[(old.start, old.end, old.label_)]
        self.spans[idx] = Span(self.doc, old.start, old.end, label=label)
        self.index[key] = idx
        self._dirty = True
        return True

    def add_span(self, span: Span, label: str | None = None, attrs: dict[str, Any] | None = None) -> int:
        """`add` for an existing Span (keeps its label unless `label` is given)."""
        return self.add(span.start, span.end, label or span.label_, attrs)

    def find(self, start: int, end: int, label: str) -> int | None:
        """The index of the span [start, end) with `label`, or None: look up without adding."""
        return self.index.get((start, end, label))

    def set_attr(self, idx: int, name: str, value: Any, overwrite: bool = True) -> None:
        """Set one attribute of span `idx` (empty values are never stored; `overwrite=False` keeps an
        earlier value)."""
        if value is None or value == "":
            return
        current = self.attrs.setdefault(attrs_key(self.spans[idx]), {})
        if overwrite or name not in current:
            current[name] = value

    def get_attrs(self, idx: int) -> dict[str, Any]:
        """The attributes of span `idx` (a live dict: do not change it)."""
        return self.attrs.get(attrs_key(self.spans[idx]), {})

    def of_label(self, *labels: str) -> Iterable[tuple[int, Span]]:
        """``(index, span)`` of every span with one of `labels`, in group order."""
        return ((i, s) for i, s in enumerate(self.spans) if s.label_ in labels)

    # --- relations ---------------------------------------------------------------------------
    def relate(self, head: int | None, tail: int | None, role: str) -> None:
        """Add the relation head --role--> tail once (None ends or a self-link are ignored)."""
        if head is None or tail is None or head == tail:
            return
        key = (head, tail, role)
        if key in self._rel_seen:
            return
        self._rel_seen.add(key)
        self.relations.append([head, tail, role])

    def tails(self, head: int, role: str) -> list[int]:
        """The tails of `head`'s relations with `role`."""
        return [int(t) for h, t, r in self.relations if h == head and r == role]

    def commit(self) -> None:
        """Write the span group back to the doc (only when spans were added) and cache it for the next
        component."""
        if self._dirty or SPANS_KEY not in self.doc.spans:
            self.doc.spans[SPANS_KEY] = self.spans
            self._dirty = False
            group = self.doc.spans[SPANS_KEY]
            self.doc.user_hooks[SPANS_CACHE_KEY] = (group, len(group), tuple(self.spans))
