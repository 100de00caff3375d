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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import polars as pl

from datasets.messages import Message, RefusedValue
from metrics.bootstrap import bootstrap_scores
from metrics.composite import composite_score, dimension_values, mean_present
from metrics.config import IndicatorConfig, load_config
from metrics.feedback_model import FeedbackModel, fit_feedback_model
from metrics.fingerprint import data_fingerprint
from metrics.indicators import (
    ScoringData,
    check_population_shares,
    read_scoring_data,
    scoring_cursor,
)
from metrics.measures import MEASURES
from metrics.ranking import rank_table
from metrics.reliability import SURVEY_ITEMS, survey_reliability
from metrics.request import ScoreRequest
from metrics.scope import Scope
from metrics.shrinkage import PRIOR_DF
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
    shrinkage: bool
    n_standards: int
    reliability: pl.DataFrame
    ranks: pl.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def primary_year(self) -> str:
        """The year key the run is about: ``'overall'``, or the scope's year."""
        return primary_year_key(self.scope)

    def summary(self) -> dict[str, int]:
        """Counts for the run's primary year: standards in scope, scored, insufficient, ranked."""
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
            "n_ranked": int(
                self.ranks.filter(pl.col("year") == self.primary_year).get_column("ranked").sum()
            ),
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
    raw: np.ndarray,
    shrunk: np.ndarray,
) -> pl.DataFrame:
    items = [("composite", "score"), ("composite", "score_raw"), ("composite", "score_shrunk")]
    items += [("dimension", d) for d in config.dimension_ids]
    items += [("indicator", i) for i in config.indicator_ids]
    values = np.concatenate(
        [composite[:, None], raw[:, None], shrunk[:, None], dims, indicators], axis=1
    )
    n_items = len(items)
    return pl.DataFrame(
        {
            "cell": np.repeat(np.arange(cells.height), n_items),
            "level": [lv for _ in range(cells.height) for lv, _ in items],
            "item": [it for _ in range(cells.height) for _, it in items],
            "value": values.reshape(-1),
        },
        schema={"cell": pl.Int64, "level": pl.String, "item": pl.String, "value": pl.Float64},
    ).with_columns(pl.col("value").fill_nan(None))


def _point_measures(data: ScoringData, used: Sequence[str]) -> np.ndarray:
    """(cells × measures) point values of the measures in ``used`` (NaN where absent)."""
    cells = data.cells.select("standard_code", "year_key").with_row_index("cell")
    values = np.full((cells.height, len(used)), np.nan)
    position = {m: k for k, m in enumerate(used)}
    joined = data.measures.filter(pl.col("measure").is_in(list(used))).join(
        cells, on=["standard_code", "year_key"], how="inner"
    )
    for cell, measure, value in joined.select("cell", "measure", "value").iter_rows():
        values[cell, position[measure]] = value
    return values


def _shrunk_composite(
    data: ScoringData, cfg: IndicatorConfig, model: FeedbackModel, weights: Sequence[float]
) -> np.ndarray:
    """The composite with every feedback measure at its shrunk (Fay–Herriot) value."""
    used = list(dict.fromkeys(m for ind in cfg.indicators for m in ind.measures))
    values = _point_measures(data, used)
    for measure, shrunk in model.shrunk_points().items():
        values[:, used.index(measure)] = np.where(
            np.isnan(values[:, used.index(measure)]), np.nan, shrunk
        )
    columns = [[used.index(m) for m in ind.measures] for ind in cfg.indicators]
    indicators = np.stack([mean_present(values, c) for c in columns], axis=-1)
    return composite_score(dimension_values(indicators, cfg), weights)


