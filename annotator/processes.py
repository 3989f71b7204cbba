"""Is a process still running? Used to tell a dead writer's leftovers from a live one's work."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True when process `pid` exists (or when that cannot be told: never remove a live run's
    files on a guess)."""
    if pid <= 0:
        return False
    if os.name != "posix":  # os.kill would terminate the process there, not probe it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True
