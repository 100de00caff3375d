"""Effectiveness scores per standard, per year and overall (SCORING.md §1–§3).

:func:`compute_scores` reads the scope's rows once, takes the indicator
values from SQL, forms dimensions and the composite, chooses the weights,
adds bootstrap intervals, grades and flags, and returns everything as one
long frame in the shape of the ``score_result`` table. Nothing is written;
:func:`metrics.runs.run_scoring` stores the outcome as a run.

Scales: indicator and dimension values are in [0, 1] (as the indicator
rules define them); the composite is 0–100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import polars as pl

from metrics.bootstrap import bootstrap_scores, percentile_interval
from metrics.composite import composite_score, dimension_values
from metrics.config import IndicatorConfig, load_config
from metrics.fingerprint import data_fingerprint
from metrics.indicators import (
    ScoringData,
    check_population_shares,
    read_scoring_data,
    scoring_cursor,
)
from metrics.reliability import SURVEY_ITEMS, survey_reliability
from metrics.scope import Scope
from metrics.shrinkage import shrink_to_group_mean
from metrics.weighting import WeightChoice, choose_weights

__all__ = ["RESULT_SCHEMA", "ScoreOutcome", "compute_scores", "primary_year_key", "ranking"]

#: Columns of a result frame: ``score_result`` without ``run_id``.
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "standard_code": pl.String(),
    "year": pl.String(),
    "level": pl.String(),
    "item": pl.String(),
    "value": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "n_sites": pl.Int32(),
    "n_responses": pl.Int32(),
    "grade": pl.String(),
    "insufficient": pl.Boolean(),
    "partial": pl.Boolean(),
}
_ORDER = ["standard_code", "year", "level", "item"]


@dataclass(frozen=True)
class ScoreOutcome:
    """Scores of one scope with everything needed to record them as a run."""

    results: pl.DataFrame
    weights: WeightChoice
    config: IndicatorConfig
    scope: Scope
    fingerprint: str
    seed: int
    replicates: int
    level: float
    n_standards: int
    reliability: pl.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def primary_year(self) -> str:
        """The year key the run is about: ``'overall'``, or the scope's year."""
        return primary_year_key(self.scope)

    def summary(self) -> dict[str, int]:
        """Counts for the run's primary year: standards in scope, scored, insufficient."""
        composite = self.results.filter(
            (pl.col("year") == self.primary_year)
            & (pl.col("level") == "composite")
            & (pl.col("item") == "score")
            & pl.col("value").is_not_null()
        )
        return {
            "n_standards": self.n_standards,
            "n_scored": composite.height,
            "n_insufficient": int(composite.get_column("insufficient").sum()),
        }


def primary_year_key(scope: Scope) -> str:
    """``'overall'`` when the scope spans all years, else the scope's year as text.

    This is the run's *primary year*, stored in ``score_run.primary_year``: the
    year of entropy weights, the CLI summary and the scores shown beside
    awards and funding.

    Examples
    --------
    >>> primary_year_key(Scope.everything()), primary_year_key(Scope(year=2024))
    ('overall', '2024')
    """
    return "overall" if scope.year is None else str(scope.year)


def _indicator_array(data: ScoringData, config: IndicatorConfig) -> np.ndarray:
    cells = data.cells.select("standard_code", "year_key").with_row_index("cell")
    values = np.full((cells.height, len(config.indicators)), np.nan)
    position = {ind: k for k, ind in enumerate(config.indicator_ids)}
    joined = data.indicators.join(cells, on=["standard_code", "year_key"], how="inner")
    for cell, indicator, value in joined.select("cell", "indicator", "value").iter_rows():
        values[cell, position[indicator]] = value
    return values


