"""The command line as a newcomer meets it: init, serve and score on real files."""

from __future__ import annotations

import json
import os
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


def test_score_while_a_bare_process_holds_the_warehouse_waits_then_runs_without_a_lock_error(
    tmp_path: Path,
) -> None:
    """A holder that is not a dashboard (no queue worker): score waits for it, never refuses."""
    path = tmp_path / "held.duckdb"
    assert runner.invoke(cli, ["init", "--db", str(path)]).exit_code == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True);"
            " time.sleep(3); c.close()",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = runner.invoke(cli, ["score", "--db", str(path), "--replicates", "0", "--json"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "lock" not in result.output.lower()
    assert "stop" not in result.output.lower() and "停止" not in result.output
    assert "the scoring run is queued" in result.output
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select count(*) from score_run").fetchone() == (1,)
    finally:
        con.close()


def test_every_command_refuses_a_file_that_is_not_a_warehouse_in_one_line(tmp_path: Path) -> None:
    csv = tmp_path / "feedback.csv"
    csv.write_text("site_id,period\nS001,2024-Q1\n", "utf-8")
    before = csv.read_bytes()
    for command in (["init"], ["demo", "--scale", "0.01"], ["serve"], ["score"]):
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", *command, "--db", str(csv)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1, (command, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr, command
        assert "is not a stdeval warehouse" in proc.stderr, (command, proc.stderr)
    assert csv.read_bytes() == before


def test_every_command_that_reads_a_warehouse_takes_db() -> None:
    from app.cli import COMMAND_MODULES

    without_warehouse = {"template"}  # writes an XLSX from the schema only
    groups = {
        "users": ["add", "list", "disable", "enable", "reset-password"],
        "approvals": ["list", "approve", "return", "reopen", "count-unapproved"],
    }
    names = [m.rsplit(".", 1)[1].removesuffix("_cmd") for m in COMMAND_MODULES]
    for name in names:
        for command in [[name, sub] for sub in groups[name]] if name in groups else [[name]]:
            help_text = runner.invoke(cli, [*command, "--help"]).output
            assert ("--db" in help_text) == (name not in without_warehouse), command


def test_a_zero_byte_warehouse_file_counts_as_missing(tmp_path: Path) -> None:
    empty = tmp_path / "touched.duckdb"
    empty.touch()
    for command in (["score"], ["serve"]):
        result = runner.invoke(cli, [*command, "--db", str(empty)])
        assert result.exit_code == 1 and "stdeval init" in result.output, command
    ingest = runner.invoke(cli, ["ingest", "feedback", str(empty), "--db", str(empty)])
    assert ingest.exit_code == 2 and "stdeval init" in ingest.output
    # init (and demo) create the warehouse in its place.
    assert runner.invoke(cli, ["init", "--db", str(empty)]).exit_code == 0
    con = duckdb.connect(str(empty), read_only=True)
    assert con.execute("select count(*) from priority_area").fetchall() == [(13,)]
    con.close()


def test_a_setting_with_an_unusable_value_stops_a_command_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    assert runner.invoke(cli, ["init", "--db", str(path)]).exit_code == 0
    env = {"STDEVAL_PORT": "web", "STDEVAL_DB": str(path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "STDEVAL_PORT" in lines[0] and "'web'" in lines[0]
    assert "Traceback" not in done.stderr


def test_each_command_module_registers_exactly_the_command_it_is_listed_under() -> None:
    from app.cli import COMMANDS, build_cli

    for name, module in COMMANDS.items():
        app = build_cli([module])
        registered = [c.name for c in app.registered_commands] + [
            g.name for g in app.registered_groups
        ]
        assert registered == [name], module


def test_a_command_imports_only_its_own_module_and_the_full_help_lists_every_command(
    tmp_path: Path,
) -> None:
    from app.cli import COMMANDS

    probe = (
        "import sys\n"
        "from app.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "import json\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if m.startswith('app.cli.') and m.endswith('_cmd'))), file=sys.stderr)\n"
        "print(json.dumps([m for m in ('pandas', 'pandera', 'streamlit') if m in sys.modules]),"
        " file=sys.stderr)\n"
    )

    def run(*args: str) -> tuple[str, list[str], list[str]]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True,
            cwd=tmp_path, env={**os.environ, "STDEVAL_DATA_DIR": str(tmp_path)},
        )  # fmt: skip
        commands, heavy = done.stderr.strip().splitlines()[-2:]
        return done.stdout, json.loads(commands), json.loads(heavy)

    out, modules, heavy = run("template", "--help")
    assert "template" in out and modules == ["app.cli.template_cmd"]
    assert heavy == []  # no validator (with pandas) and no dashboard to show a help text
    out, modules, _ = run("--help")
    assert sorted(modules) == sorted(COMMANDS.values())
    assert all(name in out for name in COMMANDS)
    out, modules, _ = run("users", "--help")
    assert modules == ["app.cli.users_cmd"] and "reset-password" in out
