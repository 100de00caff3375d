"""TOPSIS closeness as a ranking view of a run (``metrics.topsis_view``, SCORING.md §2)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from app.cli import score_cmd
from metrics.runs import read_run, read_run_meta
from metrics.scores import RESULT_SCHEMA, ranking
from metrics.topsis_view import TOPSIS_SCHEMA, topsis_ranking
from tests.metrics.tiny_warehouse import V, X, Y, Z, build_tiny_warehouse

DIMS = ("A", "B", "C", "D")
WEIGHTS = {"A": 0.4, "B": 0.3, "C": 0.2, "D": 0.1}


def _results(
    table: dict[str, list[float | None]],
    *,
    weights: dict[str, float] = WEIGHTS,
    insufficient: frozenset[str] = frozenset(),
    year: str = "overall",
) -> pl.DataFrame:
    """A score_result-shaped frame: one composite and four dimension rows per standard.

    The composite is 100 × Σ w_d · D_d over the dimensions present, weights
    renormalised over them (as ``metrics.composite``).
    """
    rows = []
    for code, values in table.items():
        present = {d: v for d, v in zip(DIMS, values, strict=True) if v is not None}
        total = sum(weights[d] for d in present)
        composite = 100 * sum(weights[d] * v for d, v in present.items()) / total
        flags = {"insufficient": code in insufficient, "partial": len(present) < len(DIMS)}
        rows.append(
            {"standard_code": code, "year": year, "level": "composite", "item": "score",
             "value": composite, **flags}
        )  # fmt: skip
        for d, v in zip(DIMS, values, strict=True):
            rows.append(
                {"standard_code": code, "year": year, "level": "dimension", "item": d,
                 "value": v, **flags}
            )  # fmt: skip
    return (
        pl.DataFrame(rows)
        .with_columns(
            [pl.lit(None).cast(t).alias(c) for c, t in RESULT_SCHEMA.items() if c not in rows[0]]
        )
        .select([pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items()])
    )


# The hand-worked example. Weights A 0.4, B 0.3, C 0.2, D 0.1; all criteria benefit.
#
#          A    B    C    D    composite = 100 Σ w·x
#   S1   0.9  0.5  0.5  0.5    36 + 15 + 10 + 5 = 66
#   S2   0.7  0.7  0.7  0.7    28 + 21 + 14 + 7 = 70
#   S3   0.4  0.5  0.9  0.8    16 + 15 + 18 + 8 = 57
#
# 1. Vector normalisation r = x / sqrt(Σ x²) per column:
#    Σx²: A 0.81+0.49+0.16 = 1.46, B 0.25+0.49+0.25 = 0.99, C 0.25+0.49+0.81 = 1.55,
#         D 0.25+0.49+0.64 = 1.38;  sqrt: 1.208305, 0.994987, 1.244990, 1.174734
#    r:  S1 0.744845 0.502519 0.401610 0.425628
#        S2 0.579324 0.703526 0.562254 0.595880
#        S3 0.331042 0.502519 0.722897 0.681005
# 2. Weighted v = w · r:
#        S1 0.297938 0.150756 0.080322 0.042563
#        S2 0.231730 0.211058 0.112451 0.059588
#        S3 0.132417 0.150756 0.144579 0.068101
# 3. Ideal best A⁺ (column max) 0.297938 0.211058 0.144579 0.068101
#    ideal worst A⁻ (column min) 0.132417 0.150756 0.080322 0.042563
# 4. d⁺ = sqrt(Σ (v − A⁺)²):
#    S1 sqrt(0 + 0.060302² + 0.064257² + 0.025538²) = sqrt(0.008417) = 0.091747
#    S2 sqrt(0.066208² + 0 + 0.032128² + 0.008513²) = sqrt(0.005488) = 0.074083
#    S3 sqrt(0.165521² + 0.060302² + 0 + 0)         = sqrt(0.031033) = 0.176164
#    d⁻ = sqrt(Σ (v − A⁻)²):
#    S1 sqrt(0.165521² + 0 + 0 + 0)                 = 0.165521
#    S2 sqrt(0.099313² + 0.060302² + 0.032129² + 0.017025²) = sqrt(0.014822) = 0.121744
#    S3 sqrt(0 + 0 + 0.064257² + 0.025538²)         = sqrt(0.004781) = 0.069146
# 5. Closeness C = d⁻ / (d⁺ + d⁻):
#    S1 0.165521 / 0.257268 = 0.643
#    S2 0.121744 / 0.195827 = 0.622
#    S3 0.069146 / 0.245310 = 0.282
# TOPSIS ranks S1 > S2 > S3; the composite ranks S2 (70) > S1 (66) > S3: the views
# disagree on the top two. S1 is the best on the heaviest dimension A and so
# farthest from the worst point; the balanced S2 wins the weighted sum.
HAND = {"S1": [0.9, 0.5, 0.5, 0.5], "S2": [0.7, 0.7, 0.7, 0.7], "S3": [0.4, 0.5, 0.9, 0.8]}


def test_hand_worked_three_standards() -> None:
    view = topsis_ranking(_results(HAND), weights=WEIGHTS)
    assert view.schema == pl.Schema(TOPSIS_SCHEMA)
    assert view.get_column("standard_code").to_list() == ["S1", "S2", "S3"]
    assert [round(c, 3) for c in view.get_column("closeness")] == [0.643, 0.622, 0.282]
    assert view.get_column("topsis_rank").to_list() == [1, 2, 3]
    assert [round(c, 6) for c in view.get_column("composite")] == [66.0, 70.0, 57.0]
    assert view.get_column("composite_rank").to_list() == [2, 1, 3]
    assert view.get_column("rank_shift").to_list() == [1, -1, 0]
    assert view.get_column("reason").is_null().all()
    # The composite rank is the one ranking() gives the same standards.
    composite = ranking(_results(HAND), year="overall")
    assert composite.get_column("standard_code").to_list() == ["S2", "S1", "S3"]


def test_closeness_is_not_changed_by_the_scale_of_the_weights_and_input_is_untouched() -> None:
    results = _results(HAND)
    before = results.clone()
    doubled = topsis_ranking(results, weights={d: 2 * w for d, w in WEIGHTS.items()})
    once = topsis_ranking(results, weights=WEIGHTS)
    assert doubled.get_column("closeness").to_list() == pytest.approx(
        once.get_column("closeness").to_list(), abs=1e-12
    )
    assert results.equals(before)


def test_insufficient_left_out_by_default_and_ranked_when_asked() -> None:
    # S4 has insufficient evidence; excluded it does not move the ideal points.
    table = {**HAND, "S4": [1.0, 1.0, 1.0, 1.0]}
    results = _results(table, insufficient=frozenset({"S4"}))
    default = topsis_ranking(results, weights=WEIGHTS)
    assert default.get_column("standard_code").to_list() == ["S1", "S2", "S3"]
    assert [round(c, 3) for c in default.get_column("closeness")] == [0.643, 0.622, 0.282]

    included = topsis_ranking(results, weights=WEIGHTS, include_insufficient=True)
    assert included.get_column("standard_code").to_list() == ["S4", "S1", "S2", "S3"]
    assert included.row(0, named=True)["closeness"] == pytest.approx(1.0)
    assert included.get_column("insufficient").to_list() == [True, False, False, False]
    # The set changed, so the ideal points and every closeness changed with it.
    assert included.get_column("closeness").to_list()[1] != pytest.approx(0.643379, abs=1e-4)


def test_partial_standards_listed_after_with_a_reason() -> None:
    table = {**HAND, "P1": [0.9, None, 0.9, None], "P2": [0.2, 0.2, 0.2, None]}
    view = topsis_ranking(_results(table), weights=WEIGHTS)
    assert view.get_column("standard_code").to_list() == ["S1", "S2", "S3", "P1", "P2"]
    # Partial standards do not enter the matrix: the three complete ones keep their closeness.
    assert [round(c, 3) for c in view.get_column("closeness").head(3)] == [0.643, 0.622, 0.282]
    tail = view.tail(2)
    for column in ("closeness", "topsis_rank", "composite_rank", "rank_shift"):
        assert tail.get_column(column).is_null().all()
    # Their composite (renormalised over the dimensions present) is shown: P1 = 90, P2 = 20.
    assert [round(c, 6) for c in tail.get_column("composite")] == [90.0, 20.0]
    assert tail.get_column("reason").to_list() == [
        "partial: no value for dimension B, D / 不完整：缺少维度 B、D",
        "partial: no value for dimension D / 不完整：缺少维度 D",
    ]
    # composite_rank ranks only the standards TOPSIS ranks (P1's 90 would be first in ranking()).
    assert view.get_column("composite_rank").head(3).to_list() == [2, 1, 3]


def test_ranks_agree_when_one_standard_dominates() -> None:
    # Each standard is at least as good as the next on every dimension.
    table = {
        "T2": [0.6, 0.5, 0.7, 0.4],
        "T1": [0.9, 0.8, 0.9, 0.7],
        "T3": [0.3, 0.5, 0.2, 0.4],
        "T4": [0.1, 0.2, 0.1, 0.3],
    }
    weights = {"A": 0.1, "B": 0.2, "C": 0.3, "D": 0.4}
    view = topsis_ranking(_results(table, weights=weights), weights=weights)
    assert view.get_column("standard_code").to_list() == ["T1", "T2", "T3", "T4"]
    assert view.get_column("topsis_rank").to_list() == view.get_column("composite_rank").to_list()
    assert view.get_column("rank_shift").to_list() == [0, 0, 0, 0]
    assert view.row(0, named=True)["closeness"] > view.row(1, named=True)["closeness"]


def test_edge_cases_and_refusals() -> None:
    one = topsis_ranking(_results({"S1": [0.5, 0.5, 0.5, 0.5]}), weights=WEIGHTS)
    assert one.get_column("closeness").to_list() == [0.5]  # nothing to compare with
    none_complete = topsis_ranking(_results({"P": [0.5, None, None, None]}), weights=WEIGHTS)
    assert none_complete.get_column("topsis_rank").to_list() == [None]
    empty = topsis_ranking(_results(HAND).clear(), weights=WEIGHTS)
    assert empty.height == 0 and empty.schema == pl.Schema(TOPSIS_SCHEMA)

    results = _results(HAND)
    with pytest.raises(ValueError, match="no results for year '2024'"):
        topsis_ranking(results, weights=WEIGHTS, year="2024")
    with pytest.raises(ValueError, match="dimensions"):
        topsis_ranking(results, weights={"A": 0.5, "B": 0.5})
    with pytest.raises(ValueError, match="non-negative"):
        topsis_ranking(results, weights={"A": -0.1, "B": 0.5, "C": 0.3, "D": 0.3})
    with pytest.raises(ValueError, match="one run"):
        topsis_ranking(pl.concat([results, results]), weights=WEIGHTS)


def test_year_key_selects_the_matrix() -> None:
    both = pl.concat(
        [_results(HAND), _results({"S1": [0.1, 0.1, 0.1, 0.1], "S2": HAND["S2"]}, year="2024")]
    )
    view = topsis_ranking(both, weights=WEIGHTS, year="2024")
    assert view.get_column("standard_code").to_list() == ["S2", "S1"]
    assert view.get_column("closeness").to_list() == pytest.approx([1.0, 0.0])


# --- the command line on the tiny warehouse ----------------------------------------------


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    score_cmd.register(app)

    @app.command("noop")
    def noop() -> None:  # keeps typer from collapsing to a single command
        """Nothing."""

    return app


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_tiny_warehouse(tmp_path / "tiny.duckdb")


@pytest.fixture
def low_evidence_config(tmp_path: Path) -> Path:
    """The shipped config with the evidence threshold at 1 site or 1 response.

    With the default threshold every tiny standard is insufficient and nothing
    would be ranked.
    """
    text = (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    old = "[evidence]\nmin_sites = 5\nmin_responses = 30\n"
    assert old in text
    path = tmp_path / "low_evidence.toml"
    path.write_text(text.replace(old, "[evidence]\nmin_sites = 1\nmin_responses = 1\n"), "utf-8")
    return path


def _invoke(cli: typer.Typer, db: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["score", "--db", str(db), "--method", "equal", "--replicates", "0", "--by", "ci", *extra],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_topsis_view_json(cli: typer.Typer, db: Path, low_evidence_config: Path) -> None:
    out = json.loads(
        _invoke(
            cli,
            db,
            "--json",
            "--view",
            "topsis",
            "--config",
            str(low_evidence_config),
            "--no-shrinkage",  # the composites worked out by hand are the raw ones
        )
    )
    rows = {r["standard_code"]: r for r in out["topsis"]}
    # X and V have all four dimensions; Y (feedback only) and Z (survey only) are partial.
    assert [r["standard_code"] for r in out["topsis"]] == [V, X, Z, Y]
    # V is 1.0 on every dimension and X below it on each: V is both ideal points' best,
    # X the worst, so the closeness is exactly 1 and 0 and the ranks agree.
    assert rows[V]["closeness"] == pytest.approx(1.0) and rows[X]["closeness"] == pytest.approx(0.0)
    assert (rows[V]["topsis_rank"], rows[V]["composite_rank"]) == (1, 1)
    assert (rows[X]["topsis_rank"], rows[X]["composite_rank"]) == (2, 2)
    assert rows[Y]["closeness"] is None and "B, C" in rows[Y]["reason"]
    assert rows[Z]["closeness"] is None and "dimension C" in rows[Z]["reason"]
    assert rows[V]["composite"] == pytest.approx(100.0)

    # The same view from the stored run, through read_run and the run's weights.
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = read_run(con, out["run_id"])
        meta = read_run_meta(con, out["run_id"])
    finally:
        con.close()
    again = topsis_ranking(stored, weights=meta["weights"], year=meta["primary_year"])
    assert again.to_dicts() == out["topsis"]


def test_cli_topsis_view_table_and_default_view(
    cli: typer.Typer, db: Path, low_evidence_config: Path
) -> None:
    table = _invoke(cli, db, "--view", "topsis", "--config", str(low_evidence_config))
    assert "TOPSIS" in table and "closeness" in table and "1.000" in table
    assert "not ranked by TOPSIS (partial) 2" in table and "no value for dimension" in table

    default_json = json.loads(_invoke(cli, db, "--json"))
    assert "topsis" not in default_json
    default_table = _invoke(cli, db, "--config", str(low_evidence_config))
    assert "TOPSIS" not in default_table and "评价结果" in default_table


def test_cli_topsis_view_leaves_insufficient_out(cli: typer.Typer, db: Path) -> None:
    # Shipped thresholds: every tiny standard is insufficient, so nothing is ranked.
    out = json.loads(_invoke(cli, db, "--json", "--view", "topsis"))
    assert out["n_insufficient"] == 4 and out["topsis"] == []
