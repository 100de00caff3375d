"""The ingest log: one row per received file, and the rejected rows of each attempt.

A file that loads rows writes its ingest-log row (:func:`record_ingest`) and
its rejected rows (:func:`record_rejections`) in the same transaction as its
rows (:func:`etl.pipeline.load_validated`); the files that load nothing
(refused, duplicate) are recorded here, each in a transaction of its own.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from datasets.messages import Message
from datasets.problems import ERROR_COLUMNS
from etl import load
from etl.audit import record
from etl.queries import query
from etl.refusal import FileRefused
from etl.result import IngestResult

__all__ = [
    "begin",
    "commit",
    "duplicate_result",
    "find_loaded",
    "audit_upload",
    "log_duplicate",
    "log_nothing_loaded",
    "record_result",
    "refuse",
    "result_of_receipt",
]


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """Open the transaction of one file."""
    con.execute("begin transaction")


def commit(con: duckdb.DuckDBPyConnection) -> None:
    """Commit the file's transaction (a seam the crash-safety test interrupts)."""
    con.execute("commit")


def find_loaded(con: duckdb.DuckDBPyConnection, sha256: str, table: str) -> tuple[Any, ...] | None:
    """Return (ingest_id, received_at, finished_at, file_name) of the load of these bytes, if any.

    Bytes count as loaded only while their rows are still in ``table`` (the
    source's table): once a later file has replaced any of
    them, sending the same bytes again is a new version in receipt order
    (A, then B, then A again leaves A), not a duplicate to ignore.
    """
    rows = con.execute(query("find_loaded_ingest"), {"sha256": sha256}).fetchall()
    if not rows:
        return None
    ingest_id, received_at, finished_at, file_name, accepted = rows[0]
    if accepted and load.rows_from(con, table, sha256) < accepted:
        return None
    return ingest_id, received_at, finished_at, file_name


def duplicate_result(
    source: str, file_name: str, sha256: str, earlier: tuple[Any, ...]
) -> IngestResult:
    """The result of bytes already loaded (``earlier`` from :func:`find_loaded`): nothing loaded."""
    ingest_id, received_at, _finished, earlier_name = earlier
    when = received_at.strftime("%Y-%m-%d %H:%M") if received_at else "?"
    reason = Message(
        f"同一文件已于 {when} 导入（导入编号 {ingest_id}，文件名 {earlier_name}），未重复导入",
        f"these exact bytes were already loaded on {when} (ingest {ingest_id}, "
        f"file {earlier_name}); nothing was loaded again",
    )
    return IngestResult(source, file_name, sha256, "duplicate", reason=reason)


def refuse(
    con: duckdb.DuckDBPyConnection | None,
    *,
    source: str,
    file_name: str,
    sha256: str | None,
    refusal: FileRefused,
    uploader: str,
    received_at: datetime,
    dry_run: bool = False,
    receipt_seq: int | None = None,
) -> IngestResult:
    """Record a refused file in the ingest log (unless dry run) and return its result."""
    result = IngestResult(source, file_name, sha256, "refused", reason=refusal.message)
    if con is not None and sha256 is not None and not dry_run:
        summary = {
            "rule": refusal.rule,
            "reason_zh": refusal.reason_zh,
            "reason_en": refusal.reason_en,
        }
        log_nothing_loaded(
            con,
            result,
            uploader=uploader,
            received_at=received_at,
            summary=summary,
            receipt_seq=receipt_seq,
        )
    return result


def log_duplicate(
    con: duckdb.DuckDBPyConnection,
    result: IngestResult,
    *,
    uploader: str,
    received_at: datetime,
    receipt_seq: int | None = None,
) -> None:
    """Record the second receipt of loaded bytes (status ``duplicate``, nothing loaded)."""
    log_nothing_loaded(
        con,
        result,
        uploader=uploader,
        received_at=received_at,
        summary=None,
        receipt_seq=receipt_seq,
    )


def log_nothing_loaded(
    con: duckdb.DuckDBPyConnection,
    result: IngestResult,
    *,
    uploader: str,
    received_at: datetime,
    summary: dict[str, Any] | None,
    receipt_seq: int | None = None,
) -> None:
    """Write the ingest-log row of a file that loaded no row (refused or duplicate)."""
    begin(con)
    try:
        result.ingest_id = record_result(
            con,
            result,
            uploader=uploader,
            received_at=received_at,
            summary=summary,
            receipt_seq=receipt_seq,
        )
        audit_upload(con, result, uploader=uploader)
        commit(con)
    except BaseException:
        con.execute("rollback")
        raise


