"""Numbers, money, percentages, Likert answers, yes/no, choices, org types and regions."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.normalise.choices import (
    LIKERT_WORDS,
    normalise_enum,
    normalise_likert,
    normalise_likerts,
    normalise_org_type,
    normalise_yes_no,
)
from datasets.normalise.numbers import (
    normalise_float,
    normalise_integer,
    normalise_integers,
    normalise_money,
    normalise_percent,
)
from datasets.normalise.regions import normalise_region, normalise_regions
from datasets.reference_data import regions


@pytest.mark.parametrize(
    ("typed", "value"),
    [("3", 3), ("３", 3), ("1,234", 1234), ("3.0", 3), ("5次", 5), (" 0 ", 0), ("-2", -2)],
)
def test_integer_spellings(typed: str, value: int) -> None:
    assert normalise_integer(typed) == value


@pytest.mark.parametrize("bad", ["3.5", "三", "1e3", "99999999999", "3 4"])
def test_integers_that_cannot_be_read(bad: str) -> None:
    assert normalise_integer(bad) is None
    assert normalise_integers(pl.Series([bad])).invalid.to_list() == [True]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1,234.50", "1234.50"), ("￥1234", "1234.00"), ("¥1,234", "1234.00"), ("12.5万", "125000.00"),
        ("1234元", "1234.00"), ("RMB 99", "99.00"), ("1.2亿", "120000000.00"), ("０.５", "0.50"),
        ("12.345", "12.35"), ("12.5万元", "125000.00"),
    ],
)  # fmt: skip
def test_money_spellings(typed: str, value: str) -> None:
    assert normalise_money(typed) == Decimal(value)


def test_header_unit_scales_money_again() -> None:
    assert normalise_money("12.5", factor=10000.0) == Decimal("125000.00")
    assert normalise_money("1,234.56", factor=10000.0) == Decimal("12345600.00")


@pytest.mark.parametrize("bad", ["十万", "12.5千", "$100", "1.2.3", "100万亿元"])
def test_money_that_cannot_be_read(bad: str) -> None:
    assert normalise_money(bad) is None


@settings(deadline=None, max_examples=50)
@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_money_round_trips_with_thousands_separators(amount: Decimal) -> None:
    assert normalise_money(f"{amount:,.2f}") == amount
    assert normalise_money(f"￥{amount}") == amount


@pytest.mark.parametrize(
    ("typed", "value"),
    [("85%", 85.0), ("85", 85.0), ("８５％", 85.0), ("0.5%", 0.5), ("0.85", 0.85), ("100 %", 100.0),
     ("120%", 120.0)],
)  # fmt: skip
def test_percentages_a_sign_is_literal_and_a_bare_value_is_already_0_to_100(
    typed: str, value: float
) -> None:
    assert normalise_percent(typed) == value


def test_percent_that_cannot_be_read() -> None:
    assert normalise_percent("八成") is None
    assert normalise_percent("85%%") is None


def test_decimal_numbers() -> None:
    assert normalise_float("88.5") == 88.5
    assert normalise_float("１００") == 100.0
    assert normalise_float("abc") is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [("5", 5), ("５", 5), ("5分", 5), ("5.0", 5), ("1", 1), ("非常满意", 5), ("满意", 4), ("一般", 3),
     ("不满意", 2), ("非常不满意", 1), ("非常同意", 5), ("同意", 4), ("不同意", 2), ("非常不同意", 1),
     (" Strongly Agree ", 5)],
)  # fmt: skip
def test_likert_digits_and_words(typed: str, value: int) -> None:
    assert normalise_likert(typed) == value


def test_out_of_range_likert_digits_are_kept_for_the_range_rule() -> None:
    assert normalise_likert("7") == 7
    assert normalise_likert("0") == 0
    assert normalise_likert("很好") is None
    assert normalise_likert("3.5") is None


@settings(deadline=None, max_examples=30)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=30), st.data())
def test_likert_any_mix_of_digits_full_width_and_words(
    values: list[int], data: st.DataObject
) -> None:
    words_for = {v: [w for w, n in LIKERT_WORDS.items() if n == v] for v in range(1, 6)}
    spellings = []
    for v in values:
        choices = [str(v), chr(ord("０") + v), f"{v}分", *words_for[v]]
        spellings.append(data.draw(st.sampled_from(choices)))
    parsed = normalise_likerts(pl.Series(spellings))
    assert parsed.values.to_list() == values
    assert not parsed.invalid.any()


@pytest.mark.parametrize(
    ("typed", "value"),
    [("是", True), ("否", False), ("Y", True), ("n", False), ("1", True), ("0", False), ("true", True),
     ("FALSE", False), ("有", True), ("无", False), ("Yes", True), ("ｙｅｓ", True)],
)  # fmt: skip
def test_yes_no_words(typed: str, value: bool) -> None:
    assert normalise_yes_no(typed) is value


def test_yes_no_that_cannot_be_read() -> None:
    assert normalise_yes_no("也许") is None


def test_enum_accepts_canonical_value_and_chinese_labels() -> None:
    labels = {"in_progress": ("实施中", "进行中"), "completed": ("已完成",)}
    values = ("in_progress", "completed")
    assert normalise_enum("实施中", values, labels) == "in_progress"
    assert normalise_enum("进行中", values, labels) == "in_progress"
    assert normalise_enum("IN-PROGRESS", values, labels) == "in_progress"
    assert normalise_enum("已完成 ", values, labels) == "completed"
    assert normalise_enum("搁置", values, labels) is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [("企业", "enterprise"), ("高校", "university"), ("科研院所", "research_institute"),
     ("检测认证机构", "testing_body"), ("用户单位", "user"), ("政府部门", "government"),
     ("research_institute", "research_institute"), ("Testing and certification body", "testing_body")],
)  # fmt: skip
def test_org_types_by_id_or_name(typed: str, value: str) -> None:
    assert normalise_org_type(typed) == value


def test_unknown_org_type() -> None:
    assert normalise_org_type("个体户") is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [("北京", "11"), ("北京市", "11"), ("11", "11"), ("110000", "11"), ("110105", "11"), ("内蒙古", "15"),
     ("内蒙古自治区", "15"), ("广西", "45"), ("广西壮族自治区", "45"), ("新疆", "65"), ("西藏", "54"),
     ("香港", "81"), ("香港特别行政区", "81"), ("澳门", "82"), ("台湾", "71"), ("Beijing", "11"),
     ("Inner Mongolia", "15"), ("Tibet", "54"), ("Hong Kong SAR", "81"), ("Macau", "82"),
     ("Shaanxi", "61"), ("Shanxi", "14"), ("guangdong province", "44"), ("１１", "11")],
)  # fmt: skip
def test_region_spellings(typed: str, code: str) -> None:
    assert normalise_region(typed) == code


@pytest.mark.parametrize("bad", ["99", "990000", "火星", "北", "Atlantis"])
def test_unknown_regions(bad: str) -> None:
    assert normalise_region(bad) is None
    assert normalise_regions(pl.Series([bad])).invalid.to_list() == [True]


def test_every_region_by_code_full_name_and_english_name() -> None:
    table = regions()
    for column in ("code", "name_zh", "name_en"):
        assert normalise_regions(table[column]).values.to_list() == table["code"].to_list(), column
