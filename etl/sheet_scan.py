"""Read what a cell reader does not give: number formats and merged ranges of an XLSX sheet.

The cell reader (fastexcel) returns each cell's stored value. Two things a
user sees are only in the sheet's XML: the number format of a cell (a
percent, a 万 scaling, fixed decimals: :mod:`etl.number_formats`) and the
merged ranges (a site id merged down over its rows). This module streams
the worksheet part in chunks of :data:`CHUNK` characters, each cut after a
whole ``</row>``, so the memory used does not grow with the sheet (the
package's size was checked before, :mod:`etl.zip_guard`). Only the
workbook's XML is read, with the standard library and polars' regex engine.
Legacy ``.xls`` workbooks are not inspected.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

import polars as pl

from etl.number_formats import BUILTIN, NumberFormat, parse_format

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Characters of sheet XML read at a time.
CHUNK = 8 << 20
_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]+)\d+(?::([A-Z]+)\d+)?"')
_MERGE = re.compile(r'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_ROW_END = re.compile(r"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")

#: A ``<c>`` cell with its content (``<c .../>`` has none).
_CELL = r"(?s)<(?:\w+:)?c\s[^>]*?(?:/>|>.*?</(?:\w+:)?c>)"
#: A cell whose opening tag holds the attribute ``{attr}`` (a pattern starting
#: with whitespace), wherever it stands among the attributes.
_CELL_WITH = r"(?s)<(?:\w+:)?c(?:\s[^>]*?)?{attr}[^>]*?(?:/>|>.*?</(?:\w+:)?c>)"
_REF = r'\sr="([A-Z]+)(\d+)"'
_STYLE = r'\ss="(\d+)"'
_TYPE = r'\st="(\w+)"'
#: The stored value of a cell (a formula without a cached value has none).
_V = r"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>"
#: What makes a cell hold a value, as a cell reader sees it.
_VALUE = r"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>"
_SCHEMA = {
    "column": pl.Int64,
    "row": pl.Int64,
    "style": pl.Int64,
    "kind": pl.Utf8,
    "valued": pl.Boolean,
    "value": pl.Utf8,
}


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


def format_styles(styles_xml: bytes) -> dict[int, NumberFormat]:
    """Indexes into ``cellXfs`` whose number format changes what a number means, with the format."""
    root = ElementTree.fromstring(styles_xml)
    codes = {i: code for i, code in BUILTIN.items()}
    for fmt in root.iter(f"{_MAIN}numFmt"):
        codes[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
    formats = {i: parse_format(code) for i, code in codes.items()}
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return {}
    out: dict[int, NumberFormat] = {}
    for i, xf in enumerate(xfs.findall(f"{_MAIN}xf")):
        found = formats.get(int(xf.get("numFmtId", "0")))
        if found is not None:
            out[i] = found
    return out


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


def _chunks(stream: io.BufferedIOBase) -> Iterator[str]:
    """The sheet XML in pieces of about :data:`CHUNK` characters, each ending after a whole row."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    carry = ""
    while True:
        raw = stream.read(CHUNK)
        text = carry + decoder.decode(raw, final=not raw)
        if not raw:
            if text:
                yield text
            return
        end = _last_row_end(text)
        yield text[:end]
        carry = text[end:]


def _last_row_end(text: str) -> int:
    """Where the last complete row of ``text`` ends (0 when it holds no row end)."""
    plain = text.rfind("</row>")
    if plain >= 0:
        return plain + len("</row>")
    ends = [m.end() for m in _ROW_END.finditer(text)]  # prefixed tags or self-closing rows only
    return ends[-1] if ends else 0


def _tags(sheet_xml: str, pattern: str) -> pl.DataFrame:
    """The cells matching ``pattern``: column, row, style, type, whether valued, stored value."""
    tags = pl.Series("tag", [sheet_xml]).str.extract_all(pattern).explode().drop_nulls()
    opening = pl.col("tag").str.extract(r"^(<[^>]*>)", 1)
    frame = pl.DataFrame(tags).select(
        letters=opening.str.extract(_REF, 1),
        row=opening.str.extract(_REF, 2).cast(pl.Int64, strict=False) - 1,
        style=opening.str.extract(_STYLE, 1).cast(pl.Int64, strict=False).fill_null(0),
        kind=opening.str.extract(_TYPE, 1).fill_null("n"),
        valued=pl.col("tag").str.contains(_VALUE),
        value=pl.col("tag").str.extract(_V, 1),
    )
    letters = frame.get_column("letters").drop_nulls().unique().to_list()
    columns = {name: column_index(name) for name in letters}
    return (
        frame.with_columns(
            column=pl.col("letters").replace_strict(columns, default=None, return_dtype=pl.Int64)
        )
        .drop_nulls(["column", "row"])
        .select(list(_SCHEMA))
    )


def _walk(sheet_xml: str, row_index: int) -> tuple[pl.DataFrame, int]:
    """Every cell with its position counted as Excel does when ``r`` attributes are left out.

    The format lets a writer omit a row's or a cell's reference: a row then
    follows the previous one (``row_index`` is the last row before this
    piece), a cell the previous cell of its row. Returns the cells and the
    last row index.
    """
    rows: list[tuple[int, int, int, str, bool, str | None]] = []
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
            value = re.search(_V, cell.group(0))
            rows.append(
                (
                    col_index,
                    row_index,
                    int(style.group(1)) if style else 0,
                    kind.group(1) if kind else "n",
                    re.search(_VALUE, cell.group(0)) is not None,
                    value.group(1) if value else None,
                )
            )
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row"), row_index


