"""CSV downloads: UTF-8 with BOM, formula cells neutralised, numbers left as numbers."""

from __future__ import annotations

import polars as pl

from app.exports.csv import csv_bytes


def test_formula_cells_are_neutralised_and_numbers_stay_numbers() -> None:
    frame = pl.DataFrame(
        {
            "text": ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\ry", "plain", "中文", None],
            "n": [-1, 2, -3, 4, 5, 6, 7, 8, 9],
            "x": [-0.5, 1.0, 2.5, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    expected = (
        "\ufefftext,n,x\n"
        "'=SUM(A1),-1,-0.5\n"
        "'+1,2,1.0\n"
        "'-2,-3,2.5\n"
        "'@cmd,4,0.0\n"
        "'\tx,5,1.0\n"
        '"\'\ry",6,1.0\n'
        "plain,7,1.0\n"
        "中文,8,1.0\n"
        ",9,1.0\n"
    ).encode("utf-8")
    assert csv_bytes(frame) == expected


def test_every_row_is_written() -> None:
    frame = pl.DataFrame({"i": list(range(25_000))})
    assert csv_bytes(frame).count(b"\n") == 25_001
