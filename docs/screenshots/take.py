"""Take the README screenshots from a real window: `xvfb-run -a python docs/screenshots/take.py`
(or with QT_QPA_PLATFORM=offscreen where Qt's xcb libraries are missing).

Builds a throw-away project from the sample articles in resources/samples: their gold labels
come in as a model's suggestions (what pre-annotation gives an analyst), then everything in
"border-warning" is accepted, spans and links, as an analyst would have done by the end.
The window opens that article with the quote selected, so the picture shows a dense paragraph
(a quote holding a threat and a condition holding entities) with its tags, stacked underlines,
margin bars and the quote's SAID_BY / CUE arcs. One process per palette:
docs/screenshots/main-light.png and main-dark.png.

Also the corpus view (tables.png, overview.png): a project of the gold samples with the actor
registry seeded from their names, the Speakers table grouped beside the article, and the
Corpus Overview window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)
ARTICLE = "border-warning"


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8").splitlines()[0])


def build_project(path: Path) -> None:
    from annotator.domain import AnnotatedDocument, Document, Span
    from annotator.resources import resources_dir
    from annotator.store import Store

    samples = resources_dir() / "samples"
    with Store(path, annotator="analyst") as store:
        for gold_path in sorted(samples.glob("*.gold.jsonl")):
            gold = _gold(gold_path)
            (doc_id,) = store.add_documents([AnnotatedDocument(Document(
                text=gold["text"], title=gold.get("title", ""),
                published=gold.get("published", ""), import_file=gold_path.name))])
            spans = [Span(doc_id, s["start"], s["end"], s["label"], attrs=s.get("attrs") or {})
                     for s in gold["spans"]]
            rels = [(r["head"], r["tail"], r["role"]) for r in gold["relations"]]
            store.replace_suggestions(doc_id, "example-model", spans, rels)
            if gold_path.name.startswith(ARTICLE):
                store.set_meta("screenshot_doc", str(doc_id))
                _review(store, doc_id)


def _review(store, doc_id: int) -> None:
    """Accept everything, as an analyst who has been through the whole article: every span and
    every link (the densest the article gets: tags, chips and arcs must still cover no word)."""
    for span in store.spans(doc_id):
        store.accept_span(span.id)
    for rel in store.relations(doc_id):
        if rel.status == "suggested":
            store.accept_relation(rel.id)


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
    quote = next(s for s in window.session.spans.values() if s.label == "QUOTE")
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
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer

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
    while table.model.busy() or threats.model.busy():  # their query threads
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
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
