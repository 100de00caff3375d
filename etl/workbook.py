"""Read a workbook (XLSX, or legacy XLS) into a :class:`~etl.raw_table.RawTable`, as Excel shows it.

The cells come from fastexcel; what the user sees beyond the stored
values (number formats, merged ranges) from :mod:`etl.sheet_scan`. When
no sheet is named, the sheet whose header matches the source is read
(:func:`choose_sheet`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl

from datasets.problems import ROW
from etl.encoding import OLE2_MAGIC, ZIP_MAGIC
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
from etl.xls_scan import scan_xls

#: A date cell of Excel comes back as ``2024-05-08 00:00:00``; midnight means a plain date.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def _refuse_workbook(detail: str) -> FileRefused:
    return FileRefused(
        "无法打开这个 Excel 文件（可能已损坏或未完整上传）；请在 Excel 中打开并另存为 .xlsx 后重新上传",
        "the Excel file cannot be opened (damaged or cut short?); open it in Excel, save it as "
        f".xlsx and upload again ({detail})",
        rule="unreadable_workbook",
    )


def _stored_readings(grid: pl.DataFrame, shown: pl.DataFrame, first_row: int) -> pl.DataFrame:
    """The stored value of every cell a number format shows otherwise, by the user's row."""
    parts = []
    height = grid.height
    for (col,), cells in shown.filter(pl.col("row") < height).group_by("column"):
        if not 0 <= col < grid.width:  # type: ignore[operator]
            continue
        stored = grid.get_column(grid.columns[col]).gather(cells["row"])  # type: ignore[index]
        parts.append(
            pl.DataFrame(
                {
                    ROW: (cells["row"].cast(pl.Int64) + first_row),
                    "position": f"c{col}",
                    "shown": cells["text"].cast(pl.Utf8),
                    "stored": stored.cast(pl.Utf8),
                }
            )
        )
    schema = {ROW: pl.Int64, "position": pl.Utf8, "shown": pl.Utf8, "stored": pl.Utf8}
    if not parts:
        return pl.DataFrame(schema=schema)
    readings = pl.concat(parts).cast(schema)  # type: ignore[arg-type]
    return readings.filter(pl.col("stored").is_not_null() & (pl.col("stored") != pl.col("shown")))


def _show_as_formatted(grid: pl.DataFrame, shown: pl.DataFrame) -> pl.DataFrame:
    """Put the text Excel displays in place of the stored number (0.85 -> ``85%``)."""
    updates = []
    height = grid.height
    for (col,), cells in shown.filter(pl.col("row") < height).group_by("column"):
        if not 0 <= col < grid.width:  # type: ignore[operator]
            continue
        texts = pl.Series([None] * height, dtype=pl.Utf8).scatter(cells["row"], cells["text"])
        name = grid.columns[col]  # type: ignore[index]
        new = pl.lit(texts)
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


#: A sheet matches a source when its header row names at least this many of its columns.
SHEET_MATCH = 2


def _refuse_sheets(names: list[str], matching: list[str]) -> FileRefused:
    listed_zh, listed_en = "、".join(names), ", ".join(names)
    if matching:
        return FileRefused(
            f"工作簿中有多个工作表的表头都写有本数据来源的列名（{'、'.join(matching)}），无法确定"
            f"导入哪一个；请用 --sheet 选项指定工作表（现有工作表：{listed_zh}）",
            f"several sheets of the workbook have a header of this source ({', '.join(matching)}); "
            f"name the one to load with the --sheet option (sheets: {listed_en})",
            rule="sheet",
        )
    return FileRefused(
        f"工作簿中没有一个工作表的表头写有本数据来源的列名（现有工作表：{listed_zh}）；请用 --sheet "
        "选项指定数据所在的工作表，或使用模板（stdeval template）的表头",
        f"no sheet of the workbook has a header of this source (sheets: {listed_en}); name the "
        "sheet holding the data with the --sheet option, or use the template's headers "
        "(stdeval template)",
        rule="sheet",
    )


