"""TOPSIS closeness as an alternative ranking view of a scoring run (SCORING.md §2).

The composite (SCORING.md §3) is the platform's score; TOPSIS is a second
way of ranking the same standards from the same dimension values and the
same weights, shown beside it so an evaluator sees where the two disagree.
A standard that is good everywhere ranks high in both; the views part when
one standard is balanced and another excels on the heaviest dimension.

:func:`topsis_ranking` reads a frame in the shape of ``score_result``
(:func:`metrics.scores.compute_scores` ``.results`` or
:func:`metrics.runs.read_run`) and writes nothing.

Rules (also in ``docs/scoring-engine.md``):

- The matrix is standards × dimensions of one year key; every dimension is a
  benefit criterion (a higher value is better). Vector normalisation and
  Euclidean distance, as :func:`metrics.weights.topsis`.
- Only standards with a value in **every** dimension named by ``weights``
  enter the matrix. TOPSIS has no renormalisation over the dimensions present,
  and putting 0 for a missing one would read missing evidence as the worst
  performance (SCORING.md §1: missing is not zero). *Partial* standards are
  therefore listed after the ranked ones, with null closeness and ranks, their
  composite, and a ``reason`` naming the missing dimensions.
- Insufficient-evidence standards (SCORING.md §3) are left out entirely unless
  ``include_insufficient=True``; when included they enter the matrix like any
  other, which moves the ideal points and so every closeness.
- ``composite_rank`` ranks the composite among exactly the standards TOPSIS
  ranks, so a difference from ``topsis_rank`` is the method's, never a
  difference of the set. (It can differ from :func:`metrics.scores.ranking`,
  which also ranks partial standards.)
- The composite is item ``score`` as stored (shrunk when the run used
  shrinkage); TOPSIS uses the dimension values, which are never shrunk.
- Ties: higher first, then by standard code, as in
  :func:`metrics.scores.ranking`. A single ranked standard has closeness 0.5
  (nothing to compare it with; see :func:`metrics.weights.topsis`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl

from datasets.messages import Message, RefusedValue
from metrics.weights import topsis

__all__ = ["TOPSIS_SCHEMA", "topsis_ranking"]

#: Columns of :func:`topsis_ranking`, in order.
TOPSIS_SCHEMA: dict[str, pl.DataType] = {
    "standard_code": pl.String(),
    "closeness": pl.Float64(),
    "topsis_rank": pl.Int64(),
    "composite": pl.Float64(),
    "composite_rank": pl.Int64(),
    "rank_shift": pl.Int64(),
    "insufficient": pl.Boolean(),
    "reason": pl.String(),
}


def _fail(en: str, zh: str) -> RefusedValue:
    return RefusedValue(Message(zh, en))


def _check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    out = {str(k): float(v) for k, v in weights.items()}
    if not out:
        en = "give one weight per dimension"
        zh = "请为每个维度给出权重"
        raise _fail(en, zh)
    bad = {k: v for k, v in out.items() if not math.isfinite(v) or v < 0}
    if bad:
        en = f"TOPSIS weights must be finite and non-negative, got {bad}"
        zh = "TOPSIS 权重必须为非负有效数字"
        raise _fail(en, zh)
    return out


def topsis_ranking(
    results: pl.DataFrame,
    *,
    weights: Mapping[str, float],
    year: str = "overall",
    include_insufficient: bool = False,
) -> pl.DataFrame:
    """Standards ranked by TOPSIS closeness, beside their composite and its rank.

    Parameters
    ----------
    results
        Rows in the shape of ``score_result`` for one run (``run_id`` may be
        there or not): at least ``standard_code, year, level, item, value,
        insufficient``.
    weights
        Weight per dimension id, e.g. the run's weights
        (``read_run_meta(con, run_id)["weights"]``). The keys are the criteria,
        in the order given; they must be exactly the dimensions in ``results``.
    year
        Year key of the matrix: ``"overall"`` or a year as text (``"2024"``).
    include_insufficient
        Rank insufficient-evidence standards too (left out by default).

    Returns
    -------
    polars.DataFrame
        :data:`TOPSIS_SCHEMA`: ``standard_code``; ``closeness`` in [0, 1];
        ``topsis_rank`` (1 = closest to the ideal); ``composite`` (0–100);
        ``composite_rank`` among the same standards; ``rank_shift`` =
        ``composite_rank − topsis_rank`` (positive: TOPSIS puts the standard
        higher); ``insufficient``; ``reason`` why a standard is not ranked
        (null for ranked ones). Ranked standards first by ``topsis_rank``, then
        partial ones by composite. Standards without any value in the year
        (no composite) are not listed.

    Raises
    ------
    ValueError
        Empty or negative weights; weights whose keys are not the dimensions of
        ``results``; a year key not in a non-empty ``results``; more than one
        row per standard, year, level and item (e.g. two runs mixed).

    Examples
    --------
    >>> rows = pl.DataFrame({
    ...     "standard_code": ["s1"] * 3 + ["s2"] * 3,
    ...     "year": ["overall"] * 6,
    ...     "level": ["composite", "dimension", "dimension"] * 2,
    ...     "item": ["score", "A", "B"] * 2,
    ...     "value": [60.0, 0.9, 0.3, 55.0, 0.5, 0.6],
    ...     "insufficient": [False] * 6,
    ... })
    >>> view = topsis_ranking(rows, weights={"A": 0.5, "B": 0.5})
    >>> view.select("standard_code", "topsis_rank", "composite_rank", "rank_shift").rows()
    [('s2', 1, 2, 1), ('s1', 2, 1, -1)]

    The views disagree: s1's composite is higher (60 against 55), but after
    vector normalisation s2 is nearer the ideal (closeness 0.535 against 0.465).
    """
    w = _check_weights(weights)
    dims = list(w)
    if results.height and results.filter(pl.col("year") == year).height == 0:
        years = sorted(results.get_column("year").unique().to_list())
        en = f"no results for year {year!r}; the run has {years}"
        zh = f"本次评价没有年份 {year!r} 的结果"
        raise _fail(en, zh)
    cell = results.filter(pl.col("year") == year).select(
        "standard_code", "level", "item", "value", "insufficient"
    )
    if cell.select(pl.struct("standard_code", "level", "item").is_duplicated().any()).item():
        en = "more than one row per standard, level and item: pass the results of one run"
        zh = "同一标准、层级、指标有多行：请只传入一次评价运行的结果"
        raise _fail(en, zh)
    dim_rows = cell.filter(pl.col("level") == "dimension")
    found = set(dim_rows.get_column("item").to_list())
    if dim_rows.height and found != set(dims):
        en = f"weights name the dimensions {sorted(dims)} but the results have {sorted(found)}"
        zh = "权重中的维度与评价结果中的维度不一致"
        raise _fail(en, zh)

    scored = cell.filter(
        (pl.col("level") == "composite")
        & (pl.col("item") == "score")
        & pl.col("value").is_not_null()
    ).select("standard_code", pl.col("value").alias("composite"), "insufficient")
    if not include_insufficient:
        scored = scored.filter(~pl.col("insufficient"))
    wide = scored.select("standard_code").sort("standard_code")
    for d in dims:
        column = dim_rows.filter(pl.col("item") == d).select(
            "standard_code", pl.col("value").alias(d)
        )
        wide = wide.join(column, on="standard_code", how="left")
    missing = [
        [d for d in dims if row[d] is None or math.isnan(row[d])]
        for row in wide.iter_rows(named=True)
    ]
    wide = wide.with_columns(pl.Series("missing", [", ".join(m) for m in missing], dtype=pl.String))

    complete = wide.filter(pl.col("missing") == "")
    if complete.height:
        matrix = complete.select(dims).to_numpy()
        closeness = topsis(matrix, [w[d] for d in dims], benefit=[True] * len(dims))
    else:
        closeness = []
    ranked = (
        complete.select("standard_code")
        .with_columns(pl.Series("closeness", closeness, dtype=pl.Float64))
        .join(scored, on="standard_code", how="left")
        .sort(["composite", "standard_code"], descending=[True, False])
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("composite_rank"))
        .sort(["closeness", "standard_code"], descending=[True, False])
        .with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("topsis_rank"),
            pl.lit(None, dtype=pl.String).alias("reason"),
        )
        .with_columns((pl.col("composite_rank") - pl.col("topsis_rank")).alias("rank_shift"))
    )
    partial = (
        wide.filter(pl.col("missing") != "")
        .join(scored, on="standard_code", how="left")
        .sort(["composite", "standard_code"], descending=[True, False])
        .with_columns(
            pl.lit(None, dtype=pl.Float64).alias("closeness"),
            pl.lit(None, dtype=pl.Int64).alias("topsis_rank"),
            pl.lit(None, dtype=pl.Int64).alias("composite_rank"),
            pl.lit(None, dtype=pl.Int64).alias("rank_shift"),
            (
                pl.lit("partial: no value for dimension ")
                + pl.col("missing")
                + pl.lit(" / 不完整：缺少维度 ")
                + pl.col("missing").str.replace_all(", ", "、", literal=True)
            ).alias("reason"),
        )
    )
    columns = [pl.col(c).cast(t) for c, t in TOPSIS_SCHEMA.items()]
    return pl.concat([ranked.select(columns), partial.select(columns)])
