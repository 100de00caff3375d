"""Ingest one file: read -> map headers -> normalise -> validate -> load, in one transaction.

Two entry points share the same validation and loading (this module):

* :func:`etl.uploads.ingest_bytes` takes the raw bytes of an upload (CSV or
  XLSX) that the caller has already kept in the landing folder
  (:mod:`etl.landing`) and builds on this module;
* :func:`ingest_frame` takes a typed canonical frame, e.g. from the demo
  generator.

The ingest-log rows of files that load nothing (refused, duplicate) are
written by :mod:`etl.ingest_log`.

Either way the file's accepted rows, its rejected rows and its ingest-log
row are written in ONE transaction: all of them or none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from datasets.messages import Message
from datasets.problems import ROW
from etl import ingest_log, load, submissions
from etl.context import warehouse_context
from etl.result import STATUSES, IngestResult, Progress, Receipt, problems

__all__ = ["STATUSES", "IngestResult", "Progress", "ingest_frame", "load_validated"]


def _relabel(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """Report canonical columns under the header the file used."""
    if frame.height == 0 or not labels:
        return frame
    return frame.with_columns(pl.col("column").cast(pl.Utf8).replace(labels))


def _summary(errors: pl.DataFrame) -> dict[str, Any]:
    """A short, queryable error summary for ``ingest_log.error_summary``."""
    if errors.height == 0:
        return {}
    counts = errors.group_by("rule", "column").len().sort("len", descending=True)
    return {
        "rules": {f"{r['column']}:{r['rule']}": int(r["len"]) for r in counts.iter_rows(named=True)}
    }


DUPLICATE_RULE = "duplicate_in_file"
#: The source whose rows form submissions (site × period) that evaluators approve.
SUBMITTED_SOURCE = "feedback"


def _refuse_locked(result: IngestResult, locked: list[tuple[str, str]]) -> None:
    """Make ``result`` the refusal of a file touching approved (locked) site × periods."""
    refusal = submissions.locked_refusal(locked)
    result.status = "refused"
    result.rows_accepted = 0
    result.rows_replaced = 0
    result.reason = refusal.message


def _count_dups(warnings: pl.DataFrame) -> int:
    if warnings.height == 0:
        return 0
    return int(warnings.filter(pl.col("rule") == DUPLICATE_RULE)["row"].n_unique())


def _superseded(typed: pl.DataFrame | None, warnings: pl.DataFrame) -> pl.DataFrame | None:
    """Valid rows replaced by a later valid row of the same key (recorded as replaced)."""
    if typed is None or ROW not in typed.columns or _count_dups(warnings) == 0:
        return None
    rows = warnings.filter(pl.col("rule") == DUPLICATE_RULE)["row"].unique().implode()
    return typed.filter(pl.col(ROW).is_in(rows))


def load_validated(
    con: duckdb.DuckDBPyConnection,
    spec: Any,
    validation: Any,
    receipt: Receipt,
    *,
    rows_read: int,
    labels: dict[str, str] | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    typed: pl.DataFrame | None = None,
) -> IngestResult:
    """Load a :class:`~datasets.validation.ValidationResult` in one transaction.

    Writes the accepted rows (upsert by key, replacements recorded), the
    rejected rows and the ingest-log row, or nothing at all. With
    ``strict`` a file with any rejected row loads nothing and is refused;
    with ``dry_run`` nothing is written and the would-be counts are returned.
    ``typed`` is the frame that was validated: valid rows whose key a later
    valid row repeats (``duplicate_in_file`` warnings) are recorded as
    replaced within the file. The ingest-log row is written first so that
    the rejected rows carry its ``ingest_id``; ``receipt.receipt_seq`` is the inbox's
    receipt number of the file (kept in the ingest log).
    """
    file_name, sha256, uploader = receipt.file_name, receipt.sha256, receipt.uploader
    received_at, receipt_seq = receipt.received_at, receipt.receipt_seq
    labels = labels or {}
    errors = _relabel(validation.errors, labels)
    warnings = validation.warnings if validation.warnings is not None else pl.DataFrame()
    accepted = validation.accepted
    rejected_rows = errors["row"].n_unique() if errors.height else 0
    result = IngestResult(
        spec.name,
        file_name,
        sha256,
        "loaded",
        rows_read=rows_read,
        rows_accepted=accepted.height,
        rows_rejected=rejected_rows,
        warnings=warnings.height,
        errors=problems(errors, {}),
        warning_details=problems(warnings, labels),
    )
    superseded = _superseded(typed, warnings)
    approval = spec.name == SUBMITTED_SOURCE and accepted.height > 0
    if dry_run:
        result.status = "dry_run"
        result.rows_replaced = load.count_replacements(con, spec, accepted) + _count_dups(warnings)
        locked = submissions.locked(con, accepted) if approval else []
        if locked:  # what the load would answer, told before confirming
            _refuse_locked(result, locked)
        return result
    refused = strict and rejected_rows > 0
    if refused:
        result.status = "refused"
        result.rows_accepted = 0
        strict_zh = f"严格模式：{rejected_rows} 行有错误，整个文件未导入；请修改后重新上传"
        strict_en = (
            f"strict mode: {rejected_rows} rows have errors, so nothing was loaded; "
            "correct them and upload again"
        )
        result.reason = Message(strict_zh, strict_en)
    if progress:
        progress("load", 0, accepted.height)
    loaded_at = datetime.now()
    ingest_log.begin(con)
    try:
        earlier = ingest_log.find_loaded(con, sha256, spec.table)
        if earlier is not None:
            con.execute("rollback")
            return ingest_log.duplicate_result(spec.name, file_name, sha256, earlier)
        # The lock is checked here, in the writer's transaction of the load:
        # an approval committed before it is seen, one racing it conflicts.
        locked = submissions.locked(con, accepted) if approval and not refused else []
        if locked:
            _refuse_locked(result, locked)
        if not refused and not locked:
            outcome = load.upsert_rows(
                con, spec, accepted, sha256=sha256, loaded_at=loaded_at, superseded=superseded
            )
            result.rows_replaced = outcome.replaced
            if approval:
                submissions.record_loaded(con, accepted, actor=uploader, sha256=sha256)
        summary = _summary(errors)
        if refused:
            summary.update(rule="strict", reason_zh=strict_zh, reason_en=strict_en)
        elif locked and result.reason is not None:
            summary.update(
                rule="period_locked",
                reason_zh=result.reason.zh,
                reason_en=result.reason.en,
                locked=[f"{site} {period}" for site, period in locked],
            )
        result.ingest_id = ingest_log.record_result(
            con,
            result,
            uploader=uploader,
            received_at=received_at,
            summary=summary,
            receipt_seq=receipt_seq,
            rows_read=rows_read,
        )
        ingest_log.record_rejections(
            con, source=spec.name, sha256=sha256, ingest_id=result.ingest_id, errors=errors
        )
        ingest_log.audit_upload(con, result, uploader=uploader)
        ingest_log.commit(con)
    except BaseException:
        con.execute("rollback")
        raise
    if progress:
        progress("load", accepted.height, accepted.height)
    return result


def ingest_frame(
    con: duckdb.DuckDBPyConnection,
    source: str,
    frame: pl.DataFrame,
    *,
    file_name: str,
    sha256: str,
    uploader: str = "demo",
    progress: Progress | None = None,
    dry_run: bool = False,
    strict: bool = False,
    allowed_site_ids: Iterable[str] | None = None,
    received_at: datetime | None = None,
) -> IngestResult:
    """Validate a typed canonical frame and load it in one transaction.

    Parameters
    ----------
    con
        Read-write connection (or cursor) to the warehouse.
    source
        Source name (``feedback``, ``survey``...), see ``datasets.sources.SOURCES``.
    frame
        Typed canonical columns (``SourceSpec.polars_schema()``); a ``_row``
        column gives row numbers, else rows count from 2 (header = row 1).
    file_name, sha256
        What the rows are recorded as coming from.
    uploader
        Who sent them (ingest log).
    progress
        Optional ``progress(stage, done, total)`` callback.

    Returns
    -------
    IngestResult
        ``loaded`` (even with rejected rows), ``duplicate`` when these bytes
        were loaded before, ``refused`` in strict mode with errors,
        ``dry_run`` when asked.
    """
    from datasets.sources import get_source
    from datasets.validation import validate_typed

    spec = get_source(source)
    received = received_at or datetime.now()
    if ROW not in frame.columns:
        frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    earlier = ingest_log.find_loaded(con, sha256, spec.table)
    if earlier is not None:
        return ingest_log.duplicate_result(source, file_name, sha256, earlier)
    if progress:
        progress("validate", 0, frame.height)
    context = warehouse_context(con, allowed_site_ids=allowed_site_ids)
    validation = validate_typed(spec, frame, context=context)
    if progress:
        progress("validate", frame.height, frame.height)
    return load_validated(
        con,
        spec,
        validation,
        Receipt(file_name, sha256, uploader, received),
        rows_read=frame.height,
        dry_run=dry_run,
        strict=strict,
        progress=progress,
        typed=frame,
    )
