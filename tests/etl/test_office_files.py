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
from tests.etl.fixtures import nasty, office
from tests.etl.fixtures.warehouse import CODE_A

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
    assert result.status == "refused" and "Big5" in result.reason.zh
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


# -- 2. cells read as Excel shows them ------------------------------------------

FUNDING_HEAD = ["记录编号", "年度", "资金来源", "资金用途", "资金状态"]


def funding_row(record: str, amount: object, **cells: object) -> list[object]:
    return [record, 2024, "中央财政", "标准研制", cells.get("flow", "已承诺"), amount]


def stored_amounts(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    rows = con.execute("select record_id, amount_cny from funding order by record_id").fetchall()
    return [(r, float(a)) for r, a in rows]


@pytest.mark.parametrize("code", ["0!.0000", '0"."0000', "0\\.0000"])
def test_yuan_shown_in_wan_by_a_scaling_format_under_a_wan_header_are_not_scaled_twice(
    con, code: str
) -> None:
    # The cells store yuan; the format shows them in 万 (123456 -> 12.3456), as the header says.
    stored_yuan = [123456, 80000, 5]
    rows = [[*FUNDING_HEAD, "金额（万元）"]]
    rows += [funding_row(f"F{i}", nasty.Formatted(v, code)) for i, v in enumerate(stored_yuan)]
    result = ingest_bytes(
        con, "funding", office.workbook(office.Sheet("资金", rows)), file_name="资金.xlsx"
    )
    assert result.rows_accepted == 3, result.errors
    assert stored_amounts(con) == [("F0", 123456.0), ("F1", 80000.0), ("F2", 5.0)]


def test_thousands_scaling_and_fixed_decimals_are_read_as_shown(con) -> None:
    rows = [[*FUNDING_HEAD, "金额（元）"]]
    rows += [
        funding_row("F1", nasty.Formatted(1234567, "#,##0,")),  # shows 1,235
        funding_row("F2", nasty.Formatted(1234.5678, "#,##0.00")),  # shows 1,234.57
        funding_row("F3", nasty.Formatted(12.345, '0.00"万元"')),  # shows 12.35万元
        funding_row("F4", nasty.Formatted(2_500_000, '0.0,,"百万"')),  # shows 2.5百万
    ]
    result = ingest_bytes(
        con, "funding", office.workbook(office.Sheet("资金", rows)), file_name="资金.xlsx"
    )
    assert result.rows_accepted == 3
    # Never read at the wrong magnitude: a unit the reader does not know is reported as shown.
    assert [(e["row"], e["value"], e["rule"]) for e in result.errors] == [
        (5, "2.5百万", "not_an_amount")
    ]
    # The message gives both readings: as shown and as stored.
    (error,) = result.errors
    assert "2.5百万" in error["message_zh"] and "2500000" in error["message_zh"]
    assert "stores 2500000" in error["message_en"], error["message_en"]
    assert stored_amounts(con) == [("F1", 1235.0), ("F2", 1234.57), ("F3", 123500.0)]


FEEDBACK_HEAD = ["试点单位编号", "标准编号", "报告期", "满意度"]


def stored_feedback(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select site_id, period, satisfaction from feedback order by site_id, period"
    ).fetchall()


def test_a_period_typed_2024_10_in_a_two_decimal_column_is_october_not_january(con) -> None:
    rows = [
        FEEDBACK_HEAD,
        ["S001", CODE_A, nasty.Formatted(2024.1, "0.00"), 4],  # typed and shown 2024.10
        ["S002", CODE_A, nasty.Formatted("2024.10", "@"), 4],  # typed into a text cell
        ["S003", CODE_A, nasty.Formatted(2024.5, "0.0"), 4],  # shown 2024.5: May
    ]
    result = ingest_bytes(
        con, "feedback", office.workbook(office.Sheet("反馈", rows)), file_name="反馈.xlsx"
    )
    assert result.rows_accepted == 3, result.errors
    assert stored_feedback(con) == [
        ("S001", "2024-Q4", 4),
        ("S002", "2024-Q4", 4),
        ("S003", "2024-Q2", 4),
    ]


# -- 4. merged cells -------------------------------------------------------------


def test_a_site_id_merged_down_over_its_rows_applies_to_every_row(con) -> None:
    rows = [FEEDBACK_HEAD]
    merges = []
    for site in ["S001", "S002", "S003"]:
        first = len(rows)
        for q in range(1, 5):
            rows.append([site if q == 1 else None, CODE_A, f"2024-Q{q}", q + 1])
        merges.append((first, 0, first + 3, 0))
    data = office.workbook(office.Sheet("反馈", rows, merges=merges))
    result = ingest_bytes(con, "feedback", data, file_name="合并单元格.xlsx")
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (12, 12, 0)
    assert stored_feedback(con) == [
        (site, f"2024-Q{q}", q + 1) for site in ("S001", "S002", "S003") for q in range(1, 5)
    ]


def test_a_merged_title_above_the_header_is_left_alone_and_merges_below_it_fill(con) -> None:
    rows = [
        ["2024年度实施情况反馈表", None, None, None],
        FEEDBACK_HEAD,
        ["S001", CODE_A, "2024-Q1", 5],
        [None, None, "2024-Q2", 3],
    ]
    merges = [(0, 0, 0, 3), (2, 0, 3, 0), (2, 1, 3, 1)]
    data = office.workbook(office.Sheet("反馈", rows, merges=merges))
    result = ingest_bytes(con, "feedback", data, file_name="合并.xlsx")
    assert result.rows_accepted == 2, result.errors
    assert stored_feedback(con) == [("S001", "2024-Q1", 5), ("S001", "2024-Q2", 3)]


def test_formats_and_merges_are_found_when_the_sheet_is_streamed_in_many_pieces(
    con, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("etl.sheet_scan.CHUNK", 2048)  # a few rows per piece
    rows = [FEEDBACK_HEAD]
    merges = []
    expected = []
    for year in range(2016, 2076):
        site = f"S00{year % 4 + 1}"
        rows.append([site, CODE_A, nasty.Formatted(year + 0.1, "0.00"), 4])  # 2016.10: October
        rows.append([None, CODE_A, nasty.Formatted(year + 0.05, "0.00"), 5])  # 2016.05: May
        merges.append((len(rows) - 2, 0, len(rows) - 1, 0))
        expected += [(site, f"{year}-Q2", 5), (site, f"{year}-Q4", 4)]
    data = office.workbook(office.Sheet("反馈", rows, merges=merges))
    result = ingest_bytes(con, "feedback", data, file_name="长表.xlsx")
    assert result.rows_accepted == 120, result.errors
    assert stored_feedback(con) == sorted(expected)


# -- 10. the sheet holding the data -----------------------------------------------

FEEDBACK_ROWS = [
    FEEDBACK_HEAD,
    ["S001", CODE_A, "2024-Q1", 5],
    ["S002", CODE_A, "2024-Q2", 3],
]


def test_the_sheet_whose_header_matches_is_read_behind_an_instructions_sheet(con) -> None:
    data = office.workbook(
        office.instructions("实施情况反馈表"), office.Sheet("数据", FEEDBACK_ROWS)
    )
    result = ingest_bytes(con, "feedback", data, file_name="反馈.xlsx")
    assert result.rows_accepted == 2, (result.reason, result.errors)
    assert stored_feedback(con) == [("S001", "2024-Q1", 5), ("S002", "2024-Q2", 3)]


@pytest.mark.parametrize("layout", ["none matches", "two match"])
def test_no_or_several_matching_sheets_are_refused_naming_the_sheets_and_the_option(
    con, layout: str
) -> None:
    other = office.Sheet("汇总", [["合计"], ["12"]])
    if layout == "two match":
        other = office.Sheet("数据（2）", FEEDBACK_ROWS)
    sheets = [office.instructions("实施情况反馈表"), other]
    if layout == "two match":
        sheets.append(office.Sheet("数据", FEEDBACK_ROWS))
    result = ingest_bytes(con, "feedback", office.workbook(*sheets), file_name="反馈.xlsx")
    assert result.status == "refused"
    assert (
        "--sheet" in result.reason.zh
        and "填表说明" in result.reason.zh
        and other.name in result.reason.zh
    )
    assert last_refusal_rule(con) == "sheet"
    assert stored_feedback(con) == []


# -- 3. known fields under the headers users write --------------------------------


def stored_lifecycle(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select project_id, approved, draft, consultation, review, approval, published "
        "from lifecycle order by project_id"
    ).fetchall()


def test_lifecycle_dates_under_time_and_noted_headers_are_all_stored(con) -> None:
    from datetime import date

    head = [
        "项目编号",
        "立项时间",
        "草案\n时间",
        "征求意见稿（日期）",
        "送审稿 日期",
        "报批稿时间(年月日)",
        "发布时间",
    ]
    dates = [
        date(2023, 1, 5),
        date(2023, 3, 1),
        date(2023, 5, 2),
        date(2023, 8, 9),
        date(2023, 10, 10),
        date(2024, 2, 1),
    ]
    rows = [head, *[[f"XM{i}", *dates] for i in range(4)]]
    result = ingest_bytes(
        con, "lifecycle", office.workbook(office.Sheet("项目", rows)), file_name="项目.xlsx"
    )
    assert result.rows_accepted == 4, result.errors
    assert [w["rule"] for w in result.warning_details] == []
    assert stored_lifecycle(con) == [(f"XM{i}", *dates) for i in range(4)]


LIFECYCLE_ODD = [
    ["项目编号", "项目名称", "立项批准时点", "正式发布时点"],
    ["XM1", "数据安全标准", "2023-01-05", "2024-02-01"],
    ["XM2", "密码应用标准", "2023-02-05", "2024-03-01"],
]


def test_ignored_columns_like_blank_known_ones_are_said_prominently_with_the_closest_header(
    con,
) -> None:
    result = ingest_bytes(con, "lifecycle", nasty.csv_bytes(LIFECYCLE_ODD), file_name="项目.csv")
    assert result.status == "loaded" and result.rows_accepted == 2
    notes = [(w["column"], w["rule"]) for w in result.warning_details]
    assert notes == [
        ("立项批准时点", "column_not_recognised"),
        ("正式发布时点", "column_not_recognised"),
    ]
    messages = " ".join(w["message_zh"] for w in result.warning_details)
    assert "“立项日期”" in messages and "“发布日期”" in messages
    assert "立项批准时点" in result.reason.zh and "立项日期" in result.reason.zh
    assert stored_lifecycle(con) == [("XM1", *[None] * 6), ("XM2", *[None] * 6)]


def test_under_strict_such_a_file_is_refused(con) -> None:
    result = ingest_bytes(
        con, "lifecycle", nasty.csv_bytes(LIFECYCLE_ODD), file_name="项目.csv", strict=True
    )
    assert result.status == "refused" and "--strict" in result.reason.zh
    assert last_refusal_rule(con) == "column_not_recognised"
    assert stored_lifecycle(con) == []


def test_a_unit_in_brackets_is_never_dropped_to_match_a_header(con) -> None:
    rows = [
        [*FUNDING_HEAD, "金额（元）", "金额（千元）"],
        [*funding_row("F1", "1234")[:5], "1234", "1.2"],
    ]
    result = ingest_bytes(con, "funding", nasty.csv_bytes(rows), file_name="资金.csv")
    assert [w["column"] for w in result.warning_details] == ["金额（千元）"]
    assert stored_amounts(con) == [("F1", 1234.0)]


# -- 5. identifiers mangled by Excel ----------------------------------------------

SURVEY_HEAD = ["问卷编号", "调查年度", "标准编号", "总体满意度"]


def test_ids_in_scientific_notation_are_rejected_saying_what_excel_did_never_merged(con) -> None:
    rows = [SURVEY_HEAD, ["202405000001", "2024", CODE_A, "5"]]
    rows += [["2.02405E+11", "2024", CODE_A, str(i)] for i in range(1, 6)]
    result = ingest_bytes(con, "survey", nasty.csv_bytes(rows), file_name="问卷.csv")
    assert (result.rows_accepted, result.rows_rejected, result.rows_replaced) == (1, 5, 0)
    assert {(e["rule"], e["value"]) for e in result.errors} == {
        ("id_scientific_notation", "2.02405E+11")
    }
    assert (
        "文本" in result.errors[0]["message_zh"] and "科学计数法" in result.errors[0]["message_zh"]
    )
    stored = con.execute("select response_id, q_satisfied from survey").fetchall()
    assert stored == [("202405000001", 5)]


# -- 7. names compared for rules --------------------------------------------------


def test_funders_differing_only_in_bracket_width_and_spaces_are_one_funder(con) -> None:
    head = [*FUNDING_HEAD, "金额（元）", "出资单位", "承担单位"]
    rows = [
        head,
        [*funding_row("F1", "")[:4], "已承诺", "100000", "某某基金会（北京）", "测评中心 甲"],
        [*funding_row("F2", "")[:4], "已拨付", "60000", "某某基金会(北京)", "测评中心甲"],
        [*funding_row("F3", "")[:4], "已拨付", "40000", " 某某基金会 (北京)", "测评中心　甲"],
    ]
    result = ingest_bytes(con, "funding", nasty.csv_bytes(rows), file_name="资金.csv")
    assert result.rows_accepted == 3
    assert [w["rule"] for w in result.warning_details] == []
    funders = con.execute("select funder from funding order by record_id").fetchall()
    assert funders == [("某某基金会（北京）",), ("某某基金会(北京)",), ("某某基金会 (北京)",)]
    rows[3][5] = "40001"  # now more is disbursed than committed: the warning is real
    again = ingest_bytes(con, "funding", nasty.csv_bytes(rows), file_name="资金2.csv")
    assert {w["rule"] for w in again.warning_details} == {"disbursed_above_committed"}


# -- 11. messages an office user can act on ----------------------------------------


@pytest.mark.parametrize("placeholder", ["/", "—", "无", "N/A", "－"])
def test_a_placeholder_in_an_optional_number_cell_says_it_may_be_left_blank(
    con, placeholder: str
) -> None:
    head = [*FEEDBACK_HEAD, "实施成本（元）"]
    rows = [
        head,
        ["S001", CODE_A, "2024-Q1", "5", placeholder],
        ["S002", CODE_A, "2024-Q1", "4", ""],
    ]
    result = ingest_bytes(con, "feedback", nasty.csv_bytes(rows), file_name="反馈.csv")
    assert [(e["row"], e["value"], e["rule"]) for e in result.errors] == [
        (2, placeholder, "not_an_amount")
    ]
    assert "留空" in result.errors[0]["message_zh"]
    assert stored_feedback(con) == [("S002", "2024-Q1", 4)]


def test_headers_with_line_breaks_appear_folded_in_messages(con) -> None:
    head = ["试点单位\n编号", "标准编号", "报告期", "满意度", "实施成本\n（元）", "备\n注"]
    rows = [head, ["S001", CODE_A, "2024-Q1", "5", "很多", "x"]]
    result = ingest_bytes(con, "feedback", nasty.csv_bytes(rows), file_name="反馈.csv")
    assert [e["column"] for e in result.errors] == ["实施成本 （元）"]
    assert [w["column"] for w in result.warning_details] == ["备 注"]


# -- legacy .xls: the same reading -------------------------------------------------


def test_a_legacy_xls_is_read_as_shown_with_merges_and_excel_row_numbers(con) -> None:
    rows = [
        ["2024年度资金情况"],
        [],
        [*FUNDING_HEAD, "金额（万元）"],
        funding_row("F1", nasty.Formatted(123456, "0!.0000")),  # yuan shown in 万
        funding_row("F2", nasty.Formatted(80000, '0"."0000')),
        [None, 2024, "中央财政", "标准研制", "已拨付", "十万"],  # F2 merged down; not an amount
    ]
    data = office.legacy_workbook(office.Sheet("资金", rows, merges=[(4, 0, 5, 0)]), first_row=2)
    result = ingest_bytes(con, "funding", data, file_name="资金.xls")
    # The sheet starts at Excel row 3: the title is row 3, the header row 5.
    assert [(e["row"], e["value"], e["rule"]) for e in result.errors] == [
        (8, "十万", "not_an_amount")
    ]
    assert stored_amounts(con) == [("F1", 123456.0), ("F2", 80000.0)]


@pytest.mark.parametrize("first_row", [0, 3])
def test_legacy_xls_percent_cells_are_read_as_shown_wherever_the_sheet_starts(
    con, first_row: int
) -> None:
    rows = [
        [*FEEDBACK_HEAD, "实施覆盖率"],
        ["S001", CODE_A, "2024-Q1", 5, nasty.Percent(0.85)],
        ["S002", CODE_A, "2024-Q1", 4, nasty.Percent(0.075, "0.0%")],
        ["S003", CODE_A, "2024-Q1", 4, nasty.Percent(1.2)],
    ]
    data = office.legacy_workbook(office.Sheet("反馈", rows), first_row=first_row)
    result = ingest_bytes(con, "feedback", data, file_name="反馈.xls")
    assert [(e["row"], e["value"], e["rule"]) for e in result.errors] == [
        (first_row + 4, "120%", "percent_range")
    ]
    stored = con.execute("select site_id, coverage_pct from feedback order by 1").fetchall()
    assert stored == [("S001", 85.0), ("S002", 7.5)]
