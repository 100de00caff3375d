"""``stdeval score``: runs, stores and summarises a scoring run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from app.cli import score_cmd
from metrics.runs import read_run_meta
from tests.metrics.tiny_warehouse import build_tiny_warehouse


@pytest.fixture
def cli() -> typer.Typer:
    # Only the score command: the test does not depend on the other command modules.
    app = typer.Typer()
    score_cmd.register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer from collapsing to a single command
        """Nothing."""

    return app


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_tiny_warehouse(tmp_path / "tiny.duckdb")


def test_json_output_is_one_object_with_the_run_summary(cli: typer.Typer, db: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "score",
            "--db",
            str(db),
            "--json",
            "--method",
            "equal",
            "--replicates",
            "50",
            "--by",
            "ci",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in (
        "run_id",
        "fingerprint",
        "method",
        "weights",
        "n_standards",
        "n_scored",
        "n_insufficient",
    ):
        assert key in out
    assert out["method"] == "equal" and out["weights"] == {
        "A": 0.25,
        "B": 0.25,
        "C": 0.25,
        "D": 0.25,
    }
    # 246 catalogue standards + 4 tiny ones in scope; the 4 tiny ones have evidence, all thin.
    assert (out["n_scored"], out["n_insufficient"]) == (4, 4)
    assert out["n_standards"] >= 4
    con = duckdb.connect(str(db), read_only=True)
    try:
        meta = read_run_meta(con, out["run_id"])
    finally:
        con.close()
    assert meta["fingerprint"] == out["fingerprint"] and meta["created_by"] == "ci"


def test_manual_weights_and_a_year(cli: typer.Typer, db: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["score", "--db", str(db), "--json", "--method", "manual", "--weights", "A=0.4,B=0.3,C=0.2,D=0.1",
         "--year", "2024", "--replicates", "0"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["weights"] == {"A": 0.4, "B": 0.3, "C": 0.2, "D": 0.1} and out["year"] == "2024"


def test_table_output_names_the_run(cli: typer.Typer, db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["score", "--db", str(db), "--replicates", "20", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "run-" in result.stdout and "CR" in result.stdout and "Cronbach" in result.stdout


def test_refusals_exit_non_zero_with_a_message(cli: typer.Typer, db: Path, tmp_path: Path) -> None:
    bad = CliRunner().invoke(
        cli, ["score", "--db", str(db), "--method", "manual", "--weights", "A=0.9,B=0.9,C=0,D=0"]
    )
    assert bad.exit_code == 2 and "sum to 1" in bad.output
    inconsistent = CliRunner().invoke(
        cli,
        ["score", "--db", str(db), "--weights", "[[1,9,0.1111111111111111,1],[0.1111111111111111,1,9,1],[9,0.1111111111111111,1,1],[1,1,1,1]]"],
    )  # fmt: skip
    assert inconsistent.exit_code == 2 and "CR" in inconsistent.output
    missing = CliRunner().invoke(cli, ["score", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_parse_weights() -> None:
    assert score_cmd.parse_weights('{"A": 1}', "manual") == {"A": 1}
    with pytest.raises(ValueError, match="DIMENSION=WEIGHT"):
        score_cmd.parse_weights("A:0.5", "manual")
    with pytest.raises(ValueError, match="JSON matrix"):
        score_cmd.parse_weights("A=1", "ahp")
