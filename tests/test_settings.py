"""The settings table: values come back typed from a real ini file, defaults when missing or bad."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from annotator.settings import SETTINGS, Settings


def fresh(path) -> Settings:
    """A new QSettings on the file: what the next run of the app reads (strings, from ini)."""
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def test_an_ini_file_from_an_earlier_run_reads_back_typed(tmp_path):
    ini = tmp_path / "s.ini"
    ini.write_text("[view]\nsnap=false\nshow_rejected=true\n[backup]\nkeep=3\n"
                   "interval_minutes=0.5\n[recent]\nprojects=/only/one.db\n"
                   "[annotator]\nname=Ana K.\n", encoding="utf-8")
    s = fresh(ini)
    assert s.backend.value("view/snap") == "false"  # what QSettings gives: strings
    assert s.get("view/snap") is False and s.get("view/show_rejected") is True
    assert s.get("backup/keep") == 3 and s.get("backup/interval_minutes") == 0.5
    assert s.get("recent/projects") == ["/only/one.db"]
    assert s.get("annotator/name") == "Ana K."


def test_values_set_are_read_back(tmp_path):
    s = fresh(tmp_path / "s.ini")
    s.set("view/snap", False)
    s.set("recent/projects", ["/a.db", "/b.db"])
    s.set("database/busy_timeout_seconds", 0.2)
    assert s.get("view/snap") is False and s.get("recent/projects") == ["/a.db", "/b.db"]
    assert s.get("database/busy_timeout_seconds") == 0.2


def test_missing_or_unreadable_values_give_the_default(tmp_path):
    ini = tmp_path / "s.ini"
    s = fresh(ini)
    assert {key: s.get(key) for key in SETTINGS} == {k: v.default for k, v in SETTINGS.items()}
    s.backend.setValue("backup/keep", "lots")
    s.backend.setValue("database/busy_timeout_seconds", "-3")
    s.backend.setValue("backup/interval_minutes", "")
    s.sync()
    again = fresh(ini)
    assert again.get("backup/keep") == SETTINGS["backup/keep"].default
    assert again.get("database/busy_timeout_seconds") == 0.0  # raised to the minimum
    assert again.get("backup/interval_minutes") == SETTINGS["backup/interval_minutes"].default


def test_an_undeclared_key_is_an_error(tmp_path):
    s = fresh(tmp_path / "s.ini")
    with pytest.raises(KeyError):
        s.get("view/nonsense")
    with pytest.raises(KeyError):
        s.set("view/nonsense", 1)
