# Overrides the contributed hook: thinc's submodules and data minus tests and Cython sources.
from _spacy_slim import data_excludes, keep_module
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("thinc", excludes=data_excludes())
hiddenimports = collect_submodules("thinc", filter=keep_module)
