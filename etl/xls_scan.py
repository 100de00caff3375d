"""What a legacy ``.xls`` workbook shows beyond its stored values: number formats and merges.

The same reading as :mod:`etl.sheet_scan` gives for an XLSX, from a BIFF
workbook (Excel 97–2003) read with xlrd (``formatting_info=True``): each
numeric cell whose format changes its meaning is rendered as Excel displays
it (:mod:`etl.number_formats`), and the merged ranges are listed. An OLE2
file is not compressed, so it cannot unpack to more than its own size.

The cell reader (fastexcel) may return the grid from the first row and
column holding a value rather than from A1, so this module also says which
Excel row the grid's first row is: the coordinates it returns are the grid's.
"""

from __future__ import annotations

import polars as pl

from etl.number_formats import parse_format
from etl.sheet_scan import EMPTY, SheetScan

#: xlrd's type of a numeric cell (``xlrd.XL_CELL_NUMBER``).
_NUMBER = 2
#: xlrd's types of cells without a value: empty, and blank with only a format.
_NO_VALUE = frozenset({0, 6})


def scan_xls(data: bytes, sheet_name: str, grid: pl.DataFrame) -> tuple[SheetScan, int]:
    """Formatted numbers and merges of sheet ``sheet_name`` of the ``.xls`` ``data``, and its first row.

    ``grid`` is what the cell reader returned: its first row and column
    holding a value are the sheet's first ones, which places it. Returns the
    scan in grid coordinates and the Excel row number of the grid's first
    row. Anything unexpected (no xlrd, a damaged file) gives nothing, and
    row 1.
    """
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        sheet = book.sheet_by_name(sheet_name)
    except Exception:  # noqa: BLE001 - xlrd raises its own errors for every kind of damage
        return EMPTY, 1
    # Where the cell reader's grid begins: the first row and column holding a value
    # (blank cells that only carry a format do not count).
    valued = [
        (r, c)
        for r in range(sheet.nrows)
        for c, kind in enumerate(sheet.row_types(r))
        if kind not in _NO_VALUE
    ]
    if not valued or grid.height == 0:
        return EMPTY, 1
    filled = grid.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    columns_filled = grid.select(pl.all().is_not_null().any()).row(0)
    grid_row = int(filled.arg_true()[0]) if filled.any() else 0
    grid_col = next((i for i, has in enumerate(columns_filled) if has), 0)
    row_offset = max(0, min(r for r, _ in valued) - grid_row)
    col_offset = max(0, min(c for _, c in valued) - grid_col)
    formats = {}
    for key, fmt in book.format_map.items():
        parsed = parse_format(fmt.format_str or "")
        if parsed is not None:
            formats[key] = parsed
    rows: list[int] = []
    columns: list[int] = []
    texts: list[str] = []
    if formats:
        from etl.number_formats import display

        for r in range(row_offset, sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype != _NUMBER or c < col_offset:
                    continue
                fmt = formats.get(book.xf_list[cell.xf_index].format_key)
                if fmt is not None:
                    rows.append(r - row_offset)
                    columns.append(c - col_offset)
                    texts.append(display(float(cell.value), fmt))
    shown = pl.DataFrame(
        {"column": columns, "row": rows, "text": texts},
        schema={"column": pl.Int64, "row": pl.Int64, "text": pl.Utf8},
    )
    merges = [
        (rlo - row_offset, clo - col_offset, rhi - 1 - row_offset, chi - 1 - col_offset)
        for rlo, rhi, clo, chi in sheet.merged_cells
        if rlo >= row_offset and clo >= col_offset
    ]
    return SheetScan(shown, merges), row_offset + 1
