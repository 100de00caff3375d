"""Every command that writes or reads the warehouse works while another process holds it (issue 9, point 3).

A holder subprocess plays the dashboard: it opens the warehouse read-write
and runs the queue's worker (``serve_queue``), as ``stdeval serve`` does.
The commands run here, in the test process, and must get their work done
by that holder through the queue: never a lock error, never "stop the
dashboard". Each test then stops the holder and checks the effect in the
warehouse itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from pathlib import Path
from app.job_kinds import register_app_kinds
from etl.receive import serve_queue
from etl.warehouse import connect
db, landing = Path(sys.argv[1]), Path(sys.argv[2])
register_app_kinds()
con = connect(db)
worker = serve_queue(con, warehouse=db, landing=landing)
print("holding", flush=True)
sys.stdin.read()
worker.stop()
con.close()
"""


@dataclass
class Held:
    """A warehouse held by another process, and how to run a command against it."""

    db: Path
    data_dir: Path
    process: subprocess.Popen[str]

    def run(self, *args: str, stdin: str | None = None):  # noqa: ANN201 - click's Result
        """Run ``stdeval ARGS --db DB`` in this process, with the holder's data folder."""
        return runner.invoke(
            cli,
            [*args, "--db", str(self.db)],
            input=stdin,
            env={"STDEVAL_DATA_DIR": str(self.data_dir)},
        )

    def release(self) -> duckdb.DuckDBPyConnection:
        """Stop the holder and open the warehouse read-only to check what the commands did."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)
        return duckdb.connect(str(self.db), read_only=True)


def hold(db: Path, data_dir: Path) -> Held:
    """Start a process that holds ``db`` read-write and applies its queue, as the dashboard does."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str((data_dir / "landing").resolve())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "STDEVAL_DATA_DIR": str(data_dir)},
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    return Held(db, data_dir, process)


@pytest.fixture
def held(scored_demo_warehouse: Path, tmp_path: Path) -> Iterator[Held]:
    db = tmp_path / "held.duckdb"
    shutil.copyfile(scored_demo_warehouse, db)
    held = hold(db, tmp_path / "data")
    try:
        yield held
    finally:
        held.release().close()


def _clean(output: str) -> None:
    """What a user must never read: a traceback, a lock error, a request to stop the dashboard."""
    assert "Traceback" not in output
    assert "lock" not in output.lower()
    assert "stop" not in output.lower() and "停止" not in output and "关闭" not in output


