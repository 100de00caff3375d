"""Funnel plot data: scores against evidence with control limits (Spiegelhalter 2005).

A league table invites reading every difference as real; a funnel plot
shows which are more than noise. Each standard is a point at (evidence,
raw composite); the control limits around the programme mean θ₀ narrow as
evidence grows, θ₀ ± z·σ/√n for z = 1.96 (95 %) and 3.09 (99.8 %).

- **Evidence** is ``n_sites``, the number of pilot sites that reported:
  the feedback dimensions carry most of the weight and of the noise.
- **Score** is the raw composite (``score_raw``): the funnel shows the
  data against noise, not the shrunk estimate, which is already pulled in.
- **θ₀** is the plain mean of the raw composites of every standard of the
  run and year that has sufficient evidence, all dimensions and at least
  one site — the whole programme, whatever the reader's scope.
- **σ** is the spread per site, pooled from the raw intervals: with
  se = (ci_high_raw − ci_low_raw)/(2 · 1.96), σ² = mean(se² · n_sites).
  A point is outside a limit when |score − θ₀| > z·σ/√n_sites.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl

from metrics.ranking import ranked_standards
from metrics.scope import Scope

__all__ = ["Z_95", "Z_998", "FunnelData", "funnel_data", "funnel_limits"]

Z_95 = 1.959964
Z_998 = 3.090232


@dataclass(frozen=True)
class FunnelData:
    """What a funnel plot draws.

    Attributes
    ----------
    points
        ``standard_code, evidence, score, outside_95, outside_998``: evidence
        is ``n_sites``, score the raw composite (0–100).
    limits
        ``evidence, lower_95, upper_95, lower_998, upper_998`` for evidence
        1 … the largest number of sites.
    target
        θ₀, the programme mean (NaN when no standard qualifies).
    unit_sd
        σ, the pooled spread per site on the 0–100 scale.
    evidence
        What the evidence axis counts: ``"n_sites"``.
    """

    points: pl.DataFrame
    limits: pl.DataFrame
    target: float
    unit_sd: float
    evidence: str = "n_sites"


def funnel_limits(target: float, unit_sd: float, evidence: np.ndarray) -> pl.DataFrame:
    """Control limits θ₀ ± z·σ/√n at each evidence value.

    Examples
    --------
    >>> out = funnel_limits(60.0, 10.0, np.array([1, 4]))
    >>> [round(v, 2) for v in out.row(1)]
    [4, 50.2, 69.8, 44.55, 75.45]
    """
    n = np.asarray(evidence, dtype=np.float64)
    half = unit_sd / np.sqrt(n)
    return pl.DataFrame(
        {
            "evidence": n.astype(np.int64),
            "lower_95": target - Z_95 * half,
            "upper_95": target + Z_95 * half,
            "lower_998": target - Z_998 * half,
            "upper_998": target + Z_998 * half,
        }
    )


def funnel_data(
    cur: duckdb.DuckDBPyConnection, *, run_id: str, year: str, scope: Scope
) -> FunnelData:
    """The funnel plot of a stored run and year key, for the standards in ``scope``.

    Parameters
    ----------
    cur
        A connection or cursor on the warehouse (only read).
    run_id, year
        The run and year key (``'overall'`` or a year as text).
    scope
        The reader's scope: which standards are drawn as points. The target
        and the limits are always the whole programme's.

    Returns
    -------
    FunnelData
        Empty frames when no standard of the run qualifies.
    """
    everything = ranked_standards(cur, run_id=run_id, year=year, scope=Scope.everything())
    usable = everything.filter(
        ~pl.col("insufficient")
        & ~pl.col("partial")
        & (pl.col("n_sites") > 0)
        & pl.col("score_raw").is_not_null()
    )
    target = float(usable.get_column("score_raw").mean()) if usable.height else math.nan
    with_ci = usable.filter(pl.col("ci_low_raw").is_not_null())
    if with_ci.height:
        se = (with_ci["ci_high_raw"] - with_ci["ci_low_raw"]).to_numpy() / (2 * Z_95)
        unit_sd = float(np.sqrt(np.mean(se**2 * with_ci["n_sites"].to_numpy())))
    else:
        unit_sd = math.nan
    mine = ranked_standards(cur, run_id=run_id, year=year, scope=scope)
    codes = mine.get_column("standard_code").to_list()
    points = usable.filter(pl.col("standard_code").is_in(codes)).select(
        "standard_code",
        pl.col("n_sites").cast(pl.Int64).alias("evidence"),
        pl.col("score_raw").alias("score"),
    )
    half = unit_sd / np.sqrt(points.get_column("evidence").to_numpy().astype(np.float64))
    distance = np.abs(points.get_column("score").to_numpy() - target)
    points = points.with_columns(
        pl.Series("outside_95", distance > Z_95 * half, dtype=pl.Boolean),
        pl.Series("outside_998", distance > Z_998 * half, dtype=pl.Boolean),
    ).sort("evidence", "standard_code")
    top = int(usable.get_column("n_sites").max()) if usable.height else 0
    limits = funnel_limits(target, unit_sd, np.arange(1, top + 1))
    return FunnelData(points=points, limits=limits, target=target, unit_sd=unit_sd)
