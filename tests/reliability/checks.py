"""Shared checks of the reliability tests."""

import sqlite3


def integrity(path) -> str:
    """SQLite's own verdict on a database file ('ok' when sound)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def lock_count(path, pid: int | None = None) -> int:
    """How many POSIX locks process `pid` (default: this one) holds on the file at `path`, from
    /proc/locks (Linux). SQLite holds one on a WAL project for as long as a connection is open;
    0 means the process lost them and another program may think it is alone with the file."""
    import os

    st = os.stat(path)  # no descriptor: counting must not drop what it counts
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    pid = os.getpid() if pid is None else pid
    count = 0
    with open("/proc/locks") as fh:
        for line in fh:
            fields = line.split()
            if "->" in fields:  # a waiter, not a holder
                continue
            if fields[1] == "POSIX" and fields[4] == str(pid) and fields[5] == device:
                count += 1
    return count

