# Overrides PyInstaller's hook of the same name: same collection, minus unused plugins/translations.
from _qt_slim import slim_qt6_dependencies

hiddenimports, binaries, datas = slim_qt6_dependencies(__file__)