def _omits_references(sheet_xml: str) -> bool:
    """True when some cell of this piece of the sheet has no ``r`` attribute."""
    if sheet_xml.count("<c ") == sheet_xml.count('<c r="') and "<c>" not in sheet_xml:
        return False  # the usual layout (Excel, xlsxwriter): r first in every cell
    text = pl.Series([sheet_xml])
    cells = text.str.count_matches(r"<(?:\w+:)?c[\s>/]").item()
    referenced = text.str.count_matches(r'<(?:\w+:)?c\s(?:[^>]*\s)?r="').item()
    return bool(cells != referenced)


def _last_row(piece: str, row_index: int) -> int:
    """0-based index of the last row of ``piece`` that names its number (else ``row_index``)."""
    start = max(piece.rfind("<row"), piece.rfind(":row"))
    found = re.search(r'^[^>]*?\sr="(\d+)"', piece[start:]) if start >= 0 else None
    if found is None:
        numbers = re.findall(r'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"', piece)
        return int(numbers[-1]) - 1 if numbers else row_index
    return int(found.group(1)) - 1


@dataclass
class SheetScan:
    """What one worksheet shows beyond its stored values.

    Attributes
    ----------
    shown
        Cells whose number format changes their meaning: ``column`` and
        ``row`` (0-based, row 0 is Excel row 1, column 0 the grid's first
        column) and ``text``, the number as Excel displays it.
    merges
        Merged ranges as (first row, first column, last row, last column),
        0-based in the same coordinates.
    """

    shown: pl.DataFrame
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


EMPTY = SheetScan(pl.DataFrame(schema={"column": pl.Int64, "row": pl.Int64, "text": pl.Utf8}))


def _formatted(cells: pl.DataFrame, formats: dict[int, NumberFormat]) -> pl.DataFrame:
    from etl.number_formats import display

    # Text, boolean and error cells stay as they are, whatever their format.
    numbers = cells.filter((pl.col("kind") == "n") & pl.col("value").is_not_null())
    # A column repeats few (style, value) pairs: render each once.
    distinct = numbers.select("style", "value").unique()
    texts = []
    for style, value in distinct.iter_rows():
        try:
            texts.append(display(float(value), formats[style]))
        except (ValueError, KeyError, ArithmeticError):
            texts.append(None)
    rendered = distinct.with_columns(text=pl.Series(texts, dtype=pl.Utf8))
    return numbers.join(rendered, on=["style", "value"], how="left").select("column", "row", "text")


def scan_sheet(data: bytes, sheet_name: str, width: int) -> SheetScan:
    """Formatted numbers and merged ranges of sheet ``sheet_name`` in the XLSX ``data``.

    ``width`` is the number of columns of the grid the cell reader returned,
    used to check where that grid begins. Anything unexpected in the
    package (no styles, no such sheet, damaged XML) gives nothing: the
    values are then read as stored.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = set(book.namelist())
            styles = book.read("xl/styles.xml") if "xl/styles.xml" in names else None
            formats = format_styles(styles) if styles else {}
            part = _sheet_part(book, sheet_name)
            if part is None or part not in names:
                return EMPTY
            with book.open(part) as stream:
                return _scan(_chunks(stream), formats, width)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError):
        return EMPTY


def _scan(pieces: Iterator[str], formats: dict[int, NumberFormat], width: int) -> SheetScan:
    wanted = "|".join(str(i) for i in sorted(formats))
    pattern = _CELL_WITH.format(attr=rf'\ss="(?:{wanted})"') if formats else None
    found: list[pl.DataFrame] = []
    merges: list[tuple[int, int, int, int]] = []
    first_valued: int | None = None
    dimension_first: int | None = None
    row_index = -1
    for number, piece in enumerate(pieces):
        if number == 0:
            dim = _DIMENSION.search(piece)
            if dim is not None and dim.group(2) is not None:
                first, last = column_index(dim.group(1)), column_index(dim.group(2))
                dimension_first = first if last - first + 1 == width else None
        at = piece.find("mergeCell")
        for m in _MERGE.finditer(piece, max(at - 16, 0)) if at >= 0 else ():
            r0, c0 = int(m.group(2)) - 1, column_index(m.group(1))
            r1 = int(m.group(4)) - 1 if m.group(4) else r0
            c1 = column_index(m.group(3)) if m.group(3) else c0
            merges.append((r0, c0, r1, c1))
        if "<row" not in piece and "<c" not in piece:
            continue
        if _omits_references(piece):
            every, row_index = _walk(piece, row_index)
            styled = every.filter(pl.col("style").is_in(sorted(formats)))
        else:
            every = _tags(piece, _CELL) if dimension_first is None else None
            styled = _tags(piece, pattern) if pattern else None
            row_index = _last_row(piece, row_index)
        if every is not None:
            low = every.filter(pl.col("valued")).get_column("column").min()
            if low is not None:
                first_valued = int(low) if first_valued is None else min(first_valued, int(low))  # type: ignore[arg-type]
        if styled is not None and styled.height:
            found.append(_formatted(styled, formats))
    offset = dimension_first if dimension_first is not None else (first_valued or 0)
    shown = pl.concat(found) if found else EMPTY.shown
    shown = shown.filter(pl.col("column") >= offset).with_columns(pl.col("column") - offset)
    shifted = [(r0, c0 - offset, r1, c1 - offset) for r0, c0, r1, c1 in merges]
    return SheetScan(shown.drop_nulls("text"), shifted)
