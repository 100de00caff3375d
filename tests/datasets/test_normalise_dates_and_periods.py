"""Dates and reporting periods as users type them."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.normalise.dates import (
    normalise_date,
    normalise_dates,
    normalise_period,
    normalise_periods,
)


@pytest.mark.parametrize(
    "typed",
    [
        "2024-05-08", "2024/5/8", "2024.5.8", "2024年5月8日", "20240508", "45420",
        "45420.0", "2024-05-08 00:00:00", "2024-05-08T13:45", "２０２４－０５－０８", "2024 年 5 月 8 日",
    ],
)  # fmt: skip
def test_date_spellings(typed: str) -> None:
    assert normalise_date(typed) == date(2024, 5, 8)


@pytest.mark.parametrize(
    "bad", ["2024-02-30", "2024-13-01", "May 8", "8/5/2024", "12", "99999", "明天"]
)
def test_impossible_or_ambiguous_dates_are_unreadable(bad: str) -> None:
    assert normalise_date(bad) is None
    assert normalise_dates(pl.Series([bad])).invalid.to_list() == [True]


def test_excel_serial_day_zero_is_1899_12_30() -> None:
    assert normalise_date("45292") == date(2024, 1, 1)
    assert normalise_date("20000") == date(1954, 10, 3)


@settings(deadline=None, max_examples=60)
@given(st.dates(min_value=date(1955, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_spelling_round_trips(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    serial = (day - date(1899, 12, 30)).days
    spellings = [
        day.isoformat(), f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}年{m}月{d}日", f"{y}{m:02d}{d:02d}", str(serial),
    ]  # fmt: skip
    parsed = normalise_dates(pl.Series(spellings))
    assert parsed.values.to_list() == [day] * len(spellings), spellings
    assert not parsed.invalid.any()


_CN = "一二三四"


@settings(deadline=None, max_examples=60)
@given(st.integers(2016, 2100), st.integers(1, 4))
def test_every_period_spelling_round_trips(year: int, quarter: int) -> None:
    canonical = f"{year}-Q{quarter}"
    month = 3 * quarter - 1
    day = date(year, month, 8)
    spellings = [
        canonical, f"{year}Q{quarter}", f"{year}q{quarter}", f"{year} Q{quarter}", f"Q{quarter} {year}",
        f"{year}年第{_CN[quarter - 1]}季度", f"{year}年{quarter}季度", f"{year}年第{quarter}季度",
        f"{year}-{month:02d}", f"{year}/{month}", f"{year}年{month}月", day.isoformat(),
        f"{year}/{month}/8", f"{year}年{month}月8日",
    ]  # fmt: skip
    parsed = normalise_periods(pl.Series(spellings))
    assert dict(zip(spellings, parsed.values.to_list(), strict=True)) == dict.fromkeys(
        spellings, canonical
    )


@settings(deadline=None)
@given(st.lists(st.dates(min_value=date(2016, 1, 1), max_value=date(2100, 12, 31)), min_size=1))
def test_a_date_maps_to_its_quarter(days: list[date]) -> None:
    parsed = normalise_periods(pl.Series([d.isoformat() for d in days]))
    assert parsed.values.to_list() == [f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in days]


def test_excel_serial_period() -> None:
    assert normalise_period(str((date(2024, 5, 8) - date(1899, 12, 30)).days)) == "2024-Q2"


@pytest.mark.parametrize(
    "bad", ["2024-Q5", "2024Q0", "2024年第五季度", "2024-13", "Q2", "二季度", "2024"]
)
def test_unreadable_periods(bad: str) -> None:
    assert normalise_period(bad) is None
    assert normalise_periods(pl.Series([bad])).invalid.to_list() == [True]


def test_blank_period_is_null_not_invalid() -> None:
    parsed = normalise_periods(pl.Series(["", None, " "]))
    assert parsed.invalid.to_list() == [False, False, False]


def test_month_boundaries_map_to_the_right_quarter() -> None:
    assert [normalise_period(f"2024-{m:02d}") for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2024-Q1", "2024-Q1", "2024-Q2", "2024-Q2", "2024-Q3", "2024-Q3", "2024-Q4", "2024-Q4",
    ]  # fmt: skip
    assert normalise_period((date(2024, 12, 31) + timedelta(days=1)).isoformat()) == "2025-Q1"
