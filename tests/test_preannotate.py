"""Pre-annotation engines on a real project and the real default pipeline: one process, worker
processes and a local Dask cluster of two workers store the same suggestions; interrupted runs
resume; a failed commit is reported, and what was committed before it stays whole."""

from __future__ import annotations

import pytest

from annotator.domain import AnnotatedDocument, Document
from annotator.resources import resources_dir
from annotator.store import Store, StoreError

pytestmark = pytest.mark.slow


def _texts(copies: int) -> list[str]:
    samples = [p.read_text(encoding="utf-8")
               for p in sorted((resources_dir() / "samples").glob("*.txt"))]
    return [f"{text}\n(Copy {i}.)" for i in range(copies) for text in samples]


def _project(path, texts) -> list[int]:
    with Store(path) as store:
        return store.add_documents(AnnotatedDocument(Document(text=t)) for t in texts)


def _suggestions(path) -> dict:
    """Per document: its suggested spans and relations (by span offsets and labels)."""
    with Store(path) as store:
        out = {}
        for doc_id in store.document_ids():
            spans = {s.id: (s.start, s.end, s.label, tuple(sorted(s.attrs.items())))
                     for s in store.spans(doc_id)}
            rels = {(spans[r.head_id][:3], spans[r.tail_id][:3], r.role)
                    for r in store.relations(doc_id)}
            out[doc_id] = (frozenset(spans.values()), frozenset(rels))
        return out


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The reference: the same project pre-annotated in this process."""
    from annotator.services.preannotate import preannotate

    path = tmp_path_factory.mktemp("local") / "p.db"
    texts = _texts(3)
    _project(path, texts)
    with Store(path) as store:
        result = preannotate(store, batch_size=4)
    assert result.processed == len(texts) and result.skipped == 0
    return texts, _suggestions(path), result.origin


def test_local_run_stores_suggestions_for_every_document(local_run):
    texts, stored, origin = local_run
    assert len(stored) == len(texts)
    assert all(spans for spans, _ in stored.values())
    assert any(rels for _, rels in stored.values())


def test_two_processes_store_what_one_process_stores(tmp_path, local_run):
    from annotator.services.preannotate import preannotate

    texts, expected, origin = local_run
    path = tmp_path / "p.db"
    _project(path, texts)
    with Store(path) as store:
        result = preannotate(store, batch_size=3, n_process=2)
    assert (result.processed, result.origin) == (len(texts), origin)
    assert _suggestions(path) == expected


def test_a_cancelled_run_keeps_whole_batches_and_resumes(tmp_path, local_run):
    from annotator.services.preannotate import preannotate

    texts, expected, _ = local_run
    path = tmp_path / "p.db"
    ids = _project(path, texts)
    seen = []
    with Store(path) as store:
        first = preannotate(store, ids, batch_size=2, progress=lambda d, t, w: seen.append(d),
                            cancelled=lambda: len(seen) > 1)
        assert first.cancelled and 2 <= first.processed < len(texts)
        done = store.db.execute("SELECT count(*) FROM preannotations").fetchone()[0]
        with_spans = store.db.execute("SELECT count(DISTINCT doc_id) FROM spans").fetchone()[0]
        assert done == with_spans == first.processed
        second = preannotate(store, ids, batch_size=2)
    assert second.skipped == first.processed
    assert second.processed == len(texts) - first.processed
    assert _suggestions(path) == expected


def test_a_failed_commit_is_reported_and_earlier_batches_stay(tmp_path, local_run):
    """A document deleted behind the run's back: its batch cannot be committed (foreign key),
    the run stops with a StoreError naming the project, earlier batches stay whole."""
    from annotator.services import preannotate as service

    texts, _, _ = local_run
    path = tmp_path / "p.db"
    ids = _project(path, texts[:6])
    real = service.LocalEngine.records

    def records_then_delete(self, items, batch_size, schema_toml=None):
        for n, record in enumerate(real(self, items, batch_size, schema_toml)):
            if n == 2:  # the first batch (0, 1) is handed over; delete one of the second
                with Store(path) as other, other.transaction():
                    other.db.execute("DELETE FROM documents WHERE id = ?", [record.doc_id])
            yield record

    with Store(path) as store:
        engine = service.LocalEngine(None, None, store.schema)
        engine.records = records_then_delete.__get__(engine)
        with pytest.raises(StoreError, match="could not save"):
            service.run(store, engine, ids, batch_size=2)
        done = {r[0] for r in store.db.execute("SELECT doc_id FROM preannotations")}
        assert set(ids[:2]) <= done and ids[2] not in done
        spans_of = {r[0] for r in store.db.execute("SELECT DISTINCT doc_id FROM spans")}
        assert spans_of <= done


def test_texts_stream_in_pages_without_documents_already_done(store):
    ids = store.add_documents(AnnotatedDocument(Document(text=f"Article {i}.")) for i in range(7))
    store.replace_suggestions(ids[1], "m-1", [], [])
    store.replace_suggestions(ids[4], "m-1", [], [])
    todo = [i for i in ids if i not in (ids[1], ids[4])]
    assert [i for i, _ in store.texts_to_preannotate("m-1", page=2)] == todo
    assert [i for i, _ in store.texts_to_preannotate("m-1", force=True, page=3)] == ids
    assert [t for _, t in store.texts_to_preannotate("m-1", [ids[0]])] == ["Article 0."]
    assert [i for i, _ in store.texts_to_preannotate("m-1", ids[:5], page=2)] == [
        ids[0], ids[2], ids[3]]
    assert store.count_to_preannotate("m-1") == (7, 5)
    assert store.count_to_preannotate("m-1", ids[:5]) == (5, 3)
    assert store.count_to_preannotate("other") == (7, 7)


# --- Dask ----------------------------------------------------------------------------------------


def test_dask_local_cluster_of_two_workers_stores_what_one_process_stores_and_resumes(
        tmp_path, local_run):
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    from annotator.services.cluster import DaskEngine
    from annotator.services.preannotate import run

    texts, expected, origin = local_run
    path = tmp_path / "p.db"
    ids = _project(path, texts)
    seen = []
    with Store(path) as store:
        with DaskEngine(None, store.schema.source_text, n_workers=2) as engine:
            assert len(engine.client.nthreads()) == 2 and engine.origin == origin
            first = run(store, engine, ids, batch_size=2, progress=lambda d, t, w: seen.append(d),
                        cancelled=lambda: len(seen) > 1)
            assert first.cancelled and 0 < first.processed < len(texts)
            second = run(store, engine, ids, batch_size=2)
        assert second.skipped == first.processed
        assert first.processed + second.processed == len(texts)
        third = run(store, _NoWork(origin), ids)  # nothing left to do for this origin
        assert (third.processed, third.skipped) == (0, len(texts))
    assert _suggestions(path) == expected


def test_cli_dask_engine_on_a_scheduler_resumes_an_interrupted_run(tmp_path, capsys, local_run):
    """`annotator preannotate --engine dask --scheduler tcp://...` against a running cluster of
    two workers: after a run stopped part-way it does only the documents left, and stores the
    same suggestions as one process, with each document's dateline meta."""
    distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")
    from annotator.cli import main
    from annotator.services.cluster import preannotate_on_cluster

    texts, expected, origin = local_run
    path = tmp_path / "p.db"
    ids = _project(path, texts)
    # threads, not processes: the two workers share this process's loaded pipeline (quick on
    # two cores); the CLI still reaches them through the scheduler's TCP address
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp://", dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        seen = []
        with Store(path) as store:
            first = preannotate_on_cluster(store, scheduler=address, batch_size=2,
                                           progress=lambda d, t, w: seen.append(d),
                                           cancelled=lambda: len(seen) > 1)
        assert first.cancelled and 0 < first.processed < len(texts)
        capsys.readouterr()
        assert main(["preannotate", "--db", str(path), "--engine", "dask", "--scheduler", address,
                     "--batch-size", "2"]) == 0
    out = capsys.readouterr().out
    left = len(texts) - first.processed
    assert f"pre-annotated {left} document(s) with {origin} ({first.processed} already done)" in out
    assert _suggestions(path) == expected
    with Store(path) as store:
        assert store.preannotated_ids(origin) == set(ids)
        korvel = [store.document(i).meta for i, t in zip(ids, texts) if t.startswith("Vastria")]
    assert korvel and all(m.get("place") == "Korvel, Vastria" and m.get("agency") == "Baltwire"
                          for m in korvel)


class _NoWork:
    """An engine that must not be asked for anything."""

    def __init__(self, origin: str):
        self.origin = origin

    def records(self, items, batch_size, schema_toml=None):
        for item in items:
            raise AssertionError(f"document {item[0]} was sent again")
        return iter(())


def test_cli_dask_engine_without_the_extra_says_how_to_install(tmp_path, capsys, monkeypatch):
    import sys

    from annotator.cli import main

    path = tmp_path / "p.db"
    _project(path, ["One article."])
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    assert main(["preannotate", "--db", str(path), "--engine", "dask"]) == 1
    assert "news-annotator[cluster]" in capsys.readouterr().err
