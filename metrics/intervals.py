"""Percentile intervals and their long frame (SCORING.md §3).

:func:`percentile_interval` turns replicates into interval bounds for many
items at once; :func:`interval_frame` lays the bounds of every cell and
item out in the long shape of ``score_result``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from metrics.config import IndicatorConfig

__all__ = ["interval_frame", "percentile_interval"]


def percentile_interval(values: np.ndarray, level: float) -> np.ndarray:
    """Percentile interval over the last axis, ignoring NaN replicates: (..., 2).

    Linear interpolation between order statistics (numpy's default
    ``"linear"`` quantile); NaN where no replicate has a value. One sort for
    the whole array, so it is fast for many items at once.

    Examples
    --------
    >>> percentile_interval(np.array([[1.0, 2.0, 3.0, np.nan, 5.0]]), 0.5).tolist()
    [[1.75, 3.5]]
    """
    ordered = np.sort(values, axis=-1)  # NaN sorts last
    valid = (~np.isnan(values)).sum(axis=-1)
    out = np.full((*values.shape[:-1], 2), np.nan)
    tail = (1.0 - level) / 2.0
    for k, q in enumerate((tail, 1.0 - tail)):
        position = q * np.maximum(valid - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        low = np.take_along_axis(ordered, below[..., None], axis=-1)[..., 0]
        high = np.take_along_axis(ordered, above[..., None], axis=-1)[..., 0]
        out[..., k] = np.where(valid > 0, low + (position - below) * (high - low), np.nan)
    return out


def interval_frame(
    cells: list[tuple[str, str]],
    config: IndicatorConfig,
    ind_ci: np.ndarray,
    dim_ci: np.ndarray,
    comp_ci: np.ndarray,
    shrunk_ci: np.ndarray,
) -> pl.DataFrame:
    """Long frame of the intervals: ``standard_code, year_key, level, item, ci_low, ci_high``.

    Parameters
    ----------
    cells
        ``(standard_code, year_key)`` of each cell, in the order of the arrays.
    config
        The indicator system (item names and order).
    ind_ci, dim_ci, comp_ci, shrunk_ci
        (cells × indicators × 2), (cells × dimensions × 2), (cells × 2) raw
        composite and (cells × 2) shrunk composite bounds; NaN becomes null.
        Items: ``score`` (raw composite), dimensions, indicators and
        ``score_shrunk``.
    """
    n_cells = len(cells)
    items = (
        [("composite", "score")]
        + [("dimension", d) for d in config.dimension_ids]
        + [("indicator", i) for i in config.indicator_ids]
        + [("composite", "score_shrunk")]
    )
    parts = [comp_ci[:, None, :], dim_ci, ind_ci, shrunk_ci[:, None, :]]
    bounds = np.concatenate(parts, axis=1)  # cells × items × 2
    return pl.DataFrame(
        {
            "standard_code": np.repeat([c for c, _ in cells], len(items)) if n_cells else [],
            "year_key": np.repeat([y for _, y in cells], len(items)) if n_cells else [],
            "level": [lv for _ in cells for lv, _ in items],
            "item": [it for _ in cells for _, it in items],
            "ci_low": bounds[:, :, 0].reshape(-1),
            "ci_high": bounds[:, :, 1].reshape(-1),
        },
        schema={
            "standard_code": pl.String,
            "year_key": pl.String,
            "level": pl.String,
            "item": pl.String,
            "ci_low": pl.Float64,
            "ci_high": pl.Float64,
        },
    ).with_columns(pl.col("ci_low", "ci_high").fill_nan(None))
