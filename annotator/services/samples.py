"""The bundled sample articles: a new, empty project opens on them so there is something to see."""

from __future__ import annotations

from pathlib import Path

from annotator.resources import resources_dir


def sample_paths() -> list[Path]:
    return sorted((resources_dir() / "samples").glob("*.txt"))


def ensure_sample(store) -> None:
    """Import the samples into an empty project (a project with documents is left alone)."""
    if store.document_count():
        return
    from annotator.services.importing import import_paths

    samples = sample_paths()
    if samples:
        import_paths(store, samples)


def gold_paths() -> list[Path]:
    """The hand-labelled gold of the samples (dev and held-out), lossless JSONL."""
    root = resources_dir() / "samples"
    return sorted(root.glob("*.gold.jsonl")) + sorted((root / "heldout").glob("*.gold.jsonl"))


def import_gold(store):
    """The sample articles with their gold labels as accepted labels (an analyst's corpus for
    the corpus view, its tests and screenshots)."""
    from annotator.services.importing import import_paths

    return import_paths(store, gold_paths())
