"""What of spaCy and its Cython helpers the bundle keeps (used by the hooks beside this file).

The contributed hooks for spacy and thinc collect every submodule, including the test suites
(which drag in pytest and hypothesis) and all ~75 language packages, plus Cython sources as data.
Languages kept: ANNOTATOR_SPACY_LANGS (comma-separated, default "en,xx"); set it when bundling a
pipeline for another language (see build/README.md).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re

SOURCE_SUFFIXES = (".pyx", ".pxd", ".pxi", ".pyi", ".c", ".cpp", ".h", ".hpp")


def kept_languages() -> set[str]:
    raw = os.environ.get("ANNOTATOR_SPACY_LANGS", "en,xx")
    return {code.strip() for code in raw.split(",") if code.strip()} | _registry_languages()


@functools.lru_cache(maxsize=None)
def _registry_languages() -> frozenset[str]:
    """Languages spaCy itself imports when it fills its registry (3.8: ja ko th vi zh tokenizers).

    Found by reading spacy/registrations.py (and util.py) so a newer spaCy keeps working.
    """
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.origin:
        return frozenset()
    found = set()
    for name in ("registrations.py", "util.py", "language.py"):
        path = os.path.join(os.path.dirname(spec.origin), name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                found.update(re.findall(r"from\s+(?:spacy|\.)\.?lang\.(\w+)\s+import", fh.read()))
    return frozenset(found - _LANG_MODULES)


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return "tests" in parts or parts[-1] == "conftest" or parts[-1].startswith("test_")


def keep_module(name: str) -> bool:
    if is_test_module(name) or name.endswith("._importlib_metadata"):  # catalogue's py<3.8 backport
        return False
    parts = name.split(".")
    if parts[:2] == ["spacy", "lang"] and len(parts) > 2:
        # spacy.lang.<code>[...] packages; plain modules like spacy.lang.punctuation stay.
        code = parts[2]
        if code not in kept_languages() and not _is_lang_module(code):
            return False
    return True


_LANG_MODULES = {"char_classes", "lex_attrs", "norm_exceptions", "punctuation",
                 "tokenizer_exceptions"}


def _is_lang_module(code: str) -> bool:
    return code in _LANG_MODULES


def dropped_languages(spacy_dir: str) -> list[str]:
    lang_dir = os.path.join(spacy_dir, "lang")
    return sorted(f"spacy.lang.{d}" for d in os.listdir(lang_dir)
                  if os.path.isdir(os.path.join(lang_dir, d)) and not d.startswith("__")
                  and d not in kept_languages())


def data_excludes() -> list[str]:
    return ["**/tests/**", "**/__pycache__/**"] + [f"**/*{s}" for s in SOURCE_SUFFIXES]
