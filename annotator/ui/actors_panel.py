"""The Actors panel: the corpus-wide registry, its mentions, and the analyst's edits to it.

A list of actors (name, type, mentions, documents) with a search field; the selected actor's
fields and its mentions below. Buttons: new actor from the span selected in the article, link
that span, merge the selected actors into the current one, split chosen mentions off into a new
actor, delete; "Create from Names" seeds the registry from labelled names, "Link Proposed"
accepts the name/alias matches. Every edit is one Store intent run through `Session.registry`
(one action, undoable with Ctrl+Z); the panel only asks and shows.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.analysis.actors import propose, seed_groups
from annotator.domain import ACTOR_LABELS
from annotator.store.actors import ACTOR_TYPES
from annotator.ui.plain import plain_label, tip

_ROOT = QModelIndex()  # the invalid index: Qt's default parent
_COLUMNS = (("name", "Actor"), ("type", "Type"), ("mentions", "Mentions"),
            ("documents", "Documents"), ("aliases", "Aliases"))
ACTOR_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ActorListModel(QAbstractTableModel):
    """The registry as rows (it is small next to the corpus: read whole on each reload)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.actors = []

    def set_actors(self, actors) -> None:
        self.beginResetModel()
        self.actors = list(actors)
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.actors)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        actor = self.actors[index.row()]
        key = _COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = getattr(actor, key)
            text = "; ".join(value) if key == "aliases" else value
            return tip(str(text)) if role == Qt.ItemDataRole.ToolTipRole else text
        if role == ACTOR_ID_ROLE:
            return actor.id
        return None

    def row_of(self, actor_id) -> int:
        return next((i for i, a in enumerate(self.actors) if a.id == actor_id), -1)


