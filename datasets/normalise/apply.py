"""Run a vectorised normaliser over a Series and find the cells it could not read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import polars as pl

from datasets.normalise.width import is_blank_expr

_IN = "value"


class Parsed(NamedTuple):
    """The result of a normaliser over a Series.

    Attributes
    ----------
    values
        Typed values; null where the cell was blank or unreadable.
    invalid
        Boolean mask: True where a non-blank cell could not be read (the
        value must be reported, never silently nulled).
    """

    values: pl.Series
    invalid: pl.Series


def _parse_frame(text: pl.Series, parse: Callable[[pl.Expr], pl.Expr]) -> pl.DataFrame:
    """Columns ``value`` (the cell), ``values`` (parsed) and ``invalid`` (non-blank, unread)."""
    cell = pl.col(_IN)
    return (
        pl.DataFrame({_IN: text})
        .with_columns(parse(cell).alias("values"))
        .with_columns((~is_blank_expr(cell) & pl.col("values").is_null()).alias("invalid"))
    )


def parse_series(values: pl.Series, parse: Callable[[pl.Expr], pl.Expr]) -> Parsed:
    """Apply an expression normaliser to ``values`` and compute the invalid mask.

    Uploaded columns repeat a few spellings many times (codes, periods,
    choices), so the normaliser runs on the distinct values and the result
    is joined back; a column of mostly distinct values is parsed directly.

    Examples
    --------
    >>> p = parse_series(pl.Series(["1", "x", " "]), lambda e: e.str.strip_chars().cast(pl.Int64, strict=False))
    >>> p.values.to_list(), p.invalid.to_list()
    ([1, None, None], [False, True, False])
    """
    text = values.cast(pl.Utf8).alias(_IN)
    distinct = text.drop_nulls().unique()
    if distinct.len() * 2 > text.len():
        out = _parse_frame(text, parse)
    else:
        # Each cell's position among the distinct values (an Enum of them),
        # then a gather: cheaper than joining the parsed values back by text.
        parsed = _parse_frame(distinct, parse)
        index = text.cast(pl.Enum(distinct)).to_physical()
        out = parsed.select(
            pl.col("values").gather(index), pl.col("invalid").gather(index).fill_null(False)
        )
    return Parsed(out["values"].alias(values.name), out["invalid"].alias(values.name))


def parse_scalar(value: str | None, parse: Callable[[pl.Expr], pl.Expr]) -> Any:
    """Apply an expression normaliser to one value (for tests and small callers)."""
    return parse_series(pl.Series(_IN, [value], dtype=pl.Utf8), parse).values[0]
