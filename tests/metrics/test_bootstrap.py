"""Bootstrap intervals: Poisson counts, percentiles, the same rules as the SQL, vectorised."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import polars as pl
import pytest

from metrics import bootstrap
from metrics.bootstrap import count_mean, percentile_interval, poisson_counts
from metrics.scope import Scope
from metrics.scores import compute_scores
from metrics.shrinkage import shrink_to_group_mean
from tests.metrics.tiny_warehouse import CODES, V, X, build_tiny_warehouse

SCOPE = Scope(standard_codes=CODES)


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


@pytest.mark.parametrize("shares", [None, {"enterprise": 0.3, "user": 0.5, "testing_body": 0.2}])
def test_with_every_count_1_each_replicate_reproduces_the_sql_values(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, shares: dict[str, float] | None
) -> None:
    """The numpy engine applies exactly the SQL's indicator rules: unit counts give the point."""
    monkeypatch.setattr(
        bootstrap, "poisson_counts", lambda rng, rows, cols, **_: np.ones((rows, cols))
    )
    results = compute_scores(
        con, scope=SCOPE, method="equal", replicates=3, population_shares=shares
    ).results
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
    first = compute_scores(con, scope=SCOPE, method="equal", replicates=200, seed=11).results
    again = compute_scores(con, scope=SCOPE, method="equal", replicates=200, seed=11).results
    other = compute_scores(con, scope=SCOPE, method="equal", replicates=200, seed=12).results
    assert first.equals(again)
    assert not first.equals(other)


def test_a_standards_interval_does_not_depend_on_what_else_is_in_scope(
    con: duckdb.DuckDBPyConnection,
) -> None:
    def x_rows(scope: Scope) -> pl.DataFrame:
        out = compute_scores(con, scope=scope, method="equal", replicates=200).results
        return out.filter(pl.col("standard_code") == X)

    assert x_rows(SCOPE).equals(x_rows(Scope(standard_codes=(X,))))


def test_intervals_are_ordered_and_bracket_unanimous_answers(
    con: duckdb.DuckDBPyConnection,
) -> None:
    results = compute_scores(con, scope=SCOPE, method="equal", replicates=300).results
    with_ci = results.filter(pl.col("ci_low").is_not_null())
    assert (with_ci["ci_low"] <= with_ci["ci_high"]).all()
    # V: one perfect site and one perfect respondent. Whatever the resample
    # keeps, every present value is 1, so the interval is the point: 100.
    v = results.filter((pl.col("standard_code") == V) & (pl.col("item") == "score"))
    assert v["ci_low"].to_list() == pytest.approx([100.0] * v.height)
    assert v["ci_high"].to_list() == pytest.approx([100.0] * v.height)
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
    compute_scores(con, scope=SCOPE, method="equal", replicates=10)
    few = len(calls)
    calls.clear()
    compute_scores(con, scope=SCOPE, method="equal", replicates=1000)
    assert len(calls) == few
    assert all(rows == 1000 for rows, _ in calls)


def test_replicates_zero_gives_no_intervals(con: duckdb.DuckDBPyConnection) -> None:
    results = compute_scores(con, scope=SCOPE, method="equal", replicates=0).results
    assert results["ci_low"].null_count() == results.height


def test_shrinkage_by_hand() -> None:
    # Replicates x ± 5 (R = 2): bootstrap variance v = 50 each. Points 50, 60, 70:
    # variance 100, so τ² = 100 − 50 = 50 and λ = 50/(50 + 50) = 0.5; shrunk
    # towards the mean 60: 55, 60, 65. Replicate means 55 and 65 give the
    # shrunk replicates of the first: 0.5·45 + 0.5·55 = 50, 0.5·55 + 0.5·65 = 60.
    points = np.array([50.0, 60.0, 70.0, 10.0])
    reps = points[:, None] + np.array([-5.0, 5.0])
    shrunk, shrunk_reps, lam = shrink_to_group_mean(points, reps, ["CII", "CII", "CII", "PI"])
    np.testing.assert_allclose(shrunk, [55.0, 60.0, 65.0, 10.0])
    np.testing.assert_allclose(lam, [0.5, 0.5, 0.5, 1.0])  # PI has one standard: left alone
    np.testing.assert_allclose(shrunk_reps[0], [50.0, 60.0])


def test_shrinkage_in_a_run_keeps_the_raw_score(con: duckdb.DuckDBPyConnection) -> None:
    out = compute_scores(con, scope=SCOPE, method="equal", replicates=200, shrinkage=True)
    raw = out.results.filter(pl.col("item") == "score_raw")
    shrunk = out.results.filter(pl.col("item") == "score")
    assert raw.height == shrunk.height > 0
    # every tiny standard is in CII; pulled towards the area mean, never past it
    for year in ("2024", "overall"):
        r = raw.filter(pl.col("year") == year).sort("standard_code")
        s = shrunk.filter(pl.col("year") == year).sort("standard_code")
        mean = r["value"].mean()
        for before, after in zip(r["value"], s["value"], strict=True):
            assert min(before, mean) - 1e-9 <= after <= max(before, mean) + 1e-9
    with pytest.raises(ValueError, match="replicates"):
        compute_scores(con, scope=SCOPE, method="equal", replicates=0, shrinkage=True)
