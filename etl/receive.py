"""The one seam from "bytes received" to "result": land, queue in receipt order, get the writer's answer.

Every caller that hands files to stdeval goes through here: ``stdeval
ingest``, the dashboard (whose worker is the writer while it runs, see
:func:`serve_queue`) and the pilot-site portal (``app/portal/upload.py``,
which queues with :func:`queue_file` and waits in a second step). :func:`receive`
keeps each file's bytes in the landing folder with its receipt sequence
(:mod:`etl.inbox`), then gets the queue applied by whichever process is the
warehouse's writer, this one or another (:mod:`etl.writer`), showing
progress meanwhile. :func:`run_job` does the same for work that is not a
file (a scoring run, later exports and backups: :mod:`etl.jobs`).

What a caller may choose is one frozen :class:`ReceiveOptions`, carried in
the inbox entry to the writer: including ``allowed_site_ids``, the sites
the uploader may write, which validation enforces (rule ``site_not_allowed``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from etl.drain import InboxWorker
from etl.inbox import InboxEntry, submit, submit_job
from etl.result import IngestResult, Progress
from etl.writer import run_or_wait

__all__ = ["ReceiveOptions", "await_entry", "queue_file", "receive", "run_job", "serve_queue"]


@dataclass(frozen=True)
class ReceiveOptions:
    """How the files of one request are to be read and loaded, and on whose behalf.

    Examples
    --------
    >>> opts = ReceiveOptions("feedback", allowed_site_ids=["S002", "S001"])
    >>> opts.allowed_site_ids
    ('S001', 'S002')
    """

    source: str
    sheet: str | None = None
    header_row: int | None = None
    dry_run: bool = False
    strict: bool = False
    lang: str = "zh"
    uploader: str = "cli"
    #: The sites the uploader may write; ``None``: any site (an administrator).
    allowed_site_ids: Iterable[str] | None = None

    def __post_init__(self) -> None:
        if self.allowed_site_ids is not None:
            object.__setattr__(self, "allowed_site_ids", tuple(sorted(set(self.allowed_site_ids))))


EntryProgress = Callable[[InboxEntry], Progress | None]


def queue_file(
    data: bytes,
    file_name: str,
    options: ReceiveOptions,
    *,
    warehouse: Path,
    landing: Path | None = None,
) -> InboxEntry:
    """Land ``data`` and queue it for ``warehouse`` with ``options``; return its entry."""
    chosen = asdict(options)  # every option is a parameter of the inbox entry
    if options.allowed_site_ids is not None:
        chosen["allowed_site_ids"] = list(options.allowed_site_ids)
    return submit(
        data, file_name=file_name, landing=landing, warehouse=warehouse.resolve(), **chosen
    )


def receive(
    files: Sequence[tuple[str, bytes]],
    options: ReceiveOptions,
    *,
    warehouse: Path,
    landing: Path | None = None,
    timeout: float = 600.0,
    progress_for: EntryProgress | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> list[tuple[InboxEntry, IngestResult | None]]:
    """Receive ``(file name, bytes)`` pairs; return each one's entry and result, in order.

    The files are queued in the order given (so applied in that order). A
    result is ``None`` when the warehouse stayed busy past ``timeout``
    seconds: the file then waits safely in the inbox and the holder of the
    warehouse applies it.
    """
    entries = [
        queue_file(data, name, options, warehouse=warehouse, landing=landing)
        for name, data in files
    ]
    done = run_or_wait(
        warehouse,
        entries,
        landing=landing,
        timeout=timeout,
        progress_for=progress_for,
        on_wait=on_wait,
    )
    return [(entry, done.get(entry.request_id)) for entry in entries]


def run_job(
    kind: str,
    params: dict[str, Any],
    *,
    warehouse: Path,
    landing: Path | None = None,
    lang: str = "zh",
    uploader: str = "cli",
    timeout: float = 600.0,
    progress: Progress | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> Any:
    """Queue a job of ``kind`` for ``warehouse`` and return its result (``None`` past ``timeout``).

    The job runs after every entry received before it, in this process if
    it becomes the writer, else in the one that is (the dashboard).
    """
    entry = submit_job(
        kind, params, landing=landing, warehouse=warehouse.resolve(), uploader=uploader, lang=lang
    )
    return await_entry(
        entry, warehouse=warehouse, landing=landing, timeout=timeout, progress=progress,
        on_wait=on_wait,
    )  # fmt: skip


def await_entry(
    entry: InboxEntry,
    *,
    warehouse: Path,
    landing: Path | None = None,
    timeout: float = 600.0,
    progress: Progress | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> Any:
    """Wait until the writer has applied one queued ``entry``; return its result (``None`` past ``timeout``).

    For a caller that queued an entry earlier (the portal waits again after
    a page rerun cut its first wait short): the result is decoded by the
    entry's kind (an :class:`~etl.result.IngestResult` for a file).
    """
    done = run_or_wait(
        warehouse,
        [entry],
        landing=landing,
        timeout=timeout,
        progress_for=(lambda _entry: progress) if progress else None,
        on_wait=on_wait,
    )
    return done.get(entry.request_id)


def serve_queue(
    con: duckdb.DuckDBPyConnection,
    *,
    warehouse: Path,
    landing: Path | None = None,
    on_loaded: Callable[[list[Any]], None] | None = None,
) -> InboxWorker:
    """Make this process (holding ``con`` read-write) the writer of ``warehouse``; return its worker.

    The worker thread holds the writer lock and applies whatever
    :func:`receive` and :func:`run_job` queue, from any process.
    """
    worker = InboxWorker(con, landing=landing, warehouse=warehouse, on_loaded=on_loaded)
    worker.start()
    return worker
