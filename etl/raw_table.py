"""The frame every reader returns (:class:`RawTable`), how its header is found, and the refusals they share.

A reader (CSV: :mod:`etl.readers`, workbook: :mod:`etl.workbook`) turns a
grid of text cells, one row per file row, into a :class:`RawTable` with
:func:`finish_table`: the header row is the one naming the most known
columns among the top :data:`HEADER_SEARCH_ROWS` (:func:`choose_header`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from datasets.problems import ROW
from etl.refusal import FileRefused

#: How many rows at the top of a file may hold titles and notes above the header.
HEADER_SEARCH_ROWS = 30

#: ``score(cells) -> how many known columns this row names`` (from the source's headers).
HeaderScore = Callable[[list[str]], int]


@dataclass
class RawTable:
    """The cells of one sheet or CSV below its header, all text.

    Attributes
    ----------
    headers
        The header cells as written in the file (``""`` for a blank one).
    frame
        One Utf8 column per header position, named ``c0``, ``c1``..., plus
        ``_row`` (Int64), the row number as the user sees it. Blank rows
        are dropped (their numbers are skipped, like in the file).
    header_row
        Row number of the header (1 when there is no title row).
    kind
        ``csv`` or ``excel``.
    encoding
        The text encoding of a CSV (``None`` for Excel).
    sheet
        The sheet read from a workbook.
    stored
        For workbook cells shown through a number format (``2.5百万`` for a
        stored 2500000): ``_row``, ``position`` (``c0``...), ``shown`` and
        ``stored``, so a message about such a cell can give both readings.
        ``None`` for a CSV.
    """

    headers: list[str]
    frame: pl.DataFrame
    header_row: int
    kind: str
    encoding: str | None = None
    sheet: str | None = None
    stored: pl.DataFrame | None = None

    @property
    def rows(self) -> int:
        """Number of non-blank data rows."""
        return self.frame.height


def _position_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def cell_text(value: object) -> str:
    """The text of a cell, stripped (``""`` for an empty one)."""
    return "" if value is None else str(value).strip()


def choose_header(rows: list[list[str]], score: HeaderScore | None) -> tuple[int, int]:
    """Return (index, score) of the header among the top ``rows``.

    The header is the first row naming the most known columns; with no
    scorer, or when no row names any, it is the first non-blank row.

    Examples
    --------
    >>> rows = [["2024年反馈表", "", ""], [], ["试点单位编号", "标准编号", "报告期"]]
    >>> choose_header(rows, lambda cells: sum(c.endswith("编号") for c in cells))
    (2, 2)
    """
    best, best_score = -1, 0
    if score is not None:
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cells = [cell_text(c) for c in row]
            if not any(cells):
                continue
            s = score(cells)
            if s > best_score:
                best, best_score = i, s
    if best >= 0:
        return best, best_score
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(cell_text(c) for c in row):
            return i, 0
    return -1, 0


def refuse_empty() -> FileRefused:
    """Refusal ``empty``: no header and no data rows."""
    return FileRefused(
        "文件为空：没有表头，也没有数据行；请填写模板后重新上传",
        "the file is empty: no header and no data rows; fill in the template and upload again",
        rule="empty",
    )


def refuse_no_rows(header_row: int) -> FileRefused:
    """Refusal ``no_rows``: a header on ``header_row`` but nothing below it."""
    return FileRefused(
        f"文件只有表头（第 {header_row} 行），没有数据行；请填写数据后重新上传",
        f"the file has a header (row {header_row}) but no data rows; add the data and upload again",
        rule="no_rows",
    )


def refuse_no_header() -> FileRefused:
    """Refusal ``no_header``: no top row names a column of the source."""
    return FileRefused(
        f"找不到表头：文件前 {HEADER_SEARCH_ROWS} 行中没有一行写有本数据来源的列名，也没有数据行；"
        "请用 `stdeval template` 生成的模板填写后重新上传",
        f"no header found: none of the first {HEADER_SEARCH_ROWS} rows names a column of this "
        "source, and there are no data rows; fill in the template (`stdeval template SOURCE`) "
        "and upload again",
        rule="no_header",
    )


def refuse_header_row(n: int, available: int) -> FileRefused:
    """Refusal ``header_row``: ``--header-row n`` beyond the ``available`` rows."""
    return FileRefused(
        f"指定的表头行 {n} 超出文件范围（文件共 {available} 行）；请检查 --header-row",
        f"--header-row {n} is beyond the end of the file ({available} rows); check the option",
        rule="header_row",
    )


def _blank_cell(name: str) -> pl.Expr:
    """True where the text cell ``name`` is empty, null or only spaces (any kind)."""
    return pl.col(name).is_null() | (pl.col(name).str.strip_chars().str.len_bytes() == 0)


def finish_table(
    grid: pl.DataFrame,
    header_index: int,
    first_row_number: int,
    *,
    kind: str,
    encoding: str | None = None,
    sheet: str | None = None,
    score: HeaderScore | None = None,
) -> RawTable:
    """Split ``grid`` (text cells, one row per file row from ``first_row_number``) at its header."""
    width = grid.width
    names = _position_names(width)
    grid = grid.rename(dict(zip(grid.columns, names, strict=True)))
    header_cells = [cell_text(v) for v in grid.row(header_index)]
    header_row = first_row_number + header_index
    body = grid.slice(header_index + 1).with_row_index(ROW, offset=header_row + 1)
    body = body.with_columns(pl.col(ROW).cast(pl.Int64))
    # Only a row whose first cell is blank can be blank: that one column is
    # tested first, the others only when it finds such a row.
    if width and body.select(_blank_cell(names[0]).any()).item():
        # A row whose cells are all empty or only spaces (any kind: a full-width
        # space, a no-break space) is not a row a person wrote: skip it. Excel
        # cells of spaces are null already (whitespace_as_null); CSV ones are not.
        blank = body.select(pl.all_horizontal(_blank_cell(c) for c in names)).to_series()
        if blank.any():  # filtering copies every column: only when there is a blank row
            body = body.filter(~blank)
    body = body.select(ROW, *names)
    if body.height == 0:
        if score is not None and score(header_cells) == 0:
            # One line of noise (or a paragraph of text) is not "a header without rows".
            raise refuse_no_header()
        raise refuse_no_rows(header_row)
    return RawTable(header_cells, body, header_row, kind, encoding, sheet)
