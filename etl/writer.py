"""Get received files loaded: by this process when it can open the warehouse, else by its holder.

``stdeval ingest`` calls :func:`run_or_wait` after queuing its files in the
inbox (:mod:`etl.inbox`). If the warehouse can be opened read-write, the
command loads its own entries (and any orphaned by a process that died,
as long as they were sent to this same warehouse); if another process holds it (the dashboard and its
:class:`~etl.inbox.InboxWorker`), the command waits for the result files.
Either way no lock error reaches the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from etl.inbox import InboxEntry, is_lock_error, process_inbox, sidecar_path, take_result
from etl.result import IngestResult, Progress


def open_writer(db: Path) -> duckdb.DuckDBPyConnection | None:
    """Open the warehouse read-write, or return ``None`` while another process holds it."""
    from etl.warehouse import connect

    try:
        return connect(db)
    except duckdb.IOException as exc:
        if is_lock_error(exc):
            return None
        raise


def _collect(
    entries: list[InboxEntry], done: dict[str, IngestResult], landing: Path | None
) -> dict[str, IngestResult]:
    for entry in entries:
        if entry.request_id not in done:
            result = take_result(entry, landing=landing)
            if result is not None:
                done[entry.request_id] = result
    return done


def run_or_wait(
    db: Path,
    entries: list[InboxEntry],
    *,
    landing: Path | None = None,
    timeout: float = 600.0,
    poll: float = 0.5,
    progress_for: Callable[[InboxEntry], Progress | None] | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> dict[str, IngestResult]:
    """Get every entry loaded: by this process when it can open the warehouse, else by its holder.

    Returns request_id -> result for the entries finished within
    ``timeout`` seconds; entries still waiting stay in the inbox (the
    holder of the warehouse will load them) and are absent from the dict.
    Only entries sent to ``db`` (or to no warehouse in particular) are
    loaded here; ``entries`` sent to another warehouse are refused.

    Raises
    ------
    ValueError
        An entry of ``entries`` was sent to another warehouse than ``db``.
    """
    foreign = [e.file_name for e in entries if not e.belongs_to(db)]
    if foreign:
        msg = f"inbox entries {foreign} were sent to another warehouse than {db}"
        raise ValueError(msg)
    done: dict[str, IngestResult] = {}
    start = time.monotonic()
    while True:
        for entry in entries:
            if entry.request_id not in done:
                result = take_result(entry, landing=landing)
                if result is not None:
                    done[entry.request_id] = result
        waiting = [e for e in entries if e.request_id not in done]
        if not waiting:
            return done
        if time.monotonic() - start >= timeout:
            return done
        con = open_writer(db)
        if con is not None:
            try:
                for entry in waiting:
                    if not sidecar_path(entry.entry_id, landing).exists():
                        continue
                    progress = progress_for(entry) if progress_for else None
                    process_inbox(
                        con,
                        landing=landing,
                        only=[entry.entry_id],
                        progress=progress,
                        warehouse=db,
                    )
                # Entries for this warehouse orphaned by a process that died are finished too.
                process_inbox(con, landing=landing, warehouse=db)
            finally:
                con.close()
            if time.monotonic() - start >= timeout:
                return _collect(entries, done, landing)
            continue
        elapsed = time.monotonic() - start
        if on_wait:
            on_wait(elapsed)
        time.sleep(poll)
