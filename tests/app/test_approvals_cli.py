"""``stdeval approvals``: list, approve, return, reopen and count-unapproved, as jobs of the writer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture
def db(demo_warehouse: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse, path)
    return path


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _listed(db: Path, *args: str) -> list[dict]:
    result = runner.invoke(cli, ["approvals", "list", "--json", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_list_prints_every_submission_as_json_and_filters_by_status(db: Path) -> None:
    every = _listed(db)
    counts = dict(_rows(db, "select status, count(*) from submission group by status"))
    assert len(every) == sum(counts.values())
    waiting = _listed(db, "--status", "submitted")
    assert len(waiting) == counts["submitted"] and {r["status"] for r in waiting} == {"submitted"}
    assert {"site_id", "period", "n_rows", "status", "reason", "program_id"} <= set(waiting[0])


def test_approve_return_and_reopen_from_the_command_line_are_audited(db: Path) -> None:
    first, second = _listed(db, "--status", "submitted")[:2]
    ok = runner.invoke(cli, ["approvals", "approve", first["site_id"], first["period"],
                             "--as", "evaluator", "--db", str(db)])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert f"approved {first['site_id']} {first['period']} (evaluator)" in ok.output
    twice = runner.invoke(cli, ["approvals", "approve", first["site_id"], first["period"],
                                "--db", str(db)])  # fmt: skip
    assert (
        twice.exit_code == 2
        and "cannot approve" in twice.output
        and "Traceback" not in twice.output
    )
    bare = runner.invoke(cli, ["approvals", "return", second["site_id"], second["period"],
                               "--db", str(db)])  # fmt: skip
    assert bare.exit_code == 2 and "a return needs a reason" in bare.output
    back = runner.invoke(cli, ["approvals", "return", second["site_id"], second["period"],
                               "--reason", "请补充", "--db", str(db)])  # fmt: skip
    assert back.exit_code == 0, back.output
    again = runner.invoke(cli, ["approvals", "reopen", first["site_id"], first["period"],
                                "--db", str(db)])  # fmt: skip
    assert again.exit_code == 0, again.output
    audit = _rows(db, "select actor, detail from audit_log where action = 'approval'"
                  " order by audit_id desc limit 3")  # fmt: skip
    assert [json.loads(d)["action"] for _, d in audit] == ["reopen", "return", "approve"]
    assert audit[2][0] == "evaluator" and audit[0][0].startswith("cli:")


def test_count_unapproved_is_shown_and_set_only_by_an_administrator(db: Path) -> None:
    shown = runner.invoke(cli, ["approvals", "count-unapproved", "--db", str(db)])
    assert shown.exit_code == 0 and "count_unapproved = off" in shown.output
    refused = runner.invoke(cli, ["approvals", "count-unapproved", "on", "--as", "evaluator",
                                  "--db", str(db)])  # fmt: skip
    assert refused.exit_code == 2 and "manage_settings" in refused.output
    assert _rows(db, "select value from app_setting") == [("false",)]
    done = runner.invoke(cli, ["approvals", "count-unapproved", "on", "--as", "admin",
                               "--db", str(db)])  # fmt: skip
    assert done.exit_code == 0 and "count_unapproved = on" in done.output
    assert _rows(db, "select value, changed_by from app_setting") == [("true", "admin")]


def test_an_approval_works_while_another_process_holds_the_warehouse(
    db: Path, tmp_path: Path
) -> None:
    from app.job_kinds import register_app_kinds
    from etl.receive import serve_queue
    from etl.warehouse import connect

    site, period = _rows(db, "select site_id, period from submission where status = 'submitted'"
                         " order by site_id limit 1")[0]  # fmt: skip
    holder = connect(db)  # this process plays the dashboard
    data = tmp_path / "data"
    register_app_kinds()
    worker = serve_queue(holder, warehouse=db, landing=(data / "landing").resolve())
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "approvals", "approve", site, period, "--db", str(db)],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "STDEVAL_DATA_DIR": str(data)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        status = holder.execute(
            "select status from submission where site_id = ? and period = ?", [site, period]
        ).fetchall()
    finally:
        worker.stop()
        holder.close()
    assert status == [("approved",)]
    assert "lock" not in (done.stdout + done.stderr).lower()
