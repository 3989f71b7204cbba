"""Export a project through a registered format, with the filters all formats share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.domain import ACCEPTED, SUGGESTED, AnnotatedDocument
from annotator.formats import ExportOptions, exporters
from annotator.store import Store


@dataclass
class ExportFilter:
    include_suggestions: bool = False
    labels: tuple[str, ...] = ()
    annotator: str = ""
    doc_status: str = ""


def filtered_documents(store: Store, flt: ExportFilter,
                       progress: Callable[[int, int], None] | None = None
                       ) -> Iterator[AnnotatedDocument]:
    """The documents to export with their labels, streamed a page at a time; `progress(done,
    total)` once per page (a page is ~256 documents: no flood of progress signals)."""
    statuses = (ACCEPTED, SUGGESTED) if flt.include_suggestions else (ACCEPTED,)
    total = store.document_count(status=flt.doc_status) if progress else 0
    done = 0
    for page in store.iter_annotated(statuses, doc_status=flt.doc_status):
        for bundle in page:
            if flt.labels or flt.annotator:
                bundle.spans = [
                    s for s in bundle.spans
                    if (not flt.labels or s.label in flt.labels)
                    and (not flt.annotator or s.annotator == flt.annotator)
                ]
                kept = {s.id for s in bundle.spans}
                bundle.relations = [r for r in bundle.relations
                                    if r.head_id in kept and r.tail_id in kept]
            yield bundle
        done += len(page)
        if progress:
            progress(done, total)


def export(store: Store, fmt: str, out: Path, flt: ExportFilter | None = None,
           options: ExportOptions | None = None,
           progress: Callable[[int, int], None] | None = None) -> int:
    formats = exporters()
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(sorted(formats))}")
    flt = flt or ExportFilter()
    options = options or ExportOptions(include_suggestions=flt.include_suggestions,
                                       labels=flt.labels)
    return formats[fmt].writer(filtered_documents(store, flt, progress), Path(out), store.schema,
                               options)
