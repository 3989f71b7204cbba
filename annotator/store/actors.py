"""The actor registry: one row per actor, and each mention's link to it (`spans.actor_id`).

Every registry edit is a user intent like a label action: one transaction, one action-log row,
undoable. Merging moves the other actor's mentions over, keeps its name and aliases as
aliases, then deletes it; splitting moves chosen mentions to a new actor. Proposing links
(name and alias matching) is Qt-free logic in annotator/analysis/actors.py; these methods only
store what the analyst decided.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from annotator.changes import Change
from annotator.domain import ACTOR_LABELS, REJECTED, Actor, ValidationError
from annotator.store.rows import ACTOR_COLUMNS, actor_from_tuple, actor_row, now

ACTOR_FIELDS = ("name", "type", "aliases", "affiliation", "role", "external_id")
ACTOR_TYPES = ("", "PERSON", "ORG", "GPE", "NORP")
_SELECT = ", ".join(f"a.{c}" for c in ACTOR_COLUMNS)
_COUNTS = ("(SELECT count(*) FROM spans s WHERE s.actor_id = a.id),"
           " (SELECT count(DISTINCT s.doc_id) FROM spans s WHERE s.actor_id = a.id)")


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    out: list[str] = []
    for alias in aliases:
        alias = " ".join(str(alias).split())
        if alias and alias != name and alias not in out:
            out.append(alias)
    return out


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(ACTOR_FIELDS)
    if unknown:
        raise ValidationError(f"actors have no field {', '.join(sorted(unknown))}")
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError("an actor needs a name")
    if fields.get("type", "") not in ACTOR_TYPES:
        raise ValidationError(f"actor type must be one of {', '.join(t for t in ACTOR_TYPES if t)}"
                              " or empty")


class Actors:
    """Registry reads and intents of the Store (a mixin over History and Reading)."""

    # --- reading ----------------------------------------------------------------------------------

    def actors(self, text: str = "", limit: int = -1, offset: int = 0) -> list[Actor]:
        """Actors by name (case-insensitive), with mention and document counts; `text` filters
        on name and aliases."""
        where, params = "", []
        if text.strip():
            where = " WHERE a.name LIKE ? OR a.aliases LIKE ?"
            params = [f"%{text.strip()}%"] * 2
        rows = self.db.execute(
            f"SELECT {_SELECT}, {_COUNTS} FROM actors a{where}"
            " ORDER BY a.name COLLATE NOCASE, a.id LIMIT ? OFFSET ?",
            params + [limit, offset]).fetchall()
        return [actor_from_tuple(r) for r in rows]

    def actor(self, actor_id: int) -> Actor:
        row = self.db.execute(f"SELECT {_SELECT}, {_COUNTS} FROM actors a WHERE a.id = ?",
                              [actor_id]).fetchone()
        if row is None:
            raise KeyError(f"no actor {actor_id}")
        return actor_from_tuple(row)

    def actor_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM actors").fetchone()[0]

    def actor_map(self) -> dict[int, Actor]:
        """Every actor by id, without counts (exports look names up here)."""
        rows = self.db.execute(f"SELECT {_SELECT} FROM actors a").fetchall()
        return {r[0]: actor_from_tuple(r) for r in rows}

    def mentions(self, actor_id: int, limit: int = 500) -> list[dict[str, Any]]:
        """The spans linked to an actor: id, document, label, text, status, date."""
        rows = self.db.execute(
            "SELECT s.id, s.doc_id, s.label, substr(d.text, s.start + 1, s.end - s.start),"
            " s.status, d.title, d.published FROM spans s JOIN documents d ON d.id = s.doc_id"
            " WHERE s.actor_id = ? ORDER BY d.published, s.doc_id, s.start LIMIT ?",
            [actor_id, limit]).fetchall()
        keys = ("span_id", "doc_id", "label", "text", "status", "title", "published")
        return [dict(zip(keys, r)) for r in rows]

    def unlinked_mentions(self, statuses: Sequence[str] = ("accepted", "suggested"),
                          limit: int = -1) -> list[dict[str, Any]]:
        """Mentions an actor could be proposed for: labels that can have an actor, not
        rejected, no actor yet; with their text, canonical_name and the actors of spans joined
        to them by SAME_AS (a pronoun takes its antecedent's actor)."""
        labels = ",".join("?" * len(ACTOR_LABELS))
        marks = ",".join("?" * len(statuses))
        rows = self.db.execute(
            "SELECT s.id, s.doc_id, s.label, substr(d.text, s.start + 1, s.end - s.start),"
            " json_extract(s.attrs, '$.canonical_name'),"
            " (SELECT group_concat(o.actor_id) FROM relations r JOIN spans o"
            "   ON o.id = CASE WHEN r.head_id = s.id THEN r.tail_id ELSE r.head_id END"
            "   WHERE r.role = 'SAME_AS' AND (r.head_id = s.id OR r.tail_id = s.id)"
            "   AND r.status != 'rejected' AND o.actor_id IS NOT NULL)"
            " FROM spans s JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.label IN ({labels}) AND s.status IN ({marks}) AND s.actor_id IS NULL"
            " ORDER BY s.doc_id, s.start LIMIT ?",
            [*ACTOR_LABELS, *statuses, limit]).fetchall()
        out = []
        for span_id, doc_id, label, text, canonical, same in rows:
            same_ids = sorted({int(x) for x in same.split(",")}) if same else []
            out.append({"span_id": span_id, "doc_id": doc_id, "label": label, "text": text,
                        "canonical_name": canonical or "", "same_as_actors": same_ids})
        return out

    # --- intents ----------------------------------------------------------------------------------

    def create_actor(self, name: str, span_ids: Iterable[int] = (), **fields: Any) -> Change:
        """A new actor (its id is `Change.new_actor_id`), optionally with mentions linked to it
        in the same action."""
        change = self.create_actors([({"name": name, **fields}, list(span_ids))])
        return change

    def create_actors(self, items: Sequence[tuple[dict[str, Any], Sequence[int]]]) -> Change:
        """Several new actors with their mentions, one action (one undo step): used to seed the
        registry from the names already labelled. `Change.count` says how many actors."""
        with self._action("create_actor") as pending:
            for fields, span_ids in items:
                actor_id = self._insert_actor(pending, fields)
                self._link(pending, span_ids, actor_id)
                if pending.change.new_actor_id is None:
                    pending.change.new_actor_id = actor_id
            self._single_document(pending)
        pending.change.count = len(items)
        return pending.change

    def _insert_actor(self, pending, fields: dict[str, Any]) -> int:
        _check_fields(fields)
        stamp = now()
        name = " ".join(str(fields["name"]).split())
        actor = Actor(name=name, type=fields.get("type", ""),
                      aliases=_clean_aliases(fields.get("aliases", ()), name),
                      affiliation=str(fields.get("affiliation", "")).strip(),
                      role=str(fields.get("role", "")).strip(),
                      external_id=str(fields.get("external_id", "")).strip(),
                      created=stamp, updated=stamp)
        row = actor_row(actor)
        cols = [c for c in ACTOR_COLUMNS if c != "id"]
        cur = self.db.execute(f"INSERT INTO actors({', '.join(cols)}) VALUES "
                              f"({','.join('?' * len(cols))})", [row[c] for c in cols])
        row["id"] = cur.lastrowid
        pending.inserted("actors", row)
        return cur.lastrowid

    def update_actor(self, actor_id: int, **fields: Any) -> Change:
        """Edit an actor's fields (name, type, aliases, affiliation, role, external_id)."""
        _check_fields(fields)
        with self._action("edit_actor") as pending:
            row = self._row("actors", actor_id)
            values: dict[str, Any] = {}
            name = " ".join(str(fields.get("name", row["name"])).split())
            for key, value in fields.items():
                if key == "aliases":
                    value = json.dumps(_clean_aliases(value, name), ensure_ascii=False)
                elif key == "name":
                    value = name
                else:
                    value = str(value).strip()
                if value != row[key]:
                    values[key] = value
            if values:
                self._update(pending, "actors", row, **values, updated=now())
        return pending.change

    def link_mentions(self, span_ids: Iterable[int], actor_id: int | None) -> Change:
        """Link mentions to an actor (None: unlink them); one action for all of them."""
        with self._action("link_actor") as pending:
            if actor_id is not None:
                self._row("actors", actor_id)  # KeyError if there is none
            self._link(pending, span_ids, actor_id)
            self._single_document(pending)
        pending.change.count = len(pending.change.spans)
        return pending.change

    def link_proposals(self, pairs: Iterable[tuple[int, int]]) -> Change:
        """Accept proposed links (span id, actor id) in one action."""
        with self._action("link_actor") as pending:
            for span_id, actor_id in pairs:
                self._link(pending, [span_id], actor_id)
            self._single_document(pending)
        pending.change.count = len(pending.change.spans)
        return pending.change

    def _link(self, pending, span_ids: Iterable[int], actor_id: int | None) -> None:
        stamp = now()
        for span_id in span_ids:
            row = self._row("spans", span_id)
            if row["label"] not in ACTOR_LABELS:
                raise ValidationError(f"a {row['label']} span cannot stand for an actor (only "
                                      f"{', '.join(ACTOR_LABELS)})")
            if row["status"] == REJECTED:
                raise ValidationError("a rejected suggestion cannot be linked to an actor")
            if row["actor_id"] != actor_id:
                self._update(pending, "spans", row, actor_id=actor_id, updated=stamp)

    def _single_document(self, pending) -> None:
        """An action within one document is that document's (undo goes there, it counts as
        work on it); one across documents belongs to none."""
        docs = {s.doc_id for s in pending.change.spans}
        pending.change.doc_id = docs.pop() if len(docs) == 1 else None

    def merge_actors(self, keep_id: int, other_id: int) -> Change:
        """`other`'s mentions become `keep`'s; its name and aliases become aliases of `keep`,
        empty fields of `keep` take `other`'s; `other` is deleted. One action."""
        if keep_id == other_id:
            raise ValidationError("choose two different actors to merge")
        with self._action("merge_actors") as pending:
            keep, other = self._row("actors", keep_id), self._row("actors", other_id)
            aliases = _clean_aliases([*json.loads(keep["aliases"]), other["name"],
                                      *json.loads(other["aliases"])], keep["name"])
            values: dict[str, Any] = {"aliases": json.dumps(aliases, ensure_ascii=False)}
            for key in ("type", "affiliation", "role", "external_id"):
                if not keep[key] and other[key]:
                    values[key] = other[key]
            self._update(pending, "actors", keep, **values, updated=now())
            moved = [r[0] for r in self.db.execute("SELECT id FROM spans WHERE actor_id = ?",
                                                    [other_id])]
            self._link(pending, moved, keep_id)
            pending.deleted("actors", other)
            self.db.execute("DELETE FROM actors WHERE id = ?", [other_id])
        pending.change.count = len(moved)
        return pending.change

    def split_actor(self, actor_id: int, span_ids: Iterable[int], name: str) -> Change:
        """Move some of an actor's mentions to a new actor (type and affiliation copied)."""
        span_ids = list(span_ids)
        with self._action("split_actor") as pending:
            source = self._row("actors", actor_id)
            for span_id in span_ids:
                if self._row("spans", span_id)["actor_id"] != actor_id:
                    raise ValidationError(f"span {span_id} is not a mention of {source['name']}")
            new_id = self._insert_actor(pending, {"name": name, "type": source["type"],
                                                  "affiliation": source["affiliation"]})
            self._link(pending, span_ids, new_id)
            pending.change.new_actor_id = new_id
        pending.change.count = len(span_ids)
        return pending.change

    def delete_actor(self, actor_id: int) -> Change:
        """Remove an actor; its mentions stay, unlinked. One action."""
        with self._action("delete_actor") as pending:
            row = self._row("actors", actor_id)
            linked = [r[0] for r in self.db.execute("SELECT id FROM spans WHERE actor_id = ?",
                                                    [actor_id])]
            self._link(pending, linked, None)
            pending.deleted("actors", row)
            self.db.execute("DELETE FROM actors WHERE id = ?", [actor_id])
        return pending.change
