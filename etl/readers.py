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
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from datasets.problems import ROW
from etl.encoding import OLE2_MAGIC, ZIP_MAGIC, decode_text
from etl.refusal import FileRefused
from etl.sheet_scan import scan_sheet
from etl.zip_guard import check_package

#: How many rows at the top of a file may hold titles and notes above the header.
HEADER_SEARCH_ROWS = 30
_SEPARATORS = (",", "\t", ";", "|")
#: A date cell of Excel comes back as ``2024-05-08 00:00:00``; midnight means a plain date.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"

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
    """

    headers: list[str]
    frame: pl.DataFrame
    header_row: int
    kind: str
    encoding: str | None = None
    sheet: str | None = None

    @property
    def rows(self) -> int:
        """Number of non-blank data rows."""
        return self.frame.height


def _position_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def _cell(value: object) -> str:
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
            cells = [_cell(c) for c in row]
            if not any(cells):
                continue
            s = score(cells)
            if s > best_score:
                best, best_score = i, s
    if best >= 0:
        return best, best_score
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(_cell(c) for c in row):
            return i, 0
    return -1, 0


_CONTENT = re.compile(rb"[^\s\x00]")


def _blank(data: bytes) -> bool:
    """True when ``data`` holds nothing but whitespace (found at the first content byte)."""
    return _CONTENT.search(data) is None


def _refuse_empty() -> FileRefused:
    return FileRefused(
        "文件为空：没有表头，也没有数据行；请填写模板后重新上传",
        "the file is empty: no header and no data rows; fill in the template and upload again",
        rule="empty",
    )


def _refuse_no_rows(header_row: int) -> FileRefused:
    return FileRefused(
        f"文件只有表头（第 {header_row} 行），没有数据行；请填写数据后重新上传",
        f"the file has a header (row {header_row}) but no data rows; add the data and upload again",
        rule="no_rows",
    )


def _refuse_no_header() -> FileRefused:
    return FileRefused(
        f"找不到表头：文件前 {HEADER_SEARCH_ROWS} 行中没有一行写有本数据来源的列名，也没有数据行；"
        "请用 `stdeval template` 生成的模板填写后重新上传",
        f"no header found: none of the first {HEADER_SEARCH_ROWS} rows names a column of this "
        "source, and there are no data rows; fill in the template (`stdeval template SOURCE`) "
        "and upload again",
        rule="no_header",
    )


def _refuse_header_row(n: int, available: int) -> FileRefused:
    return FileRefused(
        f"指定的表头行 {n} 超出文件范围（文件共 {available} 行）；请检查 --header-row",
        f"--header-row {n} is beyond the end of the file ({available} rows); check the option",
        rule="header_row",
    )


def _finish(
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
    header_cells = [_cell(v) for v in grid.row(header_index)]
    header_row = first_row_number + header_index
    body = grid.slice(header_index + 1).with_row_index(ROW, offset=header_row + 1)
    body = body.with_columns(pl.col(ROW).cast(pl.Int64))
    if width:
        # Empty cells are null already (CSV: empty field; Excel: whitespace_as_null).
        blank = body.select(pl.all_horizontal([pl.col(c).is_null() for c in names])).to_series()
        if blank.any():  # filtering copies every column: only when there is a blank row
            body = body.filter(~blank)
    body = body.select(ROW, *names)
    if body.height == 0:
        if score is not None and score(header_cells) == 0:
            # One line of noise (or a paragraph of text) is not "a header without rows".
            raise _refuse_no_header()
        raise _refuse_no_rows(header_row)
    return RawTable(header_cells, body, header_row, kind, encoding, sheet)


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
            cells = [_cell(c) for c in records[index]]
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
            raise _refuse_header_row(header_row, available)
        raise _refuse_empty()
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
        raise _refuse_empty()
    decoded = decode_text(data)
    utf8 = decoded.utf8
    head_bytes = utf8[: 1 << 16]
    head = head_bytes.decode("utf-8", errors="ignore")
    if "\n" not in head and "\r" in head:
        # Classic Mac line ends: one record per CR.
        utf8 = utf8.replace(b"\r", b"\n")
        head = head.replace("\r", "\n")
    if not head.strip():
        raise _refuse_empty()
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
        raise _refuse_empty()
    grid = grid.select(pl.all().cast(pl.Utf8))
    return _finish(grid, 0, index + 1, kind="csv", encoding=decoded.encoding, score=score)


# -- Excel --------------------------------------------------------------------


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
        raise _refuse_empty()
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
        raise _refuse_empty()
    grid = grid.select(pl.all().cast(pl.Utf8).str.replace(_MIDNIGHT, "${1}"))
    scan = scan_sheet(data, sheet_name, grid.width) if data.startswith(ZIP_MAGIC) else None
    if scan is not None:
        grid = _show_as_formatted(grid, scan.shown)
    top = [[_cell(v) for v in grid.row(i)] for i in range(min(grid.height, HEADER_SEARCH_ROWS))]
    if header_row is not None:
        index = header_row - 1
        if index >= grid.height or index < 0:
            raise _refuse_header_row(header_row, grid.height)
    else:
        index, _ = choose_header(top, score)
        if index < 0:
            raise _refuse_empty()
    if scan is not None and scan.merges:
        grid = _fill_merges(grid, scan.merges, index)
    return _finish(grid, index, 1, kind="excel", sheet=sheet_name, score=score)


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
        raise _refuse_empty()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        if data.startswith(ZIP_MAGIC):
            check_package(data)
        return read_excel_bytes(data, sheet=sheet, score=score, header_row=header_row)
    if re.search(r"\.xls[xmb]?$", file_name.lower()) and data[:2] == b"PK":
        check_package(data)
        return read_excel_bytes(data, sheet=sheet, score=score, header_row=header_row)
    return read_csv_bytes(data, score=score, header_row=header_row)
