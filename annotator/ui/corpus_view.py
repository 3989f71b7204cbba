"""The corpus view in the window: the analyst tables dock, the Actors dock and the Corpus
Overview window, wired to the project and the article.

Built lazily (View > Speakers / Threats / Events / Actors / Corpus Overview), so a window that
never shows them pays nothing. A table row opens its document with the span selected; a chart
bar opens a table filtered to it. After a label or registry change the visible tables re-read
their first page (debounced), hidden ones when next shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QTabWidget

from annotator.analysis import tables
from annotator.analysis.query import EVENTS, QUOTES, TABLES, THREATS
from annotator.ui import file_dialogs
from annotator.ui.jobs import Job

EXPORT_ROWS = Job("export_rows", "Exporting {count} table row(s)", done=lambda c, n, p: (
    c.feedback.message(f"Exported {n} row(s) to {p['out']}.", 10000) if n is not None else None))
EXPORT_ACTORS = Job("export_actors", "Exporting the actor registry", done=lambda c, n, p: (
    c.feedback.message(f"Exported {n} actor(s) to {p['out']}.", 10000) if n is not None
    else None))


def _dates_done(ctx, report, params: dict) -> None:
    if report is None:
        return
    ctx.feedback.message(f"Resolved {report.resolved} date(s); {len(report.unresolved)} could "
                         "not be resolved (durations, dates relative to others).", 10000)
    ctx.session.reload_labels()


RESOLVE_DATES = Job("resolve_dates", "Resolving dates", single=True,
                    busy="Dates are already being resolved.", done=_dates_done)


def _resolve_dates_job():
    def job(store, progress, cancelled):
        from annotator.services.dates import resolve_dates

        return resolve_dates(store, progress=progress, cancelled=cancelled)
    return job


TABLE_CHOICES = Job("table_choices", "Listing the tables' filter choices", user=False)


def _export_rows_job(query, out: str):
    """The rows are read in the job (by id, in the table's order), not on the UI thread."""
    def job(store, progress, cancelled):
        from annotator.analysis.paging import all_rows
        from annotator.formats.csv_tables import export_groups, export_rows

        rows = all_rows(store, query)
        if query.by_actor:
            return export_groups(query, rows, Path(out))
        return export_rows(store, query, rows, Path(out), progress)
    return job


def _export_actors_job(out: str):
    def job(store, progress, cancelled):
        from annotator.analysis.registry import export_registry

        return export_registry(store, Path(out))
    return job


class CorpusView(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.tables: dict[str, object] = {}
        self.tables_dock: QDockWidget | None = None
        self.actors_dock: QDockWidget | None = None
        self.actors = None
        self.overview = None
        self._stale: set[str] = set()
        self._reload = QTimer(self, singleShot=True, interval=600)
        self._reload.timeout.connect(self.reload_visible)
        self.session.changed.connect(self._changed)

    # --- project --------------------------------------------------------------------------------

    def set_store(self, store) -> None:
        for table in self.tables.values():
            table.set_store(store)
        self._stale.clear()
        if self.actors is not None:
            self.actors.reload()

    def _changed(self, change) -> None:
        if not self.tables and self.actors is None:
            return
        self._stale.update(self.tables)
        if change.actors_changed or change.kind in ("reload",):
            self._stale.add("actors")
        self._reload.start()

    def reload_visible(self) -> None:
        if self.tables_dock is not None and self.tables_dock.isVisible():
            current = self.tabs.currentWidget()
            if current is not None and current.table_name in self._stale:
                if "actors" in self._stale:
                    current.fill_choices()
                current.model.reload()
                self._stale.discard(current.table_name)
        if self.actors is not None and self.actors_dock.isVisible() and "actors" in self._stale:
            self.actors.reload()
            self._stale.discard("actors")

    # --- tables ---------------------------------------------------------------------------------

    def _ensure_tables(self) -> None:
        if self.tables_dock is not None:
            return
        from annotator.ui.tables.view import AnalysisTable

        self.tabs = QTabWidget()
        self.tabs.setObjectName("corpusTables")
        for name in TABLES:
            table = AnalysisTable(name)
            table.open_requested.connect(self.open_span)
            table.export_requested.connect(self.export_rows)
            table.run_in_background = self._in_background
            self.tables[name] = table
            self.tabs.addTab(table, tables.TITLES[name])
            table.set_store(self.session.store)
        self.tabs.currentChanged.connect(lambda _i: self._show_current_tab())
        dock = QDockWidget("Corpus Tables", self.window)
        dock.setObjectName("tablesDock")
        dock.setWidget(self.tabs)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.tables_dock = dock

    def _in_background(self, fn, done) -> None:
        self.window.runner.start(TABLE_CHOICES, fn, on_done=done)

    def _show_current_tab(self) -> None:
        current = self.tabs.currentWidget()
        if current is not None and current.table_name in self._stale:
            current.fill_choices()
            current.model.reload()
            self._stale.discard(current.table_name)

    def show_table(self, name: str, **filters):
        """View > Speakers / Threats / Events; with `filters`, the table shows just those rows."""
        self._ensure_tables()
        table = self.tables[name]
        self.tables_dock.show()
        self.tables_dock.raise_()
        self.tabs.setCurrentWidget(table)
        self._show_current_tab()
        if filters:
            table.set_filters(**filters)
        table.view.setFocus()
        return table

    def open_span(self, doc_id: int, span_id: int) -> None:
        """A row's document in the article with its span selected (and scrolled to)."""
        self.window.open_document(doc_id)
        if self.session.doc is not None and self.session.doc.id == doc_id:
            self.session.select(span_id)

    def export_rows(self, table) -> None:
        query = table.model.shown_query  # the rows the analyst sees
        default = f"{table.table_name}{'-by-actor' if query.by_actor else ''}.csv"
        out, _ = file_dialogs.get_save_file_name(self.window, "Export table rows", default,
                                                 "CSV files (*.csv)")
        if out:
            count = table.model.total()
            self.window.runner.start(EXPORT_ROWS, _export_rows_job(query, out),
                                     count=f"{count:,}" if count is not None else "the",
                                     out=out)

    def close(self) -> None:
        """End the tables' query threads (the window closes)."""
        for table in self.tables.values():
            table.shutdown()

    # --- actors ---------------------------------------------------------------------------------

    def show_actors(self):
        if self.actors_dock is None:
            from annotator.ui.actors_panel import ActorsPanel

            self.actors = ActorsPanel(self.session)
            self.actors.open_requested.connect(self.open_span)
            self.actors.export_requested.connect(self.export_actors)
            dock = QDockWidget("Actors", self.window)
            dock.setObjectName("actorsDock")
            dock.setWidget(self.actors)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.actors_dock = dock
        self.actors.reload()
        self._stale.discard("actors")
        self.actors_dock.show()
        self.actors_dock.raise_()
        return self.actors

    def export_actors(self) -> None:
        out, _ = file_dialogs.get_save_file_name(self.window, "Export the actor registry",
                                                 "actors.csv", "CSV (*.csv);;JSON (*.json)")
        if out:
            self.window.runner.start(EXPORT_ACTORS, _export_actors_job(out), out=out)

    def resolve_dates(self):
        """Document > Resolve Dates: fill `iso` on every DATE span that has none (a job)."""
        return self.window.runner.start(RESOLVE_DATES, _resolve_dates_job())

    # --- overview -------------------------------------------------------------------------------

    def show_overview(self):
        if self.overview is None:
            from annotator.ui.overview import Overview

            self.overview = Overview(self.window.runner, self.window)
            self.overview.filter_requested.connect(lambda table, flt: self.show_table(table,
                                                                                      **flt))
        self.overview.show()
        self.overview.raise_()
        self.overview.refresh()
        return self.overview


__all__ = ["CorpusView", "EVENTS", "QUOTES", "THREATS"]