def _reliability(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    frame = cur.sql("select survey_year, " + ", ".join(SURVEY_ITEMS) + " from scope_survey").pl()
    return survey_reliability(frame)


def _long(
    cells: pl.DataFrame,
    config: IndicatorConfig,
    composite: np.ndarray,
    dims: np.ndarray,
    indicators: np.ndarray,
    raw_composite: np.ndarray | None,
) -> pl.DataFrame:
    items = [("composite", "score")]
    blocks = [composite[:, None]]
    if raw_composite is not None:
        items.append(("composite", "score_raw"))
        blocks.append(raw_composite[:, None])
    items += [("dimension", d) for d in config.dimension_ids]
    items += [("indicator", i) for i in config.indicator_ids]
    values = np.concatenate([*blocks, dims, indicators], axis=1)
    n_items = len(items)
    frame = pl.DataFrame(
        {
            "cell": np.repeat(np.arange(cells.height), n_items),
            "level": [lv for _ in range(cells.height) for lv, _ in items],
            "item": [it for _ in range(cells.height) for _, it in items],
            "value": values.reshape(-1),
        },
        schema={"cell": pl.Int64, "level": pl.String, "item": pl.String, "value": pl.Float64},
    ).with_columns(pl.col("value").fill_nan(None))
    return frame


def compute_scores(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    method: str = "ahp",
    weights: Mapping[str, float] | Sequence[Sequence[float]] | None = None,
    config: IndicatorConfig | str | Mapping[str, Any] | None = None,
    seed: int | None = None,
    replicates: int | None = None,
    level: float | None = None,
    shrinkage: bool = False,
    population_shares: Mapping[str, float] | None = None,
) -> ScoreOutcome:
    """Score every standard in ``scope``, per year and (when all years) overall.

    Parameters
    ----------
    con
        Connection on the warehouse; only read (through a cursor of its own).
    scope
        Which rows to read; the caller always passes it (``Scope.everything()``
        for the whole programme).
    method, weights
        Weighting of the dimensions, see :func:`metrics.weighting.choose_weights`.
        Entropy weights come from the standards with sufficient evidence and
        every dimension scored in the primary year (overall, or the scope's).
    config
        Indicator system (default: the shipped ``default.toml``).
    seed, replicates, level
        Bootstrap settings; default from the config (1,000 replicates, 95 %).
        ``replicates=0`` gives no intervals.
    shrinkage
        Pull composites towards their priority-area mean (needs replicates);
        the unshrunk composite is kept as item ``score_raw``.
    population_shares
        Org-type population shares: post-stratify the survey answers.

    Returns
    -------
    ScoreOutcome
        ``results`` has one row per cell (standard × year) and item
        (``score``, each dimension, each indicator) with value, interval,
        evidence counts, grade (composite only) and flags.
    """
    cfg = load_config(config)
    seed = cfg.seed if seed is None else int(seed)
    replicates = cfg.replicates if replicates is None else int(replicates)
    level = cfg.level if level is None else float(level)
    shares = check_population_shares(population_shares)
    if replicates < 0 or not 0 < level < 1 or seed < 0:
        msg = "replicates and seed must be ≥ 0 and level in (0, 1) / 重抽样次数、种子不能为负，置信水平须在 0 与 1 之间"
        raise ValueError(msg)
    if shrinkage and replicates == 0:
        msg = "shrinkage needs bootstrap replicates (replicates > 0) / 收缩估计需要自助法重抽样"
        raise ValueError(msg)

    with scoring_cursor(con, scope=scope, config=cfg, population_shares=shares) as cur:
        fingerprint = data_fingerprint(cur)
        data = read_scoring_data(cur)
        reliability = _reliability(cur)

    cells = data.cells
    indicators = _indicator_array(data, cfg)
    dims = dimension_values(indicators, cfg)
    n_sites = cells.get_column("n_sites").to_numpy()
    n_responses = cells.get_column("n_responses").to_numpy()
    insufficient = (n_sites < cfg.min_sites) & (n_responses < cfg.min_responses)
    primary = primary_year_key(scope)
    is_primary = (cells.get_column("year_key") == primary).to_numpy()
    complete = ~np.isnan(dims).any(axis=1)
    rows = is_primary & complete & ~insufficient
    choice = choose_weights(
        method,
        config=cfg,
        weights=weights,
        dimension_matrix=dims[rows] if method == "entropy" else None,
        matrix_rows=cells.get_column("standard_code").filter(pl.Series(rows)).to_list(),
    )
    weight_vector = choice.vector(cfg)
    composite = composite_score(dims, weight_vector)

    intervals = None
    raw_composite = None
    lam = None
    if replicates > 0:
        boot = bootstrap_scores(
            data,
            config=cfg,
            weights=weight_vector,
            replicates=replicates,
            seed=seed,
            level=level,
            population_shares=shares,
        )
        intervals = boot.intervals
        if shrinkage:
            areas = cells.get_column("priority_area").to_list()
            years = cells.get_column("year_key").to_list()
            groups = [None if a is None else (y, a) for y, a in zip(years, areas, strict=True)]
            shrunk, shrunk_reps, lam = shrink_to_group_mean(composite, boot.composite, groups)
            raw_composite = composite
            composite = shrunk
            bounds = percentile_interval(shrunk_reps, level)  # cells × 2
            intervals = _replace_score_interval(intervals, cells, bounds)

    long = _long(cells, cfg, composite, dims, indicators, raw_composite)
    grades = [cfg.grade(None if math.isnan(v) else float(v)) for v in composite]
    cell_info = cells.select(
        pl.col("standard_code"),
        pl.col("year_key").alias("year"),
        pl.col("n_sites").cast(pl.Int32),
        pl.col("n_responses").cast(pl.Int32),
        pl.Series("insufficient", insufficient, dtype=pl.Boolean),
        pl.Series("partial", np.isnan(dims).any(axis=1) & ~np.isnan(composite), dtype=pl.Boolean),
        pl.Series("cell_grade", grades, dtype=pl.String),
    ).with_row_index("cell")
    results = long.join(
        cell_info.with_columns(pl.col("cell").cast(pl.Int64)), on="cell", how="left"
    )
    results = results.with_columns(
        pl.when((pl.col("level") == "composite") & (pl.col("item") == "score"))
        .then(pl.col("cell_grade"))
        .otherwise(None)
        .alias("grade")
    )
    if intervals is not None:
        results = results.join(
            intervals.rename({"year_key": "year"}),
            on=["standard_code", "year", "level", "item"],
            how="left",
        )
    else:
        results = results.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("ci_low"),
            pl.lit(None, dtype=pl.Float64).alias("ci_high"),
        )
    results = results.select([pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items()]).sort(_ORDER)

    params: dict[str, Any] = {
        "replicates": replicates,
        "level": level,
        "shrinkage": shrinkage,
        "population_shares": shares,
        "primary_year": primary,
        "weight_details": choice.details,
        "reliability": reliability.to_dicts(),
        "config_version": cfg.version,
        "bootstrap": "stratified Poisson bootstrap of sites and respondents, percentile interval",
        "numpy": np.__version__,
        "polars": pl.__version__,
    }
    if lam is not None:
        params["shrinkage_lambda"] = {
            f"{c}|{y}": float(v)
            for c, y, v in zip(
                cells.get_column("standard_code"), cells.get_column("year_key"), lam, strict=True
            )
            if v < 1
        }
    return ScoreOutcome(
        results=results,
        weights=choice,
        config=cfg,
        scope=scope,
        fingerprint=fingerprint,
        seed=seed,
        replicates=replicates,
        level=level,
        n_standards=data.n_standards,
        reliability=reliability,
        params=params,
    )


