"""The audit log: rows appended in the caller's transaction, read back filtered, never changed."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.audit import audit_choices, read_audit, record
from etl.warehouse import connect

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def con(tmp_path: Path):
    connection = connect(tmp_path / "audit.duckdb")
    yield connection
    connection.close()


def test_a_row_names_actor_action_target_and_details(con: duckdb.DuckDBPyConnection) -> None:
    at = datetime(2026, 5, 1, 8, 30)
    first = record(con, actor="lin", action="export", target="run-1",
                   details={"rows": 12, "filters": {"year": 2025}}, at=at)  # fmt: skip
    second = record(con, actor="lin", action="sign_out")
    assert second > first
    rows = read_audit(con)
    assert rows.get_column("audit_id").to_list() == [second, first]
    oldest = rows.row(1, named=True)
    assert (oldest["event_at"], oldest["actor"], oldest["action"], oldest["target"]) == (
        at, "lin", "export", "run-1",
    )  # fmt: skip
    assert oldest["detail"] == '{"filters": {"year": 2025}, "rows": 12}'


def test_a_row_is_kept_or_lost_with_its_transaction(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("begin transaction")
    record(con, actor="lin", action="upload", target="sha")
    con.execute("rollback")
    assert read_audit(con).is_empty()
    con.execute("begin transaction")
    record(con, actor="lin", action="upload", target="sha")
    con.execute("commit")
    assert read_audit(con).height == 1


def test_filters_by_actor_action_and_time(con: duckdb.DuckDBPyConnection) -> None:
    record(con, actor="a", action="sign_in", at=datetime(2026, 1, 1))
    record(con, actor="b", action="sign_in", at=datetime(2026, 1, 2))
    record(con, actor="b", action="export", at=datetime(2026, 1, 3))
    assert read_audit(con, actors=["b"]).height == 2
    assert read_audit(con, actions=["export"]).get_column("actor").to_list() == ["b"]
    window = read_audit(con, since=datetime(2026, 1, 2), until=datetime(2026, 1, 3))
    assert window.get_column("actor").to_list() == ["b"] and window.height == 1
    assert read_audit(con, actors=[]).is_empty()
    assert audit_choices(con) == (["a", "b"], ["export", "sign_in"])


def test_unknown_actions_and_anonymous_actors_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record(con, actor="lin", action="became_admin")
    with pytest.raises(ValueError, match="must name its actor"):
        record(con, actor=" ", action="sign_in")


def test_nothing_in_the_code_updates_or_deletes_audit_rows() -> None:
    changes = re.compile(
        r"(update\s+audit_log|delete\s+from\s+audit_log|truncate\s+audit_log)", re.I
    )
    found = [
        str(path.relative_to(ROOT))
        for package in ("app", "etl", "metrics", "datasets")
        for path in (ROOT / package).rglob("*")
        if path.suffix in {".py", ".sql"} and changes.search(path.read_text("utf-8"))
    ]
    assert found == []
    assert changes.search("DELETE FROM audit_log where 1")  # the pattern can find one
