"""Two stored runs compared: who moved, by how much, and whether data or weights changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl

from metrics.request import ScoreRequest
from metrics.run_compare import compare_runs
from metrics.runs import run_scoring
from metrics.scope import Scope


def _run(con: duckdb.DuckDBPyConnection, method: str) -> str:
    request = ScoreRequest(scope=Scope.everything(), method=method, replicates=0, seed=1)
    return run_scoring(con, request, created_by="tests")


def test_the_comparison_names_weights_or_data_as_the_reason_for_a_move(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    path = tmp_path / "compare.duckdb"
    shutil.copyfile(demo_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        ahp_run = _run(con, "ahp")
        equal_run = _run(con, "equal")
        con.execute("delete from feedback where site_id = (select min(site_id) from feedback)")
        later = _run(con, "ahp")
        by_weights = compare_runs(con, ahp_run, equal_run)
        by_data = compare_runs(con, ahp_run, later)
        same = compare_runs(con, ahp_run, ahp_run)
        scores = dict(
            con.execute(
                "select run_id, value from score_result where level = 'composite'"
                " and year = 'overall' and standard_code = ?",
                [by_weights.moves["standard_code"][0]],
            ).fetchall()
        )
    finally:
        con.close()
    assert (by_weights.weights_changed, by_weights.data_changed) == (True, False)
    assert "method" in by_weights.changed_settings
    assert (by_data.weights_changed, by_data.data_changed) == (False, True)
    assert (same.weights_changed, same.data_changed, same.changed_settings) == (False, False, ())
    assert same.moves["delta"].abs().max() == 0
    top = by_weights.moves.row(0, named=True)  # the largest move first, as stored
    assert top["score_a"] == scores[ahp_run] and top["score_b"] == scores[equal_run]
    assert top["delta"] == scores[equal_run] - scores[ahp_run] != 0
    deltas = by_weights.moves["delta"].drop_nulls().abs()
    assert deltas.to_list() == sorted(deltas.to_list(), reverse=True)
    assert by_data.moves.filter(pl.col("delta").abs() > 0).height > 0
