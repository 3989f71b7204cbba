# Overrides the contributed hook: thinc's submodules and data minus tests and Cython sources.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules
from _spacy_slim import data_excludes, keep_module

datas = collect_data_files("thinc", excludes=data_excludes())
hiddenimports = collect_submodules("thinc", filter=keep_module)
