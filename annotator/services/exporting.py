"""Export a project through a registered format, with the filters all formats share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.domain import ACCEPTED, SUGGESTED, AnnotatedDocument
from annotator.formats import ExportOptions, exporters
from annotator.services.project_files import is_project_file
from annotator.store import Store


@dataclass
class ExportFilter:
    include_suggestions: bool = False
    labels: tuple[str, ...] = ()
    annotator: str = ""  # one annotator's layer (kept for callers that give one)
    doc_status: str = ""
    # layers: annotator names, or CURATED (team/identity.py) for the adjudicated gold. Only the
    # documents those layers cover are exported.
    annotators: tuple[str, ...] = ()

    @property
    def layers(self) -> tuple[str, ...]:
        return self.annotators or ((self.annotator,) if self.annotator else ())
    # accepted labels only, plus the suggested links of accepted spans (and the spans at their
    # other ends): an accepted quote keeps its suggested speaker
    include_links: bool = False


def filtered_documents(store: Store, flt: ExportFilter,
                       progress: Callable[[int, int], None] | None = None
                       ) -> Iterator[AnnotatedDocument]:
    """The documents to export with their labels, streamed a page at a time; `progress(done,
    total)` once per page (a page is ~256 documents: no flood of progress signals)."""
    wider = flt.include_suggestions or flt.include_links
    statuses = (ACCEPTED, SUGGESTED) if wider else (ACCEPTED,)
    layers = flt.layers
    covered: set[int] | None = None
    if layers:  # only the documents those layers cover
        covered = set(store.layer_documents(layers))
        covered &= set(store.document_ids(status=flt.doc_status or None))
        total = len(covered)
    else:
        total = store.document_count(status=flt.doc_status) if progress else 0
    done = 0
    for page in store.iter_annotated(statuses, doc_status=flt.doc_status):
        for bundle in page:
            if covered is not None and bundle.document.id not in covered:
                continue
            if flt.include_links and not flt.include_suggestions:
                _accepted_with_links(bundle)
            if flt.labels or layers:
                bundle.spans = [
                    s for s in bundle.spans
                    if (not flt.labels or s.label in flt.labels)
                    and (not layers or s.annotator in layers)
                ]
                kept = {s.id for s in bundle.spans}
                bundle.relations = [r for r in bundle.relations
                                    if r.head_id in kept and r.tail_id in kept]
            done += 1
            yield bundle
        if progress:
            progress(done, total)


def export(store: Store, fmt: str, out: Path, flt: ExportFilter | None = None,
           options: ExportOptions | None = None,
           progress: Callable[[int, int], None] | None = None) -> int:
    formats = exporters()
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(sorted(formats))}")
    if is_project_file(out, store.path):  # writing it by path would wipe it and drop its locks
        raise ValueError(f"{out}: is the project's own database; export to another file")
    flt = flt or ExportFilter()
    options = store_options(store, flt, options)
    return formats[fmt].writer(filtered_documents(store, flt, progress), Path(out), store.schema,
                               options)


def store_options(store: Store, flt: ExportFilter, options: ExportOptions | None = None) -> ExportOptions:
    """A writer's options with what it reads from the project beside the documents: the actor
    registry (formats with a place name each linked mention's actor) and the analyst tables'
    rows (the CSV tables are the app's tables: one code path, same names)."""
    options = options or ExportOptions(include_suggestions=flt.include_suggestions,
                                       labels=flt.labels)
    options.extra.setdefault("actors", store.actor_map())
    wider = flt.include_suggestions or flt.include_links
    options.extra.setdefault("table_rows", lambda query, ids: store.table_rows_by_id(
        query.but(include_suggestions=wider), ids))
    return options


def _accepted_with_links(bundle: AnnotatedDocument) -> None:
    """Keep accepted spans, the relations whose head is accepted and the spans they reach."""
    status = {s.id: s.status for s in bundle.spans}
    bundle.relations = [r for r in bundle.relations if status.get(r.head_id) == ACCEPTED]
    kept = {r.tail_id for r in bundle.relations} | {i for i, st in status.items()
                                                     if st == ACCEPTED}
    bundle.spans = [s for s in bundle.spans if s.id in kept]
    bundle.relations = [r for r in bundle.relations if r.tail_id in kept]
