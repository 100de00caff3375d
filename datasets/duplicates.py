"""Keys repeated within one file: the last VALID occurrence wins.

Users correct a spreadsheet by adding a row at the bottom more often than
by editing the old one, so when one file holds the same key twice the LAST
occurrence is the row that counts; each earlier occurrence is dropped and
reported as a ``duplicate_in_file`` warning naming the row that replaced
it. Only rows that pass validation take part: a rejected row never
displaces a valid one, since dropping a good row for a bad one would lose
data the user sent. The rejected row is reported with its own errors,
and :func:`rejected_duplicates` names the row of the same key that was
loaded instead, so that the user knows to correct the rejected row and
send it again. A dropped row is neither accepted nor rejected; callers
count it as replaced within the file. (Replacing a row already in the
warehouse is the ETL's business and is recorded there.)
"""

from __future__ import annotations

import polars as pl

from datasets.problems import ROW
from datasets.spec import SourceSpec


def _keyed(spec: SourceSpec, frame: pl.DataFrame, valid: pl.Series | None) -> pl.DataFrame:
    """``index``, the key columns and ``_row`` of the rows with a whole key (and ``valid``)."""
    key = list(spec.key)
    indexed = frame.select(*key, ROW).with_row_index("index")
    if valid is not None:
        indexed = indexed.filter(valid)
    if any(indexed[k].has_nulls() for k in key):
        indexed = indexed.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
    return indexed


def duplicate_warnings(
    spec: SourceSpec, frame: pl.DataFrame, *, valid: pl.Series | None = None
) -> pl.DataFrame:
    """Find earlier occurrences of repeated keys among the valid rows.

    Parameters
    ----------
    spec
        The source (its ``key`` columns).
    frame
        Typed canonical frame with ``_row``.
    valid
        Boolean mask over ``frame``: the rows that passed validation
        (``None``: every row). Rejected rows neither replace nor are
        replaced.

    Returns
    -------
    pl.DataFrame
        ``index`` (UInt32 position of the earlier row in ``frame``),
        ``_row`` and ``kept_row`` (the user's row number of the last valid
        occurrence), one line per dropped row. Rows with a blank key part
        are ignored (they fail ``required``).

    Examples
    --------
    >>> from datasets.spec import ColumnSpec
    >>> spec = SourceSpec("x", "x", "表", "t", ("id",), (ColumnSpec("id", "编号", "text"),))
    >>> f = pl.DataFrame({"id": ["a", "b", "a", "a"], "_row": [2, 3, 4, 5]})
    >>> duplicate_warnings(spec, f).select("_row", "kept_row").rows()
    [(2, 5), (4, 5)]
    >>> ok = pl.Series([True, True, True, False])
    >>> duplicate_warnings(spec, f, valid=ok).select("_row", "kept_row").rows()
    [(2, 4)]
    """
    key = list(spec.key)
    indexed = _keyed(spec, frame, valid)
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


def rejected_duplicates(
    spec: SourceSpec, frame: pl.DataFrame, *, rejected: pl.Series, kept: pl.Series
) -> pl.DataFrame:
    """Pair each rejected row with the kept row of the same key, if the file has one.

    Parameters
    ----------
    spec
        The source (its ``key`` columns).
    frame
        Typed canonical frame with ``_row``.
    rejected, kept
        Boolean masks over ``frame``: the rejected rows, and the rows that
        are loaded (valid and not replaced by a later valid row; their keys
        are unique).

    Returns
    -------
    pl.DataFrame
        ``_row`` (a rejected row) and ``kept_row`` (the loaded row with the
        same key), one line per rejected row that has one.

    Examples
    --------
    >>> from datasets.spec import ColumnSpec
    >>> spec = SourceSpec("x", "x", "表", "t", ("id",), (ColumnSpec("id", "编号", "text"),))
    >>> f = pl.DataFrame({"id": ["a", "a", "b"], "_row": [2, 3, 4]})
    >>> bad = pl.Series([False, True, True])
    >>> rejected_duplicates(spec, f, rejected=bad, kept=~bad).rows()
    [(3, 2)]
    """
    key = list(spec.key)
    bad = _keyed(spec, frame, rejected).select(*key, ROW)
    if bad.height == 0:
        return pl.DataFrame(schema={ROW: frame.schema[ROW], "kept_row": frame.schema[ROW]})
    loaded = _keyed(spec, frame, kept).select(*key, pl.col(ROW).alias("kept_row"))
    return bad.join(loaded, on=key, how="inner").select(ROW, "kept_row").sort(ROW)
