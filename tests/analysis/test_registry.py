"""The actor registry in the store (intents, undo/redo), the proposals, the migration from a
version-2 project, resolved dates stored, and the actor id carried by every export."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from annotator.analysis.actors import normalise, propose, seed_groups
from annotator.analysis.query import TableQuery
from annotator.cli import main
from annotator.domain import AnnotatedDocument, Document, Relation, Span, ValidationError
from annotator.schema import load_schema, parse_schema
from annotator.schema_upgrade import add_missing_attributes
from annotator.services.dates import resolve_dates
from annotator.services.exporting import export
from annotator.services.samples import import_gold
from annotator.store import SCHEMA_VERSION, Store
from annotator.store.migrations import MIGRATIONS

TEXT = ("Defence Minister Amara Velko said on Wednesday that Norland would respond. "
        "\u201cWe will not wait,\u201d she said. Velko added that talks had failed.")


def find(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def doc(store):
    spans = [Span(None, *find("Amara Velko"), "PERSON", id=0),
             Span(None, *find("Wednesday"), "DATE", id=1),
             Span(None, *find("Norland"), "GPE", id=2),
             Span(None, *find("\u201cWe will not wait,\u201d"), "QUOTE", id=3),
             Span(None, *find("she"), "SPEAKER", id=4),
             Span(None, *find("Velko", 1), "PERSON", id=5)]
    rels = [Relation(None, 3, 4, "SAID_BY"), Relation(None, 4, 0, "SAME_AS")]
    (doc_id,) = store.add_documents([AnnotatedDocument(
        Document(text=TEXT, title="Velko", published="2026-11-20"), spans, rels)])
    return doc_id


def span_id(store, doc_id, words, nth=0):
    start, end = find(words, nth)
    return next(s.id for s in store.spans(doc_id) if (s.start, s.end) == (start, end))


def test_normalised_names():
    assert normalise("the Defence Minister Amara Velko's") == "amara velko"
    assert normalise("Zo\u00eb Laurent") == normalise("zoe laurent")
    assert normalise("  Red-Ridge   Brigade ") == "red ridge brigade"


def test_create_link_merge_split_and_undo(store, doc):
    velko_span = span_id(store, doc, "Amara Velko")
    change = store.create_actor("Amara Velko", [velko_span], type="PERSON",
                                aliases=["Velko", "Amara Velko"])
    velko = change.new_actor_id
    assert change.actors_changed and store.span(velko_span).actor_id == velko
    assert store.actor(velko).aliases == ["Velko"]  # the name itself is no alias
    assert store.actor(velko).mentions == 1
    # proposals: the second "Velko" by alias, "she" through SAME_AS to the linked name
    proposals = {p.span_id: (p.actor_id, p.reason)
                 for p in propose(store.unlinked_mentions(), store.actors())}
    assert proposals[span_id(store, doc, "Velko", 1)] == (velko, "alias")
    assert proposals[span_id(store, doc, "she")] == (velko, "same_as")
    assert span_id(store, doc, "Norland") not in proposals
    store.link_proposals([(s, a) for s, (a, _r) in proposals.items()])
    assert store.actor(velko).mentions == 3

    other = store.create_actor("A. Velko", [span_id(store, doc, "Velko", 1)]).new_actor_id
    merged = store.merge_actors(velko, other)
    assert merged.count == 1 and merged.doc_id is None
    with pytest.raises(KeyError):
        store.actor(other)
    assert store.actor(velko).aliases == ["Velko", "A. Velko"]
    assert store.span(span_id(store, doc, "Velko", 1)).actor_id == velko
    store.undo()  # the merge, in one step
    assert store.actor(other).name == "A. Velko"
    assert store.span(span_id(store, doc, "Velko", 1)).actor_id == other
    assert store.actor(velko).aliases == ["Velko"]
    store.redo()
    assert store.span(span_id(store, doc, "Velko", 1)).actor_id == velko

    split = store.split_actor(velko, [span_id(store, doc, "she")], "Dara Quell")
    assert store.span(span_id(store, doc, "she")).actor_id == split.new_actor_id
    assert store.actor(split.new_actor_id).type == "PERSON"
    store.update_actor(velko, role="defence minister", external_id="Q1")
    assert (store.actor(velko).role, store.actor(velko).external_id) == ("defence minister", "Q1")
    store.delete_actor(velko)
    assert store.span(velko_span).actor_id is None  # the mention stays, unlinked
    store.undo()
    assert store.span(velko_span).actor_id == velko


def test_registry_refuses_bad_input(store, doc):
    with pytest.raises(ValidationError):
        store.create_actor("  ")
    with pytest.raises(ValidationError):
        store.create_actor("X", type="ALIEN")
    actor = store.create_actor("Norland").new_actor_id
    with pytest.raises(ValidationError):  # a quote is no mention of an actor
        store.link_mentions([span_id(store, doc, "\u201cWe will not wait,\u201d")], actor)
    with pytest.raises(ValidationError):
        store.merge_actors(actor, actor)
    assert store.actor(actor).mentions == 0


def test_seeding_the_registry_from_the_gold_samples(store):
    import_gold(store)
    groups = seed_groups(store.unlinked_mentions(), store.actors())
    names = {fields["name"]: fields for fields, _ids in groups}
    assert names["Amara Velko"]["type"] == "PERSON" and "Velko" in names["Amara Velko"]["aliases"]
    assert "police" not in {n.lower() for n in names} and "he" not in names
    assert names["Torvik"]["aliases"] == ["TORVIK"]  # the dateline's capitals are an alias
    store.create_actors(groups)
    assert store.actor_count() == len(groups)
    assert not seed_groups(store.unlinked_mentions(), store.actors())  # nothing left to seed
    # the tables group by actor: Velko's quotes, his pronouns included once proposals are in
    store.link_proposals([(p.span_id, p.actor_id)
                          for p in propose(store.unlinked_mentions(), store.actors())])
    groups = store.table_groups(TableQuery(table="quotes"))
    velko = next(g for g in groups if g["name"] == "Amara Velko")
    assert velko["rows"] == 10 and velko["documents"] == 1


def test_a_version_2_project_opens_and_migrates(tmp_path):
    path = tmp_path / "v2.db"
    old_schema = load_schema().source_text.replace(
        '[labels.attributes]\n# What it means on the calendar', '# What it means on the calendar'
    ).replace("\niso = {}\n", "\n")
    assert parse_schema(old_schema).label("DATE").attribute("iso") is None
    conn = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    for step in MIGRATIONS[:2]:
        step(db)
    conn.execute("INSERT INTO meta VALUES ('schema_toml', ?), ('schema_name', 'news')",
                 [old_schema])
    conn.execute("INSERT INTO documents(text, content_hash, status, published) VALUES"
                 " ('Talks on Monday.', 'h', 'new', '2026-11-20')")
    conn.execute("INSERT INTO spans(doc_id, start, end, label, status, attrs) VALUES"
                 " (1, 9, 15, 'DATE', 'accepted', '{}')")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.schema.label("DATE").attribute("iso") is not None
        assert store.span(1).actor_id is None
        assert store.actor_count() == 0
        report = resolve_dates(store)
        assert (report.resolved, report.unresolved) == (1, [])
        assert store.span(1).attrs == {"iso": "2026-11-16"}


def test_schema_upgrade_keeps_the_text_and_refuses_what_it_cannot_patch():
    bundled = load_schema()
    old = bundled.source_text.replace("\niso = {}\n", "\n").replace(
        "[labels.attributes]\n# What it means", "# What it means")
    upgraded = add_missing_attributes(old, bundled)
    assert upgraded is not None and "# What it means on the calendar" in upgraded
    assert parse_schema(upgraded).label("DATE").attribute("iso") is not None
    assert add_missing_attributes(bundled.source_text, bundled) is None  # nothing missing
    other = old.replace('name = "news"', 'name = "mine"', 1)
    assert add_missing_attributes(other, bundled) is None  # another schema: left alone


def test_resolved_dates_are_stored_once_and_unresolved_ones_named(store, doc):
    extra = store.add_span(doc, *find("talks had failed"), "DATE").new_span_id  # no date
    report = resolve_dates(store)
    assert report.resolved == 1
    assert store.span(span_id(store, doc, "Wednesday")).attrs["iso"] == "2026-11-18"
    assert [(d, t) for d, t, _why in report.unresolved] == [(doc, "talks had failed")]
    store.set_attribute(span_id(store, doc, "Wednesday"), "iso", "2026-11-11")  # analyst's
    assert resolve_dates(store).resolved == 0
    assert store.span(span_id(store, doc, "Wednesday")).attrs["iso"] == "2026-11-11"
    assert store.span(extra).attrs == {}


def test_every_export_with_a_place_carries_the_actor_id(store, doc, tmp_path):
    velko = store.create_actor("Amara Velko", [span_id(store, doc, "Amara Velko"),
                                               span_id(store, doc, "she")],
                               external_id="Q42").new_actor_id
    export(store, "jsonl", tmp_path / "out.jsonl")
    (record,) = [json.loads(line) for line in open(tmp_path / "out.jsonl", encoding="utf-8")]
    linked = {s["text"]: s["actor_id"] for s in record["spans"] if "actor_id" in s}
    assert linked == {"Amara Velko": velko, "she": velko}

    export(store, "brat", tmp_path / "brat")
    ann = (tmp_path / "brat" / "doc-00001.ann").read_text(encoding="utf-8")
    assert f"Reference T1 NewsActors:{velko}\tAmara Velko" in ann
    assert "Wikidata:Q42\tAmara Velko" in ann

    export(store, "labelstudio", tmp_path / "ls.json")
    task = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))[0]
    metas = [r["meta"] for r in task["annotations"][0]["result"] if "meta" in r]
    assert metas == [{"actor_id": velko}, {"actor_id": velko}]

    export(store, "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "quotes.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["speaker_actor_id"] == str(velko)
    assert row["speaker_canonical_name"] == "Amara Velko"  # the registry's name

    out = tmp_path / "actors.csv"
    store.close()
    assert main(["actors", "export", "--db", str(store.path), "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (actor,) = list(csv.DictReader(fh))
    assert (actor["id"], actor["name"], actor["external_id"], actor["mentions"]) == (
        str(velko), "Amara Velko", "Q42", "2")
    assert main(["actors", "export", "--db", str(store.path), "--out",
                 str(tmp_path / "a.json")]) == 0
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["actors"][0]["id"] == velko


def test_jsonl_without_actors_is_unchanged(store, doc, tmp_path):
    export(store, "jsonl", tmp_path / "out.jsonl")
    assert "actor_id" not in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
