"""Ingesting real-world uploads end to end: messy files in, typed rows and precise errors out."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.landing import sha256_hex
from etl.pipeline import ingest_frame
from etl.uploads import ingest_bytes
from etl.warehouse import connect
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, CODE_B, copy_of, typed

HEAD = nasty.FEEDBACK_HEADERS_ZH


def feedback(site: str, code: str = CODE_A, period: str = "2024-Q2", **cells: str) -> list[str]:
    row = dict.fromkeys(HEAD, "")
    row.update(
        {
            "试点单位编号": site,
            "标准编号": code,
            "报告期": period,
            "实施状态": "已完成",
            "实施覆盖率": "80",
            "适用性": "4",
            "可操作性": "4",
            "清晰度": "4",
            "实施效益": "4",
            "满意度": "4",
        }
    )
    row.update(cells)
    return [row[h] for h in HEAD]


def rows_of(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_upload_gbk_csv_with_chinese_headers_full_width_digits_likert_words_and_percentages(
    con, encoding: str
) -> None:
    data = nasty.csv_bytes(
        [
            HEAD,
            feedback(
                "S001",
                "ＧＢ／Ｔ　２２２３９－２０１９",
                "2024年第二季度",
                **{
                    "实施覆盖率": "85%",
                    "适用性": "非常满意",
                    "可操作性": "４",
                    "清晰度": "同意",
                    "实施效益": "一般",
                    "满意度": "非常不同意",
                    "实施成本（元）": "１２，３４５.６",
                    "存在问题": '=HYPERLINK("http://evil.example","点击")',
                },
            ),
            feedback(
                "S002", "gb/t 35273—2020", "2024Q2", **{"实施前安全事件数": "", "修改建议": ""}
            ),
        ],
        encoding=encoding,
    )
    result = ingest_bytes(con, "feedback", data, file_name="反馈.csv")
    assert (result.status, result.rows_read, result.rows_accepted, result.rows_rejected) == (
        "loaded",
        2,
        2,
        0,
    ), result.errors
    got = rows_of(
        con,
        "select site_id, standard_code, period, coverage_pct, applicability,"
        " operability, clarity, benefit, satisfaction, cost_cny, problems,"
        " incidents_before from feedback order by site_id",
    )
    assert got == [
        (
            "S001",
            CODE_A,
            "2024-Q2",
            85.0,
            5,
            4,
            4,
            3,
            1,
            Decimal("12345.60"),
            '=HYPERLINK("http://evil.example","点击")',
            None,
        ),
        ("S002", CODE_B, "2024-Q2", 80.0, 4, 4, 4, 4, 4, None, None, None),
    ]


def test_upload_gbk_csv_with_full_width_site_id_loads_to_the_registered_site(con) -> None:
    data = nasty.csv_bytes(
        [HEAD, feedback("Ｓ００１", **{"存在问题": "ＡＰＩ　文档不全"}), feedback("　Ｓ００２ ")],
        encoding="gbk",
    )
    result = ingest_bytes(con, "feedback", data, file_name="反馈.csv")
    assert (result.status, result.rows_accepted, result.rows_rejected) == ("loaded", 2, 0), (
        result.errors
    )
    # The ids are folded to ASCII; free text stays exactly as typed.
    assert rows_of(con, "select site_id, problems from feedback order by site_id") == [
        ("S001", "ＡＰＩ　文档不全"),
        ("S002", None),
    ]


def test_upload_utf8_bom_csv_with_english_headers(con) -> None:
    english = [
        "site_id",
        "standard_code",
        "period",
        "status",
        "coverage_pct",
        "applicability",
        "operability",
        "clarity",
        "benefit",
        "satisfaction",
    ]
    data = nasty.csv_bytes(
        [english, ["S001", CODE_A, "2024-Q3", "completed", "90", "5", "4", "3", "2", "1"]], bom=True
    )
    result = ingest_bytes(con, "feedback", data, file_name="feedback.csv")
    assert (result.status, result.rows_accepted) == ("loaded", 1), result.errors
    assert rows_of(con, "select period, status from feedback") == [("2024-Q3", "completed")]


def test_amounts_in_wan_yuan_are_multiplied(con) -> None:
    head = [h if h != "实施成本（元）" else "实施成本（万元）" for h in HEAD]
    data = nasty.csv_bytes([head, feedback("S001", **{"实施成本（元）": "1.5"})])
    assert ingest_bytes(con, "feedback", data, file_name="f.csv").rows_accepted == 1
    assert rows_of(con, "select cost_cny from feedback") == [(Decimal("15000.00"),)]


@pytest.mark.parametrize(
    "spelling",
    [
        "2024-Q2",
        "2024Q2",
        "2024 q2",
        "Q2 2024",
        "2024年第二季度",
        "2024年2季度",
        "2024年第2季度",
        "2024-05",
        "2024/5",
        "2024年5月",
        "2024-05-08",
        "2024/5/8",
        "2024年5月8日",
        "45420",
    ],
)
def test_every_period_spelling_lands_in_its_quarter(con, spelling: str) -> None:
    data = nasty.csv_bytes([HEAD, feedback("S001", period=spelling)])
    result = ingest_bytes(con, "feedback", data, file_name="f.csv")
    assert result.rows_accepted == 1, result.errors
    assert rows_of(con, "select period from feedback") == [("2024-Q2",)]


def test_xlsx_with_a_title_row_reports_real_excel_rows_and_file_headers(con) -> None:
    data = nasty.xlsx_bytes(
        [HEAD, feedback("S001"), feedback("S404"), feedback("S002", **{"适用性": "很好"})],
        title="2024年第二季度 网络安全标准实施情况反馈表",
        first_row=1,
    )
    result = ingest_bytes(con, "feedback", data, file_name="反馈.xlsx")
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (3, 1, 2)
    assert [(e["row"], e["column"], e["value"], e["rule"]) for e in result.errors] == [
        (6, "试点单位编号", "S404", "unknown_site"),
        (7, "适用性", "很好", "likert_range"),
    ]
    assert all("请" in e["message_zh"] or "先" in e["message_zh"] for e in result.errors)
    stored = rows_of(
        con,
        "select row_number, column_name, value, rule, message_zh, message_en"
        " from rejected_row order by row_number",
    )
    assert [r[:4] for r in stored] == [
        (6, "试点单位编号", "S404", "unknown_site"),
        (7, "适用性", "很好", "likert_range"),
    ]
    assert all(r[4] and r[5] for r in stored)


def test_xlsx_coverage_formatted_as_percent_loads_as_shown(con) -> None:
    row = feedback("S001")
    row[HEAD.index("实施覆盖率")] = nasty.Percent(0.85)
    result = ingest_bytes(con, "feedback", nasty.xlsx_bytes([HEAD, row]), file_name="反馈.xlsx")
    assert result.rows_accepted == 1, result.errors
    assert rows_of(con, "select coverage_pct from feedback") == [(85.0,)]


def test_excel_serial_and_date_cells_in_funding(con) -> None:
    head = [
        "记录编号",
        "年度",
        "资金来源",
        "出资单位",
        "承担单位",
        "资金用途",
        "资金状态",
        "金额（万元）",
        "日期",
        "试点项目编号",
    ]
    rows = [
        head,
        ["F1", 2024, "中央财政", "财政部", "某单位", "试点示范", "已批复", 12.5, 45420, "P1"],
        [
            "F2",
            "2024",
            "企业投入",
            "某企业",
            "某单位",
            "标准研制",
            "已拨付",
            "3",
            date(2024, 6, 1),
            "",
        ],
        ["F3", "2024", "企业投入", "某企业", "某单位", "标准研制", "已拨付", "3", "2024-13-01", ""],
    ]
    result = ingest_bytes(con, "funding", nasty.xlsx_bytes(rows), file_name="资金.xlsx")
    assert (result.rows_accepted, result.rows_rejected) == (2, 1), result.errors
    assert [(e["row"], e["column"], e["value"]) for e in result.errors] == [
        (4, "日期", "2024-13-01")
    ]
    got = rows_of(con, "select record_id, amount_cny, date, flow from funding order by record_id")
    assert got == [
        ("F1", Decimal("125000.00"), date(2024, 5, 8), "committed"),
        ("F2", Decimal("30000.00"), date(2024, 6, 1), "disbursed"),
    ]


def test_duplicates_within_one_file_keep_the_last_row(con) -> None:
    data = nasty.csv_bytes(
        [
            HEAD,
            feedback("S001", **{"满意度": "1"}),
            feedback("S002"),
            feedback("S001", **{"满意度": "5"}),
        ]
    )
    result = ingest_bytes(con, "feedback", data, file_name="f.csv")
    assert (result.rows_read, result.rows_accepted, result.rows_replaced) == (3, 2, 1)
    assert any(w["rule"] == "duplicate_in_file" and w["row"] == 2 for w in result.warning_details)
    assert rows_of(con, "select satisfaction from feedback where site_id = 'S001'") == [(5,)]
    old = rows_of(con, "select old_values from row_replacement")
    assert len(old) == 1 and json.loads(old[0][0])["satisfaction"] == 1


def test_a_file_sent_twice_is_recognised_and_not_loaded_again(con) -> None:
    data = nasty.csv_bytes([HEAD, feedback("S001"), feedback("S002")], encoding="gbk")
    first = ingest_bytes(con, "feedback", data, file_name="a.csv")
    second = ingest_bytes(con, "feedback", data, file_name="a (1).csv")
    assert (first.status, second.status) == ("loaded", "duplicate")
    assert second.rows_accepted == 0 and "a.csv" in second.reason.zh
    assert rows_of(con, "select count(*) from feedback") == [(2,)]
    log = con.execute(
        "select status from ingest_log where sha256 = ? order by ingest_id", [first.sha256]
    ).fetchall()
    assert log == [("loaded",), ("duplicate",)]


def test_a_file_updating_earlier_rows_replaces_them_and_records_the_old_values(con) -> None:
    ingest_bytes(
        con,
        "feedback",
        nasty.csv_bytes([HEAD, feedback("S001", **{"满意度": "2"}), feedback("S002")]),
        file_name="v1.csv",
    )
    update = nasty.csv_bytes([HEAD, feedback("S001", **{"满意度": "5"}), feedback("S003")])
    result = ingest_bytes(con, "feedback", update, file_name="v2.csv")
    assert (result.rows_accepted, result.rows_replaced) == (2, 1)
    assert rows_of(con, "select site_id, satisfaction from feedback order by 1") == [
        ("S001", 5),
        ("S002", 4),
        ("S003", 4),
    ]
    ((key, old_sha, new_sha, old),) = rows_of(
        con, "select row_key, old_sha256, new_sha256, old_values from row_replacement"
    )
    assert json.loads(key) == ["S001", CODE_A, "2024-Q2"] and new_sha == result.sha256
    assert json.loads(old)["satisfaction"] == 2 and old_sha != new_sha
    assert con.execute(
        "select rows_replaced from ingest_log where sha256 = ?", [result.sha256]
    ).fetchall() == [(1,)]


def test_missing_required_column_refuses_the_file_and_loads_nothing(con) -> None:
    head = [h for h in HEAD if h != "标准编号"]
    rows = [[c for h, c in zip(HEAD, feedback("S001"), strict=True) if h != "标准编号"]]
    result = ingest_bytes(con, "feedback", nasty.csv_bytes([head, *rows]), file_name="f.csv")
    assert result.status == "refused" and "standard_code" in result.reason.en
    assert "标准编号" in result.reason.zh
    assert "\n" not in result.reason.zh and "\n" not in result.reason.en
    assert rows_of(con, "select count(*) from feedback") == [(0,)]
    assert rows_of(con, f"select status from ingest_log where sha256 = '{result.sha256}'") == [
        ("refused",)
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.csv", b""),
        ("header-only.csv", nasty.csv_bytes([HEAD])),
        ("png.csv", nasty.png_bytes()),
        ("noise.csv", nasty.random_bytes()),
        ("cut.xlsx", nasty.truncated(nasty.xlsx_bytes([HEAD, feedback("S001")] * 30))),
        ("line.csv", nasty.huge_single_line(2_000_000)),
    ],
)
def test_garbage_is_refused_whole_with_nothing_loaded(con, name: str, data: bytes) -> None:
    result = ingest_bytes(con, "feedback", data, file_name=name, dry_run=True)
    assert result.status == "refused"
    for lang in ("zh", "en"):
        reason = result.reason_text(lang)
        assert reason and "\n" not in reason
    result = ingest_bytes(con, "feedback", data, file_name=name)
    assert result.status == "refused"
    assert rows_of(con, "select count(*) from feedback") == [(0,)]


def test_strict_refuses_a_file_with_any_bad_row(con) -> None:
    data = nasty.csv_bytes([HEAD, feedback("S001"), feedback("S999")])
    result = ingest_bytes(con, "feedback", data, file_name="f.csv", strict=True)
    assert (result.status, result.rows_rejected) == ("refused", 1) and result.reason.zh
    assert rows_of(con, "select count(*) from feedback") == [(0,)]
    assert ingest_bytes(con, "feedback", data, file_name="f.csv").status == "loaded"


def test_dry_run_validates_and_writes_nothing(con) -> None:
    before = rows_of(con, "select count(*) from ingest_log")
    data = nasty.csv_bytes([HEAD, feedback("S001"), feedback("S999")])
    result = ingest_bytes(con, "feedback", data, file_name="f.csv", dry_run=True)
    assert (result.status, result.rows_accepted, result.rows_rejected) == ("dry_run", 1, 1)
    assert rows_of(con, "select count(*) from feedback") == [(0,)]
    assert rows_of(con, "select count(*) from ingest_log") == before
    assert rows_of(con, "select count(*) from rejected_row") == [(0,)]


def test_survey_cross_field_rule_and_yes_no_words(con) -> None:
    head = [
        "问卷编号",
        "调查年度",
        "地区",
        "单位类型",
        "单位规模",
        "标准编号",
        "是否知晓",
        "采用程度",
        "标准管用",
        "标准好用",
        "内容先进",
        "与其他标准协调",
        "便于符合性测试",
        "总体满意度",
    ]
    rows = [
        head,
        [
            "R1",
            "2024",
            "北京市",
            "企业",
            "大型",
            CODE_A,
            "是",
            "全面采用",
            "5",
            "4",
            "4",
            "3",
            "4",
            "5",
        ],
        ["R2", "2024年", "11", "高校", "", CODE_A, "否", "部分采用", "3", "3", "3", "3", "3", "3"],
    ]
    result = ingest_bytes(
        con, "survey", nasty.csv_bytes(rows, encoding="gb18030"), file_name="s.csv"
    )
    assert result.rows_accepted == 1 and result.rows_rejected == 1
    assert result.errors[0]["row"] == 3
    assert rows_of(con, "select response_id, region_code, aware, adoption from survey") == [
        ("R1", "11", True, "full")
    ]


def test_catalogue_update_adds_and_changes_standards_with_history(con) -> None:
    rows = [
        ["标准编号", "状态", "标准名称"],
        [CODE_A, "废止", ""],
        ["GB/T 45574-2025", "即将实施", "数据安全技术 敏感个人信息处理安全要求"],
    ]
    before = rows_of(con, f"select title_zh, status from standard where code = '{CODE_A}'")[0]
    result = ingest_bytes(con, "standard", nasty.csv_bytes(rows), file_name="目录更新.csv")
    assert (result.status, result.rows_accepted, result.rows_replaced) == ("loaded", 2, 1), (
        result.errors
    )
    assert rows_of(con, f"select title_zh, status from standard where code = '{CODE_A}'") == [
        (before[0], "withdrawn")
    ]
    new = rows_of(con, "select category, status from standard where code = 'GB/T 45574-2025'")
    assert new == [("GB/T", "upcoming")]
    history = rows_of(
        con, "select code, field, old_value, new_value from standard_history order by code, field"
    )
    assert (CODE_A, "status", before[1], "withdrawn") in history
    assert ("GB/T 45574-2025", "status", None, "upcoming") in history
    assert all(h[1] != "title_zh" for h in history if h[0] == CODE_A)


def test_pilot_program_upload_links_its_standards(con) -> None:
    rows = [
        ["试点项目编号", "项目名称", "试点标准"],
        ["P2", "个人信息保护试点", f"{CODE_A}、{CODE_B}"],
    ]
    result = ingest_bytes(con, "pilot_program", nasty.csv_bytes(rows), file_name="p.csv")
    assert result.rows_accepted == 1, result.errors
    assert rows_of(
        con, "select standard_code from pilot_program_standard where program_id = 'P2' order by 1"
    ) == [(CODE_A,), (CODE_B,)]


def test_rows_after_a_bad_row_are_still_loaded(con) -> None:
    rows = (
        [HEAD]
        + [feedback(s) for s in ("S001", "S002")]
        + [feedback("S001", period="soon")]
        + [feedback("S003"), feedback("S004")]
    )
    result = ingest_bytes(con, "feedback", nasty.csv_bytes(rows), file_name="f.csv")
    assert (result.rows_accepted, result.rows_rejected) == (4, 1)
    assert result.errors[0]["row"] == 4


# -- property: order and chunking do not matter ----------------------------------------

_site = st.sampled_from(["S001", "S002", "S003", "S004"])
_period = st.sampled_from(["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1"])
_score = st.integers(1, 5)
_row = st.tuples(_site, st.sampled_from([CODE_A, CODE_B]), _period, _score, _score)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(_row, min_size=1, max_size=25, unique_by=lambda r: r[:3]),
    order=st.randoms(use_true_random=False),
    chunks=st.integers(1, 5),
)
def test_loading_valid_rows_in_any_order_and_chunking_gives_the_same_table(
    built: Path, tmp_path_factory: pytest.TempPathFactory, rows, order, chunks: int
) -> None:
    def frame(part):
        return typed(
            "feedback",
            [
                {"site_id": s, "standard_code": c, "period": p, "clarity": a, "satisfaction": b}
                for s, c, p, a, b in part
            ],
        )

    folder = tmp_path_factory.mktemp("prop")
    one = connect(copy_of(built, folder / "one.duckdb"))
    many = connect(copy_of(built, folder / "many.duckdb"))
    try:
        ingest_frame(one, "feedback", frame(rows), file_name="all", sha256="all")
        shuffled = list(rows)
        order.shuffle(shuffled)
        size = max(1, len(shuffled) // chunks)
        for i in range(0, len(shuffled), size):
            ingest_frame(
                many,
                "feedback",
                frame(shuffled[i : i + size]),
                file_name=f"c{i}",
                sha256=f"chunk-{i}",
            )
        query = (
            "select site_id, standard_code, period, clarity, satisfaction from feedback"
            " order by all"
        )
        assert one.execute(query).fetchall() == many.execute(query).fetchall()
        assert len(one.execute(query).fetchall()) == len(rows)
    finally:
        one.close()
        many.close()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_row, min_size=1, max_size=12), chunks=st.integers(1, 4))
@example(  # A, B, then A's very bytes again: the table holds A (found by a CI run)
    rows=[("S001", CODE_A, "2023-Q1", 1, 1), ("S003", CODE_A, "2023-Q1", 1, 2),
          ("S003", CODE_A, "2023-Q1", 1, 1), ("S003", CODE_A, "2023-Q1", 1, 2)],
    chunks=3,
)  # fmt: skip
def test_resending_rows_never_counts_them_twice(
    built: Path, tmp_path_factory: pytest.TempPathFactory, rows, chunks: int
) -> None:
    con = connect(copy_of(built, tmp_path_factory.mktemp("resend") / "w.duckdb"))
    try:
        size = max(1, len(rows) // chunks)
        replaced = loaded_rows = 0
        for i in range(0, len(rows), size):
            part = rows[i : i + size]
            data = nasty.csv_bytes(
                [
                    HEAD,
                    *[
                        feedback(s, c, p, **{"清晰度": str(a), "满意度": str(b)})
                        for s, c, p, a, b in part
                    ],
                ]
            )
            result = ingest_bytes(con, "feedback", data, file_name=f"{i}.csv")
            if result.status == "loaded":  # identical chunks are the same bytes: a duplicate
                replaced += result.rows_replaced
                loaded_rows += len(part)
        distinct = {r[:3] for r in rows}
        assert con.execute("select count(*) from feedback").fetchone()[0] == len(distinct)
        last = {r[:3]: r[3:] for r in rows}
        got = {
            tuple(r[:3]): tuple(r[3:])
            for r in con.execute(
                "select site_id, standard_code, period, clarity, satisfaction from feedback"
            ).fetchall()
        }
        assert got == last
        recorded = con.execute("select count(*) from row_replacement").fetchone()[0]
        assert recorded == replaced == loaded_rows - len(distinct)
    finally:
        con.close()


def test_bytes_sent_again_after_a_later_version_are_loaded_as_the_newest(
    built: Path, tmp_path: Path
) -> None:
    """A, then B, then A again: the table holds A (receipt order), and A once more is a duplicate."""
    con = connect(copy_of(built, tmp_path / "w.duckdb"))
    try:
        versions = {
            v: nasty.csv_bytes(
                [HEAD, feedback("S001", "GB/T 22239-2019", "2023-Q1", **{"满意度": v})]
            )
            for v in ("2", "5")
        }

        def send(v: str, name: str) -> str:
            return ingest_bytes(con, "feedback", versions[v], file_name=name).status

        assert [send("2", "a.csv"), send("5", "b.csv"), send("2", "a-again.csv")] == [
            "loaded",
            "loaded",
            "loaded",
        ]
        stored = con.execute(
            "select satisfaction from feedback where site_id = 'S001' and period = '2023-Q1'"
        ).fetchall()
        assert stored == [(2,)]
        assert send("2", "a-third.csv") == "duplicate"  # nothing changed it since
        assert send("5", "b-again.csv") == "loaded"  # B was replaced by A: B is new again
        history = con.execute(
            "select old_sha256, new_sha256 from row_replacement order by replaced_at"
        ).fetchall()
        a, b = (sha256_hex(versions[v]) for v in ("2", "5"))
        assert history == [(a, b), (b, a), (a, b)]
    finally:
        con.close()
