"""The hierarchical model of SCORING.md §3 by hand, and replicates that keep the estimand."""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
import pytest

from metrics import bootstrap
from metrics.feedback_model import fit_feedback_model
from metrics.request import ScoreRequest
from metrics.scope import Scope
from metrics.scores import compute_scores
from metrics.shrinkage import fay_herriot, moderated_variance, shrinkage_groups
from tests.metrics.tiny_warehouse import CODES, V, X, build_tiny_warehouse

SCOPE = Scope(standard_codes=CODES)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = build_tiny_warehouse(tmp_path_factory.mktemp("tiny_fh") / "tiny.duckdb")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def test_fay_herriot_on_a_balanced_worked_example() -> None:
    # Three standards with two sites each: (1, 3), (4, 6), (7, 11). Means 2, 5, 9;
    # within-standard squares 2 + 2 + 8 = 12 over 3 degrees of freedom: σ² = 4,
    # so v = σ²/2 = 2. Grand mean 16/3; Σ (ȳ − 16/3)² = (100 + 1 + 121)/9 = 74/3.
    # τ² = (74/3 − Σ v (1 − 1/3)) / (3 − 1) = (74/3 − 4)/2 = 31/3: the one-way
    # ANOVA estimator (MSB − MSW)/n = (74/3 − 4)/2, which for balanced data is
    # also the REML estimate. λ = τ²/(τ² + v) = 31/37; the estimate is
    # 16/3 + λ (ȳ − 16/3); its variance g1 + g2 + 2·g3 (Prasad–Rao):
    # g1 = λ v = 62/37, g2 = (1 − λ)² / (3 / (τ² + v)) = (6/37)² · 37/9 = 4/37,
    # g3 = v² / (τ² + v)³ · 2 · 3 (τ² + v)² / 3² = 4 · (2/3) / (37/3) = 8/37:
    # 62/37 + 4/37 + 16/37 = 82/37.
    sites = [np.array([1.0, 3.0]), np.array([4.0, 6.0]), np.array([7.0, 11.0])]
    means = np.array([s.mean() for s in sites])
    squares = np.array([((s - s.mean()) ** 2).sum() for s in sites])
    pooled = squares.sum() / 3
    assert pooled == 4.0
    fit = fay_herriot(means, np.full(3, pooled / 2), ["CII"] * 3)
    lam = 31 / 37
    assert fit.tau2 == pytest.approx(31 / 3, abs=1e-12)
    np.testing.assert_allclose(fit.weight, lam)
    np.testing.assert_allclose(fit.estimate, 16 / 3 + lam * (means - 16 / 3), atol=1e-12)
    assert fit.estimate.round(3).tolist() == [2.541, 5.054, 8.405]
    np.testing.assert_allclose(fit.variance, 82 / 37, atol=1e-12)


def test_fay_herriot_keeps_a_precise_mean_and_pulls_a_noisy_one() -> None:
    # plain mean 0.56, Σ (ȳ − 0.56)² = 0.272, noise (4 · 0.001 + 0.05) · 0.8 = 0.0432:
    # τ² = (0.272 − 0.0432)/4 = 0.0572; λ = 0.0572/0.0582 ≈ 0.98 and 0.0572/0.1072 ≈ 0.53
    means = np.array([0.2, 0.4, 0.6, 0.8, 0.8])
    fit = fay_herriot(means, np.array([0.001] * 4 + [0.05]), ["g"] * 5)
    assert fit.tau2 == pytest.approx(0.0572, abs=1e-12)
    assert fit.weight[0] == pytest.approx(0.0572 / 0.0582) and fit.weight[4] == pytest.approx(
        0.0572 / 0.1072
    )
    assert abs(fit.estimate[0] - 0.2) < 0.01
    assert fit.estimate[4] < 0.7  # the noisy 0.8 is pulled about half way to the mean
    # groups: fewer standards than groups + 1 leave the means as they are
    alone = fay_herriot(np.array([0.3, 0.9]), np.ones(2), ["a", "b"])
    assert alone.estimate.tolist() == [0.3, 0.9] and alone.weight.tolist() == [1.0, 1.0]


