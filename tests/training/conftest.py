"""A small generated labelled project and one pipeline trained on it, shared by the tests.

Six short documents (renamed copies of the first dev gold articles, cut after ~900 characters,
every span accepted, marked done) and a few training steps: enough to exercise the whole path
(DocBins, config, spaCy's loop, the saved pipeline) in seconds, not to learn much.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from annotator.store import Store
from bench.labelled_corpus import add_to_store, labelled_documents

SMALL = dict(max_chars=900, templates=3)


@pytest.fixture(scope="session")
def labelled_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("labelled") / "labelled.db"
    with Store(path) as store:
        add_to_store(store, labelled_documents(6, seed=1, **SMALL))
    return path


@pytest.fixture(scope="session")
def trained(tmp_path_factory, labelled_db):
    """(model folder, what `annotator train` printed) for the labelled project, via the CLI."""
    from annotator.cli import main

    out = tmp_path_factory.mktemp("models") / "trained"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = main(["train", "--db", str(labelled_db), "--out", str(out), "--dev-fraction", "0.34",
                       "--max-steps", "6"])
    assert status == 0, printed.getvalue()
    return out, printed.getvalue()