def audit_upload(con: duckdb.DuckDBPyConnection, result: IngestResult, *, uploader: str) -> None:
    """Write the ``upload`` audit row of a received file, in the caller's transaction.

    Every file that reaches the ingest log (loaded, refused or a duplicate;
    never a dry run) gets one: who sent it, its sha256 as the target, and
    the source, file name, status, ingest id and row counts as details.
    """
    record(
        con,
        actor=uploader,
        action="upload",
        target=result.sha256,
        details={
            "source": result.source,
            "file_name": result.file,
            "status": result.status,
            "ingest_id": result.ingest_id,
            "rows_read": result.rows_read,
            "rows_accepted": result.rows_accepted,
            "rows_rejected": result.rows_rejected,
            "rows_replaced": result.rows_replaced,
        },
    )


def result_of_receipt(
    con: duckdb.DuckDBPyConnection,
    sha256: str,
    *,
    received_at: datetime,
    receipt_seq: int | None,
) -> IngestResult | None:
    """Rebuild the result of one receipt whose transaction committed (``None``: it did not).

    The receipt is found by its sequence number (or, for an entry queued by
    an older stdeval, by the moment it was received); only this ingest's
    rejected rows are returned (the same bytes may have been received before).
    """
    params = {"sha256": sha256, "received_at": received_at, "receipt_seq": receipt_seq}
    rows = con.execute(query("find_ingest_by_receipt"), params).fetchall()
    if not rows:
        return None
    ingest_id, source, file_name, status, read, accepted, rejected, replaced, warnings, summary = (
        rows[0]
    )
    details = json.loads(summary) if summary else {}
    reason = (
        Message(details["reason_zh"], details["reason_en"])
        if isinstance(details, dict) and "reason_zh" in details
        else None
    )
    errors = []
    if rejected:
        for r in con.execute(query("select_rejected_rows"), {"ingest_id": ingest_id}).fetchall():
            errors.append(
                {"row": r[0], "column": r[1], "value": r[2], "rule": r[3],
                 "message_zh": r[4], "message_en": r[5]}
            )  # fmt: skip
    return IngestResult(
        source,
        file_name,
        sha256,
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


def record_rejections(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    sha256: str,
    ingest_id: int,
    errors: pl.DataFrame,
) -> int:
    """Append the row errors of a file to ``rejected_row``; return how many were written.

    ``ingest_id`` is the ingest-log row of this attempt (written first, in
    the same transaction): the same bytes may be received more than once,
    and each attempt's errors stay its own.
    """
    if errors.height == 0:
        return 0
    frame = errors.select(
        [
            pl.col(name).cast(dtype) if name in errors.columns else pl.lit(None, dtype).alias(name)
            for name, dtype in ERROR_COLUMNS.items()
        ]
    )
    with load.registered(con, "_stdeval_rejected", frame):
        con.execute(
            query("insert_rejected_rows"),
            {"sha256": sha256, "source": source, "ingest_id": ingest_id},
        )
    return frame.height


def record_result(
    con: duckdb.DuckDBPyConnection,
    result: IngestResult,
    *,
    uploader: str,
    received_at: datetime,
    summary: dict[str, Any] | None,
    receipt_seq: int | None,
    rows_read: int = 0,
) -> int:
    """Append the ingest-log row of ``result`` (its status and row counts) and return its id.

    ``rows_read`` is what was read of the file (0 for one refused before
    its rows were read); an empty ``summary`` is stored as null.
    """
    return record_ingest(
        con,
        sha256=result.sha256,
        source=result.source,
        file_name=result.file,
        uploader=uploader,
        received_at=received_at,
        finished_at=datetime.now(),
        rows_read=rows_read,
        rows_accepted=result.rows_accepted,
        rows_rejected=result.rows_rejected,
        rows_replaced=result.rows_replaced,
        warnings=result.warnings,
        status=result.status,
        error_summary=summary or None,
        receipt_seq=receipt_seq,
    )


def record_ingest(con: duckdb.DuckDBPyConnection, **fields: Any) -> int:
    """Append one ``ingest_log`` row and return its ``ingest_id``.

    ``fields`` are the named parameters of ``etl/sql/insert_ingest_log.sql``;
    a dict ``error_summary`` is stored as JSON; ``receipt_seq`` defaults to
    ``None`` (a load that did not come through the inbox).
    """
    fields.setdefault("receipt_seq", None)
    summary = fields.get("error_summary")
    if isinstance(summary, dict):
        fields["error_summary"] = json.dumps(summary, ensure_ascii=False, sort_keys=True)
    rows = con.execute(query("insert_ingest_log"), fields).fetchall()
    return int(rows[0][0]) if rows else 0
