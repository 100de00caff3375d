"""The landing folder as a durable inbox, so uploads work while the dashboard holds the warehouse.

DuckDB lets one process open the warehouse for writing. ``stdeval ingest``
therefore never writes the warehouse behind anyone's back:

1. it keeps the bytes in the landing folder (:func:`etl.landing.land`) and
   drops an entry in ``landing/inbox/``: ``<sha256><ext>`` and, written last
   and atomically, the sidecar ``<sha256>.json`` (source, file name,
   options, the warehouse it was sent to, uploader, when it was received).
   The same bytes sent again with the same options for the same warehouse
   while still waiting join that entry; with other options (say
   ``--dry-run`` first) or for another warehouse they get their own sidecar
   ``<sha256>-<n>.json``;
2. whoever holds the entry's warehouse read-write processes it: the command
   itself when it can open the warehouse, else the :class:`InboxWorker`
   thread inside the dashboard. The inbox is shared by every warehouse
   using the same data folder, so a writer skips entries sent to another
   warehouse (they wait for their own writer); an entry without a
   warehouse (written by an older stdeval) is processed by any writer;
3. the result goes to ``landing/results/<request id>.json`` and the entry
   leaves the inbox; the waiting command prints it.

Crash safety: the load of an entry is one transaction. A process killed
mid-file leaves the transaction uncommitted (rolled back when the
warehouse is next opened) and the entry in the inbox, so the next writer
re-runs it. A process killed after the commit but before the result was
written is recognised by the ingest-log row of that very receipt (sha256 and
``received_at``): the entry is just finalised, never loaded twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from datasets.messages import Message
from etl.ingest_log import refuse
from etl.landing import Landed, land, landed_path, safe_suffix, write_atomic
from etl.queries import query
from etl.refusal import FileRefused
from etl.result import IngestResult, Progress
from etl.settings import landing_dir
from etl.uploads import ingest_bytes

log = logging.getLogger(__name__)

INBOX = "inbox"
RESULTS = "results"
#: Results nobody collected (their command was interrupted) are removed after a day.
RESULT_TTL_SECONDS = 24 * 3600


@dataclass
class InboxEntry:
    """One received file waiting to be loaded (the sidecar's content)."""

    sha256: str
    source: str
    file_name: str
    suffix: str
    request_id: str
    received_at: str  # ISO timestamp, also written to ingest_log.received_at
    uploader: str = "cli"
    sheet: str | None = None
    header_row: int | None = None
    dry_run: bool = False
    strict: bool = False
    lang: str = "zh"
    extra: dict[str, Any] = field(default_factory=dict)
    entry_id: str = ""
    #: Resolved absolute path of the warehouse the file was sent to ("" = any, older entries).
    warehouse: str = ""

    def __post_init__(self) -> None:
        if not self.entry_id:
            self.entry_id = self.sha256

    def options(self) -> tuple[Any, ...]:
        """What decides the outcome besides the bytes (entries join only when equal)."""
        return (
            self.source,
            self.sheet,
            self.header_row,
            self.dry_run,
            self.strict,
            self.warehouse,
        )

    def belongs_to(self, warehouse: str | Path | None) -> bool:
        """True when a writer holding ``warehouse`` may process this entry.

        An entry without a warehouse (written by an older stdeval) belongs
        to any writer; ``None`` (a writer whose file is unknown, e.g. an
        in-memory database) may process only such entries.
        """
        if not self.warehouse:
            return True
        if warehouse is None:
            return False
        return _same_file(Path(self.warehouse), Path(warehouse))

    @property
    def received(self) -> datetime:
        """``received_at`` as a datetime."""
        return datetime.fromisoformat(self.received_at)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def warehouse_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """Return the database file behind ``con`` (``None`` for an in-memory database)."""
    with contextlib.suppress(duckdb.Error):
        rows = con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchall()
        if rows and rows[0][0]:
            return Path(rows[0][0])
    return None


def inbox_dir(landing: Path | None = None) -> Path:
    """Return the inbox folder below the landing folder."""
    return (landing or landing_dir()) / INBOX


def results_dir(landing: Path | None = None) -> Path:
    """Return the folder where writers leave the result of each processed entry."""
    return (landing or landing_dir()) / RESULTS


def sidecar_path(entry_id: str, landing: Path | None = None) -> Path:
    """Return where the sidecar (the entry itself) of ``entry_id`` waits."""
    return inbox_dir(landing) / f"{entry_id}.json"


def _result_path(request_id: str, landing: Path | None) -> Path:
    # Named by the request, not the entry: the same bytes sent again later
    # (another warehouse, other options) reuse an entry id, never a request id.
    return results_dir(landing) / f"{request_id}.json"


def submit(
    data: bytes,
    *,
    source: str,
    file_name: str,
    landing: Path | None = None,
    uploader: str = "cli",
    sheet: str | None = None,
    header_row: int | None = None,
    dry_run: bool = False,
    strict: bool = False,
    lang: str = "zh",
    warehouse: str | Path | None = None,
) -> InboxEntry:
    """Keep ``data`` in the landing folder and queue it in the inbox; return the entry.

    ``warehouse`` is the file the data is meant for: only a writer holding
    that warehouse loads the entry (``None``: any writer). When the same
    bytes are already waiting in the inbox with the same options for the
    same warehouse, the pending entry is returned (joining it) rather than
    queuing them twice.
    """
    landed: Landed = land(data, file_name=file_name, landing=landing)
    suffix = safe_suffix(file_name)
    entry = InboxEntry(
        sha256=landed.sha256,
        source=source,
        file_name=file_name,
        suffix=suffix,
        request_id=uuid.uuid4().hex,
        received_at=datetime.now().isoformat(),
        uploader=uploader,
        sheet=sheet,
        header_row=header_row,
        dry_run=dry_run,
        strict=strict,
        lang=lang,
        warehouse=str(Path(warehouse).resolve()) if warehouse else "",
    )
    for n in range(1, 1000):
        sidecar = sidecar_path(entry.entry_id, landing)
        if not sidecar.exists():
            break
        with contextlib.suppress(OSError, ValueError, TypeError):
            waiting = _read_entry(sidecar)
            if waiting.options() == entry.options():
                return waiting
        entry.entry_id = f"{landed.sha256}-{n}"
    target = inbox_dir(landing) / f"{landed.sha256}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        try:
            os.link(landed.path, target)
        except OSError:
            write_atomic(target, data)
    write_atomic(sidecar, json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8"))
    return entry


def _read_entry(sidecar: Path) -> InboxEntry:
    data = json.loads(sidecar.read_text("utf-8"))
    known = set(InboxEntry.__dataclass_fields__)
    return InboxEntry(**{k: v for k, v in data.items() if k in known})


def pending(landing: Path | None = None) -> list[InboxEntry]:
    """Return the entries waiting in the inbox, oldest first."""
    folder = inbox_dir(landing)
    if not folder.exists():
        return []
    entries = []
    for sidecar in folder.glob("*.json"):
        try:
            entries.append(_read_entry(sidecar))
        except (OSError, ValueError, TypeError):
            log.warning("skipping unreadable inbox entry %s", sidecar)
    entries.sort(key=lambda e: (e.received_at, e.entry_id))
    return entries


def _entry_bytes(entry: InboxEntry, landing: Path | None) -> bytes | None:
    for path in (
        inbox_dir(landing) / f"{entry.sha256}{entry.suffix}",
        landed_path(entry.sha256, entry.file_name, landing=landing),
    ):
        with contextlib.suppress(OSError):
            return path.read_bytes()
    return None


def _finalised(con: duckdb.DuckDBPyConnection, entry: InboxEntry) -> IngestResult | None:
    """Rebuild the result of an entry whose transaction committed before a crash."""
    rows = con.execute(
        query("find_ingest_by_receipt"), {"sha256": entry.sha256, "received_at": entry.received}
    ).fetchall()
    if not rows:
        return None
    (
        ingest_id,
        source,
        file_name,
        status,
        read,
        accepted,
        rejected,
        replaced,
        warnings,
        summary,
    ) = rows[0]
    details = json.loads(summary) if summary else {}
    reason = (
        Message(details["reason_zh"], details["reason_en"])
        if isinstance(details, dict) and "reason_zh" in details
        else None
    )
    errors = (
        [
            {
                "row": r[0],
                "column": r[1],
                "value": r[2],
                "rule": r[3],
                "message_zh": r[4],
                "message_en": r[5],
            }
            # This ingest's errors only: the same bytes may have been received before.
            for r in con.execute(query("select_rejected_rows"), {"ingest_id": ingest_id}).fetchall()
        ]
        if rejected
        else []
    )
    return IngestResult(
        source,
        file_name,
        entry.sha256,
        status,
        rows_read=read,
        rows_accepted=accepted,
        rows_rejected=rejected,
        rows_replaced=replaced,
        warnings=warnings,
        errors=errors,
        reason=reason,
        ingest_id=ingest_id,
    )


def process_entry(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    *,
    landing: Path | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Load one inbox entry (or finish it if its load already committed); write its result.

    The entry leaves the inbox only after its result file is written, so a
    crash at any point leaves either a finished result or a pending entry.
    """
    result = None if entry.dry_run else _finalised(con, entry)
    if result is None:
        data = _entry_bytes(entry, landing)
        if data is None:
            lost = FileRefused(
                "服务器上找不到已接收的文件内容；请重新上传",
                "the received bytes are missing on the server; upload the file again",
                rule="lost",
            )
            result = refuse(
                con,
                source=entry.source,
                file_name=entry.file_name,
                sha256=entry.sha256,
                refusal=lost,
                uploader=entry.uploader,
                received_at=entry.received,
                dry_run=entry.dry_run,
            )
        else:
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
                progress=progress,
            )
    _finish(entry, result, landing)
    return result


def _finish(entry: InboxEntry, result: IngestResult, landing: Path | None) -> None:
    payload = {"request_id": entry.request_id, "result": result.to_json()}
    write_atomic(
        _result_path(entry.request_id, landing),
        json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
    )
    sidecar_path(entry.entry_id, landing).unlink(missing_ok=True)
    if not any(inbox_dir(landing).glob(f"{entry.sha256}*.json")):
        # The bytes stay while another entry (other options) still needs them.
        (inbox_dir(landing) / f"{entry.sha256}{entry.suffix}").unlink(missing_ok=True)


def _internal_error(entry: InboxEntry, exc: BaseException) -> IngestResult:
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    reason = Message(
        f"处理该文件时发生内部错误（{detail}）；文件已保存"
        f"（sha256 {entry.sha256[:12]}…），请联系管理员",
        f"internal error while processing the file ({detail}); "
        f"the file is kept (sha256 {entry.sha256[:12]}…); contact the administrator",
    )
    return IngestResult(entry.source, entry.file_name, entry.sha256, "refused", reason=reason)


def process_inbox(
    con: duckdb.DuckDBPyConnection,
    *,
    landing: Path | None = None,
    only: Iterable[str] | None = None,
    progress: Progress | None = None,
    warehouse: str | Path | None = None,
) -> list[IngestResult]:
    """Process every entry waiting in the inbox (or those whose entry id is in ``only``), oldest first.

    Only entries sent to ``warehouse`` (the file behind ``con``; found from
    ``con`` when not given) or to no warehouse in particular are processed;
    the others wait for their own writer.

    Idempotent: an entry whose load is already in the ingest log is only
    finalised. An entry that raises an unexpected error is answered with a
    ``refused`` result naming the error (its bytes stay in the landing
    folder) so that one bad file cannot block the inbox.
    """
    wanted = set(only) if only is not None else None
    mine = Path(warehouse) if warehouse else warehouse_of(con)
    results: list[IngestResult] = []
    for entry in pending(landing):
        if wanted is not None and entry.entry_id not in wanted:
            continue
        if not entry.belongs_to(mine):
            continue  # sent to another warehouse: its own writer loads it
        if not sidecar_path(entry.entry_id, landing).exists():
            continue  # finished meanwhile by another cursor of this process
        try:
            results.append(process_entry(con, entry, landing=landing, progress=progress))
        except duckdb.Error as exc:
            if is_lock_error(exc) or "transaction" in str(exc).lower():
                log.warning("inbox entry %s left for a retry: %s", entry.sha256, exc)
                continue
            log.exception("inbox entry %s failed", entry.sha256)
            result = _internal_error(entry, exc)
            _finish(entry, result, landing)
            results.append(result)
        except Exception as exc:  # one bad file must not block the inbox
            log.exception("inbox entry %s failed", entry.sha256)
            result = _internal_error(entry, exc)
            _finish(entry, result, landing)
            results.append(result)
    _sweep_results(landing)
    return results


def _sweep_results(landing: Path | None) -> None:
    folder = results_dir(landing)
    if not folder.exists():
        return
    cutoff = time.time() - RESULT_TTL_SECONDS
    for path in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def take_result(entry: InboxEntry, *, landing: Path | None = None) -> IngestResult | None:
    """Return the result of ``entry`` once a writer has produced it.

    The result file stays for every command waiting on the entry (a second
    command sending the same bytes joins the entry that is still waiting);
    results are swept after :data:`RESULT_TTL_SECONDS`.
    """
    path = _result_path(entry.request_id, landing)
    try:
        payload = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("request_id") != entry.request_id:
        return None
    return IngestResult.from_json(payload["result"])


def is_lock_error(exc: BaseException) -> bool:
    """True for DuckDB's "Could not set lock on file" (another process holds the warehouse)."""
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class InboxWorker(threading.Thread):
    """A daemon thread loading the inbox through the process that holds the warehouse.

    Start it inside the dashboard (which holds the read-write connection);
    it polls every ``interval`` seconds with its own cursor and calls
    ``on_loaded(results)`` after entries were processed (e.g. to bump the
    dashboard's data version). It loads only the entries sent to
    ``warehouse`` (the file behind ``con``; found from ``con`` when not
    given) and those sent to no warehouse in particular.

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
        interval: float = 1.0,
        on_loaded: Callable[[list[IngestResult]], None] | None = None,
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
        """Poll the inbox until :meth:`stop`."""
        cursor = self._con.cursor()
        mine = self._warehouse or warehouse_of(cursor)
        try:
            while not self._stop_event.is_set():
                try:
                    if any(e.belongs_to(mine) for e in pending(self._landing)):
                        results = process_inbox(cursor, landing=self._landing, warehouse=mine)
                        self.processed += len(results)
                        if results and self._on_loaded:
                            self._on_loaded(results)
                except Exception:  # keep polling; the entry stays for the next round
                    log.exception("inbox worker round failed")
                self._stop_event.wait(self._interval)
        finally:
            with contextlib.suppress(Exception):
                cursor.close()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Ask the thread to stop and wait for it (the current file finishes first)."""
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)
