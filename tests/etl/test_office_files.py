"""Office files, round two: each class of silent wrong value, lost row or blocking file, end to end.

Every file is built here (``tests/etl/fixtures``), ingested into a copy of
the small test warehouse, and the values stored are compared with what the
user sees in the file.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from etl.uploads import ingest_bytes
from tests.etl.fixtures import nasty

SITE_HEAD = ["试点单位编号", "试点项目编号", "单位名称", "地区"]
#: Big5 cannot write the template's simplified headers: such offices use the English ones.
SITE_HEAD_EN = ["site_id", "program_id", "name", "region"]
TRADITIONAL = [
    ["T01", "P1", "臺北市資訊安全股份有限公司", "71"],
    ["T02", "P1", "香港特別行政區網絡安全協會", "81"],
    ["T03", "P1", "澳門電訊資料保護中心", "82"],
    ["T04", "P1", "新竹科學園區標準化辦公室", "71"],
]


def stored_sites(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select site_id, name, region_code from pilot_site where site_id like 'T%' order by 1"
    ).fetchall()


def last_refusal_rule(con: duckdb.DuckDBPyConnection) -> str:
    summary = con.execute(
        "select error_summary from ingest_log order by ingest_id desc limit 1"
    ).fetchone()[0]
    return json.loads(summary)["rule"]


def expected_sites(rows: list[list[str]]) -> list[tuple]:
    return [(r[0], r[2], r[3]) for r in rows]


# -- 1. encodings --------------------------------------------------------------


@pytest.mark.parametrize("codec", ["big5", "cp950", "big5hkscs"])
def test_a_big5_csv_is_decoded_as_big5_and_stores_the_traditional_names(con, codec: str) -> None:
    data = nasty.csv_bytes([SITE_HEAD_EN, *TRADITIONAL], encoding=codec)
    result = ingest_bytes(con, "pilot_site", data, file_name="試點單位.csv")
    assert (result.status, result.rows_accepted) == ("loaded", 4), result.errors
    assert stored_sites(con) == expected_sites(TRADITIONAL)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(con, codec: str) -> None:
    data = nasty.csv_text([SITE_HEAD_EN, *TRADITIONAL], delimiter="\t").encode(codec)
    result = ingest_bytes(con, "pilot_site", data, file_name="unicode.txt")
    assert (result.status, result.rows_accepted) == ("loaded", 4), result.errors
    assert stored_sites(con) == expected_sites(TRADITIONAL)


def test_simplified_gbk_with_every_province_still_reads_as_gb18030(con) -> None:
    provinces = ["新疆维吾尔自治区", "宁夏回族自治区", "广西壮族自治区", "内蒙古自治区", "黑龙江省"]
    rows = [[f"T0{i}", "P1", f"{p}网络安全测评中心", p] for i, p in enumerate(provinces, 1)]
    result = ingest_bytes(
        con, "pilot_site", nasty.csv_bytes([SITE_HEAD, *rows], encoding="gbk"), file_name="gbk.csv"
    )
    assert result.rows_accepted == 5, result.errors
    assert stored_sites(con) == [
        (r[0], r[2], c) for r, c in zip(rows, ["65", "64", "45", "15", "23"], strict=True)
    ]


def test_text_no_chinese_encoding_reads_plausibly_is_refused_not_stored(con) -> None:
    # Japanese Shift_JIS decodes as GB18030 into rare characters (and not as Big5).
    rows = [
        SITE_HEAD_EN,
        *[[f"T0{i}", "P1", "情報セキュリティ株式会社東京本社", "11"] for i in range(4)],
    ]
    result = ingest_bytes(
        con, "pilot_site", nasty.csv_bytes(rows, encoding="shift_jis"), file_name="sjis.csv"
    )
    assert result.status == "refused" and "Big5" in result.reason
    assert stored_sites(con) == []
    assert last_refusal_rule(con) == "encoding"


# -- 6. control bytes ------------------------------------------------------------


@pytest.mark.parametrize(
    "tail", [b"\x1a", b"\r\n\x1a", b"\x00\x00\x00\x00", b"\r\n\x1a\x00\x00"], ids=repr
)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_trailing_ctrl_z_or_nul_padding_is_not_a_row(con, tail: bytes, encoding: str) -> None:
    simplified = [["T01", "P1", "北京测评中心", "北京"], ["T02", "P1", "上海测评中心", "上海"]]
    data = nasty.csv_bytes([SITE_HEAD, *simplified], encoding=encoding) + tail
    result = ingest_bytes(con, "pilot_site", data, file_name="ctrlz.csv")
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (2, 2, 0)
    assert [r[1] for r in stored_sites(con)] == ["北京测评中心", "上海测评中心"]
