import contextlib
import io
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.domain import AnnotatedDocument, Document  # noqa: E402
from annotator.store import Store  # noqa: E402

ARTICLE = (
    "Minister Amara Velko warned on Tuesday that Norland would respond.\n"
    "\u201cWe will not wait,\u201d she said in Port Ilse.\n"
    "Rebels denied the claim."
)

# Text that breaks naive offset handling: emoji (astral), CJK, combining mark, NBSP.
TRICKY = "Zoe\u0308 \U0001F600 said \u738b\u5c0f\u660e met\u00a0her in \u6771\u4eac. \U0001F1F3\U0001F1F4 ok"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "project.db"


@pytest.fixture
def store(db_path):
    with Store(db_path, annotator="tester") as s:
        yield s


@pytest.fixture
def doc_id(store):
    (doc_id,) = store.add_documents([AnnotatedDocument(Document(text=ARTICLE, title="Velko"))])
    return doc_id


# --- a small labelled project and one pipeline trained on it, for the training and learning tests --
# Six short documents (renamed copies of the first dev gold articles, cut after ~900 characters,
# every span accepted, marked done) and a few training steps: enough to exercise the whole path
# (DocBins, config, spaCy's loop, the saved pipeline) in seconds, not to learn much. Here, not in
# tests/training/, so that the whole session trains once (tests/ui/test_learning.py uses it too).
SMALL_LABELLED = dict(max_chars=900, templates=3)


@pytest.fixture(scope="session")
def labelled_db(tmp_path_factory):
    from bench.labelled_corpus import add_to_store, labelled_documents

    path = tmp_path_factory.mktemp("labelled") / "labelled.db"
    with Store(path) as store:
        add_to_store(store, labelled_documents(6, seed=1, **SMALL_LABELLED))
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
