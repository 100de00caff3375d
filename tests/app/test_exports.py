"""Downloads as files: formula-safe UTF-8 CSV with a BOM, and XLSX."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest

from app.exports.tables import csv_bytes, xlsx_bytes


def test_csv_is_utf8_with_bom_crlf_and_neutralised_formulas_byte_for_byte() -> None:
    frame = pl.DataFrame(
        {
            "标准号": ["GB/T 22239-2019", "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)",
                      "\tTab", "\rCR", None],
            "score": [81.5, -3.25, 0.0, None, 1e6, 2.0, 3.0, 4.0],
            "n": [12, -1, 0, 3, 4, 5, 6, None],
            "ok": [True, False, None, True, True, True, True, True],
            "day": [date(2024, 5, 1), None, None, None, None, None, None, None],
            "意见": ["缺少, 配套\"指南\"", "多行\n文本", "", "a", "b", "c", "d", "e"],
        }
    )  # fmt: skip
    expected = (
        "\ufeff标准号,score,n,ok,day,意见\r\n"
        'GB/T 22239-2019,81.5,12,true,2024-05-01,"缺少, 配套""指南"""\r\n'
        '"\'=HYPERLINK(""http://x"")",-3.25,-1,false,,"多行\n文本"\r\n'
        "'+1,0.0,0,,,\r\n"
        "'-2,,3,true,,a\r\n"
        "'@SUM(A1),1000000.0,4,true,,b\r\n"
        "'\tTab,2.0,5,true,,c\r\n"
        '"\'\rCR",3.0,6,true,,d\r\n'
        ",4.0,,true,,e\r\n"
    ).encode("utf-8")
    assert csv_bytes(frame) == expected


def test_csv_neutralises_a_formula_in_a_column_name() -> None:
    assert csv_bytes(pl.DataFrame({"=cmd": [1]})).startswith("\ufeff'=cmd\r\n".encode())


def test_csv_keeps_every_row() -> None:
    frame = pl.DataFrame({"i": list(range(25_000))})
    assert csv_bytes(frame).count(b"\r\n") == 25_001


def test_xlsx_keeps_numbers_as_numbers_and_formulas_as_text() -> None:
    fastexcel = pytest.importorskip("fastexcel")
    frame = pl.DataFrame({"text": ["=1+1", "缺少指南"], "score": [81.5, -3.0]})
    sheet = fastexcel.read_excel(io.BytesIO(xlsx_bytes(frame, sheet="表")).read()).load_sheet(0)
    back = pl.from_arrow(sheet.to_arrow())
    assert back["text"].to_list() == ["=1+1", "缺少指南"]
    assert back["score"].to_list() == [81.5, -3.0]
