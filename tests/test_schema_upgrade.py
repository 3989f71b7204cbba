"""An existing project picks up the bundled schema when that only adds to its stored one."""

from __future__ import annotations

import logging
import sqlite3

from annotator.schema import extension_problems, load_schema, parse_schema
from annotator.store import Store

BUNDLED = load_schema().source_text


def _older(text: str = BUNDLED) -> str:
    """The bundled schema as an older release shipped it: without the PLOVER event types after
    SUPPORT."""
    start = text.index('type = { values = ["TALKS"')
    end = text.index("] }", start)
    values = text[start:end]
    cut = values.index('"CONCEDE"')
    return text[:start] + values[:cut].rstrip(", ") + text[end:]


def _project(tmp_path, toml: str):
    path = tmp_path / "p.db"
    Store(path, schema=parse_schema(toml)).close()
    return path


def test_an_older_schema_of_the_same_name_is_extended_on_open(tmp_path, caplog):
    older = _older()
    assert "COERCE" not in parse_schema(older).label("EVENT").attribute("type").values
    assert parse_schema(older).name == "news"
    path = _project(tmp_path, older)
    conn = sqlite3.connect(path)  # a new project keeps the schema it was given
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_toml'").fetchone()[0] == older
    conn.close()
    with caplog.at_level(logging.INFO, logger="annotator.store.core"), Store(path) as store:
        assert "COERCE" in store.schema.label("EVENT").attribute("type").values
        assert store.get_meta("schema_toml") == BUNDLED
        assert "updated to the bundled version" in store.schema_notice
        assert "attribute values" in store.schema_notice
    assert any("updated to the bundled version" in r.message for r in caplog.records)


def test_a_schema_the_bundled_one_would_change_is_kept_with_a_notice(tmp_path, caplog):
    threat_colour = parse_schema(BUNDLED).label("THREAT").colour
    changed = BUNDLED.replace(f'colour = "{threat_colour}"', 'colour = "#000000"', 1)  # THREAT's
    modes = '"direct", "conditional", "veiled", "indirect"'
    changed = changed.replace(modes, modes + ', "mine"')
    assert changed != BUNDLED
    path = _project(tmp_path, changed)
    with caplog.at_level(logging.WARNING, logger="annotator.store.core"), Store(path) as store:
        assert store.get_meta("schema_toml") == changed
        assert "mine" in store.schema.label("THREAT").attribute("type").values
        assert "kept the project's schema" in store.schema_notice
        assert "THREAT: colour would change" in store.schema_notice
        assert "THREAT.type would lose mine" in store.schema_notice
    assert any("kept the project's schema" in r.message for r in caplog.records)


def test_another_schema_name_or_the_same_text_is_left_alone(tmp_path):
    custom = _older().replace('name = "news"', 'name = "custom"', 1)
    with Store(_project(tmp_path, custom)) as store:
        pass
    with Store(tmp_path / "p.db") as store:
        assert store.schema.name == "custom" and store.schema_notice == ""
        assert "COERCE" not in store.schema.label("EVENT").attribute("type").values


def test_extension_problems_name_each_change():
    old = parse_schema(BUNDLED)
    assert extension_problems(old, parse_schema(BUNDLED)) == []
    assert extension_problems(parse_schema(_older()), old) == []
    dropped = parse_schema(_older())
    problems = extension_problems(old, dropped)
    assert any("EVENT.type would lose" in p and "COERCE" in p for p in problems)
    no_role = parse_schema(BUNDLED.replace('role = "TIME"', 'role = "WHEN"'))
    assert "relation TIME would be removed" in extension_problems(old, no_role)
