"""Dates as users type them, and periods (quarters) of the feedback table.

Dates: ``2024-05-08``, ``2024/5/8``, ``2024.05.08``, ``2024年5月8日``,
``20240508`` (also ``20240508.0`` from a number cell), a trailing time
(``2024-5-8 00:00:00`` as spreadsheets export datetimes, ``2024/5/8 0:00``,
``2024/5/8 上午 12:00:00``; the time is dropped), and Excel serial day
numbers (``45420`` or ``45420.0`` -> 2024-05-08; a fraction is the time of
day; day 0 is 1899-12-30 because Excel counts the fictitious 1900-02-29).
A serial is only read between 20000 (1954) and 80000 (2119) so that a
stray count is not taken for a date. Impossible dates (2024-02-30) are
unreadable, not rolled over. Day-first or month-first orders
(``8/5/2024``) are unreadable: they are ambiguous.

Periods: ``2024-Q2``, ``2024Q2``, ``2024 q2``, ``Q2 2024``, ``2024年第二季度``,
``2024年度第二季度``, ``2024年二季度``, ``2024年2季度``, ``2024 年 第 2 季度``
(spaces anywhere), a month (``2024-05``, ``2024/5``, ``2024.5``,
``2024年5月``) or any date above, each mapped to its quarter ``YYYY-Qn``.
``2024年2`` is unreadable: a second quarter or February? A period whose
year falls outside 2016–2100 is unreadable too (``20242`` would otherwise
be read as an Excel serial, 1955-Q2).

Years written in Chinese numerals (``二〇二四年第二季度``) are not read:
they are rare in data sheets, and reading them well means also reading
``十二月``; such a cell is reported with the accepted spellings instead.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from datasets.normalise.apply import Parsed, parse_scalar, parse_series
from datasets.normalise.width import folded_expr

EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 20000, 80000

_TIME_SUFFIX = r"(?:(?:T|\s+|\s*[上下]午\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME_SUFFIX + "$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})(?:\.0+)?$"
_SERIAL = r"^(\d{5})(?:\.\d+)?$"

_CN_QUARTER = {"一": "1", "二": "2", "三": "3", "四": "4"}


def _ymd_to_date(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    text = pl.concat_str([y, pl.lit("-"), m, pl.lit("-"), d])
    return text.str.to_date("%Y-%m-%d", strict=False)


def date_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised date normaliser: Date, or null when blank or unreadable."""
    text = folded_expr(expr)
    serial = text.str.extract(_SERIAL, 1).cast(pl.Int64, strict=False)
    from_serial = (
        pl.when(serial.is_between(SERIAL_MIN, SERIAL_MAX))
        .then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial))
        .otherwise(None)
        .cast(pl.Date)
    )
    return pl.coalesce(
        _ymd_to_date(
            text.str.extract(_YMD, 1), text.str.extract(_YMD, 2), text.str.extract(_YMD, 3)
        ),
        _ymd_to_date(
            text.str.extract(_COMPACT, 1),
            text.str.extract(_COMPACT, 2),
            text.str.extract(_COMPACT, 3),
        ),
        from_serial,
    )


def normalise_dates(values: pl.Series) -> Parsed:
    """Normalise a Series of dates; see :func:`date_expr`."""
    return parse_series(values, date_expr)


def normalise_date(value: str | None) -> date | None:
    """Normalise one date.

    Examples
    --------
    >>> [normalise_date(v) for v in ("2024/5/8", "2024年5月8日", "20240508", "45420")]
    [datetime.date(2024, 5, 8), datetime.date(2024, 5, 8), datetime.date(2024, 5, 8), datetime.date(2024, 5, 8)]
    >>> normalise_date("2024-02-30") is None
    True
    """
    return parse_scalar(value, date_expr)


PERIOD_YEAR_MIN = 2016
PERIOD_YEAR_MAX = 2100


def _quarter_text(year: pl.Expr, quarter: pl.Expr) -> pl.Expr:
    return pl.concat_str([year, pl.lit("-Q"), quarter])


def period_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised period normaliser: ``YYYY-Qn``, or null when blank or unreadable."""
    text = folded_expr(expr).str.to_uppercase().str.replace_all(r"\s+", "")
    year_q = r"^(\d{4})年?-?Q([1-4])$"
    q_year = r"^Q([1-4])-?(\d{4})年?$"
    # A quarter needs 季 (and 第 when 年 is missing): "2024年2" may be February.
    chinese = r"^(\d{4})(?:年度?第?([1-4一二三四])季|第([1-4一二三四])季)度?$"
    # After 年 the month needs its 月: "2024年2" may mean the second quarter.
    month = r"^(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月)$"
    month_no = pl.coalesce(text.str.extract(month, 2), text.str.extract(month, 3)).cast(
        pl.Int8, strict=False
    )
    from_month = pl.when(month_no.is_between(1, 12)).then(
        _quarter_text(text.str.extract(month, 1), ((month_no - 1) // 3 + 1).cast(pl.Utf8))
    )
    day = date_expr(expr)
    from_date = _quarter_text(day.dt.year().cast(pl.Utf8), day.dt.quarter().cast(pl.Utf8))
    period = pl.coalesce(
        _quarter_text(text.str.extract(year_q, 1), text.str.extract(year_q, 2)),
        _quarter_text(text.str.extract(q_year, 2), text.str.extract(q_year, 1)),
        _quarter_text(
            text.str.extract(chinese, 1),
            pl.coalesce(text.str.extract(chinese, 2), text.str.extract(chinese, 3)).replace(
                _CN_QUARTER
            ),
        ),
        from_month,
        from_date,
    )
    # Feedback began with the 2016 Opinions; a year outside 2016–2100 is a
    # typo or a number misread as an Excel serial (20242 -> 1955), not a quarter.
    year = period.str.slice(0, 4).cast(pl.Int32, strict=False)
    return pl.when(year.is_between(PERIOD_YEAR_MIN, PERIOD_YEAR_MAX)).then(period)


def normalise_periods(values: pl.Series) -> Parsed:
    """Normalise a Series of reporting periods; see :func:`period_expr`."""
    return parse_series(values, period_expr)


def normalise_period(value: str | None) -> str | None:
    """Normalise one reporting period to ``YYYY-Qn``.

    Examples
    --------
    >>> [normalise_period(v) for v in ("2024Q2", "2024年第二季度", "2024年2季度", "2024-05", "2024/5/8")]
    ['2024-Q2', '2024-Q2', '2024-Q2', '2024-Q2', '2024-Q2']
    >>> normalise_period("2024-Q5") is None
    True
    >>> normalise_period("20242") is None, normalise_period("1999-Q1") is None
    (True, True)
    """
    return parse_scalar(value, period_expr)
