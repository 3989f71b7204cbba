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
