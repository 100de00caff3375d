"""A table as a file: CSV that spreadsheets open safely, and XLSX.

CSV is UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line
ends, every row written. A text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would be run as a formula by a
spreadsheet (respondents' free text reaches these tables), so it gets a
leading apostrophe; numbers stay numbers (``-3`` is a number, not text).
XLSX writes text as text (never as a formula) and numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from datetime import date, datetime

import polars as pl
import xlsxwriter

__all__ = ["FORMULA_STARTS", "csv_bytes", "safe_text", "xlsx_book_bytes", "xlsx_bytes"]

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula.

    Examples
    --------
    >>> safe_text("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> safe_text("缺少配套指南")
    '缺少配套指南'
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_text(str(value))


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The whole frame as CSV bytes: UTF-8 BOM, header row, CRLF, formula-safe.

    Examples
    --------
    >>> csv_bytes(pl.DataFrame({"a": [-1.5], "b": ["-1"]}))
    b"\\xef\\xbb\\xbfa,b\\r\\n-1.5,'-1\\r\\n"
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(c) for c in frame.columns])
    for row in frame.iter_rows():
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _write_sheet(book: xlsxwriter.Workbook, name: str, frame: pl.DataFrame, bold: object) -> None:
    ws = book.add_worksheet(name[:31])
    for j, column in enumerate(frame.columns):
        ws.write_string(0, j, column, bold)
    for i, row in enumerate(frame.iter_rows(), start=1):
        for j, value in enumerate(row):
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                continue
            if isinstance(value, bool):
                ws.write_boolean(i, j, value)
            elif isinstance(value, int | float):
                ws.write_number(i, j, value)
            else:
                text = value.isoformat() if isinstance(value, datetime | date) else str(value)
                ws.write_string(i, j, text)


def xlsx_book_bytes(
    sheets: Mapping[str, pl.DataFrame], *, created: datetime | None = None
) -> bytes:
    """Several frames as one XLSX workbook, one sheet each, in order (text never a formula).

    ``created`` is the workbook's creation time in its properties; give a
    fixed one (a run's time) and the same frames give the same bytes.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    if created is not None:
        book.set_properties({"created": created})
    bold = book.add_format({"bold": True})
    for name, frame in sheets.items():
        _write_sheet(book, name, frame, bold)
    book.close()
    return buffer.getvalue()


def xlsx_bytes(frame: pl.DataFrame, *, sheet: str = "data") -> bytes:
    """The whole frame as an XLSX workbook of one sheet (text never a formula)."""
    return xlsx_book_bytes({sheet: frame})
