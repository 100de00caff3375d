"""Get queued entries applied: by this process when it becomes the writer, else by whoever is.

After queuing its files or job (:mod:`etl.inbox`), a caller
(:mod:`etl.receive`) calls :func:`run_or_wait`. Waiting costs the writer
nothing: the caller reads its small result and progress files
(:mod:`etl.outbox`) and tries the warehouse's writer lock file
(:mod:`etl.file_lock`), never the database file. The process that gets
the writer lock opens the warehouse once and drains the whole queue in
receipt order (:mod:`etl.drain`), its own entries and everybody else's, so
twelve callers at once cost one opening and one ordered pass; if another
process holds the warehouse without the lock (a dashboard just starting),
the writer lock is given back and the caller waits. No lock error reaches
the user either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from etl.drain import process_inbox
from etl.file_lock import FileLock, writer_lock_path
from etl.inbox import InboxEntry, inbox_dir, is_lock_error
from etl.jobs import get_kind
from etl.outbox import read_progress, read_result
from etl.result import Progress

#: Seconds between two looks at the result files while another process writes.
POLL_SECONDS = 0.05
#: Seconds between two tries to open a warehouse held without the writer lock.
BUSY_RETRY_SECONDS = 0.5


def open_writer(db: Path) -> duckdb.DuckDBPyConnection | None:
    """Open the warehouse read-write, or return ``None`` while another process holds it."""
    from etl.warehouse import connect

    try:
        return connect(db)
    except duckdb.IOException as exc:
        if is_lock_error(exc):
            return None
        raise


def _decode(entry: InboxEntry, payload: dict[str, Any]) -> Any:
    kind = get_kind(entry.kind)
    return kind.decode(payload) if kind is not None else payload


def take_result(entry: InboxEntry, *, landing: Path | None = None) -> Any:
    """Return the result of ``entry`` once a writer has produced it (``None`` until then).

    Decoded by the entry's kind: an :class:`~etl.result.IngestResult` for a file.
    """
    payload = read_result(entry.request_id, landing)
    return None if payload is None else _decode(entry, payload)


def _collect(
    entries: list[InboxEntry], done: dict[str, Any], landing: Path | None
) -> dict[str, Any]:
    for entry in entries:
        if entry.request_id not in done:
            payload = read_result(entry.request_id, landing)
            if payload is not None:
                done[entry.request_id] = _decode(entry, payload)
    return done


def _relay_progress(
    entries: list[InboxEntry],
    done: dict[str, Any],
    landing: Path | None,
    progress_for: Callable[[InboxEntry], Progress | None] | None,
) -> None:
    """Show the progress another process records for our entries."""
    if progress_for is None:
        return
    for entry in entries:
        if entry.request_id in done:
            continue
        seen = read_progress(entry.request_id, landing)
        report = progress_for(entry) if seen else None
        if report is not None and seen is not None:
            report(*seen)


def _drain_as_writer(
    db: Path,
    entries: list[InboxEntry],
    done: dict[str, Any],
    landing: Path | None,
    progress_for: Callable[[InboxEntry], Progress | None] | None,
) -> str:
    """Drain the queue if this process can be the writer.

    Returns ``drained``, ``busy`` (got the writer lock, but another process
    holds the database) or ``waiting`` (another process is the writer).
    """
    lock = FileLock(writer_lock_path(inbox_dir(landing), db))
    if not lock.try_acquire():
        return "waiting"
    try:
        con = open_writer(db)
        if con is None:
            return "busy"
        mine = {e.request_id: e for e in entries}

        def local(entry: InboxEntry) -> Progress | None:
            if progress_for is None or entry.request_id not in mine:
                return None
            return progress_for(mine[entry.request_id])

        started = time.monotonic()

        def enough() -> bool:
            # Keep draining for the others while they keep coming, within reason.
            return bool(
                time.monotonic() - started > 30.0
                and not _collect(entries, done, landing).keys() ^ mine.keys()
            )

        try:
            process_inbox(con, landing=landing, progress_for=local, warehouse=db, until=enough)
        finally:
            con.close()
        return "drained"
    finally:
        lock.release()


def run_or_wait(
    db: Path,
    entries: list[InboxEntry],
    *,
    landing: Path | None = None,
    timeout: float = 600.0,
    poll: float = POLL_SECONDS,
    progress_for: Callable[[InboxEntry], Progress | None] | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Get every entry applied, in receipt order, by this process or the warehouse's writer.

    Returns request_id -> decoded result (:class:`~etl.result.IngestResult`
    for a file, the job's dict for a job) for the entries finished within
    ``timeout`` seconds; entries still waiting stay in the inbox (the
    holder of the warehouse will apply them) and are absent from the dict.
    A process that becomes the writer finishes the queue up to its own
    entries whatever the timeout (it shows their progress meanwhile).

    Raises
    ------
    ValueError
        An entry of ``entries`` was sent to another warehouse than ``db``.
    """
    foreign = [e.file_name for e in entries if not e.belongs_to(db)]
    if foreign:
        msg = f"inbox entries {foreign} were sent to another warehouse than {db}"
        raise ValueError(msg)
    done: dict[str, Any] = {}
    start = time.monotonic()
    next_open = start
    while True:
        _collect(entries, done, landing)
        if len(done) == len({e.request_id for e in entries}):
            return done
        now = time.monotonic()
        if now - start >= timeout:
            return done
        if now >= next_open:
            state = _drain_as_writer(db, entries, done, landing, progress_for)
            if state == "drained":
                continue
            if state == "busy":
                next_open = now + BUSY_RETRY_SECONDS
        _relay_progress(entries, done, landing, progress_for)
        if on_wait:
            on_wait(time.monotonic() - start)
        time.sleep(poll)
