"""The action log: one row per user intent, written in the intent's transaction; undo and redo.

A log entry is `{"table", "id", "before", "after"}`. An insert logs the whole new row (before
None), a delete the whole old row (after None), an update only the columns it writes, before and
after (logs written before that held whole rows on both sides; replay reads both). The same
entries give the Change an intent or a replay returns, so what is logged and what the UI is told
cannot drift apart.

Undo/redo availability is tracked from this connection's own writes (no query per key press);
`refresh_history` re-reads it after other programs wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from annotator.changes import REDO, UNDO, Change
from annotator.domain import DOC_IN_PROGRESS, DOC_NEW, Action, new_uid
from annotator.store.errors import StoreError
from annotator.store.rows import COLUMNS, DOC_EDITABLE, DOC_LOGGED, KEYS, now, relation_from_row, span_from_row

_SET_DOC_STATUS = "set_doc_status"
# Actions on a document itself, not labelling: they never move it to 'in progress'.
_NO_TOUCH = {_SET_DOC_STATUS, "edit_document", "delete_document"}


class Pending:
    """The rows one intent writes: gathered for its action-log row and for its Change."""

    def __init__(self, kind: str, doc_id: int | None) -> None:
        self.log: list[dict[str, Any]] = []
        self.change = Change(kind=kind, doc_id=doc_id)
        # (whole row before, whole row after) of each span written: what the label memory learns
        self.span_states: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []

    def inserted(self, table: str, row: dict[str, Any]) -> None:
        self.log.append({"table": table, "id": row["id"], "before": None, "after": row})
        note(self.change, table, row["id"], row, new=True)
        if table == "spans":
            self.span_states.append((None, row))

    def updated(self, table: str, before: dict[str, Any], values: dict[str, Any]) -> None:
        """`before`: the whole row as read in this transaction; `values`: the columns written."""
        self.log.append({"table": table, "id": before["id"],
                         "before": {c: before[c] for c in values}, "after": dict(values)})
        note(self.change, table, before["id"], {**before, **values})
        if table == "spans":
            self.span_states.append((before, {**before, **values}))

    def deleted(self, table: str, row: dict[str, Any], row_id: int | None = None) -> None:
        """`row_id`: for rows without an "id" column (preannotations: their document's)."""
        row_id = row["id"] if row_id is None else row_id
        self.log.append({"table": table, "id": row_id, "before": row, "after": None})
        note(self.change, table, row_id, None)
        if table == "spans":
            self.span_states.append((row, None))


def note(change: Change, table: str, row_id: int, row: dict[str, Any] | None,
         new: bool = False) -> None:
    """Record one row's state now (None: it is gone) in a Change, as domain objects."""
    if table == "spans":
        if row is None:
            change.removed_spans.append(row_id)
        else:
            change.spans.append(span_from_row(row))
            if new:
                change.new_span_id = row_id
    elif table == "relations":
        if row is None:
            change.removed_relations.append(row_id)
        else:
            change.relations.append(relation_from_row(row))
            if new:
                change.new_relation_id = row_id
    elif table == "documents" and row is None:
        change.removed_documents.append(row_id)
    elif table == "documents":
        if "status" in row:
            change.doc_status = row["status"]
        if "text" in row or any(c in row for c in DOC_EDITABLE):
            change.documents.append(row_id)
    elif table == "actors":
        change.actors_changed = True
        if new and row is not None:
            change.new_actor_id = row_id


class History:
    """Action log, undo and redo of the Store (a mixin: `db`, `annotator` and `transaction`
    come from Store)."""

    db: sqlite_utils.Database
    annotator: str
    _can_undo: bool = False
    _can_redo: bool = False

    transaction: Any  # Store.transaction

    # --- writing --------------------------------------------------------------------------------

    @contextmanager
    def _action(self, kind: str, doc_id: int | None = None) -> Iterator[Pending]:
        """Collect the rows of one intent; commit them with their log row atomically.

        The intent may set `pending.change.doc_id` once it has read the row it changes."""
        pending = Pending(kind, doc_id)
        with self.transaction():
            yield pending
            if pending.log:
                self._learn(pending)  # the label memory (store/memory.py), logged with it
                doc_id = pending.change.doc_id
                if doc_id is not None and kind not in _NO_TOUCH:
                    self._touch_document(doc_id, pending)
                # A new action forks history: whatever was undone can no longer be redone.
                self.db.execute("UPDATE actions SET undone = 2 WHERE undone = 1")
                cur = self.db.execute(
                    "INSERT INTO actions(ts, kind, annotator, doc_id, changes, undone)"
                    " VALUES (?,?,?,?,?,0)",
                    [now(), kind, self.annotator, doc_id,
                     json.dumps(pending.log, ensure_ascii=False, separators=(",", ":"))],
                )
                pending.change.action_id = cur.lastrowid
        if pending.log:
            self._can_undo, self._can_redo = True, False
        pending.change.can_undo, pending.change.can_redo = self._can_undo, self._can_redo

    def _touch_document(self, doc_id: int, pending: Pending) -> None:
        """The first label action on a new document moves it to 'in progress' (same action)."""
        row = self.db.execute(f"SELECT {_quoted(DOC_LOGGED)} FROM documents WHERE id = ?", [doc_id]).fetchone()
        before = dict(zip(DOC_LOGGED, row or ()))
        if before.get("status") == DOC_NEW:
            self._update(pending, "documents", before, status=DOC_IN_PROGRESS, updated=now())

    def _update(self, pending: Pending, table: str, before: dict[str, Any], **values: Any) -> None:
        """UPDATE one row read in this transaction, and log the columns written."""
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), before["id"]])
        pending.updated(table, before, values)

    def _rows(self, table: str, where: str, params: list[Any]) -> list[dict[str, Any]]:
        """Whole rows (as dicts) of spans or relations."""
        cols = COLUMNS[table]
        return [dict(zip(cols, r)) for r in self.db.execute(
            f"SELECT {_quoted(cols)} FROM {table} WHERE {where}", params).fetchall()]

    def _row(self, table: str, row_id: int) -> dict[str, Any]:
        rows = self._rows(table, "id = ?", [row_id])
        if not rows:
            raise KeyError(f"no {table[:-1]} {row_id}")
        return rows[0]

    def _no_change(self, kind: str, doc_id: int | None) -> Change:
        return Change(kind=kind, doc_id=doc_id, can_undo=self._can_undo, can_redo=self._can_redo)

    # --- reading --------------------------------------------------------------------------------

    def actions(self, limit: int = 100) -> list[Action]:
        rows = self.db.execute(
            "SELECT id, ts, kind, annotator, doc_id, changes, undone FROM actions"
            " ORDER BY id DESC LIMIT ?", [limit]).fetchall()
        return [Action(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]

    def can_undo(self) -> bool:
        """Whether an action is in effect, as of this connection's last write or refresh."""
        return self._can_undo

    def can_redo(self) -> bool:
        """Whether an undone action can be redone, as of the last write or refresh."""
        return self._can_redo

    def refresh_history(self) -> None:
        """Re-read undo/redo availability (other connections may have written since)."""
        self._can_undo = self._exists("undone = 0")
        self._can_redo = self._exists("undone = 1")

    def _exists(self, where: str) -> bool:
        return self.db.execute(f"SELECT 1 FROM actions WHERE {where} LIMIT 1").fetchone() is not None

    # --- undo / redo ----------------------------------------------------------------------------

    def undo(self) -> Change | None:
        """Revert the latest action still in effect. None: there is none. The Change's doc_id
        tells the UI where it happened."""
        return self._replay(UNDO)

    def redo(self) -> Change | None:
        return self._replay(REDO)

    def _replay(self, direction: str) -> Change | None:
        undo = direction == UNDO
        sql = ("SELECT id, kind, doc_id, changes FROM actions WHERE undone = ? ORDER BY id "
               + ("DESC" if undo else "ASC") + " LIMIT 1")
        params = [0 if undo else 1]
        if self.db.execute(sql, params).fetchone() is None:  # nothing to do: no write lock taken
            if undo:
                self._can_undo = False
            else:
                self._can_redo = False
            return None
        with self.transaction():
            row = self.db.execute(sql, params).fetchone()  # again, now under the write lock
            change = self._replay_action(row, undo) if row is not None else None
            self._can_undo, self._can_redo = self._exists("undone = 0"), self._exists("undone = 1")
        if change is not None:
            change.can_undo, change.can_redo = self._can_undo, self._can_redo
        return change

    def _replay_action(self, row: tuple, undo: bool) -> Change:
        action_id, kind, doc_id, raw = row
        side, other = ("before", "after") if undo else ("after", "before")
        entries = json.loads(raw)
        if undo:
            entries.reverse()
        # Spans must exist before relations that point at them; deleting goes the other way.
        for entry in sorted(entries, key=lambda e: _replay_order(e, side)):
            self._apply_entry(entry, side, other)
        self.db.execute("UPDATE actions SET undone = ? WHERE id = ?", [1 if undo else 0, action_id])
        change = Change(kind=kind, doc_id=doc_id, action_id=action_id,
                        direction=UNDO if undo else REDO)
        for entry in entries:
            table, row_id, values = entry["table"], entry["id"], entry[side]
            if values is None or table not in ("spans", "relations"):
                note(change, table, row_id, values)
                continue
            found = self._rows(table, "id = ?", [row_id])
            note(change, table, row_id, found[0] if found else None, new=entry[other] is None)
        self._relearn(change, entries)  # memory suggestions follow the memory rows put back
        return change

    def _apply_entry(self, entry: dict[str, Any], side: str, other: str) -> None:
        table, row_id, values = entry["table"], entry["id"], entry[side]
        known = COLUMNS[table]
        if values is None:
            keys = KEYS.get(table)
            if keys is None:
                self.db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
            else:
                self.db.execute(f"DELETE FROM {table} WHERE "
                                + " AND ".join(f'"{k}" = ?' for k in keys),
                                [entry[other][k] for k in keys])
        elif entry[other] is not None:  # an update: write back its columns
            cols = [c for c in values if c in known and c != "id"]
            sets = ", ".join(f'"{c}" = ?' for c in cols)
            self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                            [values[c] for c in cols] + [row_id])
        else:  # a row the action added (redo) or removed (undo): the whole row comes back
            if table != "documents" and not values.get("uid"):
                values = {**values, "uid": new_uid()}  # logged before rows had uids
            self._check_free(table, row_id, values)
            cols = [c for c in values if c in known]
            self.db.execute(f"INSERT OR REPLACE INTO {table}({_quoted(cols)})"
                            f" VALUES ({','.join('?' * len(cols))})", [values[c] for c in cols])


    def _check_free(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        """Refuse to bring a row back over one written since without the action log (an
        import or a pre-annotation may reuse the id of a deleted row, or store the same text
        again): the whole replay is rolled back instead of overwriting it."""
        if table in KEYS:
            return  # keyed by what it describes: writing it again is the same fact
        taken = self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone()
        if table == "documents" and not taken:
            taken = self.db.execute("SELECT id FROM documents WHERE content_hash = ?",
                                    [values.get("content_hash")]).fetchone()
        if taken:
            noun = {"documents": "document", "spans": "label", "relations": "link"}.get(table,
                                                                                   "entry")
            raise StoreError(f"cannot bring back {noun} {row_id}: a later import or "
                             "pre-annotation stored the same text or reused its number; "
                             "nothing was changed")


def _replay_order(entry: dict[str, Any], side: str) -> tuple[int, int]:
    # actors last when removing, first when restoring: spans point at them
    table_rank = {"relations": 0, "preannotations": 0, "memory": 0, "spans": 1, "documents": 2,
                  "actors": 3}[entry["table"]]
    if entry[side] is None:
        return (0, table_rank)  # remove relations first, then spans
    return (1, -table_rank)  # then restore documents, spans, relations


def _quoted(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)
