"""Suggestions for batches of (doc_id, text), as plain data: what worker processes return.

A worker (a `--n-process` child, the GUI's model process or a Dask worker) loads its pipeline
once (`cached_pipeline`) and sends back `DocSuggestions` records (annotator.domain), tuples of
ints and strings, not spaCy Docs: they pickle in microseconds, so the process that writes them
to the database never becomes the bottleneck, and it never has to import spaCy.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

from spacy.language import Language

from annotator.domain import DocSuggestions
from annotator.nlp.suggestions import doc_meta, doc_to_suggestions
from annotator.nlp.syntax import TEXT_CACHE_KEY
from annotator.schema import LabelSchema, load_schema, parse_schema


def to_record(doc_id: int, doc, schema: LabelSchema) -> DocSuggestions:
    spans, relations = doc_to_suggestions(doc, schema)
    return DocSuggestions(doc_id, [(s.start, s.end, s.label, s.attrs) for s in spans],
                          [(r.head, r.tail, r.role) for r in relations], len(doc), doc_meta(doc))


def suggest_items(nlp: Language, items: Iterable[tuple[int, str]], schema: LabelSchema,
                  batch_size: int = 32) -> Iterator[DocSuggestions]:
    """`nlp.pipe` over (doc_id, text) pairs, one record per pair, in order."""
    def pairs():
        for doc_id, text in items:
            doc = nlp.make_doc(text)
            # the components rebuild doc.text from the tokens unless it is in the cache
            doc.user_hooks[TEXT_CACHE_KEY] = (len(doc), text)
            yield doc, doc_id

    for doc, doc_id in nlp.pipe(pairs(), as_tuples=True, batch_size=batch_size):
        yield to_record(doc_id, doc, schema)


# --- in a worker process ------------------------------------------------------------------------

_PIPELINES: dict[str, Language] = {}
_SCHEMAS: dict[str, LabelSchema] = {}
_LOAD_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()  # one batch at a time per process: a pipeline is not thread-safe


def cached_pipeline(model: str | None, schema_toml: str | None = None
                    ) -> tuple[Language, LabelSchema]:
    """The process's pipeline for `model` (loaded on first use) and the project's schema
    (parsed on first use; None: the default schema)."""
    from annotator.nlp.models import load_pipeline

    with _LOAD_LOCK:
        key = model or ""
        if key not in _PIPELINES:
            _PIPELINES[key] = load_pipeline(model or None)
        toml = schema_toml or ""
        if toml not in _SCHEMAS:
            _SCHEMAS[toml] = parse_schema(toml, origin="<project schema>") if toml else load_schema()
        return _PIPELINES[key], _SCHEMAS[toml]


def pipeline_origin(model: str | None) -> str:
    """The origin name of the suggestions this process's pipeline makes."""
    from annotator.nlp.models import model_origin

    return model_origin(cached_pipeline(model)[0])


def suggest_batch(items: list[tuple[int, str]], model: str | None, schema_toml: str | None = None,
                  batch_size: int = 32) -> list[DocSuggestions]:
    """Records for one batch, with this process's cached pipeline (the task workers run)."""
    nlp, schema = cached_pipeline(model, schema_toml)
    with _RUN_LOCK:
        return list(suggest_items(nlp, items, schema, batch_size))
