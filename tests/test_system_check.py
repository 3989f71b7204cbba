"""The start-up check for the system libraries Qt's xcb plugin needs (issue: a bare desktop)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from annotator import system_check as sc


def test_names_every_missing_library_with_install_commands():
    gone = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"}
    missing = sc.missing_libraries(loadable=lambda soname: soname not in gone,
                                   plugin_dir=sc.Path("/nonexistent"))
    assert [m.soname for m in missing] == sorted(gone)
    advice = sc.install_advice(missing)
    for soname in gone:
        assert soname in advice
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in advice
    assert "sudo dnf install xcb-util-cursor xcb-util-keysyms xcb-util-wm" in advice


def test_nothing_missing_means_no_message():
    assert sc.missing_libraries(loadable=lambda s: True, plugin_dir=sc.Path("/nonexistent")) == []


@pytest.mark.parametrize("env, expected", [
    ({}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, False),
])
def test_only_checked_when_qt_will_use_xcb(env, expected):
    assert sc.uses_xcb(env, platform="linux") is expected
    assert sc.uses_xcb(env, platform="win32") is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_agrees_with_the_dynamic_linker_on_this_machine():
    """Whatever ldd says the installed xcb plugin cannot find, the check reports too."""
    plugin_dir = sc.qt_plugin_dir()
    assert plugin_dir is not None and (plugin_dir / "platforms" / "libqxcb.so").exists()
    not_found = set(sc._ldd_not_found(plugin_dir / "platforms" / "libqxcb.so"))
    reported = {m.soname for m in sc.missing_libraries()}
    assert not_found <= reported


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_gui_start_prints_the_advice_instead_of_aborting(tmp_path):
    """With a library missing, `annotator` exits with the list, not Qt's abort."""
    if not sc.missing_libraries():
        pytest.skip("every xcb library is installed here")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":987"
    out = subprocess.run([sys.executable, "-m", "annotator", "--db", str(tmp_path / "p.db")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 3
    assert "sudo apt-get install" in out.stderr and "sudo dnf install" in out.stderr
    assert not (tmp_path / "p.db").exists()  # nothing was created
