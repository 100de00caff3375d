"""Read a received CSV or Excel file into a frame of text cells with the user's row numbers.

Every cell is read as text (no type guessing), so that the normalisers of
``datasets/`` cast each value explicitly and report a bad one instead of
silently nulling it. Rows carry the number the user sees: the real Excel
row, or for a CSV the record number with the header's record counted
(header = row 1 when it is the first line). A title row above the header
("2024年第二季度实施情况反馈表") is skipped: the header is the first row among
the top ones that names the most known columns, or the row given with
``--header-row``.
"""

from __future__ import annotations

import csv
import io
import re

import polars as pl

from etl.encoding import OLE2_MAGIC, ZIP_MAGIC, decode_text
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
from etl.workbook import read_excel_bytes
from etl.zip_guard import check_package

__all__ = ["RawTable", "choose_header", "read_csv_bytes", "read_excel_bytes", "read_table"]

_SEPARATORS = (",", "\t", ";", "|")


_CONTENT = re.compile(rb"[^\s\x00]")


def _blank(data: bytes) -> bool:
    """True when ``data`` holds nothing but whitespace (found at the first content byte)."""
    return _CONTENT.search(data) is None


# -- CSV ----------------------------------------------------------------------


def _head_records(text: str, separator: str, limit: int) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    out: list[list[str]] = []
    try:
        for record in reader:
            out.append(record)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _python_grid(text: str, separator: str, skip: int) -> pl.DataFrame:
    """Parse with the csv module (exact, slower): for ragged files polars will not take."""
    csv.field_size_limit(1 << 30)
    records = list(csv.reader(io.StringIO(text), delimiter=separator))[skip:]
    width = max((len(r) for r in records), default=0)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for record in records:
        for i in range(width):
            value = record[i] if i < len(record) else None
            columns[i].append(value if value != "" else None)
    return pl.DataFrame(
        {f"c{i}": col for i, col in enumerate(columns)},
        schema={f"c{i}": pl.Utf8 for i in range(width)},
    )


def _choose_layout(head: str, score: HeaderScore | None, header_row: int | None) -> tuple[int, str]:
    """Return (header record index, separator): the pair naming the most known columns."""
    best: tuple[tuple[int, int], int, str] | None = None
    available = 0
    for sep in _SEPARATORS:
        records = _head_records(head, sep, HEADER_SEARCH_ROWS + 1)
        available = max(available, len(records))
        if header_row is not None:
            index = header_row - 1
            if index >= len(records):
                continue
            cells = [cell_text(c) for c in records[index]]
            found = score(cells) if score else 0
        else:
            index, found = choose_header(records, score)
            if index < 0:
                continue
        # More recognised headers first; then the separator that splits the header widest.
        rank = (found, len(records[index]))
        if best is None or rank > best[0]:
            best = (rank, index, sep)
    if best is None:
        if header_row is not None and available:
            raise refuse_header_row(header_row, available)
        raise refuse_empty()
    return best[1], best[2]


def read_csv_bytes(
    data: bytes, *, score: HeaderScore | None = None, header_row: int | None = None
) -> RawTable:
    """Read a CSV (any supported encoding) into a :class:`RawTable`.

    Examples
    --------
    >>> t = read_csv_bytes("标题\\n\\n站点,值\\nS1,=HYPERLINK(1)\\n".encode("gb18030"),
    ...                    score=lambda c: int("站点" in c))
    >>> t.header_row, t.headers, t.frame.rows()
    (3, ['站点', '值'], [(4, 'S1', '=HYPERLINK(1)')])
    """
    if _blank(data):
        raise refuse_empty()
    decoded = decode_text(data)
    utf8 = decoded.utf8
    head_bytes = utf8[: 1 << 16]
    head = head_bytes.decode("utf-8", errors="ignore")
    if "\n" not in head and "\r" in head:
        # Classic Mac line ends: one record per CR.
        utf8 = utf8.replace(b"\r", b"\n")
        head = head.replace("\r", "\n")
    if not head.strip():
        raise refuse_empty()
    index, sep = _choose_layout(head, score, header_row)
    try:
        grid = pl.read_csv(
            utf8,
            has_header=False,
            infer_schema=False,
            skip_rows=index,
            separator=sep,
            quote_char='"',
            raise_if_empty=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.ComputeError:
        text = utf8.decode("utf-8")
        grid = _python_grid(text, sep, index)
    if grid.height == 0:
        raise refuse_empty()
    grid = grid.select(pl.all().cast(pl.Utf8))
    return finish_table(grid, 0, index + 1, kind="csv", encoding=decoded.encoding, score=score)


def read_table(
    data: bytes,
    *,
    file_name: str = "",
    sheet: str | None = None,
    header_row: int | None = None,
    score: HeaderScore | None = None,
) -> RawTable:
    """Read a received file, CSV or Excel, whatever its extension says.

    The format is recognised from the bytes (a ZIP or OLE2 container is a
    workbook, anything else must be text), so a PNG renamed ``.csv`` or a
    CSV saved as ``.xlsx`` is handled by what it really is.

    Raises
    ------
    etl.refusal.FileRefused
        Empty, binary, undecodable, damaged, or without data rows.
    """
    if header_row is not None and header_row < 1:
        msg_zh = f"表头行号应为正整数（第 1 行为文件第一行），而不是 {header_row}"
        msg_en = f"--header-row counts from 1 (the file's first row), not {header_row}"
        raise FileRefused(msg_zh, msg_en, rule="header_row")
    if _blank(data):
        raise refuse_empty()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        if data.startswith(ZIP_MAGIC):
            check_package(data)
        return read_excel_bytes(data, sheet=sheet, score=score, header_row=header_row)
    if re.search(r"\.xls[xmb]?$", file_name.lower()) and data[:2] == b"PK":
        check_package(data)
        return read_excel_bytes(data, sheet=sheet, score=score, header_row=header_row)
    return read_csv_bytes(data, score=score, header_row=header_row)
