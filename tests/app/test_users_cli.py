"""``stdeval users`` and the demo accounts of ``stdeval demo``, on real warehouse files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.auth.accounts import get_account
from app.cli import cli

runner = CliRunner()
PASSWORD = "a long enough password"


def _users(db: Path, *args: str, password: str | None = None):
    stdin = None if password is None else f"{password}\n"
    extra = ["--password-stdin"] if password is not None else []
    return runner.invoke(cli, ["users", *args, *extra, "--db", str(db)], input=stdin)


def _listed(db: Path) -> list[dict]:
    result = _users(db, "list", "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_the_first_admin_of_a_real_warehouse_is_made_on_the_command_line(real_db: Path) -> None:
    assert _listed(real_db) == []  # no default account
    result = _users(real_db, "add", "boss", "--role", "admin", password=PASSWORD)
    assert result.exit_code == 0, result.output
    assert "boss" in result.output
    result = _users(real_db, "add", "site-1", "--role", "pilot_site", "--site", "S1",
                    "--site", "S2", "--display-name", "试点一", password=PASSWORD)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(u["username"], u["role"], u["sites"]) for u in _listed(real_db)] == [
        ("boss", "admin", []),
        ("site-1", "pilot_site", ["S1", "S2"]),
    ]


def test_a_short_password_is_refused_in_one_bilingual_line(real_db: Path) -> None:
    result = _users(real_db, "add", "boss", "--role", "admin", password="short")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "密码至少需要 10 个字符" in lines[0] and "at least 10" in lines[0]
    assert "Traceback" not in result.output and _listed(real_db) == []


def test_bad_accounts_are_refused_before_a_password_is_asked(real_db: Path) -> None:
    for args, needle in (
        (["add", "x1", "--role", "boss"], "role 'boss' is not valid"),
        (["add", "x1", "--role", "pilot_site", "--site", "S7"], "S7 is not registered"),
        (["add", "x1", "--role", "pilot_site"], "needs at least one --site"),
        (["add", "No Spaces", "--role", "admin"], "is not valid"),
        (["disable", "ghost"], "no account named 'ghost'"),
        (["reset-password", "ghost"], "no account named 'ghost'"),
    ):
        result = _users(real_db, *args)  # no password on stdin: none is asked for
        assert result.exit_code == 1, (args, result.output)
        assert needle in result.output and " / " in result.output, args
        assert len(result.output.strip().splitlines()) == 1, (args, result.output)


def test_disable_and_reset_password_change_the_account_and_are_audited(real_db: Path) -> None:
    _users(real_db, "add", "lin", "--role", "evaluator", password=PASSWORD)
    assert _users(real_db, "disable", "lin").exit_code == 0
    assert _listed(real_db)[0]["active"] is False
    assert _users(real_db, "enable", "lin").exit_code == 0
    result = _users(real_db, "reset-password", "lin", password="another long password")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(real_db))
    try:
        actions = con.execute(
            "select action, target from audit_log where target = 'lin' order by audit_id"
        ).fetchall()
        assert get_account(con, "lin").active
        actors = {r[0] for r in con.execute("select actor from audit_log").fetchall()}
    finally:
        con.close()
    assert actions == [("user_created", "lin"), ("user_disabled", "lin"),
                       ("user_enabled", "lin"), ("password_reset", "lin")]  # fmt: skip
    assert all(a.startswith("cli:") for a in actors)


def test_the_plain_list_shows_one_account_per_line(real_db: Path) -> None:
    _users(real_db, "add", "lin", "--role", "evaluator", password=PASSWORD)
    result = _users(real_db, "list")
    assert result.output.split("\t")[:2] == ["lin", "evaluator"]


def test_demo_builds_accounts_with_the_demo_password(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    result = runner.invoke(
        cli, ["demo", "--scale", "0.005", "--db", str(db), "--demo-password", "letmein"]
    )
    assert result.exit_code == 0, result.output
    for name in ("ministry", "evaluator", "admin", "site-s00001"):
        assert name in result.output
    listed = _listed(db)
    roles = {u["role"] for u in listed}
    assert roles == {"ministry", "evaluator", "admin", "pilot_site"}
    pilots = [u for u in listed if u["role"] == "pilot_site"]
    assert len(pilots) >= 2 and any(len(u["sites"]) == 2 for u in pilots)
    from app.auth.accounts import sign_in
    from app.auth.cookies import session_lifetime

    con = duckdb.connect(str(db))
    try:
        assert sign_in(con, "ministry", "letmein", lifetime=session_lifetime()).user is not None
        assert sign_in(con, "ministry", "demo", lifetime=session_lifetime()).user is None
    finally:
        con.close()


def test_demo_accounts_are_only_for_demo_warehouses(real_db: Path, demo_warehouse: Path,
                                                    tmp_path: Path) -> None:  # fmt: skip
    from app.auth.accounts import AccountError
    from app.auth.demo_accounts import create_demo_accounts
    from etl.warehouse import connect

    con = connect(real_db)
    try:
        with pytest.raises(AccountError, match="only a demo warehouse"):
            create_demo_accounts(con, actor="t")
        assert _listed_con(con) == []
    finally:
        con.close()
    copy = tmp_path / "again.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    con = connect(copy)
    try:  # building them again resets them rather than failing
        again = create_demo_accounts(con, "demo", actor="t")
        assert {a.username for a in again} >= {"ministry", "evaluator", "admin"}
    finally:
        con.close()


def _listed_con(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select username from app_user").fetchall()]
