"""Take the README screenshots from a real window: `xvfb-run -a python docs/screenshots/take.py`.

Also the corpus view (tables.png, overview.png): a project of the gold samples with the actor
registry seeded from their names, the Speakers table grouped beside the article, and the
Corpus Overview window.

Builds a throw-away project from resources/samples, pre-annotates it with the default pipeline
(or inserts a few suggestions when annotator.nlp is unavailable), accepts part of the first
article so both styles show, then grabs the main window in the light and the dark palette
(one process per palette) into docs/screenshots/main-light.png and main-dark.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)


def build_project(path: Path) -> None:
    from annotator.services.samples import ensure_sample
    from annotator.domain import Span
    from annotator.store import Store

    with Store(path, annotator="analyst") as store:
        ensure_sample(store)
        ids = store.document_ids()
        first = next(i for i in ids if "border" in store.document(i).import_file) if any(
            "border" in store.document(i).import_file for i in ids) else ids[0]
        try:
            from annotator.services.preannotate import preannotate

            preannotate(store, ids)
        except ImportError:  # the nlp layer is not there yet: a few hand-made suggestions
            text = store.document(first).text
            spans = [Span(first, text.index(w), text.index(w) + len(w), label)
                     for w, label in (("Amara Velko", "PERSON"), ("Norland", "GPE"),
                                      ("Red Ridge Brigade", "ORG"), ("Tuesday", "DATE"))]
            store.replace_suggestions(first, "example", spans, [])
        store.set_meta("screenshot_doc", str(first))
        # Accept about half of the first article's suggestions, and the links of one quote.
        spans = store.spans(first)
        quote = next((s for s in spans if s.label == "QUOTE"), None)
        for n, span in enumerate(spans):
            if span.status == "suggested" and (n % 2 == 0 or span.label in ("SPEAKER",)):
                store.accept_span(span.id)
        if quote is not None:
            for rel in store.relations(first):
                if rel.head_id == quote.id and rel.status == "suggested":
                    store.accept_relation(rel.id)
            if quote.status != "accepted":
                store.accept_span(quote.id)
            store.set_attribute(quote.id, "kind", "direct")
            store.set_attribute(quote.id, "speech_act", "threat")


def grab(path: Path, scheme: str) -> Path:
    os.environ["ANNOTATOR_COLOR_SCHEME"] = scheme
    from PySide6.QtCore import QSettings, QTimer

    from annotator.app import make_app
    from annotator.store import Store
    from annotator.ui.main_window import MainWindow

    app = make_app([sys.argv[0]])
    settings = QSettings(str(path.with_suffix(f".{scheme}.ini")), QSettings.Format.IniFormat)
    settings.setValue("annotator/name", "analyst")
    window = MainWindow(path, settings=settings)
    window.resize(*SIZE)
    window.show()
    with Store(path) as store:
        doc_id = int(store.get_meta("screenshot_doc"))
    window.open_document(doc_id)
    quote = next((s for s in window.session.spans.values()
                  if s.label == "QUOTE" and window.session.relations_of(s.id)), None)
    if quote is not None:
        window.session.select(quote.id)
        window.view.verticalScrollBar().setValue(0)
    out = OUT / f"main-{scheme}.png"
    for _ in range(20):
        app.processEvents()

    def shoot() -> None:
        window.grab().save(str(out))
        window.close()
        app.quit()

    QTimer.singleShot(800, shoot)
    app.exec()
    return out


def build_corpus(path: Path) -> None:
    from annotator.analysis.actors import propose, seed_groups
    from annotator.services.dates import resolve_dates
    from annotator.services.samples import import_gold
    from annotator.store import Store

    with Store(path, annotator="analyst") as store:
        import_gold(store)
        store.create_actors(seed_groups(store.unlinked_mentions(), store.actors()))
        store.link_proposals([(p.span_id, p.actor_id)
                              for p in propose(store.unlinked_mentions(), store.actors())])
        resolve_dates(store)


def grab_corpus(path: Path) -> None:
    os.environ["ANNOTATOR_COLOR_SCHEME"] = "light"
    from PySide6.QtCore import QSettings, Qt, QTimer

    from annotator.app import make_app
    from annotator.ui.main_window import MainWindow

    app = make_app([sys.argv[0]])
    settings = QSettings(str(path.with_suffix(".corpus.ini")), QSettings.Format.IniFormat)
    settings.setValue("annotator/name", "analyst")
    window = MainWindow(path, settings=settings)
    window.resize(1600, 1000)
    window.show()
    view = window.corpus_view
    threats = view.show_table("threats")
    table = view.show_table("quotes")
    window.resizeDocks([view.tables_dock], [430], Qt.Orientation.Vertical)
    velko = next(a.id for a in window.session.store.actors() if a.name == "Amara Velko")
    table.set_filters(actor_id=velko)
    view.open_span(table.model.row(0).doc_id, table.model.row(0).span_id)
    del threats
    overview = view.show_overview()
    overview.resize(1500, 900)

    def shoot() -> None:
        window.grab().save(str(OUT / "tables.png"))
        overview.grab().save(str(OUT / "overview.png"))
        overview.close()
        window.close()
        app.quit()

    QTimer.singleShot(2500, shoot)
    app.exec()


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[2] == "corpus":
        grab_corpus(Path(sys.argv[1]))
        return 0
    if len(sys.argv) == 3:  # child: grab one palette
        print(grab(Path(sys.argv[1]), sys.argv[2]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "screenshot.db"
        build_project(db)
        for scheme in ("light", "dark"):
            subprocess.run([sys.executable, __file__, str(db), scheme], check=True)
        corpus = Path(tmp) / "corpus.db"
        build_corpus(corpus)
        subprocess.run([sys.executable, __file__, str(corpus), "corpus"], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
