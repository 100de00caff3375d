"""The command line as a newcomer meets it: init, serve and score on real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from app.cli import cli
from tests.etl.test_warehouse import CONTRACT

runner = CliRunner()
DATA_MODEL_TABLES = set(CONTRACT)  # every table DATA_MODEL.md names


def test_init_creates_a_queryable_warehouse_with_the_reference_data(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    result = runner.invoke(cli, ["init", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "standards 246" in result.output
    con = duckdb.connect(str(path), read_only=True)
    tables = {row[0] for row in con.execute("show tables").fetchall()}
    assert DATA_MODEL_TABLES <= tables
    assert con.execute("select count(*) from priority_area").fetchone() == (13,)
    assert con.execute("select count(*) from region").fetchone() == (34,)
    con.close()
    again = runner.invoke(cli, ["init", "--db", str(path)])
    assert again.exit_code == 0
    assert "(0 added)" in again.output and "migrations applied: none" in again.output


def test_the_db_setting_is_used_when_no_option_is_given(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("STDEVAL_DB", str(path))
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert path.exists()


def test_serve_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "absent.duckdb")])
    assert result.exit_code == 1
    assert "stdeval demo" in result.output and "未找到数据仓库" in result.output


def test_score_while_another_process_holds_the_warehouse_is_refused_clearly(
    tmp_path: Path,
) -> None:
    path = tmp_path / "held.duckdb"
    assert runner.invoke(cli, ["init", "--db", str(path)]).exit_code == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True);"
            " time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = runner.invoke(cli, ["score", "--db", str(path), "--replicates", "0"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "正由另一个进程" in result.output and "in use by another process" in result.output
    # The holder is gone: the same command now runs.
    assert runner.invoke(cli, ["score", "--db", str(path), "--replicates", "0"]).exit_code == 0
