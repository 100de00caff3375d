"""The landing folder as a durable, ordered inbox: every received file (or job) waits here in receipt order.

DuckDB lets one process open the warehouse for writing. ``stdeval ingest``
(through :mod:`etl.receive`) therefore never writes the warehouse behind
anyone's back:

1. it keeps the bytes in the landing folder (:func:`etl.landing.land`) and
   drops an entry in ``landing/inbox/``: ``<sha256><ext>`` and the sidecar
   ``<sha256>.json`` (source, file name, options, the sites the uploader
   may write, the warehouse it was sent to, uploader, when it was received
   and its **receipt sequence**). The same bytes sent again with the same
   options for the same warehouse while still waiting join that entry;
   with other options (say ``--dry-run`` first) or for another warehouse
   they get their own sidecar ``<sha256>-<n>.json``. Jobs (a scoring run,
   :mod:`etl.jobs`) are entries too, ``job-<request id>.json``, without bytes;
2. the receipt sequence is a counter of the inbox (``.receipt-seq``),
   incremented and written together with the sidecar under the queue lock
   (:mod:`etl.file_lock`): a later entry always has a larger number, and
   once a writer sees an entry, every entry received before it is visible
   too. Writers apply a warehouse's entries strictly in that order
   (:mod:`etl.drain`), whoever they are and whatever crashed in between;
3. the result goes to ``landing/results/<request id>.json``
   (:mod:`etl.outbox`) and the entry leaves the inbox.

Crash safety: see :mod:`etl.drain` (one transaction per file, attempts
counted in the sidecar, quarantine after two failed or killed attempts).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.file_lock import holding
from etl.landing import Landed, land, landed_path, safe_suffix, write_atomic
from etl.settings import landing_dir

log = logging.getLogger(__name__)

INBOX = "inbox"
#: The kind of an entry that carries an uploaded file (:mod:`etl.jobs` lists the others).
INGEST = "ingest"
_QUEUE_LOCK = ".queue.lock"
_SEQUENCE = ".receipt-seq"


@dataclass
class InboxEntry:
    """One received file or job waiting to be applied (the sidecar's content)."""

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
    #: Receipt order in this inbox (0: an entry written by an older stdeval, applied first).
    seq: int = 0
    #: Tries started so far, counted (and saved) before each try: survives ``kill -9``.
    attempts: int = 0
    #: ``ingest`` for an uploaded file, else a job kind of :mod:`etl.jobs` (``score``...).
    kind: str = INGEST
    #: The job's parameters (JSON), for kinds other than ``ingest``.
    params: dict[str, Any] = field(default_factory=dict)
    #: The sites the uploader may write (``None``: any site), checked by validation.
    allowed_site_ids: list[str] | None = None

    def __post_init__(self) -> None:
        if not self.entry_id:
            self.entry_id = self.sha256

    def options(self) -> tuple[Any, ...]:
        """What decides the outcome besides the bytes (entries join only when equal)."""
        sites = None if self.allowed_site_ids is None else tuple(sorted(self.allowed_site_ids))
        return (
            self.kind,
            self.source,
            self.sheet,
            self.header_row,
            self.dry_run,
            self.strict,
            self.warehouse,
            sites,
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


def sidecar_path(entry_id: str, landing: Path | None = None) -> Path:
    """Return where the sidecar (the entry itself) of ``entry_id`` waits."""
    return inbox_dir(landing) / f"{entry_id}.json"


def _next_seq(landing: Path | None) -> int:
    """The next receipt number; call with the queue lock held."""
    path = inbox_dir(landing) / _SEQUENCE
    try:
        last = int(path.read_text("ascii").strip() or 0)
    except (OSError, ValueError):
        last = 0
    # An entry left by a process killed before it updated the counter keeps its number.
    waiting = [e.seq for e in _scan(landing)]
    seq = max([last, *waiting]) + 1
    write_atomic(path, str(seq).encode("ascii"))
    return seq


def save_entry(entry: InboxEntry, landing: Path | None = None) -> None:
    """Write ``entry`` to its sidecar atomically (also to record an attempt)."""
    data = json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8")
    write_atomic(sidecar_path(entry.entry_id, landing), data)


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
    allowed_site_ids: list[str] | None = None,
) -> InboxEntry:
    """Keep ``data`` in the landing folder and queue it in the inbox; return the entry.

    ``warehouse`` is the file the data is meant for: only a writer holding
    that warehouse loads the entry (``None``: any writer). When the same
    bytes are already waiting in the inbox with the same options for the
    same warehouse, the pending entry is returned (joining it) rather than
    queuing them twice. The entry's receipt sequence is assigned here.
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
        allowed_site_ids=None if allowed_site_ids is None else sorted(allowed_site_ids),
    )
    target = inbox_dir(landing) / f"{landed.sha256}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        try:
            os.link(landed.path, target)
        except FileExistsError:
            pass
        except OSError:
            write_atomic(target, data)
    with holding(inbox_dir(landing) / _QUEUE_LOCK):
        for n in range(1, 1000):
            sidecar = sidecar_path(entry.entry_id, landing)
            if not sidecar.exists():
                break
            with contextlib.suppress(OSError, ValueError, TypeError):
                waiting = read_entry(sidecar)
                if waiting.options() == entry.options():
                    return waiting
            entry.entry_id = f"{landed.sha256}-{n}"
        entry.seq = _next_seq(landing)
        entry.received_at = datetime.now().isoformat()
        save_entry(entry, landing)
    return entry


def submit_job(
    kind: str,
    params: dict[str, Any],
    *,
    landing: Path | None = None,
    warehouse: str | Path | None = None,
    uploader: str = "cli",
    lang: str = "zh",
) -> InboxEntry:
    """Queue a job of ``kind`` (:mod:`etl.jobs`) for ``warehouse``, after every entry received before it."""
    request_id = uuid.uuid4().hex
    entry = InboxEntry(
        sha256="",
        source=kind,
        file_name=kind,
        suffix="",
        request_id=request_id,
        received_at=datetime.now().isoformat(),
        uploader=uploader,
        lang=lang,
        entry_id=f"job-{request_id}",
        warehouse=str(Path(warehouse).resolve()) if warehouse else "",
        kind=kind,
        params=params,
    )
    with holding(inbox_dir(landing) / _QUEUE_LOCK):
        entry.seq = _next_seq(landing)
        save_entry(entry, landing)
    return entry


def read_entry(sidecar: Path) -> InboxEntry:
    """Read one sidecar (raises ``OSError``/``ValueError``/``TypeError`` when unreadable)."""
    data = json.loads(sidecar.read_text("utf-8"))
    known = set(InboxEntry.__dataclass_fields__)
    return InboxEntry(**{k: v for k, v in data.items() if k in known})


def _scan(landing: Path | None) -> list[InboxEntry]:
    folder = inbox_dir(landing)
    if not folder.exists():
        return []
    entries = []
    for sidecar in folder.glob("*.json"):
        try:
            entries.append(read_entry(sidecar))
        except FileNotFoundError:
            continue  # finished meanwhile
        except (OSError, ValueError, TypeError):
            log.warning("skipping unreadable inbox entry %s", sidecar)
    entries.sort(key=lambda e: (e.seq, e.received_at, e.entry_id))
    return entries


def pending(landing: Path | None = None) -> list[InboxEntry]:
    """Return the entries waiting in the inbox in receipt order (sequence), oldest first.

    Listed under the queue lock (shared), so no entry is half-way queued:
    the list never holds an entry without every earlier one still waiting.
    """
    if not inbox_dir(landing).exists():
        return []
    with holding(inbox_dir(landing) / _QUEUE_LOCK, shared=True):
        return _scan(landing)


def entry_bytes(entry: InboxEntry, landing: Path | None = None) -> bytes | None:
    """Return the received bytes of ``entry`` (inbox copy, else landing folder), or ``None``."""
    for path in (
        inbox_dir(landing) / f"{entry.sha256}{entry.suffix}",
        landed_path(entry.sha256, entry.file_name, landing=landing),
    ):
        with contextlib.suppress(OSError):
            return path.read_bytes()
    return None


def remove_entry(entry: InboxEntry, landing: Path | None = None) -> None:
    """Take ``entry`` out of the inbox (its bytes stay in the landing folder)."""
    sidecar_path(entry.entry_id, landing).unlink(missing_ok=True)
    if entry.sha256 and not any(inbox_dir(landing).glob(f"{entry.sha256}*.json")):
        # The inbox copy stays while another entry (other options) still needs it.
        (inbox_dir(landing) / f"{entry.sha256}{entry.suffix}").unlink(missing_ok=True)


def is_lock_error(exc: BaseException) -> bool:
    """True for DuckDB's "Could not set lock on file" (another process holds the warehouse)."""
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)
