"""What Chinese offices really type into Excel and GBK CSV uploads, read or reported as documented.

Each expected value is worked out by hand from the cell as typed. Cells
that are deliberately not read (ambiguous or rare) are listed too, so a
change in that decision is a visible test change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.normalise.choices import (
    normalise_enum,
    normalise_likert,
    normalise_org_type,
    normalise_yes_no,
)
from datasets.normalise.codes import normalise_code
from datasets.normalise.dates import normalise_date, normalise_period, normalise_periods
from datasets.normalise.numbers import normalise_integer, normalise_money
from datasets.normalise.regions import normalise_region
from datasets.normalise.text import normalise_code_list, normalise_text
from datasets.sources import get_source
from datasets.validation import ValidationContext, validate_raw
from tests.datasets.conftest import CODE

NBSP, IDEO, ZWSP, BOM = "\u00a0", "\u3000", "\u200b", "\ufeff"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("GB/T 22239—2019", "GB/T 22239-2019"),  # em dash from a Chinese IME
        ("GB／T22239-2019", "GB/T 22239-2019"),  # full-width slash, no space
        ("GB/T 35273-2020" + NBSP, "GB/T 35273-2020"),  # NBSP pasted from a web page
        ("GB/T 35273-2020" + IDEO, "GB/T 35273-2020"),
        ("GB/T" + NBSP + "35273-2020", "GB/T 35273-2020"),
        (ZWSP + "GB/T 35273-2020", "GB/T 35273-2020"),  # zero-width space from WeChat
        ("GB/T" + ZWSP + "35273-2020" + BOM, "GB/T 35273-2020"),
        ("GB/T 35273－2020", "GB/T 35273-2020"),  # full-width hyphen-minus
        ("GB/T 35273-2020\n", "GB/T 35273-2020"),  # Alt+Enter in the cell
    ],
)
def test_codes_as_typed_in_office_spreadsheets(typed: str, canonical: str) -> None:
    assert normalise_code(typed) == canonical


@pytest.mark.parametrize(
    "typed",
    [
        "GB/T 35273 2020",  # no dash: number and year cannot be told apart reliably
        "GB/T 35273_2020",
        "GB/T 35273～2019",  # a range sign, not a dash
        "《GB/T 22239-2019》",  # book-title marks belong around titles, not codes
    ],
)
def test_codes_not_read(typed: str) -> None:
    assert normalise_code(typed) is None


def test_code_list_with_invisible_characters_and_chinese_separators() -> None:
    typed = f"GB/T 22239—2019{NBSP}；{ZWSP}GB／T35273-2020、"
    assert normalise_code_list(typed) == "GB/T 22239-2019; GB/T 35273-2020"


def test_free_text_loses_only_surrounding_invisible_characters() -> None:
    assert normalise_text(f"{ZWSP}{IDEO}缺少 实施指南{NBSP}") == "缺少 实施指南"
    assert normalise_text(ZWSP + BOM) is None


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("2024 年 第 2 季度", "2024-Q2"),
        ("2024年二季度", "2024-Q2"),
        ("2024 年二季度", "2024-Q2"),
        ("2024年度第二季度", "2024-Q2"),
        ("2024年第四季", "2024-Q4"),
        ("2024第3季度", "2024-Q3"),
        ("2024年Q2", "2024-Q2"),
        ("2024年第二季度" + IDEO, "2024-Q2"),
        ("2024-Q2" + NBSP, "2024-Q2"),
        ("2024.05.08", "2024-Q2"),
        ("2024-5-8 00:00:00", "2024-Q2"),  # Excel datetime as text
        ("45420.0", "2024-Q2"),  # Excel serial of 2024-05-08
        ("2024年12月", "2024-Q4"),
    ],
)
def test_periods_as_typed(typed: str, period: str) -> None:
    assert normalise_period(typed) == period


@pytest.mark.parametrize(
    "typed",
    [
        "二〇二四年第二季度",  # Chinese-numeral year: decided not to read (dates.py)
        "2024年2",  # second quarter or February?
        "2024年二",
        "2024H1",  # a half year is not a quarter
        "24Q2",  # two-digit year
    ],
)
def test_periods_not_read_are_reported(typed: str) -> None:
    parsed = normalise_periods(pl.Series([typed]))
    assert parsed.values.to_list() == [None]
    assert parsed.invalid.to_list() == [True]


@pytest.mark.parametrize(
    "typed",
    [
        "2024.05.08",
        "2024-5-8 00:00:00",
        "2024/5/8 0:00",
        "2024/5/8 上午 12:00:00",
        "2024/5/8 下午 3:30",
        "2024-05-08  00:00",
        "2024-05-08T00:00:00",
        "2024-05-08 00:00:00.000",
        "45420.0",
        "45420.75",  # 18:00 on that day
        "20240508.0",  # yyyymmdd kept in a number cell
        "2024年5月8日" + NBSP,
    ],
)
def test_dates_as_exported_by_excel_and_wps(typed: str) -> None:
    assert normalise_date(typed) == date(2024, 5, 8)


@pytest.mark.parametrize("typed", ["5/8/2024", "二〇二四年五月八日", "2024-05-0812:30"])
def test_dates_not_read(typed: str) -> None:
    assert normalise_date(typed) is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("5 分", 5), ("５", 5), ("５分", 5), ("满意 ", 4), ("满意" + IDEO, 4), ("非常 满意", 5),
        ("⑤", 5), ("4.0", 4), ("不太满意", 2), ("比较不满意", 2), ("很满意", 5), ("很不满意", 1),
        ("较同意", 4), ("不太同意", 2),
    ],
)  # fmt: skip
def test_likert_as_typed(typed: str, value: int) -> None:
    assert normalise_likert(typed) == value


@pytest.mark.parametrize("typed", ["五分", "基本满意", "5.5"])
def test_likert_not_read(typed: str) -> None:
    assert normalise_likert(typed) is None


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,234.5元", "1234.50"),
        ("￥1,234", "1234.00"),
        ("1.2万元", "12000.00"),
        ("1.2 万元", "12000.00"),
        ("人民币1234元", "1234.00"),
        ("1234元整", "1234.00"),
        ("１，２３４．５元", "1234.50"),
        ("1,234.5 元" + NBSP, "1234.50"),
        ("1.005", "1.01"),  # 四舍五入, not banker's rounding
    ],
)
def test_money_as_typed(typed: str, amount: str) -> None:
    assert normalise_money(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["1 234", "(1234)", "$1234", "壹万元"])
def test_money_not_read(typed: str) -> None:
    assert normalise_money(typed) is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("是 ", True), ("否" + IDEO, False), ("√", True), ("✓", True), ("✔", True), ("×", False),
        ("✗", False), ("是的", True), ("不是", False), ("没有", False), ("知晓", True),
        ("不知晓", False), ("不知道", False), ("０", False), ("1.0", True),
    ],
)  # fmt: skip
def test_yes_no_as_typed(typed: str, value: bool) -> None:
    assert normalise_yes_no(typed) is value


@pytest.mark.parametrize("typed", ["x", "X", "○", "是/否"])
def test_yes_no_not_read(typed: str) -> None:
    # A letter x may mean "ticked" or "crossed out"; a template left unfilled says 是/否.
    assert normalise_yes_no(typed) is None


@pytest.mark.parametrize(
    ("normalise", "typed", "value"),
    [
        (normalise_integer, "3例", 3),
        (normalise_integer, "3 次", 3),
        (normalise_integer, "1,234.00", 1234),
        (normalise_region, "11.0", "11"),
        (normalise_region, "440300.0", "44"),
        (normalise_region, "北京" + IDEO, "11"),
        (normalise_org_type, "国有企业", "enterprise"),
        (normalise_org_type, "民营企业", "enterprise"),
        (normalise_org_type, "高等学校", "university"),
    ],
)
def test_counts_regions_and_org_types_as_typed(normalise, typed: str, value: object) -> None:  # noqa: ANN001
    assert normalise(typed) == value


def test_enum_word_with_a_space_inside() -> None:
    assert (
        normalise_enum("实施 中", ("in_progress",), {"in_progress": ("实施中",)}) == "in_progress"
    )


_NOISE = st.sampled_from(["", " ", NBSP, IDEO, ZWSP, BOM, "\t", NBSP + ZWSP])

# (normaliser, cell, value) with the value worked out by hand.
_CLEAN = [
    (normalise_code, "GB/T 22239-2019", "GB/T 22239-2019"),
    (normalise_period, "2024年第二季度", "2024-Q2"),
    (normalise_date, "2024/5/8", date(2024, 5, 8)),
    (normalise_likert, "非常满意", 5),
    (normalise_money, "￥1,234.5", Decimal("1234.50")),
    (normalise_yes_no, "是", True),
    (normalise_region, "广东省", "44"),
    (normalise_org_type, "科研院所", "research_institute"),
]


@settings(deadline=None, max_examples=40)
@given(st.sampled_from(_CLEAN), _NOISE, _NOISE)
def test_padding_from_copy_and_paste_never_changes_a_value(
    case: tuple, before: str, after: str
) -> None:
    normalise, cell, value = case
    assert normalise(before + cell + after) == value


def test_a_messy_office_feedback_row_is_accepted_whole() -> None:
    raw = pl.DataFrame(
        {
            "site_id": [f"S1{NBSP}"], "standard_code": [f"{ZWSP}GB／T22239—2019"],
            "period": ["2024 年 第 2 季度"], "status": ["实施中 "], "coverage_pct": ["８５％"],
            "applicability": ["5 分"], "operability": ["不太满意"], "clarity": ["⑤"],
            "benefit": ["满意\u3000"], "satisfaction": ["非常 满意"], "incidents_before": ["3例"],
            "incidents_after": ["1.0"], "cost_cny": ["人民币1.2万元"],
        }
    )  # fmt: skip
    context = ValidationContext(standard_codes=frozenset({CODE}), site_ids=frozenset({"S1"}))
    result = validate_raw(get_source("feedback"), raw, context=context)
    assert result.errors.height == 0, result.errors
    row = result.accepted.drop("problems", "suggestions").row(0, named=True)
    assert row == {
        "site_id": "S1", "standard_code": CODE, "period": "2024-Q2", "status": "in_progress",
        "coverage_pct": 85.0, "applicability": 5, "operability": 2, "clarity": 5, "benefit": 4,
        "satisfaction": 5, "incidents_before": 3, "incidents_after": 1,
        "cost_cny": Decimal("12000.00"), "_row": 2,
    }  # fmt: skip


@pytest.mark.parametrize("value", ["20242", "1999-Q1", "2101Q1", "1955年第二季度"])
def test_a_period_outside_the_programme_years_is_unreadable(value: str) -> None:
    from datasets.normalise.dates import normalise_period

    assert normalise_period(value) is None


def test_a_period_at_the_edges_of_the_programme_years_is_read() -> None:
    from datasets.normalise.dates import normalise_period

    assert normalise_period("2016Q1") == "2016-Q1"
    assert normalise_period("2100年第四季度") == "2100-Q4"
