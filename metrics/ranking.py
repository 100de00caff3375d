"""Rankings a ministry can defend: who is ranked, rank intervals, top-10 odds (SCORING.md §3).

- **Who is ranked.** Per year key, a standard with a composite is ranked
  unless it has insufficient evidence, is partial (a whole dimension
  missing) or, when the ranking uses the raw estimate, its feedback rests on
  fewer than ``evidence.min_feedback_sites`` sites; those are listed apart
  with the reason (``insufficient``, ``partial``, ``few_sites``, in that
  order of precedence).
- **Rank uncertainty.** The ranked standards are ranked again in every
  bootstrap replicate of the ranking estimate; the 95 % rank interval is the
  2.5 % and 97.5 % quantiles of a standard's replicate ranks (rounded out
  to whole ranks), and ``p_top10`` the share of replicates that put it in
  the top 10. Ties: higher first, then by standard code.

:func:`ranked_standards` reads this back from a stored run for the
dashboard; :func:`top10_accuracy_by_band` compares a ranking with a known
truth by site band (the demo's ``demo_truth``).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import polars as pl

from datasets.messages import Message, RefusedValue
from metrics.queries import query_frame
from metrics.scope import Scope

__all__ = [
    "RANK_SCHEMA",
    "SITE_BANDS",
    "TOP",
    "rank_table",
    "rank_uncertainty",
    "ranked_standards",
    "site_band",
    "top10_accuracy_by_band",
]

#: Places that count as the top.
TOP = 10

#: Columns of ``score_rank`` without ``run_id`` (migration 007).
RANK_SCHEMA: dict[str, pl.DataType] = {
    "standard_code": pl.String(),
    "year": pl.String(),
    "ranked": pl.Boolean(),
    "exclusion_reason": pl.String(),
    "rank": pl.Int32(),
    "rank_low": pl.Int32(),
    "rank_high": pl.Int32(),
    "p_top10": pl.Float64(),
}

#: Site bands of the coverage and accuracy reports: (label, lowest, highest).
SITE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3–4", 3, 4),
    ("5–9", 5, 9),
    ("10+", 10, 2**31 - 1),
)


def site_band(n_sites: int) -> str:
    """The band label of a number of sites.

    Examples
    --------
    >>> site_band(1), site_band(4), site_band(12)
    ('1', '3–4', '10+')
    """
    for label, low, high in SITE_BANDS:
        if low <= n_sites <= high:
            return label
    msg = Message(f"试点单位数不能为负：{n_sites}", f"number of sites must be ≥ 0, got {n_sites}")
    raise RefusedValue(msg)


def _order(points: np.ndarray, codes: Sequence[str]) -> np.ndarray:
    """Positions sorted higher first, then by code."""
    return np.array(sorted(range(len(codes)), key=lambda k: (-points[k], codes[k])), dtype=int)


def rank_uncertainty(
    points: np.ndarray,
    replicates: np.ndarray | None,
    codes: Sequence[str],
    *,
    level: float = 0.95,
    top: int = TOP,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ranks of the points and their replicate intervals and top-``top`` shares.

    Parameters
    ----------
    points
        (S,) ranking estimates of the standards ranked (no NaN).
    replicates
        (S × R) their bootstrap replicates, or ``None``.
    codes
        Standard codes (ties in a point rank go to the lower code).

    Returns
    -------
    tuple
        rank, rank_low, rank_high (−1 without replicates) and p_top (NaN
        without replicates).

    Examples
    --------
    >>> reps = np.array([[90.0, 80.0, 90.0, 90.0], [80.0, 90.0, 80.0, 80.0], [10.0] * 4])
    >>> rank, low, high, p = rank_uncertainty(reps[:, 0], reps, ["a", "b", "c"], top=1)
    >>> rank.tolist(), low.tolist(), high.tolist(), p.tolist()
    ([1, 2, 3], [1, 1, 3], [2, 2, 3], [0.75, 0.25, 0.0])
    """
    n = len(points)
    rank = np.empty(n, dtype=np.int64)
    rank[_order(points, codes)] = np.arange(1, n + 1)
    if replicates is None or replicates.shape[1] == 0 or n == 0:
        return rank, np.full(n, -1), np.full(n, -1), np.full(n, np.nan)
    # code order breaks ties: sort by (−value, code position) per replicate
    by_code = np.argsort(np.argsort(np.array(codes, dtype=object), kind="stable"), kind="stable")
    keyed = np.lexsort((np.broadcast_to(by_code[:, None], replicates.shape), -replicates), axis=0)
    reps_rank = np.empty_like(keyed)
    np.put_along_axis(reps_rank, keyed, np.arange(1, n + 1)[:, None], axis=0)
    tail = (1.0 - level) / 2.0
    low = np.floor(np.quantile(reps_rank, tail, axis=1)).astype(np.int64)
    high = np.ceil(np.quantile(reps_rank, 1.0 - tail, axis=1)).astype(np.int64)
    return rank, low, high, (reps_rank <= top).mean(axis=1)


