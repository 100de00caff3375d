"""``stdeval ingest``: the JSON lines and exit statuses of the issue's contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A

HEAD = nasty.FEEDBACK_HEADERS_ZH
CONTRACT_KEYS = {
    "source",
    "file",
    "sha256",
    "status",
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "rows_replaced",
    "warnings",
    "errors",
}
ROOT = Path(__file__).resolve().parents[2]


def good_row(site: str) -> list[str]:
    return [site, CODE_A, "2024-Q2", "已完成", "85%", "5", "4", "3", "4", "5", "", "", "", "", ""]


def run(*args: str):
    return CliRunner().invoke(cli, ["ingest", *args])


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def test_json_lines_follow_the_contract_and_rejected_rows_still_exit_0(env) -> None:
    good = write(
        env["dir"],
        "反馈.csv",
        nasty.csv_bytes([HEAD, good_row("S001"), good_row("S404")], encoding="gbk"),
    )
    result = run("feedback", good, "--json", "--lang", "en")
    assert result.exit_code == 0, result.output
    (line,) = lines(result.stdout)
    assert set(line) >= CONTRACT_KEYS
    assert (line["status"], line["rows_read"], line["rows_accepted"], line["rows_rejected"]) == (
        "loaded",
        2,
        1,
        1,
    )
    (error,) = line["errors"]
    assert set(error) == {"row", "column", "value", "rule", "message"}
    assert (error["row"], error["column"], error["value"]) == (3, "试点单位编号", "S404")
    assert "registered" in error["message"]
    again = run("feedback", good, "--json")
    assert again.exit_code == 0 and lines(again.stdout)[0]["status"] == "duplicate"


def test_dry_run_reports_without_loading(env) -> None:
    path = write(env["dir"], "f.csv", nasty.csv_bytes([HEAD, good_row("S001")]))
    result = run("feedback", path, "--json", "--dry-run")
    assert result.exit_code == 0 and lines(result.stdout)[0]["status"] == "dry_run"
    result = run("feedback", path, "--json")
    assert lines(result.stdout)[0]["status"] == "loaded"


def test_strict_exits_1_when_a_row_fails(env) -> None:
    path = write(env["dir"], "f.csv", nasty.csv_bytes([HEAD, good_row("S001"), good_row("S404")]))
    result = run("feedback", path, "--json", "--strict")
    assert result.exit_code == 1
    assert lines(result.stdout)[0]["status"] == "refused"


GARBAGE = {
    "empty.csv": b"",
    "header-only.csv": nasty.csv_bytes([HEAD]),
    "picture.csv": nasty.png_bytes(),
    "truncated.xlsx": nasty.truncated(nasty.xlsx_bytes([HEAD, good_row("S001")] * 40)),
    "random.csv": nasty.random_bytes(),
    "one-line.csv": nasty.huge_single_line(1_000_000),
    "no-code.csv": nasty.csv_bytes(
        [
            [h for h in HEAD if h != "标准编号"],
            [c for h, c in zip(HEAD, good_row("S001"), strict=True) if h != "标准编号"],
        ]
    ),
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_garbage_is_refused_with_one_line_and_exit_1(env, name: str) -> None:
    path = write(env["dir"], name, GARBAGE[name])
    result = run("feedback", path, "--json")
    assert result.exit_code == 1
    (line,) = lines(result.stdout)
    assert line["status"] == "refused" and line["reason"] and "\n" not in line["reason"]
    assert line["rows_accepted"] == 0
    # Refused or not, the bytes received are kept, named by their sha256.
    from etl.landing import landed_path

    kept = landed_path(line["sha256"], name, landing=env["dir"] / "var" / "landing")
    assert kept.read_bytes() == GARBAGE[name]
    human = run("feedback", path)
    assert human.exit_code == 1 and "Traceback" not in human.output
    assert line["reason"] in human.stdout


def test_a_refused_file_among_good_ones_makes_exit_1_but_the_good_ones_load(env) -> None:
    good = write(env["dir"], "good.csv", nasty.csv_bytes([HEAD, good_row("S002")]))
    bad = write(env["dir"], "bad.csv", b"")
    result = run("feedback", good, bad, str(env["dir"] / "missing.csv"), "--json")
    assert result.exit_code == 1
    statuses = [line["status"] for line in lines(result.stdout)]
    assert statuses == ["loaded", "refused", "refused"]


def test_usage_errors_exit_2(env) -> None:
    path = write(env["dir"], "f.csv", nasty.csv_bytes([HEAD, good_row("S001")]))
    assert run("nosuch", path).exit_code == 2
    assert run("feedback").exit_code == 2
    assert run("feedback", path, "--header-row", "0").exit_code == 2
    assert run("feedback", path, "--lang", "fr").exit_code == 2


def test_sheet_and_header_row_options(env) -> None:
    data = nasty.xlsx_bytes(
        [["备注：请如实填写"], HEAD, good_row("S003")], sheet="数据", extra_sheets=["说明"]
    )
    path = write(env["dir"], "book.xlsx", data)
    wrong = run("feedback", path, "--json", "--sheet", "没有这个")
    assert wrong.exit_code == 1 and "说明" in lines(wrong.stdout)[0]["reason"]
    result = run("feedback", path, "--json", "--sheet", "数据", "--header-row", "2")
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[0]["rows_accepted"] == 1


def test_no_traceback_even_from_a_real_process(env) -> None:
    path = write(env["dir"], "x.csv", nasty.random_bytes(20000))
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", "feedback", path, "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "not a CSV or Excel file" in proc.stdout


def test_missing_warehouse_is_a_clear_usage_error(env, tmp_path: Path) -> None:
    path = write(env["dir"], "f.csv", nasty.csv_bytes([HEAD, good_row("S001")]))
    result = run("feedback", path, "--db", str(tmp_path / "nowhere.duckdb"))
    assert result.exit_code == 2 and "stdeval init" in result.output


@pytest.mark.parametrize("kind", ["csv", "random", "other_duckdb", "folder"])
def test_a_db_that_is_not_a_warehouse_is_refused_before_anything_is_queued(
    env, tmp_path: Path, kind: str
) -> None:
    import duckdb

    target = tmp_path / f"not-a-warehouse-{kind}"
    if kind == "csv":  # DuckDB would open it as a view and keep every write in memory
        target = target.with_suffix(".csv")
        target.write_bytes(nasty.csv_bytes([HEAD, good_row("S001")]))
    elif kind == "random":
        target.write_bytes(nasty.random_bytes(4096))
    elif kind == "other_duckdb":
        target = target.with_suffix(".duckdb")
        other = duckdb.connect(str(target))
        other.execute("create table invoices(id int)")
        other.close()
    else:
        target.mkdir()
    path = write(env["dir"], "f.csv", nasty.csv_bytes([HEAD, good_row("S001")]))
    result = run("feedback", path, "--db", str(target), "--lang", "en", "--json")
    assert result.exit_code == 2, result.output
    expected = "is a directory" if kind == "folder" else "is not a stdeval warehouse"
    assert expected in result.output and '"status"' not in result.output
    inbox = env["dir"] / "var" / "landing" / "inbox"
    assert not inbox.exists() or not any(inbox.iterdir())
