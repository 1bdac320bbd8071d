"""One writer at a time: a lock file naming the PID that holds it.

The lock is an ``flock`` on ``<index>/zeitung.lock``; the kernel releases it when the holding
process dies, so a lock left by a killed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from search.errors import IndexLocked

LOCK_NAME = "zeitung.lock"

#: Lock descriptors this process holds; a forked worker must close its copies, or the lock
#: would outlive this process when it is killed.
_held_fds: set[int] = set()


def close_inherited_locks() -> None:
    """In a forked child: drop the copies of the parent's lock descriptors (without unlocking)."""
    for fd in list(_held_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _held_fds.clear()


class WriteLock:
    """Context manager: hold the index's write lock or raise :class:`IndexLocked` at once."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise IndexLocked(
                f"index {self.path.parent} is locked by PID {holder} (another zeitung is writing)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        _held_fds.add(fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            _held_fds.discard(self._fd)
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
