"""From indicator values to dimensions and the composite score (SCORING.md §1, §3).

The same functions form the point estimate and every bootstrap replicate, so
the rules live in one place: a dimension is the mean of its indicators that
are present; the composite is 100 × Σ w_d · D_d over the dimensions present,
with the weights renormalised over them (the standard is then *partial*).
Arrays carry any leading shape (cells, or cells × replicates); the last axis
is the indicator or dimension axis, and a missing value is NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from metrics.config import IndicatorConfig

__all__ = ["composite_score", "dimension_values", "mean_present"]


def mean_present(values: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Mean over ``values[..., columns]`` of the entries that are not NaN.

    NaN where none is present; sums run in a fixed order, so the result is
    the same on every run.

    Examples
    --------
    >>> mean_present(np.array([[0.5, np.nan, 1.0], [np.nan, np.nan, 0.2]]), [0, 1])
    array([0.5, nan])
    """
    picked = values[..., list(columns)]
    present = ~np.isnan(picked)
    total = np.where(present, picked, 0.0).sum(axis=-1)
    count = present.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def dimension_values(indicators: np.ndarray, config: IndicatorConfig) -> np.ndarray:
    """Dimension values (..., n_dimensions) from indicator values (..., n_indicators).

    ``indicators`` follows ``config.indicator_ids``; the result follows
    ``config.dimension_ids``.
    """
    index = {ind: k for k, ind in enumerate(config.indicator_ids)}
    columns = [
        mean_present(indicators, [index[i] for i in d.indicators]) for d in config.dimensions
    ]
    return np.stack(columns, axis=-1)


def composite_score(dimensions: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """The 0–100 composite from dimension values, renormalising over those present.

    Examples
    --------
    >>> d = np.array([[0.8, 0.6], [0.8, np.nan]])
    >>> composite_score(d, [0.75, 0.25]).round(6).tolist()
    [75.0, 80.0]
    """
    w = np.asarray(weights, dtype=np.float64)
    present = ~np.isnan(dimensions)
    weighted = np.where(present, dimensions * w, 0.0).sum(axis=-1)
    total_weight = np.where(present, w, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            total_weight > 0,
            100.0 * weighted / np.where(total_weight > 0, total_weight, 1.0),
            np.nan,
        )
