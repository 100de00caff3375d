"""Numbers as users type them: integers, amounts of money, decimals, percentages.

- Integers accept thousands separators, full-width digits, a trailing
  ``.0`` (spreadsheets turn 3 into 3.0) and a counting word (``3次``,
  ``3个``, ``3起``, ``3件``, ``3例``).
- Money accepts ``1,234.50``, ``￥1,234``, ``1234元``, ``1234元整``,
  ``人民币1234元``, ``RMB 1234`` and the units ``万`` (x10,000) and ``亿``
  (x100,000,000): ``12.5万`` and ``1.2万元`` are 125,000.00 and 12,000.00.
  Not read: a space as thousands separator (``1 234``: two numbers?),
  accounting negatives ``(1234)``, other currencies, amounts in Chinese
  numerals (``壹万元``). A header-level factor (``实施成本（万元）``) multiplies the
  cell again. Amounts are rounded to two decimals (DECIMAL(18,2)), half
  away from zero (四舍五入).
- Percentages: ``85%`` and ``85`` are 85. A ``%`` sign is taken literally,
  so ``0.85%`` is 0.85; a bare value is already on the 0–100 scale, so
  ``0.85`` is 0.85 too (not 85). Guessing that a bare value <= 1 is a
  fraction would turn a real 1 % into 100 %; the range rule and the
  template's "0–100" help text catch the opposite mistake.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from datasets.normalise.apply import Parsed, parse_scalar, parse_series
from datasets.normalise.width import folded_expr

_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)$"
_MONEY = r"^(?:RMB|CNY|人民币|[￥¥])?\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*(万|亿)?\s*(?:元整?|RMB|CNY)?$"
MONEY = pl.Decimal(18, 2)
_WIDE = pl.Decimal(38, 6)


def _compact(expr: pl.Expr) -> pl.Expr:
    """Folded text without thousands separators (inner spaces stay: ``3 4`` is not 34)."""
    return folded_expr(expr).str.replace_all(r"(\d)[,，](\d)", "$1$2")


_INT = pl.Int32()


def integer_expr(expr: pl.Expr, *, dtype: pl.DataType = _INT) -> pl.Expr:
    """Vectorised integer normaliser; null when blank, unreadable, fractional or too large."""
    text = _compact(expr).str.replace(r"\s*[次个起件例]$", "")
    whole = text.str.extract(r"^([+-]?\d+)(?:\.0*)?$", 1)
    return whole.cast(dtype, strict=False)


def float_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised decimal-number normaliser returning Float64."""
    text = _compact(expr)
    return pl.when(text.str.contains(_NUMBER)).then(text).cast(pl.Float64, strict=False)


def money_expr(expr: pl.Expr, *, factor: float = 1.0) -> pl.Expr:
    """Vectorised money normaliser returning Decimal(18,2).

    ``factor`` is the header-level unit (10,000 for a ``（万元）`` header).
    """
    text = _compact(expr).str.to_uppercase()
    amount = text.str.extract(_MONEY, 1).cast(_WIDE, strict=False)
    unit = text.str.extract(_MONEY, 2).replace_strict(
        {"万": 10_000, "亿": 100_000_000}, default=1, return_dtype=pl.Int64
    )
    scaled = amount * unit.cast(_WIDE) * pl.lit(Decimal(str(factor)), dtype=_WIDE)
    # 四舍五入: money is rounded half away from zero, as in Chinese accounting.
    return scaled.round(2, mode="half_away_from_zero").cast(MONEY, strict=False)


def percent_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised percentage normaliser returning Float64 on the 0–100 scale."""
    text = _compact(expr)
    number = text.str.extract(r"^([+-]?(?:\d+\.?\d*|\.\d+))\s*%?$", 1)
    return number.cast(pl.Float64, strict=False)


def normalise_integers(values: pl.Series) -> Parsed:
    """Normalise a Series of integers; see :func:`integer_expr`."""
    return parse_series(values, integer_expr)


def normalise_integer(value: str | None) -> int | None:
    """Normalise one integer.

    Examples
    --------
    >>> [normalise_integer(v) for v in ("1,234", "３", "3.0", "5次", "3.5")]
    [1234, 3, 3, 5, None]
    """
    return parse_scalar(value, integer_expr)


def normalise_money(value: str | None, *, factor: float = 1.0) -> Decimal | None:
    """Normalise one amount of money.

    Examples
    --------
    >>> [normalise_money(v) for v in ("1,234.50", "￥1234", "12.5万", "3元")]
    [Decimal('1234.50'), Decimal('1234.00'), Decimal('125000.00'), Decimal('3.00')]
    >>> normalise_money("12.5", factor=10000.0)
    Decimal('125000.00')
    """
    return parse_scalar(value, lambda e: money_expr(e, factor=factor))


def normalise_percent(value: str | None) -> float | None:
    """Normalise one percentage to the 0–100 scale.

    Examples
    --------
    >>> [normalise_percent(v) for v in ("85%", "85", "０.５％", "0.85")]
    [85.0, 85.0, 0.5, 0.85]
    """
    return parse_scalar(value, percent_expr)


def normalise_float(value: str | None) -> float | None:
    """Normalise one decimal number.

    Examples
    --------
    >>> normalise_float("88.5"), normalise_float("八十")
    (88.5, None)
    """
    return parse_scalar(value, float_expr)
