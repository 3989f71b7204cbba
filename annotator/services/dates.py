"""Resolving every DATE span of a project against its document's date, in batches.

Each document's DATE spans without `iso` get the resolution of annotator/analysis/dates.py
(the dateline's date, else the published date, is the anchor; the sentence before a date
decides its direction). What cannot be resolved is counted and named in the report, never
silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.analysis.dates import document_anchor, resolve

BATCH = 200  # documents per transaction


@dataclass
class DateReport:
    documents: int = 0
    resolved: int = 0
    unresolved: list[tuple[int, str, str]] = field(default_factory=list)  # doc id, text, why
    cancelled: bool = False


def resolve_dates(store, doc_ids: Sequence[int] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> DateReport:
    ids = list(store.document_ids() if doc_ids is None else doc_ids)
    report = DateReport()
    pending: list[tuple[int, str]] = []
    for n, doc_id in enumerate(ids, start=1):
        dates = store.dates_to_resolve(doc_id)
        report.documents += 1
        if dates:
            doc = store.document(doc_id)
            anchor, _source = document_anchor(doc.published, doc.text[:600], doc.meta)
            for span_id, start, end in dates:
                found = resolve(doc.text[start:end], anchor, doc.text[max(0, start - 80):start])
                if found.resolved:
                    pending.append((span_id, found.iso))
                else:
                    report.unresolved.append((doc_id, doc.text[start:end], found.note))
        if n % BATCH == 0 or n == len(ids):
            report.resolved += store.store_resolutions(pending) if pending else 0
            pending = []
            if progress:
                progress(n, len(ids))
            if cancelled():
                report.cancelled = n < len(ids)
                break
    return report