class ActorsPanel(QWidget):
    open_requested = Signal(int, int)  # document id, span id (a mention)
    export_requested = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("actorsPanel")
        self.session = session
        self.list_model = ActorListModel(self)
        self._proposals = []
        self._build()

    # --- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Find an actor (name or alias)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.reload())
        self.table = QTableView()
        self.table.setObjectName("actorsView")
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.name = QLineEdit()
        self.type_box = QComboBox()
        for t in ACTOR_TYPES:
            self.type_box.addItem(t or "(unknown)", t)
        self.aliases = QLineEdit(placeholderText="other names, separated by ;")
        self.affiliation = QLineEdit()
        self.role = QLineEdit()
        self.external_id = QLineEdit(placeholderText="e.g. a Wikidata QID (typed in, no lookup)")
        form = QFormLayout()
        for label, w in (("Name", self.name), ("Type", self.type_box), ("Aliases", self.aliases),
                         ("Affiliation", self.affiliation), ("Role", self.role),
                         ("External id", self.external_id)):
            form.addRow(label, w)
        self.buttons = {}
        grid = QGridLayout()
        specs = (("save", "Save", "Save the fields of the current actor", self.save),
                 ("new", "New from Span", "A new actor named after the span selected in the "
                  "article, linked to it", self.new_from_span),
                 ("link", "Link Span", "Link the span selected in the article to the current "
                  "actor", self.link_span),
                 ("merge", "Merge Selected", "Merge the other selected actors into the current "
                  "one (their names become aliases)", self.merge_selected),
                 ("split", "Split Mentions\u2026", "Move the mentions selected below to a new "
                  "actor", self.split_mentions),
                 ("delete", "Delete", "Delete the current actor (its mentions stay, unlinked)",
                  self.delete_current),
                 ("seed", "Create from Names", "A new actor for each labelled name that has none "
                  "(pronouns and common nouns left out)", self.create_from_names),
                 ("propose", "Link Proposed", "Link every mention whose name, alias or SAME_AS "
                  "antecedent matches exactly one actor", self.link_proposed),
                 ("export", "Export\u2026", "Write the registry to CSV or JSON",
                  self.export_requested.emit))
        for i, (key, text, hint, slot) in enumerate(specs):
            button = QPushButton(text, toolTip=hint)
            button.setObjectName(f"actors_{key}")
            button.clicked.connect(lambda _c=False, s=slot: s())
            self.buttons[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.mentions = QTableWidget(0, 4)
        self.mentions.setObjectName("actorMentions")
        self.mentions.setHorizontalHeaderLabels(["Mention", "Label", "Document", "Date"])
        self.mentions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mentions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mentions.verticalHeader().hide()
        self.mentions.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.mentions.itemActivated.connect(self._mention_activated)
        self.mentions.itemDoubleClicked.connect(self._mention_activated)
        self.status = plain_label()
        self.status.setWordWrap(True)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.search)
        top_layout.addWidget(self.table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(form)
        bottom_layout.addLayout(grid)
        bottom_layout.addWidget(self.mentions, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        layout.addLayout(row)

    # --- reading ------------------------------------------------------------------------------

    @property
    def store(self):
        return self.session.store

    def reload(self) -> None:
        current = self.current_actor_id()
        actors = self.store.actors(self.search.text()) if self.store is not None else []
        self.list_model.set_actors(actors)
        row = self.list_model.row_of(current)
        if row >= 0:
            self.table.selectRow(row)
        self._show_current()
        self.status.setText(f"{len(actors):,} actor(s)" if self.store is not None else "")

    def current_actor_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.list_model.data(index, ACTOR_ID_ROLE) if index.isValid() else None

    def selected_actor_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.list_model.actors[r].id for r in rows]

    def select_actor(self, actor_id: int) -> None:
        row = self.list_model.row_of(actor_id)
        if row < 0 and self.search.text():
            self.search.clear()
            row = self.list_model.row_of(actor_id)
        if row >= 0:
            self.table.selectRow(row)

    def _show_current(self) -> None:
        actor_id = self.current_actor_id()
        actor = next((a for a in self.list_model.actors if a.id == actor_id), None)
        self.name.setText(actor.name if actor else "")
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(actor.type if actor else "")))
        self.aliases.setText("; ".join(actor.aliases) if actor else "")
        self.affiliation.setText(actor.affiliation if actor else "")
        self.role.setText(actor.role if actor else "")
        self.external_id.setText(actor.external_id if actor else "")
        rows = self.store.mentions(actor_id) if actor is not None else []
        self.mentions.setRowCount(len(rows))
        for i, m in enumerate(rows):
            cells = (m["text"], m["label"], m["title"] or f"Document {m['doc_id']}",
                     (m["published"] or "")[:10])
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (m["doc_id"], m["span_id"]))
                self.mentions.setItem(i, j, item)

    def _mention_activated(self, item) -> None:
        doc_id, span_id = item.data(Qt.ItemDataRole.UserRole)
        self.open_requested.emit(doc_id, span_id)

    # --- intents ------------------------------------------------------------------------------

    def _run(self, fn, *args, **kwargs):
        if self.store is None:
            return None
        change = self.session.registry(fn, *args, **kwargs)
        if change is not None:
            self.reload()
        return change

    def save(self) -> None:
        actor_id = self.current_actor_id()
        if actor_id is None:
            return
        aliases = [a.strip() for a in self.aliases.text().split(";") if a.strip()]
        self._run(self.store.update_actor, actor_id, name=self.name.text(),
                  type=self.type_box.currentData(), aliases=aliases,
                  affiliation=self.affiliation.text(), role=self.role.text(),
                  external_id=self.external_id.text())

    def _selected_span(self):
        span = self.session.selected_span()
        if span is None or span.label not in ACTOR_LABELS:
            self.status.setText(f"Select a {', '.join(ACTOR_LABELS)} span in the article first.")
            return None
        return span

    def new_from_span(self) -> None:
        span = self._selected_span()
        if span is None:
            return
        name = span.attrs.get("canonical_name") or self.session.doc.text[span.start:span.end]
        kind = span.label if span.label in ACTOR_TYPES else ""
        change = self._run(self.store.create_actor, name, [span.id], type=kind)
        if change is not None and change.new_actor_id is not None:
            self.select_actor(change.new_actor_id)

    def link_span(self) -> None:
        span, actor_id = self._selected_span(), self.current_actor_id()
        if span is not None and actor_id is not None:
            self._run(self.store.link_mentions, [span.id], actor_id)

    def merge_selected(self) -> None:
        keep = self.current_actor_id()
        others = [a for a in self.selected_actor_ids() if a != keep]
        if keep is None or not others:
            self.status.setText("Select two or more actors: the others merge into the current "
                                "one.")
            return
        for other in others:
            if self._run(self.store.merge_actors, keep, other) is None:
                return
        self.select_actor(keep)
        self.status.setText(f"Merged {len(others)} actor(s) into {self.name.text()}.")

    def split_mentions(self, name: str | None = None) -> None:
        actor_id = self.current_actor_id()
        rows = sorted({i.row() for i in self.mentions.selectedIndexes()})
        span_ids = [self.mentions.item(r, 0).data(Qt.ItemDataRole.UserRole)[1] for r in rows]
        if actor_id is None or not span_ids:
            self.status.setText("Select the mentions to move to a new actor.")
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Split actor", "Name of the new actor:",
                                            text=self.mentions.item(rows[0], 0).text())
            if not ok or not name.strip():
                return
        change = self._run(self.store.split_actor, actor_id, span_ids, name)
        if change is not None and change.new_actor_id is not None:
            self.select_actor(change.new_actor_id)

    def delete_current(self) -> None:
        actor_id = self.current_actor_id()
        if actor_id is not None:
            self._run(self.store.delete_actor, actor_id)

    def create_from_names(self) -> int:
        if self.store is None:
            return 0
        groups = seed_groups(self.store.unlinked_mentions(), self.store.actors())
        if not groups:
            self.status.setText("Every labelled name already has an actor.")
            return 0
        change = self._run(self.store.create_actors, groups)
        n = change.count if change is not None else 0
        self.status.setText(f"Created {n} actor(s) from labelled names.")
        return n

    def link_proposed(self) -> int:
        if self.store is None:
            return 0
        proposals = propose(self.store.unlinked_mentions(), self.store.actors())
        if not proposals:
            self.status.setText("No mention matches exactly one actor.")
            return 0
        change = self._run(self.store.link_proposals, [(p.span_id, p.actor_id)
                                                       for p in proposals])
        n = change.count if change is not None else 0
        self.status.setText(f"Linked {n} mention(s) to the actor their name, alias or "
                            "antecedent matches.")
        return n
