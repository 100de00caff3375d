"""Apply the inbox in receipt order: the one writer of a warehouse drains its queue, head first.

Whoever holds a warehouse read-write (a command that could open it, or the
dashboard's :class:`InboxWorker`) calls :func:`process_inbox`: the entries
sent to that warehouse are applied strictly in receipt order
(:mod:`etl.inbox`), each by its kind (:mod:`etl.jobs`). A later entry never
runs before an earlier one, so a file is never overwritten by one received
before it.

Crash safety. Each try of an entry first counts itself in the entry's own
sidecar (``attempts``, written atomically, so it survives ``kill -9``).
The load of a file is one transaction: a process killed mid-file leaves it
uncommitted (rolled back when the warehouse is next opened) and the entry
at the head of the queue, so the next writer re-runs it before anything
received later. A process killed after the commit but before the result
was written is recognised by the ingest-log row of that very receipt
(``receipt_seq``): the entry is just finalised, never loaded twice.

Quarantine, the one exception to strict order, and it is recorded: an
entry whose tries failed or died twice (:func:`should_quarantine`:
``attempts >= 3`` before its third try) is not tried again; it is answered
as ``refused`` with rule ``quarantined`` (an ingest-log row for a file, its
bytes kept in the landing folder) and the queue moves on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from etl.file_lock import FileLock, writer_lock_path
from etl.inbox import (
    INGEST,
    InboxEntry,
    entry_bytes,
    inbox_dir,
    is_lock_error,
    pending,
    read_entry,
    remove_entry,
    save_entry,
    sidecar_path,
    warehouse_of,
)
from etl.ingest_log import refuse, result_of_receipt
from etl.jobs import JobKind, get_kind, refused_job, register_kind, unknown_kind
from etl.outbox import sweep_results, write_progress, write_result
from etl.refusal import FileRefused
from etl.result import IngestResult, Progress
from etl.uploads import ingest_bytes

log = logging.getLogger(__name__)

#: Tries counted before a try (this one included) from which an entry is quarantined.
QUARANTINE_AFTER_ATTEMPTS = 3
#: Seconds between two progress files of one entry (waiters in other processes read them).
PROGRESS_EVERY = 0.25


def should_quarantine(entry: InboxEntry) -> bool:
    """True when ``entry`` failed or died twice: its third try is counted, so it is not run.

    This is the one place that decides quarantine (the size limits that
    refuse bombs outright are checked when a file is read).

    Examples
    --------
    >>> e = InboxEntry("ab", "feedback", "f.csv", ".csv", "r1", "2026-01-01T00:00:00")
    >>> e.attempts = 2; should_quarantine(e)
    False
    >>> e.attempts = 3; should_quarantine(e)
    True
    """
    return entry.attempts >= QUARANTINE_AFTER_ATTEMPTS


def quarantine_refusal(entry: InboxEntry) -> FileRefused:
    """Why a quarantined entry was not applied (bilingual, with the last error if known)."""
    last = str(entry.extra.get("last_error") or "")
    short = entry.sha256[:12] if entry.sha256 else entry.entry_id
    return FileRefused(
        f"该{'文件' if entry.kind == INGEST else '任务'}两次处理失败或被中断，已隔离，未导入任何数据"
        f"（sha256 {short}…{'；最近的错误：' + last if last else ''}）；文件已保存，请联系管理员",
        f"this {'file' if entry.kind == INGEST else 'job'} failed or was interrupted twice and "
        f"is quarantined; nothing was applied (sha256 {short}…"
        f"{'; last error: ' + last if last else ''}); the bytes are kept: contact the administrator",
        rule="quarantined",
    )


def _refuse_file(
    con: duckdb.DuckDBPyConnection, entry: InboxEntry, refusal: FileRefused
) -> dict[str, Any]:
    return refuse(
        con,
        source=entry.source,
        file_name=entry.file_name,
        sha256=entry.sha256,
        refusal=refusal,
        uploader=entry.uploader,
        received_at=entry.received,
        dry_run=entry.dry_run,
        receipt_seq=entry.seq or None,
    ).to_json()


def _run_file(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    landing: Path | None,
) -> dict[str, Any]:
    data = entry_bytes(entry, landing)
    if data is None:
        lost = FileRefused(
            "服务器上找不到已接收的文件内容；请重新上传",
            "the received bytes are missing on the server; upload the file again",
            rule="lost",
        )
        return _refuse_file(con, entry, lost)
    result = ingest_bytes(
        con,
        entry.source,
        data,
        file_name=entry.file_name,
        sha256=entry.sha256,
        sheet=entry.sheet,
        header_row=entry.header_row,
        uploader=entry.uploader,
        dry_run=entry.dry_run,
        strict=entry.strict,
        received_at=entry.received,
        allowed_site_ids=entry.allowed_site_ids,
        receipt_seq=entry.seq or None,
        progress=progress,
    )
    return result.to_json()


def _finalised_file(con: duckdb.DuckDBPyConnection, entry: InboxEntry) -> dict[str, Any] | None:
    if entry.dry_run:
        return None
    result = result_of_receipt(
        con,
        entry.sha256,
        received_at=entry.received,
        receipt_seq=entry.seq or None,
    )
    return result.to_json() if result is not None else None


INGEST_KIND = JobKind(
    INGEST,
    run=_run_file,
    refuse=_refuse_file,
    decode=IngestResult.from_json,
    finalised=_finalised_file,
)
register_kind(INGEST_KIND)


def _reporting(entry: InboxEntry, landing: Path | None, local: Progress | None) -> Progress:
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        if local:
            local(stage, done, total)
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = now
            write_progress(entry.request_id, stage, done, total, landing)

    return report


def process_entry(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    *,
    landing: Path | None = None,
    progress: Progress | None = None,
) -> Any:
    """Apply one entry (or finish it if its work already committed); leave its result.

    Counts the try in the entry's sidecar first; a quarantined entry is
    answered without running. The entry leaves the inbox only after its
    result file is written, so a crash at any point leaves either a
    finished result or a pending entry. Returns the decoded result (an
    :class:`~etl.result.IngestResult` for a file).
    """
    kind = get_kind(entry.kind)
    if kind is None:
        payload = refused_job(con, entry, unknown_kind(entry.kind))
        _finish(entry, entry.kind, payload, landing)
        return payload
    entry.attempts += 1
    save_entry(entry, landing)
    payload = kind.finalised(con, entry) if kind.finalised else None
    if payload is None and should_quarantine(entry):
        log.warning(
            "inbox entry %s quarantined after %d attempts", entry.entry_id, entry.attempts - 1
        )
        payload = kind.refuse(con, entry, quarantine_refusal(entry))
    elif payload is None:
        payload = kind.run(con, entry, _reporting(entry, landing, progress), landing)
    _finish(entry, kind.name, payload, landing)
    return kind.decode(payload)


def _finish(entry: InboxEntry, kind: str, payload: dict[str, Any], landing: Path | None) -> None:
    write_result(entry.request_id, kind, payload, landing)
    remove_entry(entry, landing)


def _retryable(exc: BaseException) -> bool:
    """A conflict with another writer of this process: stop and retry later, not a failure."""
    return is_lock_error(exc) or "conflict" in str(exc).lower()


def _current(entry: InboxEntry, landing: Path | None) -> InboxEntry | None:
    try:
        return read_entry(sidecar_path(entry.entry_id, landing))
    except FileNotFoundError:
        return None  # finished meanwhile by another cursor of this process


def _apply_head(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    landing: Path | None,
    progress_for: Callable[[InboxEntry], Progress | None] | None,
) -> tuple[bool, Any]:
    """Apply ``entry``, retrying it until done or quarantined; ``(False, None)``: stop draining."""
    while True:
        current = _current(entry, landing)
        if current is None:
            return True, None
        progress = progress_for(current) if progress_for else None
        try:
            return True, process_entry(con, current, landing=landing, progress=progress)
        except duckdb.Error as exc:
            if _retryable(exc):
                log.warning("inbox entry %s left for a retry: %s", current.entry_id, exc)
                current.attempts -= 1  # not the file's fault
                save_entry(current, landing)
                return False, None
            failure: BaseException = exc
        except Exception as exc:  # noqa: BLE001 - recorded, retried once, then quarantined
            failure = exc
        log.error("inbox entry %s failed: %s", current.entry_id, failure, exc_info=failure)
        current.extra["last_error"] = f"{type(failure).__name__}: {failure}"[:300]
        save_entry(current, landing)


def process_inbox(
    con: duckdb.DuckDBPyConnection,
    *,
    landing: Path | None = None,
    progress_for: Callable[[InboxEntry], Progress | None] | None = None,
    warehouse: str | Path | None = None,
    until: Callable[[], bool] | None = None,
) -> list[Any]:
    """Apply every entry waiting for this warehouse, strictly in receipt order; return the results.

    Only entries sent to ``warehouse`` (the file behind ``con``; found from
    ``con`` when not given) or to no warehouse in particular are applied;
    the others wait for their own writer. Entries queued while draining are
    applied too, until the queue is empty or ``until()`` says to stop
    (checked between entries). An entry that raises is tried again at once
    (the queue does not move past it) until :func:`should_quarantine`.
    Idempotent: an entry whose load is already in the ingest log is only
    finalised.
    """
    mine = Path(warehouse) if warehouse else warehouse_of(con)
    results: list[Any] = []
    while True:
        batch = [e for e in pending(landing) if e.belongs_to(mine)]
        if not batch:
            break
        for entry in batch:
            go_on, result = _apply_head(con, entry, landing, progress_for)
            if not go_on:
                return results
            if result is not None:
                results.append(result)
            if until is not None and until():
                return results
    sweep_results(landing)
    return results


class InboxWorker(threading.Thread):
    """A daemon thread draining the inbox inside the process that holds the warehouse (the dashboard).

    It takes the warehouse's writer lock (:mod:`etl.file_lock`) and keeps
    it while it runs, so that commands queue their files and wait on the
    result files instead of trying the database; every ``interval``
    seconds it lists the inbox (a directory listing, nothing more) and
    drains what is waiting for ``warehouse`` with its own cursor, then
    calls ``on_loaded(results)`` (e.g. to bump the dashboard's data version).

    Examples
    --------
    >>> import duckdb, tempfile, pathlib
    >>> worker = InboxWorker(duckdb.connect(), landing=pathlib.Path(tempfile.mkdtemp()))
    >>> worker.start(); worker.stop()
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        landing: Path | None = None,
        interval: float = 0.2,
        on_loaded: Callable[[list[Any]], None] | None = None,
        warehouse: str | Path | None = None,
    ) -> None:
        super().__init__(name="stdeval-inbox", daemon=True)
        self._con = con
        self._landing = landing
        self._warehouse = Path(warehouse) if warehouse else None
        self._interval = interval
        self._on_loaded = on_loaded
        self._stop_event = threading.Event()
        self.processed = 0

    def run(self) -> None:
        """Drain the inbox until :meth:`stop`."""
        cursor = self._con.cursor()
        mine = self._warehouse or warehouse_of(cursor)
        lock = FileLock(writer_lock_path(inbox_dir(self._landing), mine))
        try:
            while not self._stop_event.is_set():
                try:
                    if lock.try_acquire() and any(
                        e.belongs_to(mine) for e in pending(self._landing)
                    ):
                        results = process_inbox(cursor, landing=self._landing, warehouse=mine)
                        self.processed += len(results)
                        if results and self._on_loaded:
                            self._on_loaded(results)
                except Exception:  # keep going; the entry stays for the next round
                    log.exception("inbox worker round failed")
                self._stop_event.wait(self._interval)
        finally:
            lock.release()
            try:
                cursor.close()
            except duckdb.Error:
                log.debug("cursor already closed")

    def stop(self, timeout: float | None = 10.0) -> None:
        """Ask the thread to stop and wait for it (the current file finishes first)."""
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)
