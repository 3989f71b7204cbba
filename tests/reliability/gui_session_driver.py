"""A labelling session in the real main window, driven through the UI, for the SIGKILL test.

    python gui_session_driver.py DB SETTINGS_INI

Opens the real MainWindow (offscreen; the annotator's name from ANNOTATOR_NAME) on DB, then from
a QTimer performs one label action per tick through the same path a user takes, alternating:

* select an unlabelled word in the article view and press a label key (1-6, QTest.keyClick);
* Tab to the next suggestion and Enter to accept it (Enter then selects the next one).

After each action has returned (its transaction committed) it checks that exactly one action was
logged and prints, flushed, `committed N KIND SPAN_ID START END LABEL`. It never stops on its own
while there is work left; the test kills it. Out of work, it prints `done` and idles.
"""

from __future__ import annotations

import os
import re
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LABEL_KEYS = "123456"  # PERSON ORG GPE LOC NORP DATE


def main(argv: list[str]) -> int:
    db, ini = argv[1], argv[2]
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.app import make_app
    from annotator.ui.main_window import MainWindow

    app = make_app([argv[0]])
    settings = QSettings(ini, QSettings.Format.IniFormat)
    window = MainWindow(db, settings=settings)
    window.show()
    window.activateWindow()
    view = window.view
    session = window.session
    if session.doc is None:
        print("error: no document opened", flush=True)
        return 2
    words = iter([(m.start(), m.end()) for m in re.finditer(r"\w+", session.doc.text)])
    state = {"n": 0, "accept_next": False}

    def free_word() -> tuple[int, int] | None:
        for start, end in words:
            if not any(s.start < end and s.end > start for s in session.spans.values()):
                return start, end
        return None

    def last_action_id() -> int:
        latest = session.store.actions(1)
        return latest[0].id if latest else 0

    def step() -> None:
        if QApplication.activeWindow() is not window or not view.hasFocus():
            window.activateWindow()
            view.setFocus()
            QTimer.singleShot(10, step)  # the window is not ready for keys yet
            return
        before = last_action_id()
        decided = None  # the span the action labelled (Enter moves the selection on)
        if state["accept_next"] and any(s.status == "suggested" for s in session.spans.values()):
            QTest.keyClick(view, Qt.Key.Key_Tab)
            decided = session.selected
            QTest.keyClick(view, Qt.Key.Key_Return)
        else:
            word = free_word()
            if word is None:
                print("done", flush=True)
                return
            view.select_text(*word)
            key = LABEL_KEYS[state["n"] % len(LABEL_KEYS)]
            QTest.keyClick(view, Qt.Key(ord(key)))
        state["accept_next"] = not state["accept_next"]
        after = session.store.actions(1)
        if not after or after[0].id != before + 1:
            print(f"error: action did not log exactly one row ({before} -> "
                  f"{after[0].id if after else None})", flush=True)
            app.exit(3)
            return
        action = after[0]
        span = session.spans.get(decided) if decided is not None else session.selected_span()
        if span is None or span.status != "accepted":
            print(f"error: {action.kind} left no accepted span selected", flush=True)
            app.exit(3)
            return
        state["n"] += 1
        print(f"committed {state['n']} {action.kind} {span.id} {span.start} {span.end} "
              f"{span.label}", flush=True)
        QTimer.singleShot(0, step)

    view.setFocus()
    QTimer.singleShot(0, step)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
