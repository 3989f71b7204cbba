"""The label memory without a window: matching rules, planning, and the store keeping it right
through label actions, undo and redo, deleted documents, pre-annotation and an old project."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import ACCEPTED, REJECTED, SUGGESTED, AnnotatedDocument, Document, Span
from annotator.memory import ORIGIN, Entry, MemoryIndex, key, mentions
from annotator.schema import load_schema
from annotator.store import SCHEMA_VERSION, Store

BRIGADE = ("The Red Ridge Brigade attacked. Later the Red Ridge Brigade withdrew.\n"
           "Red Ridge Brigades? The red  Ridge\nBrigade, it said. XRed Ridge Brigade.")


def where(text: str, words: str) -> list[tuple[int, int]]:
    out, i = [], text.find(words)
    while i >= 0:
        out.append((i, i + len(words)))
        i = text.find(words, i + 1)
    return out


# --- matching ----------------------------------------------------------------------------------


def test_a_mention_is_the_same_words_at_word_boundaries():
    found = mentions(BRIGADE, key("Red Ridge Brigade"))
    texts = [BRIGADE[a:b] for a, b in found]
    # any whitespace between words, the first letter's case free; not inside longer words
    assert texts == ["Red Ridge Brigade", "Red Ridge Brigade", "red  Ridge\nBrigade"]
    assert mentions("Asif's aide and Asifa", key("Asif")) == [(0, 4)]
    assert mentions("the U. S. and U.S.A.", key("U.S.")) == [(4, 9), (14, 18)]
    assert mentions("The defence minister", key("the defence minister")) == [(0, 20)]
    assert mentions("the Defence minister", key("the defence minister")) == []


WORDS = st.text(alphabet="aAbB \n.-\u00e9_1", max_size=30)


@settings(max_examples=400, deadline=None)
@given(text=WORDS, words=WORDS)
def test_the_string_search_and_the_token_table_find_the_same(text, words):
    if not key(words):
        return
    entry = Entry(words.strip(), "ORG", ACCEPTED)
    many = MemoryIndex([entry] + [Entry(f"zz{i}", "ORG", ACCEPTED) for i in range(20)], ["ORG"])
    assert len(many) > 16  # the token table, not the string search
    scanned = sorted((m.start, m.end) for m in many.find(text) if m.entry is entry)
    assert scanned == mentions(text, key(words))


# --- planning ----------------------------------------------------------------------------------


def span(start, end, label, status=SUGGESTED, origin="model", sid=None, attrs=None):
    return Span(1, start, end, label, status, origin, attrs=attrs or {}, id=sid)


def test_the_plan_never_overrides_a_decision_and_prefers_the_longest_mention():
    schema = load_schema()
    text = "Red Ridge met the Red Ridge Brigade; Red Ridge Brigade and Red Ridge Brigade left."
    a, b, c = where(text, "Red Ridge Brigade")
    index = MemoryIndex([Entry("Red Ridge", "ORG", ACCEPTED, updated="1"),
                         Entry("Red Ridge Brigade", "ORG", ACCEPTED, updated="2")],
                        ["ORG"], ["SPEAKER"])
    spans = [span(*b, "ORG", REJECTED, sid=1),  # the analyst said no here
             span(*c, "ORG", sid=2),  # the model suggests it already
             span(c[0], c[1] + 5, "ORG", ACCEPTED, "human", sid=3)]  # overlapping accepted
    plan = index.plan(text, spans)
    assert plan.add == [(0, 9, "ORG", {}), (*a, "ORG", {})]  # not "Red Ridge" inside a
    assert not plan.remove and not plan.attrs
    assert schema.label("ORG").group == "entity"


def test_a_name_takes_the_remembered_canonical_name():
    text = "Asif said so. The defence minister agreed; Asif left."
    index = MemoryIndex([Entry("the defence minister", "SPEAKER", ACCEPTED, "Khawaja Asif"),
                         Entry("Asif", "SPEAKER", ACCEPTED, "Khawaja Asif")],
                        ["ORG"], ["SPEAKER"])
    minister = where(text, "The defence minister")[0]
    asif = where(text, "Asif")
    spans = [span(*asif[0], "SPEAKER", attrs={"canonical_name": "Asif"}, sid=1),
             span(*minister, "SPEAKER", sid=2),
             span(*asif[1], "SPEAKER", attrs={"canonical_name": "Asif Ali"}, sid=3),
             span(*asif[1], "PERSON", sid=4)]
    plan = index.plan(text, spans)
    assert not plan.add  # SPEAKER is no entity label: names only, no new speakers
    assert plan.attrs == {1: {"canonical_name": "Khawaja Asif"},
                          2: {"canonical_name": "Khawaja Asif"}}  # 3: the rules named someone else


# --- the store ---------------------------------------------------------------------------------


@pytest.fixture
def two(store):
    ids = store.add_documents([AnnotatedDocument(Document(text=BRIGADE, title="a")),
                               AnnotatedDocument(Document(text="Talks with the Red Ridge Brigade.",
                                                          title="b"))])
    return ids


def test_undo_and_redo_keep_the_memory_and_its_suggestions(store, two):
    a, b = two
    first, second, *_ = mentions(BRIGADE, key("Red Ridge Brigade"))
    change = store.add_span(a, *first, "ORG")
    assert [(s.start, s.origin) for s in change.spans] == [(first[0], "human"), (second[0], ORIGIN),
                                                          (mentions(BRIGADE, key("Red Ridge Brigade"))[2][0], ORIGIN)]
    undone = store.undo()
    assert store.memory_entries() == [] and store.spans(a) == []
    assert len(undone.removed_spans) == 3
    redone = store.redo()
    assert [e.text for e in store.memory_entries()] == ["Red Ridge Brigade"]
    assert sorted(s.origin for s in store.spans(a)) == ["human", ORIGIN, ORIGIN]
    assert len(redone.spans) == 3
    assert store.apply_memory(b).spans[0].origin == ORIGIN
    assert store.apply_memory(b) is None  # up to date: nothing written


def test_relabelling_a_suggestion_rejects_its_old_label(store, two):
    a, b = two
    first = mentions(BRIGADE, key("Red Ridge Brigade"))[0]
    store.replace_suggestions(a, "model-1", [Span(a, *first, "PERSON")], [])
    (sug,) = store.spans(a)
    store.relabel_span(sug.id, "ORG")
    decisions = {(e.label, e.decision) for e in store.memory_entries()}
    assert decisions == {("ORG", ACCEPTED), ("PERSON", REJECTED)}
    # the model suggesting PERSON there again, in another document: dropped
    (where_b,) = mentions("Talks with the Red Ridge Brigade.", key("Red Ridge Brigade"))
    store.replace_suggestions(b, "model-1", [Span(b, *where_b, "PERSON"), Span(b, 0, 5, "EVENT")], [])
    assert sorted((s.label, s.origin) for s in store.spans(b)) == [("EVENT", "model-1"),
                                                                   ("ORG", ORIGIN)]


def test_deleting_a_document_forgets_its_labels_and_undo_remembers(store, two):
    a, _b = two
    store.add_span(a, *mentions(BRIGADE, key("Red Ridge Brigade"))[0], "ORG")
    store.delete_document(a)
    assert store.memory_entries() == []
    store.undo()
    assert [e.text for e in store.memory_entries()] == ["Red Ridge Brigade"]


def test_a_version_2_project_remembers_its_decisions(tmp_path):
    import sqlite_utils

    from annotator.store import migrations

    path = tmp_path / "v2.db"
    db = sqlite_utils.Database(path)
    migrations._migrate_0_to_1(db)
    migrations._migrate_1_to_2(db)
    db.execute("INSERT INTO meta(key, value) VALUES ('schema_toml', ?)", [load_schema().source_text])
    db.execute("INSERT INTO documents(id, text, title, content_hash, status, meta) VALUES"
               " (1, ?, 'Old', 'h1', 'in_progress', '{}')", [BRIGADE])
    spans = [(4, 21, "ORG", "accepted", "{}", "2024-01-01"),
             (0, 3, "PERSON", "rejected", "{}", "2024-01-02"),
             (4, 21, "QUOTE", "accepted", "{}", "2024-01-03"),  # not remembered
             (42, 59, "ORG", "suggested", "{}", "2024-01-04")]  # not a decision
    for start, end, label, status, attrs, updated in spans:
        db.execute("INSERT INTO spans(doc_id, start, end, label, status, origin, attrs, updated)"
                   " VALUES (1, ?, ?, ?, ?, 'human', ?, ?)", [start, end, label, status, attrs, updated])
    db.execute("PRAGMA user_version = 2")
    db.conn.commit()
    db.conn.close()
    with Store(path) as migrated:
        assert migrated.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert sorted((e.text, e.label, e.decision) for e in migrated.memory_entries()) == [
            ("Red Ridge Brigade", "ORG", ACCEPTED), ("The", "PERSON", REJECTED)]
        change = migrated.apply_memory(1)
        assert sorted(BRIGADE[s.start:s.end] for s in change.spans) == ["red  Ridge\nBrigade"]


def test_another_programs_memory_is_seen_and_other_writes_keep_the_index(db_path, store, two):
    a, b = two
    index = store.memory_index()
    assert len(index) == 0
    with Store(db_path, annotator="other") as other:
        other.replace_suggestions(b, "model-1", [Span(b, 0, 5, "EVENT")], [])
        assert store.memory_index() is index  # written, but not the memory: not read again
        other.add_span(a, *mentions(BRIGADE, key("Red Ridge Brigade"))[0], "ORG")
    assert store.memory_index().decision("Red Ridge Brigade", "ORG") == ACCEPTED
    store.add_span(b, 0, 5, "GPE")  # this connection's own learning updates it in place
    assert store.memory_index().decision("Talks", "GPE") == ACCEPTED
