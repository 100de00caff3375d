"""Every received file leaves one ``upload`` audit row, written in the transaction of its ingest-log row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.warehouse import connect
from tests.etl.fixtures.warehouse import CODE_A, copy_of
from tests.etl.test_approval import feedback_csv, send


@pytest.fixture
def setup(built: Path, tmp_path: Path) -> dict:
    return {"db": copy_of(built, tmp_path / "w.duckdb"), "landing": tmp_path / "var" / "landing"}


def _uploads(db: Path) -> list[tuple[str, str, dict]]:
    con = connect(db)
    try:
        rows = con.execute(
            "select actor, target, detail from audit_log where action = 'upload' order by audit_id"
        ).fetchall()
    finally:
        con.close()
    return [(actor, target, json.loads(details)) for actor, target, details in rows]


def test_a_loaded_a_duplicate_and_a_refused_file_each_leave_one_upload_row(setup: dict) -> None:
    good = feedback_csv([("S001", CODE_A, "2024-Q1", 4), ("S002", CODE_A, "2024-Q1", 5)])
    _, loaded = send(setup, good, "good.csv", uploader="site-a")
    _, again = send(setup, good, "again.csv", uploader="site-b")
    _, refused = send(setup, b"\x00\x01 not a table", "junk.csv", uploader="site-c")
    assert (loaded.status, again.status, refused.status) == ("loaded", "duplicate", "refused")

    rows = _uploads(setup["db"])[-3:]  # the fixture's own loads come first
    assert [(actor, details["status"]) for actor, _, details in rows] == [
        ("site-a", "loaded"), ("site-b", "duplicate"), ("site-c", "refused"),
    ]  # fmt: skip
    actor, target, details = rows[0]
    assert target == loaded.sha256
    assert details["ingest_id"] == loaded.ingest_id
    assert (details["rows_read"], details["rows_accepted"]) == (2, 2)
    assert details["file_name"] == "good.csv" and details["source"] == "feedback"
    # Each row belongs to its ingest-log row: same ids, nothing else audited as an upload.
    con = connect(setup["db"])
    try:
        logged = [r[0] for r in con.execute("select ingest_id from ingest_log order by ingest_id")
                  .fetchall()][-3:]  # fmt: skip
    finally:
        con.close()
    assert [d["ingest_id"] for _, _, d in rows] == logged
