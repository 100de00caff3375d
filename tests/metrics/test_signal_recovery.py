"""The scoring recovers the quality the demo generator planted (``demo_truth``).

The generator gives every standard a latent quality per dimension on the
0–1 scale of (x − 1)/4, and ``overall`` is the plain mean of the four, so
the comparison uses equal weights (the same construction).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.demo import build_demo
from metrics.request import ScoreRequest
from metrics.scope import Scope
from metrics.scores import ScoreOutcome, compute_scores

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, scale=1.0, seed=2016)
    return path


@pytest.fixture(scope="module")
def outcome(demo: Path) -> ScoreOutcome:
    con = duckdb.connect(str(demo), read_only=True)
    try:
        return compute_scores(
            con, ScoreRequest(scope=Scope.everything(), method="equal", replicates=1000)
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def truth(demo: Path) -> pl.DataFrame:
    con = duckdb.connect(str(demo), read_only=True)
    try:
        return con.sql(
            "select key as standard_code, dimension, value as truth, kind from demo_truth"
            " where kind in ('standard_quality', 'sparse_standard')"
        ).pl()
    finally:
        con.close()


def overall_scores(outcome: ScoreOutcome, truth: pl.DataFrame) -> pl.DataFrame:
    quality = truth.filter(
        (pl.col("kind") == "standard_quality") & (pl.col("dimension") == "overall")
    )
    return outcome.results.filter(
        (pl.col("year") == "overall") & (pl.col("item") == "score") & ~pl.col("insufficient")
    ).join(quality.select("standard_code", "truth"), on="standard_code")


def test_better_standards_score_higher(outcome: ScoreOutcome, truth: pl.DataFrame) -> None:
    scores = overall_scores(outcome, truth)
    assert scores.height >= 100
    rho = scores.select(pl.corr("value", "truth", method="spearman")).item()
    assert rho > 0.6


@pytest.mark.parametrize("dimension", ["A", "B", "C", "D"])
def test_each_dimension_tracks_its_planted_quality(
    outcome: ScoreOutcome, truth: pl.DataFrame, dimension: str
) -> None:
    quality = truth.filter(
        (pl.col("kind") == "standard_quality") & (pl.col("dimension") == dimension)
    )
    dims = outcome.results.filter(
        (pl.col("year") == "overall") & (pl.col("item") == dimension) & ~pl.col("insufficient")
    ).join(quality.select("standard_code", "truth"), on="standard_code")
    assert dims.select(pl.corr("value", "truth", method="spearman")).item() > 0.6


def test_intervals_do_not_overlap_where_the_planted_difference_is_large(
    outcome: ScoreOutcome, truth: pl.DataFrame
) -> None:
    scores = overall_scores(outcome, truth)

    def overlapping_share(gap: float, min_sites: int) -> tuple[int, float]:
        rows = scores.filter(pl.col("n_sites") >= min_sites).select("truth", "ci_low", "ci_high")
        pairs = [
            (a, b) if a[0] < b[0] else (b, a)
            for a, b in itertools.combinations(rows.rows(), 2)
            if abs(a[0] - b[0]) >= gap
        ]
        overlaps = sum(1 for low, high in pairs if low[2] >= high[1])
        return len(pairs), overlaps / len(pairs)

    # Planted qualities span about 0.25–0.92 (sd 0.12). Standards whose feedback
    # rests on 3 or more sites: a gap of 0.35 (35 points on the composite) never
    # overlaps, a gap of 0.25 in fewer than 1 % of pairs.
    pairs, share = overlapping_share(0.35, 3)
    assert pairs > 100 and share == 0.0
    pairs, share = overlapping_share(0.25, 3)
    assert pairs > 1000 and share < 0.01
    # With 1–2 sites the spread between sites is borrowed, so their intervals are
    # honestly wide: still fewer than 1 % and 3 % of pairs overlap.
    pairs, share = overlapping_share(0.35, 0)
    assert pairs > 100 and share < 0.01
    pairs, share = overlapping_share(0.25, 0)
    assert pairs > 1000 and share < 0.03


def test_planted_sparse_standards_are_flagged_insufficient(
    outcome: ScoreOutcome, truth: pl.DataFrame
) -> None:
    sparse = truth.filter(pl.col("kind") == "sparse_standard").get_column("standard_code").to_list()
    assert sparse
    flags = outcome.results.filter(
        (pl.col("year") == "overall")
        & (pl.col("item") == "score")
        & pl.col("standard_code").is_in(sparse)
    )
    assert flags.height > 0 and flags.get_column("insufficient").all()
