"""What a worker process runs for pre-annotation, importable without spaCy.

The process that sends the work (the GUI, the CLI with `--n-process`, a Dask client) pickles
references to these functions; importing this module costs nothing, and spaCy and the model
are imported and loaded only in the worker, on its first call. In the GUI this keeps the model's
load and every parse off the window's process: its UI thread never waits for a GIL that a
parse or a C extension's import holds.
"""

from __future__ import annotations


def start(model: str | None, parent_pid: int) -> str:
    """A pool worker's initializer: end with the parent (annotator/parent_watch.py), then load."""
    from annotator.parent_watch import end_with_parent

    end_with_parent(parent_pid)
    return load(model)


def load(model: str | None) -> str:
    """Load the pipeline in this process (once) and return its suggestions' origin."""
    from annotator.nlp.batch import pipeline_origin

    return pipeline_origin(model)


def suggest(items: list[tuple[int, str]], model: str | None, schema_toml: str | None,
            batch_size: int = 32) -> list:
    """`DocSuggestions` records (annotator.domain) for one batch of (doc_id, text)."""
    from annotator.nlp.batch import suggest_batch

    return suggest_batch(items, model, schema_toml, batch_size)
