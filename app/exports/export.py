"""One export, for the app's downloads and ``stdeval export`` alike: same request, same bytes.

:func:`export_bytes` is the whole export as one function of a cursor
``(cur, *, kind, run_id, fmt, access) -> bytes`` (so it can run as a job of
the warehouse writer); :func:`export_file_name` names the file and
:func:`record_export` writes its audit row.

Kinds: ``scores`` (a stored run; CSV and Parquet hold every result of the
run, XLSX the sheets of :data:`app.exports.run_tables.SHEETS`), and the data
tables ``feedback``, ``survey``, ``funding``, ``awards``. Every row in scope
is written (no caps). Scope: a pilot-site account's feedback export holds only
its own sites' rows; survey, funding and awards are programme-wide records
(no site column), so its export of them is empty; and it gets no score export
at all (refused), because a score run ranks every site's evidence together:
its own view of scores is the portal's anonymous benchmark.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from app.exports.run_tables import run_results, run_sheets
from app.exports.tables import csv_bytes, xlsx_book_bytes
from datasets.access import Access
from datasets.messages import Message, NotFound, RefusedValue
from etl.audit import record
from metrics.runs import list_runs, read_run_meta

__all__ = [
    "DATA_KINDS",
    "FORMATS",
    "KINDS",
    "audited_export",
    "export_bytes",
    "export_file_name",
    "export_frames",
    "latest_run_id",
    "record_export",
]

#: The tables a data export can hold (their query is ``sql/export_<kind>.sql``).
DATA_KINDS: tuple[str, ...] = ("feedback", "survey", "funding", "awards")
#: Everything ``stdeval export`` and the downloads can write.
KINDS: tuple[str, ...] = ("scores", *DATA_KINDS)
#: File formats and their extensions.
FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")

#: The workbook time of a data export, fixed so that equal rows give equal bytes.
_DATA_EPOCH = datetime(2000, 1, 1)


@cache
def _sql(name: str) -> str:
    return (Path(__file__).resolve().parent / "sql" / f"{name}.sql").read_text("utf-8")


def _check(kind: str, fmt: str) -> None:
    if kind not in KINDS:
        msg = Message(
            f"未知的导出内容 {kind!r}；请使用以下之一：{', '.join(KINDS)}",
            f"unknown export {kind!r}; use one of: {', '.join(KINDS)}",
        )
        raise RefusedValue(msg)
    if fmt not in FORMATS:
        msg = Message(
            f"未知的导出格式 {fmt!r}；请使用以下之一：{', '.join(FORMATS)}",
            f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}",
        )
        raise RefusedValue(msg)


def latest_run_id(cur: duckdb.DuckDBPyConnection) -> str:
    """The newest stored run's id; ``NotFound`` (bilingual) when there is none."""
    runs = list_runs(cur)
    if not runs.height:
        msg = Message(
            "数据仓库中还没有评价运行，请先运行 `stdeval score`",
            "no scoring run in this warehouse yet: run `stdeval score` first",
        )
        raise NotFound(msg)
    return str(runs["run_id"][0])


def export_frames(
    cur: duckdb.DuckDBPyConnection, *, kind: str, run_id: str | None, access: Access
) -> dict[str, pl.DataFrame]:
    """The tables of an export, by sheet name, in the reader's scope (the first is the main one).

    Raises
    ------
    datasets.messages.RefusedValue
        A score export for a pilot-site scope, or a run id given for a data table.
    datasets.messages.NotFound
        No run ``run_id``.
    """
    if kind == "scores":
        if not access.sees_everything:
            msg = Message(
                "试点单位账户不能导出评价结果（评价结果综合了所有单位的数据）；请在门户查看本单位与全国均值的对比",
                "a pilot-site account cannot export scores (a run ranks every site's "
                "evidence together); see your sites against the national mean in the portal",
            )
            raise RefusedValue(msg)
        if run_id is None:
            msg = Message("导出评价结果须指定运行编号", "a score export needs a run id")
            raise RefusedValue(msg)
        return run_sheets(cur, run_id)
    if run_id is not None:
        msg = Message(
            f"运行编号只适用于评价结果导出，{kind} 不需要 --run",
            f"a run id applies to score exports only; {kind} takes no --run",
        )
        raise RefusedValue(msg)
    frame = cur.sql(_sql(f"export_{kind}"), params=access.to_params()).pl()
    return {kind: frame}


