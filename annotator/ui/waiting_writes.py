"""Window writes that found the project locked by a long writer (an import, a merge, the
pre-annotation's suggestions, another program): kept in the user's order and retried until the
lock is free, so a key press is never refused because someone else is saving.

Why not a long busy timeout: the UI thread would freeze for as long as the import holds the lock.
Each try waits only a moment (Session.WRITE_WAIT_SECONDS); between tries the window stays live.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

RETRY_MS = 200


class WaitingWrites(QObject):
    notice = Signal(str)  # what waits, then that it was saved

    def __init__(self, attempt: Callable[..., bool], parent: QObject | None = None):
        """`attempt(fn, args, then, wait)` tries one write once, waiting at most `wait` seconds for
        the lock (None: the Store's whole busy timeout); False if the project is
        still locked (anything else, saved or refused, takes the write off the queue)."""
        super().__init__(parent)
        self.attempt = attempt
        self.items: deque[tuple[Callable, tuple, Callable, str]] = deque()
        self.saved = 0
        self.timer = QTimer(self)
        self.timer.setObjectName("waitingWritesTimer")
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(lambda: self.retry())

    def __len__(self) -> int:
        return len(self.items)

    def add(self, fn: Callable, args: tuple, then: Callable, what: str) -> None:
        self.items.append((fn, args, then, what))
        self.timer.start()
        self.notice.emit(f"Waiting to save (another program or task is writing the project): "
                         f"{what}" + (f" and {len(self.items) - 1} more" if len(self.items) > 1
                                      else ""))

    def retry(self, wait: float | None = 0.0) -> None:
        """Save what waits, in order, until the lock is still held. A tick does not wait for the
        lock (it runs on the UI thread, every RETRY_MS while an import holds the file); closing
        the project passes None: the whole busy timeout for each, the last chance."""
        while self.items:
            fn, args, then, _what = self.items[0]
            if not self.attempt(fn, args, then, wait):
                return  # still locked: try again on the next tick
            self.items.popleft()
            self.saved += 1
        self.timer.stop()
        self.notice.emit(f"Saved {self.saved} change(s) that waited for the project.")
        self.saved = 0

    def drop(self) -> list[str]:
        """Forget every waiting write (the project is closing); what they were."""
        self.timer.stop()
        dropped = [what for _fn, _args, _then, what in self.items]
        self.items.clear()
        self.saved = 0
        return dropped
