"""Who is ranked, rank intervals, top-10 odds and the funnel plot (SCORING.md §3)."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest

from etl.warehouse import migrate
from metrics.config import ConfigError, load_config
from metrics.funnel import Z_95, Z_998, funnel_data
from metrics.ranking import rank_table, rank_uncertainty, ranked_standards, top10_accuracy_by_band
from metrics.request import ScoreRequest
from metrics.runs import read_run_meta, read_run_ranks, run_scoring
from metrics.scope import Scope
from tests.metrics.tiny_warehouse import CODES, V, X, Y, Z, build_tiny_warehouse

SCOPE = Scope(standard_codes=CODES)


def _low_evidence() -> dict[str, Any]:
    text = (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    raw["evidence"] = {"min_sites": 1, "min_responses": 1, "min_feedback_sites": 3}
    return raw


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = build_tiny_warehouse(tmp_path_factory.mktemp("tiny_rank") / "tiny.duckdb")
    connection = duckdb.connect(str(path))
    yield connection
    connection.close()


def test_a_standard_first_in_every_replicate_has_rank_interval_1_and_top_probability_1() -> None:
    rng = np.random.default_rng(5)
    reps = np.stack(
        [90 + rng.normal(0, 1, 400), 50 + rng.normal(0, 5, 400), 50 + rng.normal(0, 5, 400)]
    )
    rank, low, high, p = rank_uncertainty(reps.mean(axis=1), reps, ["a", "b", "c"], top=1)
    assert (rank[0], low[0], high[0], p[0]) == (1, 1, 1, 1.0)
    # b and c are exchangeable: each is 2nd or 3rd, never in the top place
    assert (
        low[1:].tolist() == [2, 2] and high[1:].tolist() == [3, 3] and p[1:].tolist() == [0.0, 0.0]
    )
    ranks_without = rank_uncertainty(reps.mean(axis=1), None, ["a", "b", "c"])
    assert ranks_without[1].tolist() == [-1, -1, -1] and np.isnan(ranks_without[3]).all()


def test_exclusion_reasons_in_order_and_few_sites_ranked_only_when_shrunk() -> None:
    cells = pl.DataFrame({"standard_code": list("abcde"), "year_key": ["2024"] * 5})
    points = np.array([80.0, 70.0, 60.0, 50.0, np.nan])
    flags = {
        "insufficient": np.array([True, False, False, False, False]),
        "partial": np.array([True, True, False, False, False]),
        "few_sites": np.array([True, True, True, False, False]),
    }
    shrunk = rank_table(cells, points, None, shrinkage=True, level=0.95, **flags)
    raw = rank_table(cells, points, None, shrinkage=False, level=0.95, **flags)
    assert shrunk["standard_code"].to_list() == list("abcd")  # e has no composite: no row
    assert shrunk["exclusion_reason"].to_list() == ["insufficient", "partial", None, None]
    assert shrunk["rank"].to_list() == [None, None, 1, 2]
    assert raw["exclusion_reason"].to_list() == ["insufficient", "partial", "few_sites", None]
    assert raw["rank"].to_list() == [None, None, None, 1]


def test_ranked_standards_of_a_stored_run(con: duckdb.DuckDBPyConnection) -> None:
    request = ScoreRequest(scope=SCOPE, method="equal", replicates=200, config=_low_evidence())
    run_id = run_scoring(con, request, created_by="t")
    rows = ranked_standards(con, run_id=run_id, year="overall", scope=Scope.everything())
    expected = {"standard_code", "score", "ci_low", "ci_high", "score_raw", "ci_low_raw",
                "ci_high_raw", "rank", "rank_low", "rank_high", "p_top10", "grade", "n_sites",
                "n_responses", "insufficient", "partial", "ranked", "exclusion_reason"}  # fmt: skip
    assert expected <= set(rows.columns)
    by_code = {r["standard_code"]: r for r in rows.iter_rows(named=True)}
    # X (3 sites) and V (1 site) have every dimension; Y and Z are partial
    assert rows.filter(pl.col("ranked"))["standard_code"].to_list() == [
        c for c in rows["standard_code"] if c in (X, V)
    ]
    assert {by_code[X]["rank"], by_code[V]["rank"]} == {1, 2}
    assert by_code[Y]["exclusion_reason"] == by_code[Z]["exclusion_reason"] == "partial"
    assert by_code[Y]["rank"] is None and not by_code[Y]["ranked"]
    for code in (X, V):
        row = by_code[code]
        assert 1 <= row["rank_low"] <= row["rank"] <= row["rank_high"] <= 2
        assert row["ci_low"] <= row["score"] <= row["ci_high"]
        assert row["p_top10"] == 1.0  # two ranked standards: both always in the top 10
    # the reader's scope filters the rows, not the ranks
    mine = ranked_standards(con, run_id=run_id, year="overall", scope=Scope(standard_codes=(V,)))
    assert mine["standard_code"].to_list() == [V] and mine["rank"][0] == by_code[V]["rank"]
    # the thresholds and the estimate ranked on are stored with the run
    meta = read_run_meta(con, run_id)
    assert (meta["shrinkage"], meta["min_sites"], meta["min_feedback_sites"]) == (True, 1, 3)


def test_without_shrinkage_a_standard_on_fewer_than_3_sites_is_listed_apart(
    con: duckdb.DuckDBPyConnection,
) -> None:
    request = ScoreRequest(
        scope=SCOPE, method="equal", replicates=50, config=_low_evidence(), shrinkage=False
    )
    run_id = run_scoring(con, request, created_by="t")
    ranks = read_run_ranks(con, run_id).filter(pl.col("year") == "overall")
    reason = dict(ranks.select("standard_code", "exclusion_reason").rows())
    assert reason[V] == "few_sites" and reason[X] is None
    rows = ranked_standards(con, run_id=run_id, year="overall", scope=Scope.everything())
    x = rows.filter(pl.col("standard_code") == X).row(0, named=True)
    assert x["score"] == x["score_raw"] and x["rank"] == 1  # ranked on the raw estimate
    assert read_run_meta(con, run_id)["shrinkage"] is False


def test_funnel_points_outside_exactly_when_beyond_their_limits(
    con: duckdb.DuckDBPyConnection,
) -> None:
    request = ScoreRequest(scope=SCOPE, method="equal", replicates=200, config=_low_evidence())
    run_id = run_scoring(con, request, created_by="t")
    funnel = funnel_data(con, run_id=run_id, year="overall", scope=Scope.everything())
    rows = ranked_standards(con, run_id=run_id, year="overall", scope=Scope.everything())
    usable = rows.filter(~pl.col("partial") & ~pl.col("insufficient") & (pl.col("n_sites") > 0))
    assert funnel.evidence == "n_sites"
    assert funnel.target == pytest.approx(usable["score_raw"].mean())
    se = (usable["ci_high_raw"] - usable["ci_low_raw"]).to_numpy() / (2 * Z_95)
    assert funnel.unit_sd == pytest.approx(np.sqrt(np.mean(se**2 * usable["n_sites"].to_numpy())))
    assert set(funnel.points["standard_code"]) == set(usable["standard_code"])
    limits = {r["evidence"]: r for r in funnel.limits.iter_rows(named=True)}
    assert sorted(limits) == list(range(1, int(usable["n_sites"].max()) + 1))
    for point in funnel.points.iter_rows(named=True):
        limit = limits[point["evidence"]]
        outside = not limit["lower_95"] <= point["score"] <= limit["upper_95"]
        assert point["outside_95"] == outside
        assert point["outside_998"] == (
            not limit["lower_998"] <= point["score"] <= limit["upper_998"]
        )
        half = Z_998 * funnel.unit_sd / np.sqrt(point["evidence"])
        assert limit["upper_998"] == pytest.approx(funnel.target + half)


def test_top10_accuracy_shares_add_up_over_the_bands() -> None:
    ranked = pl.DataFrame(
        {
            "standard_code": [f"s{k}" for k in range(30)],
            "rank": list(range(1, 31)),
            "ranked": [True] * 30,
            "n_sites": [1, 2, 3, 6, 12] * 6,
        }
    )
    truth = pl.DataFrame(
        {"standard_code": [f"s{k}" for k in range(30)], "truth": list(range(30, 0, -1))}
    )
    bands = top10_accuracy_by_band(ranked, truth)
    assert bands["band"].to_list() == ["1", "2", "3–4", "5–9", "10+"]
    assert bands["share_ranked"].sum() == pytest.approx(1.0)
    assert bands["share_top"].sum() == pytest.approx(1.0) and bands["n_top"].sum() == 10
    assert bands["accuracy"].to_list() == [1.0] * 5  # the ranking is the truth


def test_min_feedback_sites_is_read_from_the_config_and_checked() -> None:
    raw = _low_evidence()
    raw["evidence"]["min_feedback_sites"] = 4
    assert load_config(raw).min_feedback_sites == 4
    del raw["evidence"]["min_feedback_sites"]
    assert load_config(raw).min_feedback_sites == 3  # older configs: the default of §3
    raw["evidence"]["min_feedback_sites"] = "three"
    with pytest.raises(ConfigError, match="evidence.min_feedback_sites must be a whole number"):
        load_config(raw)
    raw["evidence"]["min_feedback_sites"] = -1
    with pytest.raises(ConfigError, match="≥ 0"):
        load_config(raw)


def test_a_request_without_a_scope_is_refused() -> None:
    with pytest.raises(TypeError, match="Scope.everything"):
        ScoreRequest(scope=None)  # type: ignore[arg-type]


def test_runs_stored_before_migration_7_read_back_without_ranks(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "v6.duckdb"))
    try:
        migrate(con, target=6)
        params = {"primary_year": "overall", "replicates": 10, "shrinkage": False}
        config = {"evidence": {"min_sites": 5, "min_responses": 30}}
        con.execute(
            "insert into score_run (run_id, method, weights, config, fingerprint, code_version,"
            " params, created_by) values ('run-old', 'equal', '{}', ?, 'f', 'c', ?, 'a')",
            [json.dumps(config), json.dumps(params)],
        )
        assert read_run_meta(con, "run-old")["shrinkage"] is None  # no column yet
        assert 7 in migrate(con)
        meta = read_run_meta(con, "run-old")
        # filled from the params and config JSON; the third threshold did not exist then
        assert (meta["shrinkage"], meta["min_sites"], meta["min_responses"]) == (False, 5, 30)
        assert meta["min_feedback_sites"] is None
        assert read_run_ranks(con, "run-old").height == 0
    finally:
        con.close()
