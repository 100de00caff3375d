"""CSV as spreadsheets open it safely: UTF-8 with BOM, formula cells neutralised.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and WPS (ARCHITECTURE.md, things to avoid); it
is written with a leading apostrophe. Numbers are numbers and stay as they
are, negative ones included.
"""

from __future__ import annotations

import polars as pl

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(column: str) -> pl.Expr:
    text = pl.col(column)
    risky = text.str.starts_with(_FORMULA_START[0])
    for start in _FORMULA_START[1:]:
        risky = risky | text.str.starts_with(start)
    return pl.when(risky).then(pl.lit("'") + text).otherwise(text).alias(column)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """Return ``frame`` as CSV bytes (UTF-8 BOM, header row, every row; no truncation).

    Examples
    --------
    >>> csv_bytes(pl.DataFrame({"a": ["=1+1", "ok"], "n": [-2, 3]}))[3:]
    b"a,n\\n'=1+1,-2\\nok,3\\n"
    """
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(_neutralise(c) for c in text) if text else frame
    return b"\xef\xbb\xbf" + safe.write_csv().encode("utf-8")
