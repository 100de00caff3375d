"""Read a workbook (XLSX, or legacy XLS) into a :class:`~etl.raw_table.RawTable`, as Excel shows it.

The cells come from fastexcel; what the user sees beyond the stored
values (number formats, merged ranges) from :mod:`etl.sheet_scan`. When
no sheet is named, the sheet whose header matches the source is read
(:func:`choose_sheet`).
"""

from __future__ import annotations

import polars as pl

from etl.encoding import ZIP_MAGIC
from etl.raw_table import (
    HEADER_SEARCH_ROWS,
    HeaderScore,
    RawTable,
    cell_text,
    choose_header,
    finish_table,
    refuse_empty,
    refuse_header_row,
)
from etl.refusal import FileRefused
from etl.sheet_scan import scan_sheet

#: A date cell of Excel comes back as ``2024-05-08 00:00:00``; midnight means a plain date.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def _refuse_workbook(detail: str) -> FileRefused:
    return FileRefused(
        "无法打开这个 Excel 文件（可能已损坏或未完整上传）；请在 Excel 中打开并另存为 .xlsx 后重新上传",
        "the Excel file cannot be opened (damaged or cut short?); open it in Excel, save it as "
        f".xlsx and upload again ({detail})",
        rule="unreadable_workbook",
    )


def _show_as_formatted(grid: pl.DataFrame, shown: pl.DataFrame) -> pl.DataFrame:
    """Put the text Excel displays in place of the stored number (0.85 -> ``85%``)."""
    updates = []
    height = grid.height
    for (col,), cells in shown.filter(pl.col("row") < height).group_by("column"):
        if not 0 <= col < grid.width:  # type: ignore[operator]
            continue
        texts: list[str | None] = [None] * height
        for row, text in zip(cells["row"], cells["text"], strict=True):
            texts[row] = text
        name = grid.columns[col]  # type: ignore[index]
        new = pl.lit(pl.Series(texts, dtype=pl.Utf8))
        updates.append(pl.coalesce(new, pl.col(name)).alias(name))
    return grid.with_columns(updates) if updates else grid


def _fill_merges(
    grid: pl.DataFrame, merges: list[tuple[int, int, int, int]], header_index: int
) -> pl.DataFrame:
    """Every cell of a merged range below the header holds the range's (top-left) value."""
    columns: dict[int, list[str | None]] = {}
    for r0, c0, r1, c1 in merges:
        if r0 <= header_index or r0 >= grid.height or c0 < 0 or (r0, c0) == (r1, c1):
            continue
        value = grid.item(r0, c0)
        if value is None:
            continue
        for c in range(c0, min(c1, grid.width - 1) + 1):
            cells = columns.setdefault(c, grid.get_column(grid.columns[c]).to_list())
            for r in range(r0, min(r1, grid.height - 1) + 1):
                cells[r] = value
    if not columns:
        return grid
    return grid.with_columns(
        pl.Series(grid.columns[c], cells, dtype=pl.Utf8) for c, cells in columns.items()
    )


def read_excel_bytes(
    data: bytes,
    *,
    sheet: str | None = None,
    score: HeaderScore | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Read the first visible sheet (or ``sheet``) of a workbook into a :class:`RawTable`.

    Row numbers are the real Excel rows. Formula cells give their cached
    value; text that merely looks like a formula (``=HYPERLINK(...)``) stays
    text. Date cells come back as ``YYYY-MM-DD`` (``YYYY-MM-DD hh:mm:ss``
    when they carry a time); a number whose format changes its meaning as
    Excel displays it (``85%`` for a stored 0.85, ``12.3456`` for 123456
    under ``0!.0000``, ``2024.10`` under ``0.00``: :mod:`etl.number_formats`);
    a merged range below the header gives its value to every cell it covers.
    """
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except Exception as exc:  # fastexcel raises its own hierarchy for every kind of damage
        raise _refuse_workbook(type(exc).__name__) from None
    if not names:
        raise refuse_empty()
    if sheet is None:
        chosen: int | str = 0
    elif sheet in names:
        chosen = sheet
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        chosen = int(sheet) - 1
    else:
        listed = "、".join(names)
        raise FileRefused(
            f"工作簿中没有名为“{sheet}”的工作表；现有工作表：{listed}",
            f"the workbook has no sheet named {sheet!r}; its sheets are: {', '.join(names)}",
            rule="sheet",
        )
    try:
        options = {
            "header_row": None,
            "dtypes": "string",
            "skip_rows": 0,
            "schema_sample_rows": 1,
            "whitespace_as_null": True,
        }
        loaded = reader.load_sheet(chosen, **options)
        if sheet is None and getattr(loaded, "visible", "visible") != "visible":
            # The first sheet the user can see, not a hidden helper sheet.
            for i in range(1, len(names)):
                candidate = reader.load_sheet(i, **options)
                if getattr(candidate, "visible", "visible") == "visible":
                    loaded = candidate
                    break
        grid = pl.DataFrame(loaded.to_arrow())
        sheet_name = loaded.name
    except Exception as exc:
        raise _refuse_workbook(type(exc).__name__) from None
    if grid.height == 0 or grid.width == 0:
        raise refuse_empty()
    grid = grid.select(pl.all().cast(pl.Utf8).str.replace(_MIDNIGHT, "${1}"))
    scan = scan_sheet(data, sheet_name, grid.width) if data.startswith(ZIP_MAGIC) else None
    if scan is not None:
        grid = _show_as_formatted(grid, scan.shown)
    top = [[cell_text(v) for v in grid.row(i)] for i in range(min(grid.height, HEADER_SEARCH_ROWS))]
    if header_row is not None:
        index = header_row - 1
        if index >= grid.height or index < 0:
            raise refuse_header_row(header_row, grid.height)
    else:
        index, _ = choose_header(top, score)
        if index < 0:
            raise refuse_empty()
    if scan is not None and scan.merges:
        grid = _fill_merges(grid, scan.merges, index)
    return finish_table(grid, index, 1, kind="excel", sheet=sheet_name, score=score)
