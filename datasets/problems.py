"""The problem frame: one row per error or warning about a cell of an upload.

Validation (:mod:`datasets.validation`), casting (:mod:`datasets.casting`),
the loader's ``rejected_row`` table and the reports of the command line and
the app all share this one shape, so it lives in a module of its own that
each of them imports (and none of them imports the others for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from datasets.rules import Rule
    from datasets.spec import SourceSpec

__all__ = ["ERROR_COLUMNS", "ROW", "empty_errors", "failures_to_rows"]

#: The column holding the user's row number (the header is row 1), carried
#: from the reader through validation to the rejected-row report.
ROW = "_row"

#: The columns of every error and warning frame (and of ``rejected_row``).
ERROR_COLUMNS: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "column": pl.Utf8(),
    "value": pl.Utf8(),
    "rule": pl.Utf8(),
    "message_zh": pl.Utf8(),
    "message_en": pl.Utf8(),
}


def empty_errors() -> pl.DataFrame:
    """An empty frame with :data:`ERROR_COLUMNS`.

    Examples
    --------
    >>> empty_errors().columns
    ['row', 'column', 'value', 'rule', 'message_zh', 'message_en']
    """
    return pl.DataFrame(schema=ERROR_COLUMNS)


def failures_to_rows(
    spec: SourceSpec, frame: pl.DataFrame, failures: pl.DataFrame, rules: list[Rule]
) -> pl.DataFrame:
    """Turn (index, rule key) failures into :data:`ERROR_COLUMNS` rows, sorted by row.

    ``value`` is the failing column's value as text.
    """
    if failures.height == 0:
        return empty_errors()
    by_key = {r.key: r for r in rules}
    unknown = set(failures["key"].unique().to_list()) - set(by_key)
    if unknown:  # pragma: no cover - a rule was checked that is not registered
        msg = f"failures of unregistered rules {sorted(unknown)} in source {spec.name}"
        raise RuntimeError(msg)
    meta = pl.DataFrame(
        {
            "key": list(by_key),
            "column": [r.column for r in by_key.values()],
            "rule": [r.id for r in by_key.values()],
            "message_zh": [r.message_zh for r in by_key.values()],
            "message_en": [r.message_en for r in by_key.values()],
        }
    )
    joined = failures.join(meta, on="key", how="left")
    parts = []
    for column in joined["column"].unique().to_list():
        part = joined.filter(pl.col("column") == column)
        idx = part["index"]
        parts.append(
            part.with_columns(
                frame[ROW].gather(idx).alias("row"),
                frame[column].gather(idx).cast(pl.Utf8).alias("value"),
            )
        )
    order = {name: i for i, name in enumerate(spec.column_names())}
    return (
        pl.concat(parts)
        .with_columns(pl.col("column").replace_strict(order, default=len(order)).alias("_ord"))
        .sort("row", "_ord", "rule")
        .select(list(ERROR_COLUMNS))
        .cast(ERROR_COLUMNS)
    )
