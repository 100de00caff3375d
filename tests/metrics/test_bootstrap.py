"""Bootstrap intervals: Poisson counts, percentiles, the same rules as the SQL, vectorised."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import polars as pl
import pytest

from metrics import bootstrap
from metrics.bootstrap import count_mean, percentile_interval, poisson_counts
from metrics.feedback_model import FeedbackModel
from metrics.request import ScoreRequest
from metrics.scope import Scope
from metrics.scores import compute_scores
from tests.metrics.tiny_warehouse import CODES, V, X, build_tiny_warehouse

SCOPE = Scope(standard_codes=CODES)
SURVEY_ONLY = ["A4", "B1", "B2", "B5"]  # indicators of the default tree fed by the survey alone


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = build_tiny_warehouse(tmp_path_factory.mktemp("tiny_boot") / "tiny.duckdb")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def test_poisson_counts_have_the_poisson_1_distribution() -> None:
    counts = poisson_counts(np.random.default_rng(7), 2000, 1000)
    assert counts.mean() == pytest.approx(1.0, abs=0.005)
    assert counts.var() == pytest.approx(1.0, abs=0.01)
    for k in range(5):
        assert (counts == k).mean() == pytest.approx(math.exp(-1) / math.factorial(k), abs=0.002)


@pytest.mark.parametrize(("n", "t_975"), [(5, 2.7764), (20, 2.0930)])
def test_counts_of_mean_n_minus_1_over_n_widen_a_mean_less_than_student_t(
    n: int, t_975: float
) -> None:
    """Poisson((n − 1)/n) counts: wider than Poisson(1), narrower than a t interval."""
    assert count_mean(n) == (n - 1) / n and count_mean(1) == 1.0
    x = np.linspace(0.0, 1.0, n)
    unbiased = x.var(ddof=1) / n  # s²/n

    def variance(mean: float) -> float:
        w = poisson_counts(np.random.default_rng(2), 100_000, n, mean=mean)
        keep = w.sum(axis=1) > 0
        return float(((w[keep] @ x) / w[keep].sum(axis=1)).var())

    plain, expanded = variance(1.0), variance(count_mean(n))
    assert plain == pytest.approx(unbiased, rel=0.05)  # Poisson(1) ≈ s²/n already
    assert plain < expanded < unbiased * (t_975 / 1.96) ** 2
    counts = poisson_counts(np.random.default_rng(1), 2000, 500, mean=count_mean(n))
    assert counts.mean() == pytest.approx((n - 1) / n, abs=0.005)


def test_percentile_interval_matches_numpy_quantiles_ignoring_nan() -> None:
    rng = np.random.default_rng(3)
    values = rng.normal(size=(4, 7, 501))
    values[0, 0, :100] = np.nan
    ours = percentile_interval(values, 0.95)
    expected = np.moveaxis(np.nanquantile(values, [0.025, 0.975], axis=-1), 0, -1)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)
    assert np.isnan(percentile_interval(np.full((1, 10), np.nan), 0.95)).all()


def _draws_at_the_raw_point(
    self: FeedbackModel, rows: list[int], year_keys: list[str], rngs: list, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Every feedback replicate at the raw point: (k + ½ − ½)/(n + 1 − 1) = k/n for B3."""
    raw = np.repeat(np.clip(self.raw_centre[rows], 0.0, 1.0)[:, None, :], n, axis=1)
    a, b = self.beta[rows, 0], self.beta[rows, 1]
    done = np.repeat(((a - 0.5) / (a + b - 1.0))[:, None], n, axis=1) if self.completed else None
    return raw, raw, done, done


@pytest.mark.parametrize("shares", [None, {"enterprise": 0.3, "user": 0.5, "testing_body": 0.2}])
def test_with_every_count_1_each_replicate_reproduces_the_sql_values(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, shares: dict[str, float] | None
) -> None:
    """The numpy engine applies exactly the SQL's indicator rules: unit counts give the point."""
    monkeypatch.setattr(
        bootstrap, "poisson_counts", lambda rng, rows, cols, **_: np.ones((rows, cols))
    )
    monkeypatch.setattr(FeedbackModel, "draws", _draws_at_the_raw_point)
    request = ScoreRequest(
        scope=SCOPE, method="equal", replicates=3, population_shares=shares, shrinkage=False
    )
    results = compute_scores(con, request).results.filter(pl.col("item") != "score_shrunk")
    present = results.filter(pl.col("value").is_not_null())
    assert present.height > 100
    np.testing.assert_allclose(
        present["ci_low"].to_numpy(), present["value"].to_numpy(), atol=1e-12
    )
    np.testing.assert_allclose(
        present["ci_high"].to_numpy(), present["value"].to_numpy(), atol=1e-12
    )
    assert results.filter(pl.col("value").is_null() & pl.col("ci_low").is_not_null()).height == 0