def compute_scores(con: duckdb.DuckDBPyConnection, request: ScoreRequest) -> ScoreOutcome:
    """Score every standard in ``request.scope``, per year and (when all years) overall.

    Parameters
    ----------
    con
        Connection on the warehouse; only read (through a cursor of its own).
    request
        What to score and how (:class:`metrics.request.ScoreRequest`):
        scope, weighting, config, bootstrap settings, shrinkage, population
        shares. Entropy weights come from the standards with sufficient
        evidence and every dimension scored in the primary year.

    Returns
    -------
    ScoreOutcome
        ``results`` has one row per cell (standard × year) and item with
        value, interval, evidence counts, grade (composite ``score`` only)
        and flags. Composite items: ``score`` (the ranking estimate: shrunk
        unless ``request.shrinkage`` is false), ``score_raw`` and
        ``score_shrunk``; then each dimension and indicator (raw). ``ranks``
        says per cell whether it is ranked, why not, its rank, 95 % rank
        interval and top-10 probability.
    """
    cfg = load_config(request.config)
    seed = cfg.seed if request.seed is None else int(request.seed)
    replicates = cfg.replicates if request.replicates is None else int(request.replicates)
    level = cfg.level if request.level is None else float(request.level)
    shares = check_population_shares(request.population_shares)
    scope = request.scope
    if replicates < 0 or not 0 < level < 1 or seed < 0:
        msg = Message(
            "重抽样次数、种子不能为负，置信水平须在 0 与 1 之间",
            "replicates and seed must be ≥ 0 and level in (0, 1)",
        )
        raise RefusedValue(msg)

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
    few_sites = n_sites < cfg.min_feedback_sites
    primary = primary_year_key(scope)
    is_primary = (cells.get_column("year_key") == primary).to_numpy()
    complete = ~np.isnan(dims).any(axis=1)
    rows = is_primary & complete & ~insufficient
    choice = choose_weights(
        request.method,
        config=cfg,
        weights=request.weights,
        dimension_matrix=dims[rows] if request.method == "entropy" else None,
        matrix_rows=cells.get_column("standard_code").filter(pl.Series(rows)).to_list(),
    )
    weight_vector = choice.vector(cfg)
    raw = composite_score(dims, weight_vector)
    used = dict.fromkeys(m for ind in cfg.indicators for m in ind.measures)
    model = fit_feedback_model(
        cells, data.feedback_units, [m for m in used if MEASURES[m].source == "feedback"]
    )
    shrunk = _shrunk_composite(data, cfg, model, weight_vector)
    composite = shrunk if request.shrinkage else raw
    partial = np.isnan(dims).any(axis=1) & ~np.isnan(raw)

    intervals = None
    score_reps = None
    if replicates > 0:
        boot = bootstrap_scores(
            data,
            config=cfg,
            model=model,
            weights=weight_vector,
            replicates=replicates,
            seed=seed,
            level=level,
            population_shares=shares,
        )
        intervals = _score_intervals(boot.intervals, shrinkage=request.shrinkage)
        score_reps = boot.shrunk if request.shrinkage else boot.raw
    ranks = rank_table(
        cells,
        composite,
        score_reps,
        insufficient=insufficient,
        partial=partial,
        few_sites=few_sites,
        shrinkage=request.shrinkage,
        level=level,
    )

    long = _long(cells, cfg, composite, dims, indicators, raw, shrunk)
    grades = [cfg.grade(None if math.isnan(v) else float(v)) for v in composite]
    cell_info = cells.select(
        pl.col("standard_code"),
        pl.col("year_key").alias("year"),
        pl.col("n_sites").cast(pl.Int32),
        pl.col("n_responses").cast(pl.Int32),
        pl.Series("insufficient", insufficient, dtype=pl.Boolean),
        pl.Series("partial", partial, dtype=pl.Boolean),
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
        "shrinkage": request.shrinkage,
        "population_shares": shares,
        "primary_year": primary,
        "weight_details": choice.details,
        "reliability": reliability.to_dicts(),
        "config_version": cfg.version,
        "evidence": {
            "min_sites": cfg.min_sites,
            "min_responses": cfg.min_responses,
            "min_feedback_sites": cfg.min_feedback_sites,
        },
        "bootstrap": (
            "survey: stratified Poisson bootstrap of respondents, conditioned on every measure"
            " present; feedback: Fay-Herriot model with pooled between-site variance"
            f" (prior df {PRIOR_DF:g}), normal draws, beta draws for completion; percentile"
            " intervals"
        ),
        "feedback_model": model.details,
        "numpy": np.__version__,
        "polars": pl.__version__,
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
        shrinkage=request.shrinkage,
        n_standards=data.n_standards,
        reliability=reliability,
        ranks=ranks,
        params=params,
    )


def _score_intervals(intervals: pl.DataFrame, *, shrinkage: bool) -> pl.DataFrame:
    """Intervals of ``score`` (the ranking estimate), ``score_raw`` and ``score_shrunk``."""
    composite = pl.col("level") == "composite"
    raw = intervals.filter(composite & (pl.col("item") == "score"))
    shrunk = intervals.filter(composite & (pl.col("item") == "score_shrunk"))
    rest = intervals.filter(~(composite & pl.col("item").is_in(["score", "score_shrunk"])))
    ranking_estimate = (shrunk if shrinkage else raw).with_columns(pl.lit("score").alias("item"))
    return pl.concat(
        [ranking_estimate, raw.with_columns(pl.lit("score_raw").alias("item")), shrunk, rest]
    )


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
