"""Find the cells of an XLSX sheet that Excel shows as percentages.

A cell formatted ``0%`` that shows ``85%`` holds the number ``0.85``; read
as a bare value it would become 0.85 % and be loaded a hundred times too
small without any error. The cell reader of ``etl.readers`` therefore asks
this module which cells carry a percent number format and renders them as
the user sees them (``85%``), so the percentage normaliser reads 85.

Only the workbook's XML is read (``xl/styles.xml``, the sheet part), with
the standard library; a workbook whose styles hold no percent format costs
a single small parse. Legacy ``.xls`` workbooks are not inspected.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import polars as pl

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Excel's built-in number formats ``0%`` and ``0.00%``.
_BUILTIN_PERCENT = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]+)\d+(?::([A-Z]+)\d+)?"')


@dataclass(frozen=True)
class PercentCells:
    """Percent-formatted numeric cells of one sheet.

    Attributes
    ----------
    rows_by_column
        For each column holding such cells, their rows. Both are 0-based:
        row 0 is Excel row 1 and column 0 is the sheet's first column
        holding any value (the first column of the grid a cell reader
        returns).
    """

    rows_by_column: dict[int, list[int]]

    def __bool__(self) -> bool:
        """True when the sheet has at least one percent-formatted number."""
        return bool(self.rows_by_column)


NONE = PercentCells({})


def column_index(letters: str) -> int:
    """0-based index of a column named by its letters.

    Examples
    --------
    >>> column_index("A"), column_index("Z"), column_index("AA")
    (0, 25, 26)
    """
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def is_percent_format(code: str) -> bool:
    """True when a number-format code displays its number as a percentage.

    A ``%`` inside quotes, after a backslash or inside brackets is literal text.

    Examples
    --------
    >>> is_percent_format("0.0%"), is_percent_format('0"%"'), is_percent_format("0.00")
    (True, False, False)
    """
    return "%" in _QUOTED.sub("", code)


def percent_styles(styles_xml: bytes) -> frozenset[int]:
    """Indexes into ``cellXfs`` whose number format is a percentage."""
    root = ElementTree.fromstring(styles_xml)
    percent_ids = set(_BUILTIN_PERCENT)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        if is_percent_format(fmt.get("formatCode", "")):
            percent_ids.add(int(fmt.get("numFmtId", "-1")))
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return frozenset()
    return frozenset(
        i
        for i, xf in enumerate(xfs.findall(f"{_MAIN}xf"))
        if int(xf.get("numFmtId", "0")) in percent_ids
    )


def _sheet_part(book: zipfile.ZipFile, sheet_name: str) -> str | None:
    """Path inside the package of the worksheet called ``sheet_name``."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rel_id = None
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == sheet_name:
            rel_id = sheet.get(f"{_REL}id")
            break
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


#: A ``<c>`` cell with its content (``<c .../>`` has none).
_CELL = r"(?s)<(?:\w+:)?c\s[^>]*?(?:/>|>.*?</(?:\w+:)?c>)"
#: A cell whose opening tag holds the attribute ``{attr}`` (a pattern starting
#: with whitespace), wherever it stands among the attributes.
_CELL_WITH = r"(?s)<(?:\w+:)?c(?:\s[^>]*?)?{attr}[^>]*?(?:/>|>.*?</(?:\w+:)?c>)"
#: The attributes of a cell's opening tag: reference (column letters, row),
#: style index and type.
_REF = r'\sr="([A-Z]+)(\d+)"'
_STYLE = r'\ss="(\d+)"'
_TYPE = r'\st="(\w+)"'
#: What makes a cell hold a value, as a cell reader sees it: a non-empty
#: ``<v>`` (a formula without a cached value has none) or inline text.
_VALUE = r"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>"


def _tags(sheet_xml: str, pattern: str) -> pl.DataFrame:
    """The cells matching ``pattern``: column, row, style, type and whether they hold a value.

    Scanning is done by polars' regex engine: a large sheet holds millions of cells.
    """
    tags = pl.Series("tag", [sheet_xml]).str.extract_all(pattern).explode().drop_nulls()
    opening = pl.col("tag").str.extract(r"^(<[^>]*>)", 1)
    frame = pl.DataFrame(tags).select(
        letters=opening.str.extract(_REF, 1),
        row=opening.str.extract(_REF, 2).cast(pl.Int64, strict=False) - 1,
        style=opening.str.extract(_STYLE, 1).cast(pl.Int64, strict=False).fill_null(0),
        kind=opening.str.extract(_TYPE, 1).fill_null("n"),
        valued=pl.col("tag").str.contains(_VALUE),
    )
    letters = frame.get_column("letters").drop_nulls().unique().to_list()
    columns = {name: column_index(name) for name in letters}
    return frame.with_columns(
        column=pl.col("letters").replace_strict(columns, default=None, return_dtype=pl.Int64)
    ).drop_nulls(["column", "row"])