def _replace_score_interval(
    intervals: pl.DataFrame, cells: pl.DataFrame, bounds: np.ndarray
) -> pl.DataFrame:
    """Give item ``score`` the shrunk interval and keep the raw one as ``score_raw``."""
    raw = intervals.filter((pl.col("level") == "composite") & (pl.col("item") == "score"))
    shrunk = cells.select("standard_code", "year_key").with_columns(
        pl.lit("composite").alias("level"),
        pl.lit("score").alias("item"),
        pl.Series("ci_low", bounds[:, 0], dtype=pl.Float64).fill_nan(None),
        pl.Series("ci_high", bounds[:, 1], dtype=pl.Float64).fill_nan(None),
    )
    rest = intervals.filter(~((pl.col("level") == "composite") & (pl.col("item") == "score")))
    return pl.concat([shrunk, raw.with_columns(pl.lit("score_raw").alias("item")), rest])


def ranking(
    results: pl.DataFrame, *, year: str, include_insufficient: bool = False
) -> pl.DataFrame:
    """Standards ranked by composite in one year key; insufficient evidence left out by default.

    Examples
    --------
    >>> rows = pl.DataFrame({"standard_code": ["a", "b", "c"], "year": ["overall"] * 3,
    ...     "level": ["composite"] * 3, "item": ["score"] * 3, "value": [70.0, 80.0, 90.0],
    ...     "insufficient": [False, False, True]})
    >>> ranking(rows, year="overall")["standard_code"].to_list()
    ['b', 'a']
    """
    scores = results.filter(
        (pl.col("year") == year)
        & (pl.col("level") == "composite")
        & (pl.col("item") == "score")
        & pl.col("value").is_not_null()
    )
    if not include_insufficient:
        scores = scores.filter(~pl.col("insufficient"))
    return scores.sort(["value", "standard_code"], descending=[True, False]).with_columns(
        pl.int_range(1, pl.len() + 1).alias("rank")
    )
