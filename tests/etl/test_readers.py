"""Readers: encodings, title rows, row numbers as the user sees them, every cell as text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.encoding import decode_text, sniff_binary
from etl.landing import land, landed_path, sha256_hex
from etl.readers import choose_header, read_table
from etl.refusal import FileRefused
from tests.etl.fixtures import nasty

HEADERS = ["试点单位编号", "标准编号", "报告期", "满意度"]
ROWS = [
    ["S001", "GB/T 22239-2019", "2024年第二季度", "非常满意"],
    ["S002", "ＧＢ／Ｔ　２２２３９－２０１９", "2024Q2", "４"],
]


def score(cells: list[str]) -> int:
    return sum(c in HEADERS for c in cells)


def cells(table) -> list[tuple]:
    return table.frame.rows()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_csv_with_chinese_headers_in_every_office_encoding(encoding: str) -> None:
    data = nasty.csv_bytes([HEADERS, *ROWS], encoding=encoding)
    table = read_table(data, file_name="反馈.csv", score=score)
    assert table.headers == HEADERS
    assert table.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    assert cells(table) == [(2, *ROWS[0]), (3, *ROWS[1])]


def test_gb18030_only_characters_survive() -> None:
    # 𠀀 (U+20000) and the euro sign are not in GBK; GB18030 encodes them.
    rows = [HEADERS, ["S001", "GB/T 22239-2019", "2024-Q2", "5"], ["S𠀀", "x€", "", ""]]
    table = read_table(nasty.csv_bytes(rows, encoding="gb18030"), score=score)
    assert table.frame.row(1)[1:3] == ("S𠀀", "x€")


def test_utf8_bom_is_not_part_of_the_first_header() -> None:
    table = read_table(nasty.csv_bytes([HEADERS, ROWS[0]], bom=True), score=score)
    assert table.headers[0] == "试点单位编号" and table.encoding == "utf-8-sig"


def test_utf16_unicode_text_from_excel_is_read() -> None:
    data = nasty.csv_text([HEADERS, ROWS[0]], delimiter="\t").encode("utf-16")
    table = read_table(data, score=score)
    assert table.headers == HEADERS and cells(table) == [(2, *ROWS[0])]


def test_csv_title_row_and_blank_lines_keep_the_users_row_numbers() -> None:
    rows = [["2024年第二季度实施情况反馈表"], [], HEADERS, ROWS[0], [], ROWS[1]]
    table = read_table(nasty.csv_bytes(rows, encoding="gbk"), score=score)
    assert table.header_row == 3
    assert [r[0] for r in cells(table)] == [4, 6]


def test_header_row_option_overrides_detection() -> None:
    rows = [["note"], HEADERS, ROWS[0]]
    table = read_table(nasty.csv_bytes(rows), header_row=2)
    assert table.headers == HEADERS and cells(table)[0][0] == 3


def test_quoted_newlines_and_formula_looking_text_stay_text() -> None:
    rows = [HEADERS, ["S001", '=HYPERLINK("http://x","y")', "多行\n文本", "+1"], ROWS[1]]
    table = read_table(nasty.csv_bytes(rows), score=score)
    assert cells(table)[0] == (2, "S001", '=HYPERLINK("http://x","y")', "多行\n文本", "+1")
    assert cells(table)[1][0] == 3


def test_semicolon_and_tab_separated_files_are_recognised() -> None:
    for sep in (";", "\t"):
        table = read_table(nasty.csv_bytes([HEADERS, ROWS[0]], delimiter=sep), score=score)
        assert table.headers == HEADERS, sep


def test_leading_zeros_and_numbers_are_not_guessed() -> None:
    rows = [HEADERS, ["001", "1e5", "2024-05", "05"]]
    assert cells(read_table(nasty.csv_bytes(rows), score=score))[0] == (
        2,
        "001",
        "1e5",
        "2024-05",
        "05",
    )


def test_ragged_rows_are_read_exactly() -> None:
    rows = [HEADERS, ROWS[0] + ["", ""], ROWS[1][:2]]
    table = read_table(nasty.csv_bytes(rows), score=score)
    assert cells(table)[1] == (3, ROWS[1][0], ROWS[1][1], None, None, None, None)


def test_xlsx_title_row_is_found_and_rows_are_excel_rows() -> None:
    data = nasty.xlsx_bytes([HEADERS, *ROWS], title="2024年第二季度实施情况反馈表", first_row=1)
    table = read_table(data, file_name="反馈.xlsx", score=score)
    assert table.kind == "excel" and table.header_row == 4
    assert [r[0] for r in cells(table)] == [5, 6]
    assert cells(table)[0][1:] == tuple(ROWS[0])


def test_xlsx_dates_numbers_serials_and_formulas_come_back_as_text() -> None:
    rows = [
        HEADERS,
        ["S001", date(2024, 5, 8), 45420, 0.85],
        ["S002", datetime(2024, 5, 8, 13, 30), 4.0, '=HYPERLINK("http://x","y")'],
        ["S003", nasty.Formula('=HYPERLINK("http://x","link")', "link"), True, 12345678901],
    ]
    table = read_table(nasty.xlsx_bytes(rows), score=score)
    assert cells(table) == [
        (2, "S001", "2024-05-08", "45420", "0.85"),
        (3, "S002", "2024-05-08 13:30:00", "4", '=HYPERLINK("http://x","y")'),
        (4, "S003", "link", "true", "12345678901"),
    ]


@pytest.mark.parametrize("recorded_dimension", [True, False])
def test_xlsx_percent_cells_come_back_as_the_user_sees_them(recorded_dimension: bool) -> None:
    # A cell formatted 0% shows 85% but stores 0.85: read bare it would be 0.85 %.
    pct = nasty.Percent
    rows = [
        [None, None, *HEADERS],
        [None, None, "S001", "GB/T 22239-2019", pct(0.85), pct(0.07, "0.0%")],
        [None, None, "S002", "GB/T 22239-2019", pct("85%"), 0.85],
        [None, None, "S003", "GB/T 22239-2019", pct(1), pct(0.123456, "0.00%")],
    ]
    data = nasty.xlsx_bytes(rows, title="实施覆盖率反馈表")
    if not recorded_dimension:
        data = nasty.without_dimension(data)
    table = read_table(data, file_name="反馈.xlsx", score=score)
    # The title sits in column A; the data in columns C–F, so the grid begins at A.
    # Each reads as Excel displays it, decimals of its format included.
    values = [r[4:] for r in cells(table)]
    assert values == [
        ("GB/T 22239-2019", "85%", "7.0%"),
        ("GB/T 22239-2019", "85%", "0.85"),
        ("GB/T 22239-2019", "100%", "12.35%"),
    ]


def test_xlsx_percent_cells_align_when_the_sheet_starts_past_column_a() -> None:
    rows = [[None, None, *HEADERS], [None, None, "S001", "X", nasty.Percent(0.5), 4]]
    data = nasty.without_dimension(nasty.xlsx_bytes(rows))
    table = read_table(data, file_name="反馈.xlsx", score=score)
    assert table.headers == HEADERS
    assert cells(table) == [(2, "S001", "X", "50%", "4")]


def test_xlsx_percent_cells_align_past_a_formula_without_a_cached_value() -> None:
    # Column A holds a formula nobody computed (as scripts write them): no value,
    # so the cell reader's grid starts at B, and so must the percent marks.
    import re

    rows = [[None, *HEADERS], [nasty.Formula("=ROW()-1", 1), "S001", "X", nasty.Percent(0.85), 3]]
    data = nasty.rewrite_sheets(
        nasty.without_dimension(nasty.xlsx_bytes(rows)),
        lambda body: re.sub(rb'(<c r="A2"[^>]*><f>[^<]*</f>)<v>[^<]*</v>', rb"\1", body),
    )
    table = read_table(data, file_name="反馈.xlsx", score=score)
    assert table.headers == HEADERS
    assert cells(table) == [(2, "S001", "X", "85%", "3")]


def test_xlsx_percent_cells_are_found_whatever_the_order_of_their_attributes() -> None:
    import re

    rows = [HEADERS, ["S001", "X", nasty.Percent(0.85), nasty.Percent(0.5)]]
    swapped: list[int] = []

    def style_first(body: bytes) -> bytes:
        body, n = re.subn(rb'<c (r="[A-Z]+\d+") (s="\d+")', rb"<c \2 \1", body)
        swapped.append(n)
        return body

    data = nasty.rewrite_sheets(nasty.xlsx_bytes(rows), style_first)
    assert sum(swapped) >= 2  # both percent cells now name their style first
    table = read_table(data, file_name="反馈.xlsx", score=score)
    assert cells(table) == [(2, "S001", "X", "85%", "50%")]


def test_xlsx_percent_cells_are_found_when_cells_carry_no_reference() -> None:
    # The r attribute of <c> is optional: position follows the previous cell.
    import re

    rows = [HEADERS, ["S001", "X", nasty.Percent(0.85), nasty.Percent(0.5)]]
    data = nasty.rewrite_sheets(
        nasty.xlsx_bytes(rows), lambda body: re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", body)
    )
    table = read_table(data, file_name="反馈.xlsx", score=score)
    assert cells(table) == [(2, "S001", "X", "85%", "50%")]


def test_xlsx_sheet_option_by_name_or_number() -> None:
    import xlsxwriter  # noqa: F401

    data = nasty.xlsx_bytes([HEADERS, ROWS[0]], sheet="数据", extra_sheets=["说明"])
    assert read_table(data, sheet="数据", score=score).sheet == "数据"
    assert read_table(data, sheet="1", score=score).sheet == "数据"
    with pytest.raises(FileRefused) as err:
        read_table(data, sheet="没有", score=score)
    assert "说明" in err.value.reason_en and err.value.rule == "sheet"


@pytest.mark.parametrize(
    ("name", "data", "rule"),
    [
        ("empty.csv", b"", "empty"),
        ("spaces.csv", b" \r\n\r\n", "empty"),
        ("header-only.csv", nasty.csv_bytes([HEADERS]), "no_rows"),
        ("header-only.xlsx", nasty.xlsx_bytes([HEADERS]), "no_rows"),
        ("image.csv", nasty.png_bytes(), "not_tabular"),
        ("noise.csv", nasty.random_bytes(), "not_tabular"),
        (
            "truncated.xlsx",
            nasty.truncated(nasty.xlsx_bytes([HEADERS, *ROWS] * 50)),
            "unreadable_workbook",
        ),
        ("zip-noise.xlsx", nasty.urandom_like_zip(), "unreadable_workbook"),
    ],
)
def test_garbage_is_refused_with_a_one_line_reason(name: str, data: bytes, rule: str) -> None:
    with pytest.raises(FileRefused) as err:
        read_table(data, file_name=name, score=score)
    assert err.value.rule == rule
    for reason in (err.value.reason_zh, err.value.reason_en):
        assert reason and "\n" not in reason


def test_huge_single_line_is_refused_as_having_no_header() -> None:
    with pytest.raises(FileRefused) as err:
        read_table(nasty.huge_single_line(), score=score)
    assert err.value.rule == "no_header"
    assert "template" in err.value.reason_en and "模板" in err.value.reason_zh


def test_sniff_binary_knows_common_formats() -> None:
    assert sniff_binary(nasty.png_bytes()) == "PNG image"
    assert sniff_binary(b"%PDF-1.7") == "PDF document"
    assert sniff_binary("site_id,标准".encode()) is None


def test_text_neither_utf8_nor_gb18030_goes_to_detection_then_is_refused(monkeypatch) -> None:
    # Latin-1 text with bytes invalid in both UTF-8 and GB18030 (0x80 and 0xff).
    latin = "café,naïve,ÿ€\n".encode("cp1252") * 50
    assert decode_text(latin).encoding not in {"utf-8", "gb18030"}
    monkeypatch.setattr("etl.encoding._detect", lambda data: None)
    with pytest.raises(FileRefused) as err:
        decode_text(latin)
    assert err.value.rule == "encoding" and "GB18030" in err.value.reason_en


def test_choose_header_prefers_the_row_naming_most_columns() -> None:
    rows = [["说明：满意度 1-5"], ["试点单位编号", "满意度"], HEADERS]
    assert choose_header(rows, score) == (2, 4)
    assert choose_header([[], ["", ""]], score) == (-1, 0)


def test_land_keeps_the_bytes_once_named_by_sha256(tmp_path: Path) -> None:
    data = nasty.csv_bytes([HEADERS, ROWS[0]], encoding="gbk")
    first = land(data, file_name="反馈表.CSV", landing=tmp_path)
    again = land(data, file_name="反馈表.CSV", landing=tmp_path)
    assert first == again
    assert first.path == landed_path(sha256_hex(data), "x.csv", landing=tmp_path)
    assert first.path.name == f"{sha256_hex(data)}.csv" and first.path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == [first.path.name]


# Any text but random ideographs, kana, Hangul and private-use characters: a
# file made of rare ones only is what mojibake looks like, and is refused as
# `encoding` (tests/etl/test_office_files.py).
_MOJIBAKE_LIKE = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0xE000, 0xFAFF))


def _not_mojibake_like(c: str) -> bool:
    return ord(c) < 0x20000 and not any(lo <= ord(c) <= hi for lo, hi in _MOJIBAKE_LIKE)


text_cell = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")).filter(_not_mojibake_like), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(text_cell, min_size=4, max_size=4), min_size=1, max_size=8),
    st.sampled_from(["utf-8", "gb18030"]),
    st.booleans(),
)
def test_any_cell_text_round_trips_through_a_csv(
    rows: list[list[str]], encoding: str, bom: bool
) -> None:
    data = nasty.csv_bytes([HEADERS, *rows], encoding=encoding, bom=bom and encoding == "utf-8")
    try:
        table = read_table(data, score=score)
    except FileRefused as refused:
        assert refused.rule == "no_rows"
        assert all(not "".join(c.strip() for c in row) for row in rows)
        return
    expected = [
        (i, *[c if c != "" else None for c in row])
        for i, row in enumerate(rows, start=2)
        if any(c.strip() for c in row)
    ]
    assert cells(table) == expected
    assert isinstance(table.frame, pl.DataFrame)


def test_xlsx_hidden_first_sheet_and_whitespace_rows_are_skipped() -> None:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    hidden = wb.add_worksheet("lists")
    hidden.write_string(0, 0, "下拉列表")
    hidden.hide()
    data = wb.add_worksheet("数据")
    data.activate()
    for r, row in enumerate([HEADERS, ROWS[0], ["  ", " ", "", "\u3000"], ROWS[1]]):
        for c, value in enumerate(row):
            data.write_string(r, c, value)
    wb.close()
    table = read_table(buffer.getvalue(), score=score)
    assert table.sheet == "数据"
    assert [r[0] for r in cells(table)] == [2, 4]


@pytest.mark.parametrize("space", [" ", "\u3000", "\xa0", "\t "])
def test_a_csv_row_of_spaces_is_not_a_row(space: str) -> None:
    """Found by the round-trip property: a row whose only cell is spaces was kept as data."""
    data = nasty.csv_bytes([HEADERS, ["", "", "", space], ["S1", "", "", ""]], encoding="utf-8")
    assert cells(read_table(data, score=score)) == [(3, "S1", None, None, None)]
