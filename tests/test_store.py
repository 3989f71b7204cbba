import json
import sqlite3

import pytest

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, AnnotatedDocument, Document, Span, ValidationError
from annotator.store import SCHEMA_VERSION, Store, StoreError
from tests.conftest import ARTICLE


def test_new_database_is_wal_versioned_and_remembers_schema(db_path, store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "THREAT" in store.get_meta("schema_toml")
    assert store.schema.label("QUOTE").attribute("kind").values == ("direct", "indirect", "partial")


def test_project_keeps_the_schema_it_was_created_with(tmp_path):
    from annotator.schema import load_schema, parse_schema

    custom = load_schema().source_text.replace('name = "news"', 'name = "custom"', 1)
    path = tmp_path / "c.db"
    Store(path, schema=parse_schema(custom)).close()
    with Store(path) as reopened:
        assert reopened.schema.name == "custom"


def test_newer_database_is_refused_with_a_clear_message(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer News Annotator"):
        Store(db_path)


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a News Annotator project"):
        Store(path)


def test_corrupt_file_is_refused(tmp_path):
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Store(path)


def test_each_action_is_committed_and_logged(db_path, store, doc_id):
    span_id = store.add_span(doc_id, 9, 20, "PERSON").new_span_id
    # A second connection sees it at once: committed, not pending.
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT label, status, annotator FROM spans WHERE id=?", [span_id]).fetchone() == (
        "PERSON", ACCEPTED, "tester")
    kinds = [a.kind for a in store.actions()]
    assert kinds == ["add_span"]
    assert store.document(doc_id).status == "in_progress"
    other.close()


def test_bad_spans_are_refused_and_change_nothing(store, doc_id):
    for start, end in [(-1, 3), (5, 5), (0, len(ARTICLE) + 1)]:
        with pytest.raises(ValidationError):
            store.add_span(doc_id, start, end, "PERSON")
    with pytest.raises(ValidationError, match="unknown label"):
        store.add_span(doc_id, 0, 3, "NOPE")
    with pytest.raises(ValidationError):
        store.add_span(doc_id, 0, 3, "QUOTE", {"kind": "shouted"})
    assert store.spans(doc_id) == [] and store.actions() == []


def test_undo_redo_every_kind_of_action(store, doc_id):
    quote = store.add_span(doc_id, 69, 84, "QUOTE").new_span_id
    speaker = store.add_span(doc_id, 86, 89, "SPEAKER").new_span_id
    rel = store.link(quote, speaker, "SAID_BY").new_relation_id
    store.set_attribute(quote, "kind", "direct")
    store.relabel_span(speaker, "PERSON")
    snapshot = (store.spans(doc_id), store.relations(doc_id))
    store.delete_span(speaker)
    assert store.relations(doc_id) == []
    # undo the delete: span and its relation come back with the same ids
    store.undo()
    assert (store.spans(doc_id), store.relations(doc_id)) == snapshot
    store.undo()  # relabel
    assert store.span(speaker).label == "SPEAKER"
    store.undo()  # attribute
    assert store.span(quote).attrs == {}
    store.redo()
    assert store.span(quote).attrs == {"kind": "direct"}
    for _ in range(10):
        store.undo()
    assert store.spans(doc_id) == [] and store.relations(doc_id) == []
    assert store.document(doc_id).status == "new"
    assert store.undo() is None
    for _ in range(5):
        store.redo()
    assert store.relation(rel).role == "SAID_BY"
    assert store.span(speaker).label == "PERSON"


def test_new_action_after_undo_drops_redo(store, doc_id):
    store.add_span(doc_id, 0, 8, "PERSON")
    store.undo()
    assert store.can_redo()
    store.add_span(doc_id, 9, 20, "PERSON")
    assert not store.can_redo()
    assert store.redo() is None


def test_accept_reject_and_accept_all(store, doc_id):
    origin = "model-1"
    spans = [Span(None, 9, 20, "PERSON"), Span(None, 44, 50, "GPE"), Span(None, 115, 121, "NORP")]
    store.replace_suggestions(doc_id, origin, spans, [])
    ids = [s.id for s in store.spans(doc_id)]
    assert all(s.status == SUGGESTED and s.origin == origin for s in store.spans(doc_id))
    store.accept_span(ids[0])
    store.reject_span(ids[1])
    assert [s.status for s in store.spans(doc_id)] == [ACCEPTED, REJECTED, SUGGESTED]
    assert store.accept_all(doc_id, "NORP").count == 1
    assert store.span(ids[2]).status == ACCEPTED
    store.undo()
    assert store.span(ids[2]).status == SUGGESTED


def test_rerunning_suggestions_never_overwrites_decisions(store, doc_id):
    origin = "model-1"
    first = [Span(None, 9, 20, "PERSON"), Span(None, 44, 50, "GPE"), Span(None, 0, 8, "ORG")]
    store.replace_suggestions(doc_id, origin, first, [(0, 1, "SAME_AS")])
    by_text = {(s.start, s.end): s.id for s in store.spans(doc_id)}
    store.accept_span(by_text[(9, 20)])
    store.reject_span(by_text[(44, 50)])
    # the model now suggests something different
    second = [Span(None, 9, 20, "PERSON"), Span(None, 44, 50, "GPE"), Span(None, 115, 121, "NORP")]
    store.replace_suggestions(doc_id, origin, second, [])
    after = {(s.start, s.end): (s.status, s.id) for s in store.spans(doc_id)}
    assert after[(9, 20)] == (ACCEPTED, by_text[(9, 20)])
    assert after[(44, 50)] == (REJECTED, by_text[(44, 50)])
    assert (0, 8) not in after  # stale suggestion replaced
    assert after[(115, 121)][0] == SUGGESTED
    assert len(after) == 3
    assert store.preannotated_ids(origin) == {doc_id}


def test_idempotent_add_documents(store):
    docs = [AnnotatedDocument(Document(text="same text")), AnnotatedDocument(Document(text="other"))]
    assert len(store.add_documents(docs)) == 2
    assert store.add_documents(docs) == []
    assert store.document_count() == 2


def test_a_bad_bundle_adds_nothing(store):
    good = AnnotatedDocument(Document(text="good text"))
    bad = AnnotatedDocument(Document(text="bad"), [Span(None, 0, 99, "PERSON", id=0)])
    with pytest.raises(ValidationError):
        store.add_documents([good, bad])
    assert store.document_count() == 0


def test_document_status_and_rows(store, doc_id):
    store.set_document_status(doc_id, "done")
    rows = store.document_rows(status="done")
    assert [r["id"] for r in rows] == [doc_id]
    assert store.document_rows(text_filter="Rebels")[0]["title"] == "Velko"
    assert store.document_rows(text_filter="absent") == []
    store.undo()
    assert store.document(doc_id).status == "new"
    with pytest.raises(ValidationError):
        store.set_document_status(doc_id, "finished")


def test_link_checks_the_schema(store, doc_id):
    a = store.add_span(doc_id, 9, 20, "PERSON").new_span_id
    b = store.add_span(doc_id, 44, 50, "GPE").new_span_id
    with pytest.raises(ValidationError, match="SAID_BY cannot join PERSON to GPE"):
        store.link(a, b, "SAID_BY")
    rel = store.link(a, b, "SAME_AS").new_relation_id
    assert store.link(a, b, "SAME_AS").new_relation_id == rel  # linking twice keeps one relation


def test_version_1_project_is_migrated_and_searchable(tmp_path):
    import sqlite_utils

    from annotator.schema import load_schema
    from annotator.store import migrations

    path = tmp_path / "v1.db"
    db = sqlite_utils.Database(path)
    migrations._migrate_0_to_1(db)
    db.execute("INSERT INTO meta(key, value) VALUES ('schema_toml', ?)", [load_schema().source_text])
    db.execute("INSERT INTO documents(text, title, content_hash, status, meta) VALUES"
               " ('Talks in Port Ilse collapsed.', 'Old one', 'h1', 'new', '{}')")
    db.execute("PRAGMA user_version = 1")
    db.conn.commit()
    db.conn.close()
    with Store(path) as migrated:
        assert migrated.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert migrated.has_fts
        assert [r["title"] for r in migrated.document_rows(text_filter="ilse")] == ["Old one"]
        migrated.add_documents([AnnotatedDocument(Document(text="Velko spoke at the café.", title="New"))])
        assert [r["title"] for r in migrated.document_rows(text_filter="velk cafe")] == ["New"]
        assert migrated.document_count(text_filter="talks") == 1


@pytest.mark.parametrize("query", ['"', "AND", "*", "a OR", "NEAR(", "-x", "col:val", "'", "(", "\u738b"])
def test_search_never_fails_on_odd_input(store, doc_id, query):
    rows = store.document_rows(text_filter=query)
    assert store.document_count(text_filter=query) == len(rows)


# --- what each write says it changed -------------------------------------------------------------


def test_each_intent_returns_the_change_it_committed(store, doc_id):
    added = store.add_span(doc_id, 69, 84, "QUOTE")
    quote = added.new_span_id
    assert (added.kind, added.doc_id, added.doc_status) == ("add_span", doc_id, "in_progress")
    assert added.spans == [store.span(quote)] and added.action_id == store.actions(1)[0].id
    assert (added.can_undo, added.can_redo) == (True, False)
    speaker = store.add_span(doc_id, 86, 89, "SPEAKER").new_span_id
    linked = store.link(quote, speaker, "SAID_BY")
    assert linked.relations == [store.relation(linked.new_relation_id)]
    assert linked.doc_status is None  # the document was already in progress
    again = store.link(quote, speaker, "SAID_BY")
    assert again.empty and again.new_relation_id == linked.new_relation_id
    assert store.set_attribute(quote, "kind", "direct").spans == [store.span(quote)]
    assert store.relabel_span(speaker, "PERSON").spans[0].label == "PERSON"
    deleted = store.delete_span(speaker)
    assert deleted.removed_spans == [speaker]
    assert deleted.removed_relations == [linked.new_relation_id] and deleted.spans == []
    status = store.set_document_status(doc_id, "done")
    assert (status.doc_status, status.spans) == ("done", [])
    assert store.accept_all(doc_id, "NORP").empty  # nothing to accept: nothing logged
    assert len(store.actions()) == 7


def test_undo_and_redo_return_the_rows_they_restored(store, doc_id):
    quote = store.add_span(doc_id, 69, 84, "QUOTE").new_span_id
    speaker = store.add_span(doc_id, 86, 89, "SPEAKER").new_span_id
    rel = store.link(quote, speaker, "SAID_BY").new_relation_id
    before = (store.span(speaker), store.relation(rel))
    store.delete_span(speaker)
    undone = store.undo()
    assert (undone.kind, undone.direction, undone.doc_id) == ("delete_span", "undo", doc_id)
    assert (undone.spans, undone.relations) == ([before[0]], [before[1]])
    assert (undone.can_undo, undone.can_redo) == (True, True)
    redone = store.redo()
    assert redone.removed_spans == [speaker] and redone.removed_relations == [rel]
    assert not redone.can_redo and store.can_undo()
    for _ in range(4):
        last = store.undo()
    assert last.removed_spans == [quote] and last.doc_status == "new"
    assert (store.can_undo(), store.can_redo()) == (False, True)


def test_updates_log_only_the_columns_they_write(store, doc_id):
    span_id = store.add_span(doc_id, 69, 84, "QUOTE").new_span_id
    store.set_attribute(span_id, "kind", "direct")
    (entry,) = store.actions(1)[0].changes
    assert set(entry["before"]) == set(entry["after"]) == {"attrs", "annotator", "updated"}
    assert (entry["before"]["attrs"], entry["after"]["attrs"]) == ("{}", '{"kind": "direct"}')


def test_logs_with_whole_rows_from_earlier_versions_still_undo(store, doc_id):
    """Earlier versions logged whole rows on both sides of an update."""
    span_id = store.add_span(doc_id, 9, 20, "PERSON").new_span_id
    whole_before = store.db.execute("SELECT * FROM spans WHERE id = ?", [span_id]).fetchone()
    store.relabel_span(span_id, "ORG")
    cols = [c.name for c in store.db["spans"].columns]
    old_style = [{"table": "spans", "id": span_id, "before": dict(zip(cols, whole_before)),
                  "after": dict(zip(cols, store.db.execute("SELECT * FROM spans WHERE id = ?",
                                                           [span_id]).fetchone()))}]
    action_id = store.actions(1)[0].id
    with store.transaction():
        store.db.execute("UPDATE actions SET changes = ? WHERE id = ?",
                         [json.dumps(old_style), action_id])
    assert store.undo().spans[0].label == "PERSON"
    assert store.span(span_id).label == "PERSON"
    assert store.redo().spans[0].label == "ORG"


def test_undo_availability_is_tracked_and_refreshed(db_path, store, doc_id):
    assert not store.can_undo()
    with Store(db_path, annotator="other") as other:
        other.add_span(doc_id, 9, 20, "PERSON")
    assert not store.can_undo()  # another program wrote: known after a refresh
    store.refresh_history()
    assert store.can_undo() and not store.can_redo()
    assert store.undo().kind == "add_span" and store.can_redo()


def test_a_label_reads_neither_the_text_nor_the_log(store, doc_id):
    store.document(doc_id)  # opening the document (as the UI does) caches its length and text
    store.add_span(doc_id, 0, 8, "PERSON")  # the first label also moves it to 'in progress'
    for label, most in (("EVENT", 6), ("PERSON", 8)):
        statements = []
        store.db.conn.set_trace_callback(statements.append)
        try:
            store.add_span(doc_id, 9, 20, label)
        finally:
            store.db.conn.set_trace_callback(None)
        assert not [s for s in statements if "FROM documents" in s and "text" in s]
        assert not [s for s in statements if s.startswith("SELECT") and "actions" in s]
        assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
        # BEGIN, INSERT span, SELECT document status, UPDATE (fork redo), INSERT action, COMMIT;
        # an entity label also teaches the label memory: SELECT and INSERT its row (the text
        # occurs once: no suggestions to look for)
        assert len(statements) <= most, (label, statements)