def choose_sheet(reader: Any, score: HeaderScore | None, options: dict[str, Any]) -> int:
    """Index of the sheet to read when none is named: the one whose header matches the source.

    Hidden sheets are never chosen. With one visible sheet (or no scorer) it
    is read whatever its header says (the header checks then explain what
    is missing). With several, the sheet whose best header row names the
    most columns of the source is read (a 填表说明 sheet first in the
    workbook is passed over), provided that it names at least
    :data:`SHEET_MATCH`; when several name as many, the first visible sheet
    is read if it is one of them (a template's data sheet before its
    example sheet), else the file is refused.

    Raises
    ------
    etl.refusal.FileRefused
        Rule ``sheet``, naming the sheets and the ``--sheet`` option, when
        no visible sheet matches or several match equally.
    """
    names = list(reader.sheet_names)
    if len(names) == 1:
        return 0
    visible: list[tuple[int, Any]] = []
    for i in range(len(names)):
        head = reader.load_sheet(i, **{**options, "n_rows": HEADER_SEARCH_ROWS})
        if getattr(head, "visible", "visible") == "visible":
            visible.append((i, head))
    if not visible:
        return 0
    if len(visible) == 1 or score is None:
        return visible[0][0]
    scores: dict[int, int] = {}
    for i, head in visible:
        rows = [[cell_text(v) for v in row] for row in pl.DataFrame(head.to_arrow()).iter_rows()]
        scores[i] = choose_header(rows, score)[1]
    best = max(scores.values())
    matching = [i for i, found in scores.items() if found == best]
    # The first visible sheet stays the default (a template's data sheet, before its example).
    if best >= SHEET_MATCH and (len(matching) == 1 or matching[0] == visible[0][0]):
        return matching[0]
    shown = [names[i] for i, _ in visible]
    raise _refuse_sheets(shown, [names[i] for i in matching] if best >= SHEET_MATCH else [])


def read_excel_bytes(
    data: bytes,
    *,
    sheet: str | None = None,
    score: HeaderScore | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Read the sheet matching the source (:func:`choose_sheet`), or ``sheet``, into a :class:`RawTable`.

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
    options = {
        "header_row": None,
        "dtypes": "string",
        "skip_rows": 0,
        "schema_sample_rows": 1,
        "whitespace_as_null": True,
    }
    if sheet is None:
        try:
            chosen: int | str = choose_sheet(reader, score, options)
        except FileRefused:
            raise
        except Exception as exc:
            raise _refuse_workbook(type(exc).__name__) from None
    elif sheet in names:
        chosen = sheet
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        chosen = int(sheet) - 1
    else:
        zh = f"工作簿中没有名为“{sheet}”的工作表；现有工作表：{'、'.join(names)}"
        en = f"the workbook has no sheet named {sheet!r}; its sheets are: {', '.join(names)}"
        raise FileRefused(zh, en, rule="sheet")
    try:
        loaded = reader.load_sheet(chosen, **options)
        grid = pl.DataFrame(loaded.to_arrow())
        sheet_name = loaded.name
    except Exception as exc:
        raise _refuse_workbook(type(exc).__name__) from None
    if grid.height == 0 or grid.width == 0:
        raise refuse_empty()
    grid = grid.select(pl.all().cast(pl.Utf8).str.replace(_MIDNIGHT, "${1}"))
    first_row = 1
    scan = None
    if data.startswith(ZIP_MAGIC):
        scan = scan_sheet(data, sheet_name, grid.width)
    elif data.startswith(OLE2_MAGIC):
        scan, first_row = scan_xls(data, sheet_name, grid)
    stored = None
    if scan is not None:
        stored = _stored_readings(grid, scan.shown, first_row)
        grid = _show_as_formatted(grid, scan.shown)
    top = [[cell_text(v) for v in grid.row(i)] for i in range(min(grid.height, HEADER_SEARCH_ROWS))]
    if header_row is not None:
        index = header_row - first_row
        if index >= grid.height or index < 0:
            raise refuse_header_row(header_row, grid.height + first_row - 1)
    else:
        index, _ = choose_header(top, score)
        if index < 0:
            raise refuse_empty()
    if scan is not None and scan.merges:
        grid = _fill_merges(grid, scan.merges, index)
    table = finish_table(grid, index, first_row, kind="excel", sheet=sheet_name, score=score)
    return replace(table, stored=stored)
