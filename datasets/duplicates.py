"""Keys repeated within one file: the last occurrence wins.

Users correct a spreadsheet by adding a row at the bottom more often than
by editing the old one, so when one file holds the same key twice the LAST
occurrence is the row that counts; each earlier occurrence is dropped and
reported as a ``duplicate_in_file`` warning naming the row that replaced
it. This holds even if the last occurrence is itself rejected: the user
meant the last row, and silently loading the stale one would be worse.
A dropped row is neither accepted nor rejected; callers count it as
replaced within the file. (Replacing a row already in the warehouse is the
ETL's business and is recorded there.)
"""

from __future__ import annotations

import polars as pl

from datasets.spec import SourceSpec

ROW = "_row"


def duplicate_warnings(spec: SourceSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """Find earlier occurrences of repeated keys.

    Parameters
    ----------
    spec
        The source (its ``key`` columns).
    frame
        Typed canonical frame with ``_row``.

    Returns
    -------
    pl.DataFrame
        ``index`` (UInt32 position of the earlier row), ``_row`` and
        ``kept_row`` (the user's row number of the last occurrence), one
        line per dropped row. Rows with a blank key part are ignored (they
        fail ``required``).

    Examples
    --------
    >>> from datasets.spec import ColumnSpec
    >>> spec = SourceSpec("x", "x", "表", "t", ("id",), (ColumnSpec("id", "编号", "text"),))
    >>> f = pl.DataFrame({"id": ["a", "b", "a"], "_row": [2, 3, 4]})
    >>> duplicate_warnings(spec, f).select("_row", "kept_row").rows()
    [(2, 4)]
    """
    key = list(spec.key)
    indexed = frame.select(*key, ROW).with_row_index("index")
    if any(indexed[k].has_nulls() for k in key):
        indexed = indexed.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
    # One hashing pass finds the rows whose key repeats (usually none); the
    # window that names the kept row then runs on those rows only.
    repeated = indexed.select(key).is_duplicated()
    return (
        indexed.filter(repeated)
        .with_columns(
            pl.col("index").last().over(key).alias("kept_index"),
            pl.col(ROW).last().over(key).alias("kept_row"),
        )
        .filter(pl.col("index") != pl.col("kept_index"))
        .select("index", ROW, "kept_row")
    )