def rank_table(
    cells: pl.DataFrame,
    points: np.ndarray,
    replicates: np.ndarray | None,
    *,
    insufficient: np.ndarray,
    partial: np.ndarray,
    few_sites: np.ndarray,
    shrinkage: bool,
    level: float,
) -> pl.DataFrame:
    """Who is ranked in each year key, why the others are not, and rank uncertainty.

    Parameters
    ----------
    cells
        ``standard_code, year_key`` per cell, in the order of the arrays.
    points, replicates
        The ranking estimate (cells,) and its replicates (cells × R) or ``None``.
    insufficient, partial, few_sites
        The evidence flags per cell (SCORING.md §3).
    shrinkage
        Whether ``points`` is the shrunk estimate (few-site standards ranked).

    Returns
    -------
    polars.DataFrame
        :data:`RANK_SCHEMA` rows, one per cell with a composite.
    """
    scored = ~np.isnan(points)
    reason = np.where(
        insufficient,
        "insufficient",
        np.where(partial, "partial", np.where(few_sites & ~shrinkage, "few_sites", "")),
    )
    ranked = scored & (reason == "")
    n = cells.height
    rank = np.full(n, -1, dtype=np.int64)
    low, high = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    p_top = np.full(n, np.nan)
    codes = cells.get_column("standard_code").to_list()
    years = np.array(cells.get_column("year_key").to_list(), dtype=object)
    for year_key in dict.fromkeys(years.tolist()):
        rows = np.flatnonzero((years == year_key) & ranked)
        if not rows.size:
            continue
        reps = None if replicates is None else replicates[rows]
        r, lo, hi, p = rank_uncertainty(points[rows], reps, [codes[k] for k in rows], level=level)
        rank[rows], low[rows], high[rows], p_top[rows] = r, lo, hi, p
    frame = pl.DataFrame(
        {
            "standard_code": codes,
            "year": years.tolist(),
            "ranked": ranked,
            "exclusion_reason": [None if x == "" else str(x) for x in reason],
            "rank": rank,
            "rank_low": low,
            "rank_high": high,
            "p_top10": p_top,
        }
    ).filter(pl.Series(scored))
    return (
        frame.with_columns(
            [
                pl.when(pl.col(c) < 0).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("rank", "rank_low", "rank_high")
            ]
        )
        .with_columns(pl.col("p_top10").fill_nan(None))
        .select([pl.col(c).cast(t) for c, t in RANK_SCHEMA.items()])
    )


