"""``stdeval score``: runs, stores and summarises a scoring run."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

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


def test_the_table_ranks_on_the_shrunk_estimate_unless_told_not_to(
    cli: typer.Typer, db: Path, tmp_path: Path
) -> None:
    text = (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    low = tmp_path / "low.toml"
    low.write_text(
        text.replace("min_sites = 5\nmin_responses = 30", "min_sites = 1\nmin_responses = 1")
    )
    base = ["score", "--db", str(db), "--replicates", "50", "--config", str(low)]
    shrunk = CliRunner().invoke(cli, base)
    assert shrunk.exit_code == 0, shrunk.output
    assert "shrunk estimate" in shrunk.stdout and "rank 95%" in shrunk.stdout
    assert "listed apart 未排名 (partial): 2" in shrunk.stdout  # Y and Z
    raw = CliRunner().invoke(cli, [*base, "--no-shrinkage"])
    assert raw.exit_code == 0, raw.output
    assert "raw estimate" in raw.stdout
    assert "listed apart 未排名 (few_sites): 1" in raw.stdout  # V: one site
    as_json = json.loads(CliRunner().invoke(cli, [*base, "--no-shrinkage", "--json"]).stdout)
    assert as_json["shrinkage"] is False and as_json["n_ranked"] == 1  # X alone


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


AHP_WITH_A_BOOLEAN = "[[true,1,1,1],[1,1,1,1],[1,1,1,1],[1,1,1,1]]"


@pytest.mark.parametrize(
    ("options", "english", "chinese"),
    [
        (["--method", "manual", "--weights", '{"A": null, "B": 0.3, "C": 0.2, "D": 0.1}'],
         "manual weights must be numbers, got A=null", "手工权重必须是数字"),
        (["--method", "manual", "--weights", '{"A": [1], "B": 0.3, "C": 0.2, "D": 0.1}'],
         "manual weights must be numbers, got A=[1]", "手工权重必须是数字"),
        (["--method", "manual", "--weights", '{"A": {}, "B": 0.3, "C": 0.2, "D": 0.1}'],
         "manual weights must be numbers, got A={}", "手工权重必须是数字"),
        # Python reads true as 1: A=1, B=C=D=0 would sum to 1 and pass unnoticed.
        (["--method", "manual", "--weights", '{"A": true, "B": 0, "C": 0, "D": 0}'],
         "manual weights must be numbers, got A=true", "手工权重必须是数字"),
        (["--method", "manual", "--weights", '{"A": "0.4", "B": 0.3, "C": 0.2, "D": 0.1}'],
         'manual weights must be numbers, got A="0.4"', "手工权重必须是数字"),
        (["--population-shares", '{"enterprise": null}'],
         "population shares must be numbers, got enterprise=null", "总体结构比例必须是数字"),
        (["--population-shares", '{"enterprise": true}'],
         "population shares must be numbers, got enterprise=true", "总体结构比例必须是数字"),
        (["--population-shares", "[1]"],
         "population shares must map org types to shares", "总体结构比例应为"),
        (["--weights", AHP_WITH_A_BOOLEAN],
         "must hold numbers only; row 1, column 1 (index [0][0]) is true", "不是数字"),
    ],
    ids=["weight-null", "weight-list", "weight-table", "weight-true", "weight-text",
         "share-null", "share-true", "shares-list", "ahp-true"],
)  # fmt: skip
def test_values_that_are_not_numbers_exit_2_with_a_bilingual_message(
    cli: typer.Typer, db: Path, options: list[str], english: str, chinese: str
) -> None:
    result = CliRunner().invoke(cli, ["score", "--db", str(db), "--replicates", "0", *options])
    assert isinstance(result.exception, SystemExit), result.exception  # no TypeError traceback
    assert result.exit_code == 2
    message = result.output.strip()
    assert english in message and chinese in message
    assert len(message.splitlines()) == 1  # both languages on one line
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from score_run").fetchall() == [(0,)]
    finally:
        con.close()


def _default_toml() -> str:
    return (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")


def _grades_as_a_list_of_numbers(text: str) -> str:
    start, end = text.index("[[grades]]"), text.index("[evidence]")
    text = text[:start] + text[end:]
    return text.replace('version = "2026.1"', 'version = "2026.1"\ngrades = [1]')


def _stages_as_a_list_of_numbers(text: str) -> str:
    # [lifecycle] is the last table before its stages: the key lands in it.
    return text[: text.index("[[lifecycle.stages]]")] + "stages = [1]\n"


def _indicators_as_a_nested_list(text: str) -> str:
    return text.replace('indicators = ["D1"]', 'indicators = [["D1"]]')


def _a_date_under_a_key_nobody_reads(text: str) -> str:
    return text.replace("[age]\n", "[age]\nreviewed = 2024-05-01\n")


@pytest.mark.parametrize(
    ("edit", "english"),
    [
        (_grades_as_a_list_of_numbers, "grades must be a list of tables ([[grades]] in TOML), got [1]"),
        (_stages_as_a_list_of_numbers, "lifecycle.stages must be a list of tables"),
        (_indicators_as_a_nested_list, 'dimensions.D.indicators must be a list of ids written as text'),
        (_a_date_under_a_key_nobody_reads, "cannot be stored with a run as JSON"),
    ],
    ids=["grades-numbers", "stages-numbers", "indicators-nested", "toml-date"],
)  # fmt: skip
def test_a_misshapen_config_file_exits_2_with_a_config_error(
    cli: typer.Typer, db: Path, tmp_path: Path, edit: Any, english: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(edit(_default_toml()), "utf-8")
    tomllib.loads(path.read_text("utf-8"))  # the edit is valid TOML: only its shape is wrong
    result = CliRunner().invoke(
        cli, ["score", "--db", str(db), "--replicates", "0", "--config", str(path)]
    )
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    assert english in result.output and "指标配置错误" in result.output


def test_parse_weights() -> None:
    assert score_cmd.parse_weights('{"A": 1}', "manual") == {"A": 1}
    with pytest.raises(ValueError, match="DIMENSION=WEIGHT"):
        score_cmd.parse_weights("A:0.5", "manual")
    with pytest.raises(ValueError, match="JSON matrix"):
        score_cmd.parse_weights("A=1", "ahp")