def _parquet(frame: pl.DataFrame, run_id: str | None) -> bytes:
    buffer = io.BytesIO()
    metadata = {"stdeval_run_id": run_id} if run_id else None
    frame.write_parquet(buffer, metadata=metadata)
    return buffer.getvalue()


def export_bytes(
    cur: duckdb.DuckDBPyConnection, *, kind: str, run_id: str | None, fmt: str, access: Access
) -> bytes:
    """The file of an export: ``kind`` in ``fmt`` for a reader with ``access``.

    Parameters
    ----------
    cur
        A connection or cursor on the warehouse (only read).
    kind
        One of :data:`KINDS`.
    run_id
        The run of a ``scores`` export (``None`` for the data tables).
    fmt
        One of :data:`FORMATS`.
    access
        The reader's scope (``User.access()``).

    Returns
    -------
    bytes
        The same bytes for the same request on the same data: CSV (UTF-8
        BOM, formula-safe), XLSX (workbook time fixed to the run's) or Parquet.
    """
    return _encode(cur, kind=kind, run_id=run_id, fmt=fmt, access=access)[0]


def _encode(
    cur: duckdb.DuckDBPyConnection, *, kind: str, run_id: str | None, fmt: str, access: Access
) -> tuple[bytes, int]:
    _check(kind, fmt)
    sheets = export_frames(cur, kind=kind, run_id=run_id, access=access)
    table = run_results(cur, run_id) if kind == "scores" and run_id else next(iter(sheets.values()))
    if fmt == "xlsx":
        created = read_run_meta(cur, run_id)["created_at"] if run_id else _DATA_EPOCH
        return xlsx_book_bytes(sheets, created=created), table.height
    data = csv_bytes(table) if fmt == "csv" else _parquet(table, run_id)
    return data, table.height


def audited_export(
    cur: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    kind: str,
    run_id: str | None,
    fmt: str,
    access: Access,
) -> bytes:
    """:func:`export_bytes` and its audit row (who, what, scope, row count) in one transaction."""
    cur.execute("begin transaction")
    try:
        data, rows = _encode(cur, kind=kind, run_id=run_id, fmt=fmt, access=access)
        record_export(cur, actor=actor, kind=kind, run_id=run_id, fmt=fmt, access=access, rows=rows)
    except BaseException:
        cur.execute("rollback")
        raise
    cur.execute("commit")
    return data


def export_file_name(kind: str, run_id: str | None, fmt: str) -> str:
    """The file name of an export: the run id in it for scores.

    Examples
    --------
    >>> export_file_name("scores", "run-20260101T000000-abcd1234", "xlsx")
    'stdeval-scores-run-20260101T000000-abcd1234.xlsx'
    >>> export_file_name("feedback", None, "csv")
    'stdeval-feedback.csv'
    """
    _check(kind, fmt)
    return f"stdeval-{kind}-{run_id}.{fmt}" if run_id else f"stdeval-{kind}.{fmt}"


def record_export(
    cur: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    kind: str,
    run_id: str | None,
    fmt: str,
    access: Access,
    rows: int,
) -> int:
    """Append the audit row of an export (who, what, scope, row count); return its id."""
    return record(
        cur,
        actor=actor,
        action="export",
        target=run_id or kind,
        details={
            "kind": kind,
            "run_id": run_id,
            "format": fmt,
            "sites": None if access.sees_everything else list(access.site_ids or ()),
            "rows": rows,
        },
    )
