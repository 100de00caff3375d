"""Lock files: cheap, kernel-held locks that die with their process (``flock``).

Two locks order the inbox (:mod:`etl.inbox`): the *queue lock* makes
assigning a receipt sequence and writing the entry one step, and the
*writer lock* of a warehouse lets one process at a time drain its queue.
Waiting processes try the lock file, never the database file, so they cost
nothing to the writer; a process killed with ``kill -9`` loses its locks at
once (the kernel releases them), so no stale lock is ever left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path


class FileLock:
    """An exclusive (or shared) ``flock`` on ``path``, created if missing.

    Each instance opens its own file description, so two threads of one
    process exclude each other as two processes do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.lock"
    >>> first, second = FileLock(path), FileLock(path)
    >>> first.try_acquire(), second.try_acquire()
    (True, False)
    >>> first.release(); second.try_acquire()
    True
    """

    def __init__(self, path: Path, *, shared: bool = False) -> None:
        self.path = path
        self._mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this instance holds the lock."""
        return self._fd is not None

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)

    def try_acquire(self) -> bool:
        """Take the lock if it is free; return whether this instance holds it."""
        if self._fd is not None:
            return True
        fd = self._open()
        try:
            fcntl.flock(fd, self._mode | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def acquire(self) -> None:
        """Take the lock, waiting (in the kernel, without polling) until it is free."""
        if self._fd is not None:
            return
        fd = self._open()
        try:
            fcntl.flock(fd, self._mode)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Give the lock back (nothing happens when it is not held)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


@contextlib.contextmanager
def holding(path: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the lock on ``path`` (waiting for it) for the duration of the block."""
    lock = FileLock(path, shared=shared)
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def writer_lock_path(folder: Path, warehouse: str | Path | None) -> Path:
    """Return the lock file of the one process draining the queue of ``warehouse``.

    Examples
    --------
    >>> writer_lock_path(Path("/l/inbox"), "/w/a.duckdb").name.startswith(".writer-")
    True
    """
    key = str(Path(warehouse).resolve()) if warehouse else "-"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return folder / f".writer-{digest}.lock"
