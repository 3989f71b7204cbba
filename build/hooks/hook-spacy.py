# Overrides the contributed hook: spaCy's submodules and data minus tests, Cython sources and
# languages not bundled (see _spacy_slim.py).
from _spacy_slim import data_excludes, keep_module, kept_languages
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

_langs = kept_languages()
_excl = data_excludes()
datas = [(src, dst) for src, dst in collect_data_files("spacy", excludes=_excl)
         if not (dst.replace("\\", "/").startswith("spacy/lang/")
                 and dst.replace("\\", "/").split("/")[2] not in _langs)]
hiddenimports = collect_submodules("spacy", filter=keep_module)
