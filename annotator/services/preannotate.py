"""Batch pre-annotation: run the spaCy pipeline over documents and store its suggestions.

Resumable: documents already pre-annotated by the same origin are skipped; each batch of
documents is written in one transaction, so an interruption loses at most the batch in flight.
Beside the suggestions, the document-level record of `doc_meta` (the dateline's place and
agency) is added to each document's meta in the same transaction.

The label memory applies after the model, in the same transaction (store/suggestions.py): texts
the analyst rejected for a label are dropped, names take their remembered canonical names, and
each document gets its memory suggestions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annotator.domain import Span
from annotator.store import Store

Progress = Callable[[int, int, int], None]  # (documents done, total, words done)


@dataclass
class PreannotateResult:
    origin: str
    processed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    cancelled: bool = False

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def preannotate(store: Store, doc_ids: Sequence[int], *, model: str | None = None, nlp=None,
                batch_size: int = 32, n_process: int = 1, force: bool = False,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> PreannotateResult:
    from annotator.nlp.models import load_pipeline, model_origin
    from annotator.nlp.suggestions import doc_meta, doc_to_suggestions

    nlp = nlp or load_pipeline(model)
    origin = model_origin(nlp)
    done = set() if force else store.preannotated_ids(origin)
    todo = [i for i in doc_ids if i not in done]
    result = PreannotateResult(origin=origin, skipped=len(doc_ids) - len(todo))
    started = time.perf_counter()
    texts = ((store.document(i).text, i) for i in todo)
    pending: list = []
    for doc, doc_id in nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process):
        spans, relations = doc_to_suggestions(doc, store.schema)
        pending.append((doc_id, [Span(doc_id, s.start, s.end, s.label, attrs=s.attrs) for s in spans],
                        [(r.head, r.tail, r.role) for r in relations], doc_meta(doc)))
        result.words += len(doc)
        if len(pending) >= batch_size:
            _flush(store, pending, origin, result, len(todo), progress)
            if cancelled():
                result.cancelled = True
                break
    else:
        _flush(store, pending, origin, result, len(todo), progress)
    result.seconds = time.perf_counter() - started
    return result


def _flush(store: Store, pending: list, origin: str, result: PreannotateResult, total: int,
           progress: Progress | None) -> None:
    if pending:
        with store.transaction():  # suggestions and document meta of a batch commit together
            store.replace_suggestions_batch([(d, spans, rels) for d, spans, rels, _ in pending], origin)
            store.add_document_meta((d, meta) for d, _, _, meta in pending)
        result.processed += len(pending)
        pending.clear()
    if progress:
        progress(result.processed, total, result.words)