def test_a_one_site_standard_borrows_the_pooled_between_site_variance() -> None:
    # Two standards of 5 sites with squares 8 and 24 (4 df each): pooled σ² = 32/8 = 4.
    variance, pooled = moderated_variance(np.array([0.0, 8.0, 24.0]), np.array([0.0, 4.0, 4.0]))
    assert pooled == 4.0
    assert variance[0] == 4.0  # one site: the pooled spread itself
    assert variance[1] == pytest.approx((4 * 4 + 8) / 8) and variance[2] == (4 * 4 + 24) / 8


def test_small_priority_areas_are_shrunk_towards_the_programme() -> None:
    groups = shrinkage_groups(["CII", "CII", "CII", "DATA", "DATA", None])
    assert groups == ["CII"] * 3 + ["(programme)"] * 3


def test_shrunk_feedback_lies_between_the_raw_mean_and_the_group_mean(
    con: duckdb.DuckDBPyConnection,
) -> None:
    outcome = compute_scores(con, ScoreRequest(scope=SCOPE, method="equal", replicates=0))
    assert outcome.params["feedback_model"]  # the fit is recorded with the run
    feedback = [f"feedback.{q}" for q in ("applicability", "operability", "clarity", "benefit")]
    from metrics.indicators import read_scoring_data, scoring_cursor

    with scoring_cursor(con, scope=SCOPE, config=outcome.config) as cur:
        data = read_scoring_data(cur)
    model = fit_feedback_model(data.cells, data.feedback_units, feedback)
    raw, shrunk = model.raw_centre, model.shrunk_centre
    present = ~np.isnan(raw)
    assert present.sum() > 4
    assert np.array_equal(present, ~np.isnan(shrunk))  # shrinking never adds or drops a value
    # λ·ȳ + (1 − λ)·μ, μ a weighted mean of the means of the same year key and measure
    years = np.array(data.cells.get_column("year_key").to_list())
    for year in set(years.tolist()):
        for k in range(raw.shape[1]):
            column = raw[years == year, k]
            values = shrunk[years == year, k]
            if np.isnan(column).all():
                continue
            low, high = np.nanmin(column), np.nanmax(column)
            assert (values[~np.isnan(values)] >= low - 1e-12).all()
            assert (values[~np.isnan(values)] <= high + 1e-12).all()


def test_every_replicate_has_the_dimensions_of_the_point_estimate(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """V has one site and one respondent: a plain resample drops them in 37 % of replicates."""
    seen: list[np.ndarray] = []
    original = bootstrap.percentile_interval

    def recording(values: np.ndarray, level: float) -> np.ndarray:
        if values.ndim == 3 and values.shape[1] == 4:  # (cells × dimensions × replicates)
            seen.append(values.copy())
        return original(values, level)

    monkeypatch.setattr(bootstrap, "percentile_interval", recording)
    request = ScoreRequest(scope=SCOPE, method="equal", replicates=500)
    results = compute_scores(con, request).results
    replicates = np.concatenate(seen, axis=0)  # cells in order, standard by standard
    dims = (
        results.filter(pl.col("level") == "dimension")
        .sort("standard_code", "year", "item")
        .get_column("value")
        .to_numpy()
        .reshape(-1, 4)
    )
    assert replicates.shape == (dims.shape[0], 4, 500)
    point_present = ~np.isnan(dims.astype(np.float64))
    every_replicate = ~np.isnan(replicates)
    assert (every_replicate == point_present[:, :, None]).all()
    codes = results.filter(pl.col("level") == "dimension").sort("standard_code", "year")
    assert V in codes["standard_code"].to_list() and X in codes["standard_code"].to_list()