def _walk(sheet_xml: str) -> pl.DataFrame:
    """Every cell with its position counted as Excel does when ``r`` attributes are left out.

    The format lets a writer omit a row's or a cell's reference: a row then
    follows the previous one, a cell the previous cell of its row. Slower
    than :func:`_tags`; used only for sheets that omit references.
    """
    rows: list[tuple[int, int, int, str, bool]] = []
    row_index = -1
    for row_match in re.finditer(
        r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", sheet_xml, re.S
    ):
        number = re.search(r'\sr="(\d+)"', row_match.group(1))
        row_index = int(number.group(1)) - 1 if number else row_index + 1
        col_index = -1
        for cell in re.finditer(_CELL, row_match.group(2) or ""):
            opening = re.match(r"<[^>]*>", cell.group(0))
            head = opening.group(0) if opening else ""
            ref = re.search(_REF, head)
            col_index = column_index(ref.group(1)) if ref else col_index + 1
            style = re.search(_STYLE, head)
            kind = re.search(_TYPE, head)
            rows.append(
                (
                    col_index,
                    row_index,
                    int(style.group(1)) if style else 0,
                    kind.group(1) if kind else "n",
                    re.search(_VALUE, cell.group(0)) is not None,
                )
            )
    return pl.DataFrame(
        rows,
        schema={
            "column": pl.Int64,
            "row": pl.Int64,
            "style": pl.Int64,
            "kind": pl.Utf8,
            "valued": pl.Boolean,
        },
        orient="row",
    )


def _omits_references(sheet_xml: str) -> bool:
    """True when some cell of the sheet has no ``r`` attribute."""
    if sheet_xml.count("<c ") == sheet_xml.count('<c r="') and "<c>" not in sheet_xml:
        return False  # the usual layout (Excel, xlsxwriter): r first in every cell
    text = pl.Series([sheet_xml])
    cells = text.str.count_matches(r"<(?:\w+:)?c[\s>/]").item()
    referenced = text.str.count_matches(r'<(?:\w+:)?c\s(?:[^>]*\s)?r="').item()
    return bool(cells != referenced)


def _first_column(sheet_xml: str, width: int, cells: pl.DataFrame | None = None) -> int:
    """Index of the first column holding a value (where a cell reader's grid begins)."""
    dim = _DIMENSION.search(sheet_xml)
    if dim is not None and dim.group(2) is not None:
        first, last = column_index(dim.group(1)), column_index(dim.group(2))
        if last - first + 1 == width:
            return first
    # The recorded dimension is missing or disagrees with the grid: find the first valued cell.
    every = cells if cells is not None else _tags(sheet_xml, _CELL)
    first = every.filter(pl.col("valued")).get_column("column").min()
    return int(first) if first is not None else 0  # type: ignore[arg-type]


def find_percent_cells(data: bytes, sheet_name: str, width: int) -> PercentCells:
    """Percent-formatted numeric cells of sheet ``sheet_name`` in the XLSX ``data``.

    ``width`` is the number of columns of the grid the cell reader returned,
    used to check where that grid begins. Anything unexpected in the
    package (no styles, no such sheet, damaged XML) gives no cells: the
    values are then read as stored.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = set(book.namelist())
            if "xl/styles.xml" not in names:
                return NONE
            styles = percent_styles(book.read("xl/styles.xml"))
            if not styles:
                return NONE
            part = _sheet_part(book, sheet_name)
            if part is None or part not in names:
                return NONE
            sheet_xml = book.read(part).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError):
        return NONE
    if _omits_references(sheet_xml):
        every: pl.DataFrame | None = _walk(sheet_xml)
        cells = every.filter(pl.col("style").is_in(sorted(styles)))
    else:
        every = None
        alternatives = "|".join(str(i) for i in sorted(styles))
        cells = _tags(sheet_xml, _CELL_WITH.format(attr=rf'\ss="(?:{alternatives})"'))
    # Text, boolean and error cells stay as they are, whatever their format.
    percent = cells.filter((pl.col("kind") == "n") & pl.col("valued"))
    if percent.height == 0:
        return NONE
    offset = _first_column(sheet_xml, width, every)
    grouped = (
        percent.filter(pl.col("column") >= offset)
        .group_by((pl.col("column") - offset).alias("column"))
        .agg(pl.col("row").sort())
    )
    return PercentCells(
        dict(zip(grouped["column"].to_list(), grouped["row"].to_list(), strict=True))
    )
