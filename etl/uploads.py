"""Ingest the raw bytes of an uploaded CSV or Excel file.

read (:mod:`etl.readers`) -> map the headers -> normalise and validate
(``datasets.validation.validate_raw``) -> load in one transaction
(:func:`etl.pipeline.load_validated`). Errors name the row as the user
sees it, the column under the file's own header and the cell exactly as
it was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from datasets.headers import display_header
from datasets.problems import ERROR_COLUMNS, ROW
from etl.context import warehouse_context
from etl.ignored_columns import notice, unrecognised_columns, warnings_for
from etl.ingest_log import duplicate_result, find_loaded, log_duplicate, refuse
from etl.pipeline import load_validated
from etl.refusal import FileRefused
from etl.result import IngestResult, Progress, Receipt


def _refusal_for_headers(
    spec: Any, mapping: Any, headers: list[str], header_row: int
) -> FileRefused | None:
    """Refuse a file whose header lacks a required column or names one twice."""
    missing = list(getattr(mapping, "missing_required", ()) or ())
    if missing:
        cols = [spec.column(name) for name in missing]
        zh = "、".join(f"“{c.header_zh}”" for c in cols)
        en = ", ".join(c.name for c in cols)
        seen_zh = "、".join(display_header(h) for h in headers if h) or "（空）"
        return FileRefused(
            f"缺少必填列：{zh}（在第 {header_row} 行的表头中未找到；现有列：{seen_zh}）；"
            "请使用模板（stdeval template）的表头后重新上传",
            f"required column(s) missing: {en} (not found in the header on row {header_row}); "
            "use the headers of the template (stdeval template) and upload again",
            rule="missing_column",
        )
    duplicate = getattr(mapping, "duplicate", None) or {}
    if duplicate:
        names = sorted(duplicate) if isinstance(duplicate, dict) else sorted(map(str, duplicate))
        shown = ", ".join(names)
        return FileRefused(
            f"以下列在表头中出现了不止一次：{shown}；请删除重复的列后重新上传",
            f"these columns appear more than once in the header: {shown}; remove the repeats and "
            "upload again",
            rule="duplicate_column",
        )
    return None


def _header_score(spec: Any) -> Callable[[list[str]], int]:
    from datasets.headers import map_headers

    def score(cells: list[str]) -> int:
        return len(map_headers(spec, [c for c in cells if c]).columns)

    return score


def _unknown_column_warnings(unknown: Iterable[str], header_row: int) -> pl.DataFrame:
    names = [display_header(u) for u in unknown if u]
    return pl.DataFrame(
        {
            "row": [header_row] * len(names),
            "column": names,
            "value": names,
            "rule": ["unknown_column"] * len(names),
            "message_zh": [f"“{n}”不是本表的列，已忽略；如需导入请使用模板中的表头" for n in names],
            "message_en": [
                f"{n!r} is not a column of this source and was ignored; use the "
                "template's headers to load it"
                for n in names
            ],
        },
        schema=ERROR_COLUMNS,
    )


def column_letter(index: int) -> str:
    """Excel's name of the 0-based column ``index``.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _unnamed_columns_with_data(table: Any) -> list[str]:
    """Columns holding data under a blank header (ignored, so the user is told)."""
    blank = [i for i, h in enumerate(table.headers) if not h]
    if not blank:
        return []
    counts = table.frame.select(pl.col(f"c{i}").is_not_null().any() for i in blank).row(0)
    return [f"（{column_letter(i)}）" for i, has in zip(blank, counts, strict=True) if has]


def canonical_raw(table: Any, mapping: Any) -> tuple[pl.DataFrame, dict[str, str]]:
    """Select the recognised columns of ``table`` under their canonical names (+ ``_row``).

    Returns the raw text frame and canonical name -> header as in the file.
    """
    selected: list[pl.Expr] = [pl.col(ROW)]
    labels: dict[str, str] = {}
    for i, header in enumerate(table.headers):
        canonical = mapping.columns.get(header) if header else None
        if canonical is None or canonical in labels:
            continue
        labels[canonical] = display_header(header)
        selected.append(pl.col(f"c{i}").alias(canonical))
    return table.frame.select(selected), labels