def test_users_add_and_list_run_through_the_holders_queue(held: Held) -> None:
    added = held.run(
        "users", "add", "newcomer", "--role", "evaluator", "--password-stdin",
        stdin="a long enough password\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    _clean(added.output)
    assert "created account newcomer (evaluator)" in added.output
    listed = held.run("users", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert '"username": "newcomer"' in listed.output and '"role": "evaluator"' in listed.output
    con = held.release()
    try:
        row = con.execute(
            "select role, password_hash from app_user where username = 'newcomer'"
        ).fetchone()
        audited = con.execute(
            "select count(*) from audit_log where action = 'user_created' and target = 'newcomer'"
        ).fetchone()
    finally:
        con.close()
    assert row is not None and row[0] == "evaluator"
    assert row[1].startswith("$argon2id$")  # only the hash was queued and stored
    assert audited == (1,)


def test_the_queue_never_holds_the_password_in_clear(held: Held) -> None:
    secret = "correct horse battery staple"
    added = held.run(
        "users", "add", "quiet", "--role", "ministry", "--password-stdin", stdin=f"{secret}\n"
    )
    assert added.exit_code == 0, added.output
    held.release().close()
    for path in held.data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_users_add_refusals_come_back_in_one_bilingual_line(held: Held) -> None:
    taken = held.run("users", "add", "evaluator", "--role", "evaluator", "--password-stdin")
    assert taken.exit_code == 1
    assert "账户 'evaluator' 已存在" in taken.output and "already exists" in taken.output
    short = held.run(
        "users", "add", "shorty", "--role", "ministry", "--password-stdin", stdin="x\n"
    )
    # The demo warehouse takes any non-empty password: an empty one is refused.
    assert short.exit_code == 0, short.output
    empty = held.run("users", "add", "empty", "--role", "ministry", "--password-stdin", stdin="\n")
    assert empty.exit_code == 1 and "密码至少需要 1 个字符" in empty.output
    unknown = held.run("users", "disable", "nobody")
    assert unknown.exit_code == 1 and "no account named 'nobody'" in unknown.output
    for result in (taken, empty, unknown):
        _clean(result.output)
        # Beside the note that the change waits for the holder: the refusal, in one line.
        lines = [x for x in result.output.strip().splitlines() if "waiting for its result" not in x]
        assert len(lines) == 1 and " / " in lines[0], result.output


def test_users_disable_enable_and_reset_password_change_the_held_warehouse(held: Held) -> None:
    from app.auth.passwords import verify_password

    disabled = held.run("users", "disable", "ministry")
    assert disabled.exit_code == 0, disabled.output
    assert "disabled: ministry" in disabled.output
    enabled = held.run("users", "disable", "evaluator")
    assert enabled.exit_code == 0, enabled.output
    enabled = held.run("users", "enable", "evaluator")
    assert enabled.exit_code == 0 and "enabled: evaluator" in enabled.output
    reset = held.run(
        "users", "reset-password", "admin", "--password-stdin", stdin="brand new one\n"
    )
    assert reset.exit_code == 0 and "password reset: admin" in reset.output
    for result in (disabled, enabled, reset):
        _clean(result.output)
    con = held.release()
    try:
        active = dict(
            con.execute(
                "select username, active from app_user where username in ('ministry', 'evaluator')"
            ).fetchall()
        )
        stored = con.execute(
            "select password_hash from app_user where username = 'admin'"
        ).fetchone()
    finally:
        con.close()
    assert active == {"ministry": False, "evaluator": True}
    assert stored is not None
    assert verify_password(stored[0], "brand new one") and not verify_password(stored[0], "demo")


def test_init_on_a_held_warehouse_restores_its_reference_data_through_the_queue(
    scored_demo_warehouse: Path, tmp_path: Path
) -> None:
    db = tmp_path / "held.duckdb"
    shutil.copyfile(scored_demo_warehouse, db)
    con = duckdb.connect(str(db))
    con.execute("delete from org_type where id = (select min(id) from org_type)")
    con.close()
    held = hold(db, tmp_path / "data")
    try:
        result = held.run("init")
    finally:
        con = held.release()
    try:
        org_types = con.execute("select count(*) from org_type").fetchone()
    finally:
        con.close()
    assert result.exit_code == 0, result.output
    _clean(result.output)
    assert "org types 6" in result.output and "migrations applied: none" in result.output
    assert org_types == (6,)


def test_demo_onto_a_held_warehouse_is_refused_in_one_line_and_changes_nothing(
    held: Held,
) -> None:
    result = held.run("demo", "--scale", "0.01")
    assert result.exit_code == 1
    _clean(result.output)
    assert "is held by another process" in result.output and "--db" in result.output
    assert "正由另一个进程" in result.output
    con = held.release()
    try:
        runs = con.execute("select count(*) from score_run").fetchone()
    finally:
        con.close()
    assert runs == (1,)  # the scored demo is still the one it was


@pytest.mark.browser
def test_report_of_a_held_warehouse_is_read_by_the_holder_and_printed_here(
    held: Held, tmp_path: Path
) -> None:
    scored = held.run("score", "--replicates", "0", "--json")  # a run stored by the holder
    assert scored.exit_code == 0, scored.output
    run_id = json.loads(scored.stdout.strip().splitlines()[-1])["run_id"]
    out = tmp_path / "report.pdf"
    result = held.run("report", "--run", run_id, "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    _clean(result.output)
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    assert run_id in text
    missing = held.run("report", "--run", "run-none", "-o", str(tmp_path / "x.pdf"))
    assert missing.exit_code == 2 and "run-none" in missing.output
    assert not (tmp_path / "x.pdf").exists()
