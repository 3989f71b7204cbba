"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a method returning
nothing and aborts the process after a few thousand calls; we pin <6.12 there. This keeps it so."""

from PySide6.QtCore import QObject


def test_twenty_thousand_void_calls_do_not_exhaust_none(qapp):
    import sys

    obj = QObject()
    before = sys.getrefcount(None)
    for _i in range(20_000):
        obj.setObjectName("n")  # returns None
    after = sys.getrefcount(None)
    # a leak of one reference per call would show as ~20,000 missing references
    assert before - after < 1_000