def ingest_bytes(
    con: duckdb.DuckDBPyConnection,
    source: str,
    data: bytes,
    *,
    file_name: str,
    sha256: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    uploader: str = "cli",
    dry_run: bool = False,
    strict: bool = False,
    received_at: datetime | None = None,
    allowed_site_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    receipt_seq: int | None = None,
) -> IngestResult:
    """Ingest the raw bytes of one uploaded CSV or Excel file.

    The caller keeps the bytes in the landing folder first
    (:func:`etl.landing.land`). Bytes already loaded are a ``duplicate``;
    an unreadable file, an empty one or one without a required column is
    ``refused`` (nothing loaded, the reason in the ingest log); otherwise
    every good row is loaded and every bad row reported, in one transaction.

    Parameters
    ----------
    con
        Read-write connection (or cursor) to the warehouse.
    source
        Source name (``feedback``, ``survey``, ``standard``...).
    data
        The file's bytes exactly as received.
    file_name
        The name the user gave the file (reports, ingest log).
    sheet, header_row
        Workbook sheet (default: the first visible one) and header row
        (1-based, as the user sees it; default: found).
    dry_run, strict
        Validate only; or load nothing if any row fails.
    allowed_site_ids
        The sites the uploader may write (``None``: any); a row of another
        site is rejected (rule ``site_not_allowed``).
    receipt_seq
        The inbox's receipt number of the file, kept in the ingest log.
    """
    from datasets.headers import map_headers
    from datasets.sources import get_source
    from etl.landing import sha256_hex

    spec = get_source(source)
    sha = sha256 or sha256_hex(data)
    received = received_at or datetime.now()
    earlier = find_loaded(con, sha, spec.table)
    if earlier is not None:
        result = duplicate_result(source, file_name, sha, earlier)
        if not dry_run:
            log_duplicate(
                con, result, uploader=uploader, received_at=received, receipt_seq=receipt_seq
            )
        return result
    if progress:
        progress("read", 0, len(data))
    try:
        from etl.readers import read_table

        table = read_table(
            data, file_name=file_name, sheet=sheet, header_row=header_row, score=_header_score(spec)
        )
        mapping = map_headers(spec, [h for h in table.headers if h])
        refusal = _refusal_for_headers(spec, mapping, table.headers, table.header_row)
        if refusal is not None:
            raise refusal
    except FileRefused as refused:
        return refuse(
            con,
            source=source,
            file_name=file_name,
            sha256=sha,
            refusal=refused,
            uploader=uploader,
            received_at=received,
            dry_run=dry_run,
            receipt_seq=receipt_seq,
        )
    if progress:
        progress("read", len(data), len(data))
        progress("validate", 0, table.rows)
    raw, labels = canonical_raw(table, mapping)
    unrecognised = unrecognised_columns(spec, mapping, table, raw)
    if unrecognised and strict:
        return refuse(
            con,
            source=source,
            file_name=file_name,
            sha256=sha,
            refusal=notice(unrecognised, strict=True),
            uploader=uploader,
            received_at=received,
            dry_run=dry_run,
        )
    context = warehouse_context(con, allowed_site_ids=allowed_site_ids)
    validation, typed = _validate_raw(spec, raw, context=context, scale=dict(mapping.scale))
    validation.errors = _with_stored_reading(
        _as_typed_by_user(validation.errors, raw), table, mapping
    )
    validation.warnings = _as_typed_by_user(validation.warnings, raw)
    noticed = {header for header, _ in unrecognised}
    unknown = _unknown_column_warnings(
        [
            *(h for h in getattr(mapping, "unknown", ()) or () if h not in noticed),
            *_unnamed_columns_with_data(table),
        ],
        table.header_row,
    )
    if unrecognised:
        unknown = pl.concat([warnings_for(unrecognised, table.header_row), unknown])
    if unknown.height:
        validation.warnings = pl.concat([unknown, validation.warnings], how="vertical_relaxed")
    if progress:
        progress("validate", table.rows, table.rows)
    result = load_validated(
        con,
        spec,
        validation,
        Receipt(file_name, sha, uploader, received, receipt_seq),
        rows_read=table.rows,
        labels=labels,
        dry_run=dry_run,
        strict=strict,
        progress=progress,
        typed=typed,
    )
    if unrecognised and result.reason is None:
        result.reason = notice(unrecognised, strict=False).message
    return result


def _as_typed_by_user(problems: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    """Report each problem's value exactly as the cell was written (``120%``, not ``120.0``)."""
    if problems.height == 0:
        return problems
    columns = [c for c in raw.columns if c != ROW]
    wanted = problems.select(pl.col("row").cast(pl.Int64), pl.col("column")).unique()
    cells = (
        raw.filter(pl.col(ROW).is_in(wanted["row"].implode()))
        .unpivot(on=columns, index=ROW, variable_name="column", value_name="_cell")
        .rename({ROW: "row"})
    )
    return (
        problems.join(cells, on=["row", "column"], how="left", maintain_order="left")
        .with_columns(pl.coalesce("_cell", "value").alias("value"))
        .drop("_cell")
    )


def _with_stored_reading(problems: pl.DataFrame, table: Any, mapping: Any) -> pl.DataFrame:
    """Give both readings of a cell a number format shows otherwise than it stores.

    A cell shown as ``2.5百万`` (a unit the reader cannot read) is rejected as
    shown; the message adds what the cell stores, so the user can see which
    reading is meant and retype the cell.
    """
    stored = getattr(table, "stored", None)
    if problems.height == 0 or stored is None or stored.height == 0:
        return problems
    canonical = {}
    for i, header in enumerate(table.headers):
        name = mapping.columns.get(header) if header else None
        if name is not None and name not in canonical.values():
            canonical[f"c{i}"] = name
    readings = (
        stored.filter(pl.col("position").is_in(list(canonical)))
        .with_columns(pl.col("position").replace_strict(canonical).alias("column"))
        .select(pl.col(ROW).alias("row"), "column", "shown", "stored")
    )
    joined = problems.join(readings, on=["row", "column"], how="left", maintain_order="left")
    both = pl.col("stored").is_not_null()
    return joined.with_columns(
        pl.when(both)
        .then(
            pl.format(
                "{}（该单元格显示为“{}”，实际存储的值为 {}）", "message_zh", "shown", "stored"
            )
        )
        .otherwise(pl.col("message_zh"))
        .alias("message_zh"),
        pl.when(both)
        .then(pl.format("{} (the cell shows {} and stores {})", "message_en", "shown", "stored"))
        .otherwise(pl.col("message_en"))
        .alias("message_en"),
    ).drop("shown", "stored")


def _validate_raw(
    spec: Any, raw: pl.DataFrame, *, context: Any, scale: dict[str, float]
) -> tuple[Any, pl.DataFrame | None]:
    """Normalise the text cells and validate them; return the result and the typed frame."""
    from datasets import validation as v

    result = v.validate_raw(spec, raw, context=context, scale=scale)
    return result, getattr(result, "typed", None)