def test_same_seed_same_intervals_and_another_seed_other_intervals(
    con: duckdb.DuckDBPyConnection,
) -> None:
    first = compute_scores(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=200, seed=11)
    ).results
    again = compute_scores(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=200, seed=11)
    ).results
    other = compute_scores(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=200, seed=12)
    ).results
    assert first.equals(again)
    assert not first.equals(other)


def test_a_standards_survey_intervals_do_not_depend_on_what_else_is_in_scope(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Each cell has its own random stream; only the borrowed feedback spread is shared."""

    def x_rows(scope: Scope) -> pl.DataFrame:
        request = ScoreRequest(scope=scope, method="equal", replicates=200)
        out = compute_scores(con, request).results
        return out.filter((pl.col("standard_code") == X) & pl.col("item").is_in(SURVEY_ONLY))

    alone, together = x_rows(Scope(standard_codes=(X,))), x_rows(SCOPE)
    assert alone.height == together.height > 0
    assert alone.equals(together)


def test_intervals_are_ordered_and_a_single_site_borrows_the_spread_between_sites(
    con: duckdb.DuckDBPyConnection,
) -> None:
    request = ScoreRequest(scope=SCOPE, method="equal", replicates=300, shrinkage=False)
    results = compute_scores(con, request).results
    with_ci = results.filter(pl.col("ci_low").is_not_null())
    assert (with_ci["ci_low"] <= with_ci["ci_high"]).all()
    # V: one perfect site and one perfect respondent. One site shows no spread
    # between sites, so it is borrowed from the others: the interval is not
    # the point any more, and stays on the 0–100 scale below it.
    v = results.filter(
        (pl.col("standard_code") == V) & (pl.col("item") == "score") & (pl.col("year") == "2024")
    )
    assert v["value"][0] == pytest.approx(100.0)
    assert 0.0 <= v["ci_low"][0] < 90.0 and 99.0 < v["ci_high"][0] <= 100.0
    x = results.filter(
        (pl.col("standard_code") == X) & (pl.col("year") == "2024") & (pl.col("item") == "score")
    )
    assert x["ci_low"][0] < x["value"][0] < x["ci_high"][0]


def test_no_python_loop_per_replicate(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The number of count matrices drawn depends on the cells, not on the replicates."""
    calls: list[tuple[int, int]] = []
    original = bootstrap.poisson_counts

    def counting(rng: np.random.Generator, rows: int, cols: int, **kw: float) -> np.ndarray:
        calls.append((rows, cols))
        return original(rng, rows, cols, **kw)

    monkeypatch.setattr(bootstrap, "poisson_counts", counting)
    compute_scores(con, ScoreRequest(scope=SCOPE, method="equal", replicates=10))
    few = sum(rows == 10 for rows, _ in calls)
    calls.clear()
    compute_scores(con, ScoreRequest(scope=SCOPE, method="equal", replicates=1000))
    # one full draw per cell and source; a few redraws of the replicates that
    # lost every respondent of a measure, each for ever fewer rows
    assert sum(rows == 1000 for rows, _ in calls) == few
    assert len(calls) < 100 and all(rows <= 1000 for rows, _ in calls)


def test_replicates_zero_gives_no_intervals(con: duckdb.DuckDBPyConnection) -> None:
    results = compute_scores(con, ScoreRequest(scope=SCOPE, method="equal", replicates=0)).results
    assert results["ci_low"].null_count() == results.height


def test_the_run_keeps_raw_and_shrunk_scores_and_ranks_on_the_shrunk_by_default(
    con: duckdb.DuckDBPyConnection,
) -> None:
    request = ScoreRequest(scope=SCOPE, method="equal", replicates=200)
    out = compute_scores(con, request).results.filter(pl.col("level") == "composite")

    def item(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return frame.filter(pl.col("item") == name).sort("standard_code", "year")

    score, raw, shrunk = item(out, "score"), item(out, "score_raw"), item(out, "score_shrunk")
    assert score.height == raw.height == shrunk.height > 0
    assert score.select("value", "ci_low", "ci_high").equals(
        shrunk.select("value", "ci_low", "ci_high")
    )
    assert (raw["value"] - shrunk["value"]).abs().max() > 0.01  # something was shrunk
    plain = compute_scores(con, request.replace(shrinkage=False)).results
    plain = plain.filter(pl.col("level") == "composite")
    assert (
        item(plain, "score")
        .select("value", "ci_low", "ci_high")
        .equals(raw.select("value", "ci_low", "ci_high"))
    )
    # the shrunk point needs no replicates
    points = compute_scores(con, request.replace(replicates=0)).results
    assert item(points, "score")["value"].to_list() == shrunk["value"].to_list()
