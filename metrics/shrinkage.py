"""Optional small-sample shrinkage towards the priority-area mean (SCORING.md §3).

An empirical-Bayes (Fay–Herriot style) compromise: a standard's composite x
with bootstrap variance v is pulled towards the mean m of the composites of
its priority area in the same year by λ = τ² / (τ² + v), where τ² is the
spread of the true scores in the area, estimated as the variance of the
composites minus their mean bootstrap variance (at least 0). A noisy score
(large v) moves a lot, a precise one hardly at all. The shrunk replicates
λ·x_r + (1 − λ)·m_r give its interval. Areas with fewer than 3 scored
standards, and standards with no priority area, are left as they are.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

__all__ = ["MIN_GROUP", "shrink_to_group_mean"]

MIN_GROUP = 3


def shrink_to_group_mean(
    points: np.ndarray,
    replicates: np.ndarray,
    groups: Sequence[Hashable | None],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shrink each point (and its replicates) towards its group's mean.

    Parameters
    ----------
    points
        (cells,) composites; NaN where not scored.
    replicates
        (cells × replicates) bootstrap composites.
    groups
        Group key of each cell (e.g. ``(year, priority_area)``); ``None``
        leaves the cell alone.

    Returns
    -------
    tuple
        Shrunk points, shrunk replicates and λ per cell (1 where unchanged).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> reps = np.array([50.0, 60.0, 70.0])[:, None] + rng.normal(0, 5, (3, 500))
    >>> shrunk, _, lam = shrink_to_group_mean(np.array([50.0, 60.0, 70.0]), reps, ["x"] * 3)
    >>> bool(shrunk[0] > 50 and shrunk[2] < 70 and abs(shrunk[1] - 60) < 1e-9)
    True
    """
    out_points = points.astype(np.float64).copy()
    out_reps = replicates.astype(np.float64).copy()
    lam = np.ones(len(points))
    keys = {g for g, p in zip(groups, points, strict=True) if g is not None and not np.isnan(p)}
    for key in sorted(keys, key=repr):
        rows = np.array(
            [
                k
                for k, (g, p) in enumerate(zip(groups, points, strict=True))
                if g == key and not np.isnan(p)
            ]
        )
        if len(rows) < MIN_GROUP:
            continue
        x = points[rows]
        reps = replicates[rows]
        variance = np.nanvar(reps, axis=1, ddof=1)
        tau2 = max(0.0, float(np.var(x, ddof=1) - np.nanmean(variance)))
        with np.errstate(invalid="ignore", divide="ignore"):
            weight = np.where(tau2 + variance > 0, tau2 / (tau2 + variance), 1.0)
        mean = float(x.mean())
        mean_reps = np.nanmean(reps, axis=0)
        lam[rows] = weight
        out_points[rows] = weight * x + (1.0 - weight) * mean
        out_reps[rows] = weight[:, None] * reps + (1.0 - weight[:, None]) * mean_reps[None, :]
    return out_points, out_reps, lam