def ranked_standards(
    cur: duckdb.DuckDBPyConnection, *, run_id: str, year: str, scope: Scope
) -> pl.DataFrame:
    """The standards of a stored run and year key, ranked first, the rest listed apart.

    Parameters
    ----------
    cur
        A connection or cursor on the warehouse (only read).
    run_id
        The run (see :func:`metrics.runs.list_runs`).
    year
        Year key: ``'overall'`` or a year as text (``'2024'``).
    scope
        The reader's scope: only its standards (codes, priority area) are
        returned; ranks stay those of the whole run. A run's scores are
        national, so ``scope.region_codes`` and ``scope.year`` do not filter.

    Returns
    -------
    polars.DataFrame
        One row per standard with a composite: ``standard_code, score,
        ci_low, ci_high`` (the ranking estimate: shrunk unless the run was
        made with ``shrinkage=False``), ``score_raw, ci_low_raw,
        ci_high_raw``, ``rank`` (null when not ranked), ``rank_low,
        rank_high`` (95 % rank interval), ``p_top10``, ``grade``, ``n_sites,
        n_responses``, ``insufficient, partial, ranked``,
        ``exclusion_reason`` (null, ``insufficient``, ``partial`` or
        ``few_sites``) and ``priority_area``. Ranked standards come first,
        by rank; then the others by score.
    """
    params = {
        "run_id": run_id,
        "year_key": str(year),
        "standard_codes": scope.to_params()["standard_codes"],
        "priority_area": scope.priority_area,
    }
    frame = query_frame(cur, "ranking_standards", params)
    return frame.with_columns(
        pl.col("rank", "rank_low", "rank_high", "n_sites", "n_responses").cast(pl.Int32),
        pl.col("ranked", "insufficient", "partial").cast(pl.Boolean),
    )


def top10_accuracy_by_band(
    ranked: pl.DataFrame, truth: pl.DataFrame, *, top: int = TOP
) -> pl.DataFrame:
    """How well a ranking's top places match the true top, by site band.

    Parameters
    ----------
    ranked
        Rows of :func:`ranked_standards` (``standard_code, rank, ranked,
        n_sites``); only ranked rows count.
    truth
        ``standard_code, truth``: the true quality (higher is better). The
        true top is taken among the same ranked standards.
    top
        Places that count as the top.

    Returns
    -------
    polars.DataFrame
        Per band of :data:`SITE_BANDS` that has ranked standards: ``band,
        n_ranked, share_ranked`` (of all ranked), ``n_top`` (top places it
        holds), ``share_top`` (of all top places), ``n_true_top`` (of those
        truly in the top) and ``accuracy`` = n_true_top / n_top (null with no
        top place).

    Examples
    --------
    >>> ranked = pl.DataFrame({"standard_code": list("abcd"), "rank": [1, 2, 3, 4],
    ...     "ranked": [True] * 4, "n_sites": [1, 8, 8, 1]})
    >>> truth = pl.DataFrame({"standard_code": list("abcd"), "truth": [0.1, 0.9, 0.8, 0.2]})
    >>> out = top10_accuracy_by_band(ranked, truth, top=2)
    >>> out.select("band", "n_top", "n_true_top", "accuracy").rows()
    [('1', 1, 0, 0.0), ('5–9', 1, 1, 1.0)]
    """
    rows = ranked.filter(pl.col("ranked")).join(
        truth.select("standard_code", "truth"), on="standard_code", how="inner"
    )
    rows = rows.with_columns(
        (pl.col("truth").rank("ordinal", descending=True) <= top).alias("true_top"),
        (pl.col("rank") <= top).alias("top"),
        pl.col("n_sites").map_elements(site_band, return_dtype=pl.String).alias("band"),
    )
    total, places = rows.height, int(rows.get_column("top").sum())
    order = {label: k for k, (label, _, _) in enumerate(SITE_BANDS)}
    out = (
        rows.group_by("band")
        .agg(
            pl.len().cast(pl.Int64).alias("n_ranked"),
            pl.col("top").sum().cast(pl.Int64).alias("n_top"),
            (pl.col("top") & pl.col("true_top")).sum().cast(pl.Int64).alias("n_true_top"),
        )
        .with_columns(
            (pl.col("n_ranked") / max(total, 1)).alias("share_ranked"),
            (pl.col("n_top") / max(places, 1)).alias("share_top"),
            pl.when(pl.col("n_top") > 0)
            .then(pl.col("n_true_top") / pl.col("n_top"))
            .otherwise(None)
            .alias("accuracy"),
        )
    )
    return (
        out.with_columns(pl.col("band").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort("_o")
        .select("band", "n_ranked", "share_ranked", "n_top", "share_top", "n_true_top", "accuracy")
    )
