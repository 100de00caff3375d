"""On demo seeds, few-site standards do not crowd the top 10, and accuracy by band is computed.

The demo plants each standard's quality (``demo_truth``), so the top 10 a run
ranks can be compared with the true top 10 among the same standards. Before
the hierarchical model, standards with 1–2 sites took far more top places
than their share; shrinkage towards the priority-area mean stops that.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from etl.demo import build_demo
from metrics.ranking import ranked_standards, top10_accuracy_by_band
from metrics.request import ScoreRequest
from metrics.runs import run_scoring
from metrics.scope import Scope

pytestmark = pytest.mark.slow

SEEDS = (2016, 7)


@pytest.fixture(scope="module")
def bands(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    frames = []
    for seed in SEEDS:
        path = tmp_path_factory.mktemp(f"demo{seed}") / "demo.duckdb"
        build_demo(path, scale=1.0, seed=seed)
        con = duckdb.connect(str(path))
        try:
            run_id = run_scoring(con, ScoreRequest(scope=Scope.everything()), created_by="t")
            ranked = ranked_standards(con, run_id=run_id, year="overall", scope=Scope.everything())
            truth = con.sql(
                "select key as standard_code, value as truth from demo_truth"
                " where kind = 'standard_quality' and dimension = 'overall'"
            ).pl()
        finally:
            con.close()
        frames.append(
            top10_accuracy_by_band(ranked, truth).with_columns(pl.lit(seed).alias("seed"))
        )
    return pl.concat(frames)


def test_accuracy_by_site_band_is_computed_for_every_seed(bands: pl.DataFrame) -> None:
    for seed in SEEDS:
        mine = bands.filter(pl.col("seed") == seed)
        assert mine["n_ranked"].sum() >= 100
        assert mine["n_top"].sum() == 10
        assert mine["share_ranked"].sum() == pytest.approx(1.0)
        with_top = mine.filter(pl.col("n_top") > 0)
        assert with_top["accuracy"].is_not_null().all()
        assert ((with_top["accuracy"] >= 0) & (with_top["accuracy"] <= 1)).all()


def test_standards_with_fewer_than_5_sites_are_not_over_represented_in_the_top_10(
    bands: pl.DataFrame,
) -> None:
    few = bands.filter(pl.col("band").is_in(["1", "2", "3–4"]))
    ranked_share = few["n_ranked"].sum() / bands["n_ranked"].sum()
    top_share = few["n_top"].sum() / bands["n_top"].sum()
    assert ranked_share > 0.05  # the demo has such standards, and they are ranked
    assert top_share <= ranked_share
