"""The label memory's table: what each label action teaches, and the suggestions it makes.

A label action's span changes teach facts (`annotator.memory.fact`); their rows in ``memory``
are written in the action's own transaction and logged with it, so undo and redo bring the
memory back with the labels. In the same transaction the document the action happened in gets
its memory suggestions for the texts that changed (unlogged, like every suggestion; they travel
in the action's Change), so they show within the key press. Other documents get theirs when
opened (`apply_memory`) or pre-annotated (`Suggestions`).
"""

from __future__ import annotations

from typing import Any

from annotator import memory
from annotator.changes import SUGGEST, Change
from annotator.domain import SUGGESTED, Span
from annotator.memory import SMALL, Entry, MemoryIndex, MemoryPlan, Tokens, tokenize
from annotator.store.rows import MEMORY_COLUMNS, SPAN_SELECT, attrs_of, now, span_from_tuple, to_json

NEAR = 64  # mentions found after a label action up to which only the spans near them are read


class Memory:
    """Label memory of the Store (a mixin: `db`, `schema`, `transaction`, `spans`, `_rows` and
    `_insert_span` come from the other parts)."""

    # (PRAGMA data_version, the memory table's stamp, the index): checked when another
    # connection wrote anything; this one's own writes update it in place (a rollback drops
    # it: Store._rollback_quietly)
    _memory_cache: tuple[int, tuple, MemoryIndex] | None = None
    _memory_tokens: Tokens | None = None  # of the text planned last

    # --- reading ---------------------------------------------------------------------------------

    def memory_entries(self) -> list[Entry]:
        rows = self.db.execute("SELECT text, label, decision, canonical, updated FROM memory"
                               " ORDER BY id").fetchall()
        return [Entry(*r) for r in rows]

    def memory_index(self) -> MemoryIndex:
        """Every remembered entry; read again only after another connection changed the
        memory (not merely wrote: a pre-annotation batch leaves it alone)."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        cached = self._memory_cache
        if cached is not None and cached[0] == version and cached[1] is not None:
            return cached[2]
        stamp = self._memory_stamp()
        if cached is None or (cached[1] != stamp and cached[0] != version):
            cached = (version, stamp, self._index(self.memory_entries()))
        self._memory_cache = (version, stamp, cached[2])
        return cached[2]

    def _index(self, entries: list[Entry]) -> MemoryIndex:
        schema = self.schema
        return MemoryIndex(entries, [lab.name for lab in schema.labels
                                     if memory.suggests(schema, lab.name)], memory.names(schema))

    # --- a document opened -----------------------------------------------------------------------

    def apply_memory(self, doc_id: int, spans: list[Span] | None = None) -> Change | None:
        """Bring a document's memory suggestions up to date with everything remembered (and
        give its name suggestions their remembered canonical names). None: nothing changed.
        `spans`: the document's spans, if just read (opening it reads them anyway)."""
        if self.read_only:
            return None
        index = self.memory_index()
        if not len(index) and self.db.execute(
                "SELECT 1 FROM spans WHERE doc_id = ? AND origin = ? LIMIT 1",
                [doc_id, memory.ORIGIN]).fetchone() is None:
            return None
        text = self._doc_text(doc_id)
        spans = self.spans(doc_id) if spans is None else spans
        if text is None or index.plan(text, spans, tokens=self._tokens(text)).empty:
            return None
        change = Change(kind="memory", doc_id=doc_id, direction=SUGGEST)
        with self.transaction():  # planned again under the write lock
            self._memory_pass(doc_id, index, None, change)
        return change

    # --- learning (inside an action's transaction) -----------------------------------------------

    def _learn(self, pending) -> None:
        """Write what the action's span changes teach, logged in `pending`; then the memory
        suggestions of the changed texts in the action's document."""
        deltas: dict[tuple[str, str], list[tuple[memory.Fact, int]]] = {}
        corrected: list[tuple[int, memory.Fact]] = []  # (document, the old label rejected)
        for before, after in list(pending.span_states):
            old, new = self._fact(before, pending), self._fact(after, pending)
            if old == new:
                continue
            for f, sign in ((old, -1), (new, 1)):
                if f is not None:
                    deltas.setdefault((f.text, f.label), []).append((f, sign))
            if self._corrected(before, after):
                # relabelled: the old label was wrong for these words
                f = self._fact({**before, "status": memory.REJECTED}, pending)
                if f is not None:
                    deltas.setdefault((f.text, f.label), []).append((f, 1))
                    corrected.append((after["doc_id"], f))
        if not deltas:
            return
        for doc_id, f in corrected:
            self._drop_corrected(pending, doc_id, f)
        now_ = [self._remember(pending, text, label, changes)
                for (text, label), changes in deltas.items()]
        self._memory_changed(list(deltas), [e for e in now_ if e])
        doc_id = pending.change.doc_id
        if doc_id is not None and doc_id not in pending.change.removed_documents:
            self._followup(pending.change, doc_id, list(deltas), [e for e in now_ if e])

    def _corrected(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> bool:
        """A relabel that says the old label was wrong: a suggestion given another label, or a
        decided name given another name label (PERSON to GPE); not a name made a SPEAKER."""
        if not (before and after and after["status"] == memory.ACCEPTED
                and before["label"] != after["label"]):
            return False
        return before["status"] == SUGGESTED or (memory.suggests(self.schema, before["label"])
                                                 and memory.suggests(self.schema, after["label"]))

    def _drop_corrected(self, pending, doc_id: int, f: memory.Fact) -> None:
        """The document's other suggestions of the corrected label on the same words, made by
        the model or rules, go with the correction (logged: undo brings them back); the
        memory's own follow in `_followup`. A suggestion the analyst linked stays."""
        text = self._doc_text(doc_id)
        if text is None or not memory.suggests(self.schema, f.label):
            return
        at = set(memory.mentions(text, memory.key(f.text)))
        for row in self._rows("spans", "doc_id = ? AND label = ? AND status = ? AND origin != ?",
                              [doc_id, f.label, SUGGESTED, memory.ORIGIN]):
            if (row["start"], row["end"]) not in at:
                continue
            links = self._rows("relations", "head_id = ? OR tail_id = ?", [row["id"], row["id"]])
            if any(rel["status"] != SUGGESTED for rel in links):
                continue
            for rel in links:
                pending.deleted("relations", rel)
                self.db.execute("DELETE FROM relations WHERE id = ?", [rel["id"]])
            pending.deleted("spans", row)
            self.db.execute("DELETE FROM spans WHERE id = ?", [row["id"]])

    def _relearn(self, change: Change, entries: list[dict[str, Any]]) -> None:
        """After undo or redo put memory rows back: the document's memory suggestions of those
        texts follow."""
        keys = set()
        for e in entries:
            if e["table"] == "memory":
                row = e["after"] if e["after"] and "text" in e["after"] else e["before"]
                key = (row["text"], row["label"]) if row and "text" in row else self._memory_key(e["id"])
                if key is not None:
                    keys.add(key)
        if not keys:
            return
        marks = ",".join("(?, ?)" for _ in keys)
        entries = [Entry(*r) for r in self.db.execute(
            "SELECT text, label, decision, canonical, updated FROM memory"
            f" WHERE (text, label) IN (VALUES {marks})", [v for k in keys for v in k]).fetchall()]
        self._memory_changed(list(keys), entries)
        if change.doc_id is not None and change.doc_id not in change.removed_documents:
            self._followup(change, change.doc_id, list(keys), entries)

    def _memory_changed(self, keys: list[tuple[str, str]], entries: list[Entry]) -> None:
        """Keep the cached index in step with rows this connection wrote (`keys`; `entries`:
        their rows now, a key without one was deleted)."""
        if self._memory_cache is not None:
            version, _stamp, index = self._memory_cache
            present = {(e.text, e.label) for e in entries}
            index.update(entries, [k for k in keys if k not in present])
            self._memory_cache = (version, None, index)  # stamped at the next look (not now:
            # this is the key press)

    def _memory_stamp(self) -> tuple:
        return tuple(self.db.execute(
            "SELECT count(*), max(rowid), max(updated) FROM memory").fetchone())

    def _tokens(self, text: str) -> Tokens:
        if self._memory_tokens is None or self._memory_tokens.text is not text:
            self._memory_tokens = tokenize(text)
        return self._memory_tokens

    def _memory_key(self, row_id: int) -> tuple[str, str] | None:
        row = self.db.execute("SELECT text, label FROM memory WHERE id = ?", [row_id]).fetchone()
        return tuple(row) if row else None

    def _followup(self, change: Change, doc_id: int, keys: list[tuple[str, str]],
                  entries: list[Entry]) -> None:
        """The memory suggestions of the texts `keys` in one document (`entries`: their rows
        now; a key without one was forgotten)."""
        scope = {(memory.key(text), label) for text, label in keys}
        index = self._index(entries)
        text = self._doc_text(doc_id)
        if text is None:
            return
        found = index.find(text)
        if len(entries) == len(keys) and all(e.decision == memory.ACCEPTED for e in entries):
            # only learnt, nothing forgotten: without another mention there is nothing to do
            made = {(s.start, s.end, s.label) for s in change.spans}
            if all((m.start, m.end, m.entry.label) in made for m in found):
                return
        self._memory_pass(doc_id, index, scope, change,
                          labels=sorted({label for _t, label in keys}),
                          near=[(m.start, m.end) for m in found])

    def _fact(self, row: dict[str, Any] | None, pending) -> memory.Fact | None:
        if row is None or row["status"] == SUGGESTED:
            return None
        label = row["label"]
        if not (memory.suggests(self.schema, label) or label in memory.names(self.schema)):
            return None
        text = self._doc_text(row["doc_id"])
        if text is None:  # deleted in this very action: its row is in the log
            text = next((e["before"]["text"] for e in pending.log if e["table"] == "documents"
                         and e["id"] == row["doc_id"] and e["before"]), "")
        return memory.fact(self.schema, label, row["status"], text[row["start"]:row["end"]],
                           attrs_of(row["attrs"]))

    def _remember(self, pending, text: str, label: str,
                  changes: list[tuple[memory.Fact, int]]) -> Entry | None:
        """Count the facts of one (text, label) in its row (logged); the row as it is now."""
        found = self.db.execute(f"SELECT {', '.join(MEMORY_COLUMNS)} FROM memory"
                                " WHERE text = ? AND label = ?", [text, label]).fetchone()
        row = dict(zip(MEMORY_COLUMNS, found)) if found else None
        values = dict(row) if row else {"id": None, "text": text, "label": label, "accepted": 0,
                                        "rejected": 0, "decision": "", "canonical": ""}
        for f, sign in sorted(changes, key=lambda c: c[1]):  # forget first, then learn
            count = "accepted" if f.decision == memory.ACCEPTED else "rejected"
            values[count] = max(0, values[count] + sign)
            if sign > 0:
                values["decision"] = f.decision
                values["canonical"] = f.canonical or values["canonical"]
        if not values["accepted"]:
            values["decision"], values["canonical"] = memory.REJECTED, ""
        elif not values["rejected"]:
            values["decision"] = memory.ACCEPTED
        values["updated"] = now()
        if not values["accepted"] and not values["rejected"]:
            if row is not None:
                pending.deleted("memory", row)
                self.db.execute("DELETE FROM memory WHERE id = ?", [row["id"]])
            return None
        if row is None:
            cols = [c for c in MEMORY_COLUMNS if c != "id"]
            cur = self.db.execute(f"INSERT INTO memory({', '.join(cols)})"
                                  f" VALUES ({','.join('?' * len(cols))})", [values[c] for c in cols])
            values["id"] = cur.lastrowid
            pending.inserted("memory", values)
        else:
            written = {c: v for c, v in values.items() if row[c] != v}
            sets = ", ".join(f"{c} = ?" for c in written)
            self.db.execute(f"UPDATE memory SET {sets} WHERE id = ?", [*written.values(), row["id"]])
            pending.updated("memory", row, written)
        return Entry(text, label, values["decision"], values["canonical"], values["updated"])

    # --- writing a document's memory suggestions -------------------------------------------------

    def _memory_pass(self, doc_id: int, index: MemoryIndex, scope, change: Change, *,
                     labels: list[str] | None = None,
                     near: list[tuple[int, int]] | None = None) -> None:
        """Plan (under the write lock) and write one document's memory suggestions; what changed
        is added to `change`. A partial pass (`scope`, after a label action) reads only spans of
        `labels` that are memory suggestions or overlap the mentions found (`near`)."""
        text = self._doc_text(doc_id)
        if text is None:
            return
        spans = self.spans(doc_id) if labels is None else self._label_spans(doc_id, labels, near)
        plan = index.plan(text, spans, scope, self._tokens(text) if len(index) > SMALL else None)
        if not plan.empty:
            self._write_plan(doc_id, plan, {s.id: s for s in spans}, change)

    def _label_spans(self, doc_id: int, labels: list[str],
                     near: list[tuple[int, int]] | None) -> list[Span]:
        # names of every suggesting label too: a mention inside a longer one is not suggested
        labels = sorted({*labels, *(lab.name for lab in self.schema.labels
                                    if memory.suggests(self.schema, lab.name))})
        marks = ",".join("?" * len(labels))
        where, params = f"doc_id = ? AND label IN ({marks})", [doc_id, *labels]
        if near is not None and len(near) <= NEAR:
            overlap = " OR ".join(["(start < ? AND \"end\" > ?)"] * len(near))
            where += f" AND ((origin = ? AND status = ?){' OR ' + overlap if near else ''})"
            params += [memory.ORIGIN, SUGGESTED] + [v for a, b in near for v in (b, a)]
        rows = self.db.execute(f"SELECT {SPAN_SELECT} FROM spans WHERE {where}", params)
        return [span_from_tuple(r) for r in rows.fetchall()]

    def _write_plan(self, doc_id: int, plan: MemoryPlan, spans: dict[int, Span],
                    change: Change) -> None:
        stamp = now()
        linked = {r[0] for r in self.db.execute(
            "SELECT head_id FROM relations WHERE doc_id = ? UNION"
            " SELECT tail_id FROM relations WHERE doc_id = ?", [doc_id, doc_id])}
        for span_id in plan.remove:
            if span_id not in linked:  # a suggestion the analyst linked stays
                self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
                change.removed_spans.append(span_id)
        for span_id, attrs in plan.attrs.items():
            self.db.execute("UPDATE spans SET attrs = ?, updated = ? WHERE id = ?",
                            [to_json(attrs), stamp, span_id])
            old = spans[span_id]
            change.spans.append(Span(old.doc_id, old.start, old.end, old.label, old.status,
                                     old.origin, old.annotator, attrs, id=old.id,
                                     created=old.created, updated=stamp))
        for start, end, label, attrs in plan.add:
            span = Span(doc_id, start, end, label, SUGGESTED, memory.ORIGIN, "", attrs,
                        created=stamp, updated=stamp)
            span.id = self._insert_span(doc_id, span)
            change.spans.append(span)
