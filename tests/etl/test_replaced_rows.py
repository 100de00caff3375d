"""Replaced rows are kept typed (migration 013) and ``row_replacement`` still shows every version."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb

from etl.uploads import ingest_bytes
from etl.warehouse import migrate, schema_version
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A
from tests.etl.test_ingest import HEAD, feedback


def _send(con: duckdb.DuckDBPyConnection, name: str, rows: list[list[str]]) -> str:
    result = ingest_bytes(con, "feedback", nasty.csv_bytes([HEAD, *rows]), file_name=name)
    assert result.status == "loaded", result
    return result.sha256


def test_a_replaced_row_is_kept_with_its_types_and_shown_as_json_by_row_replacement(con) -> None:
    first = _send(con, "v1.csv", [feedback("S001", **{"实施成本（元）": "12.5"}), feedback("S002")])
    second = _send(con, "v2.csv", [feedback("S001", **{"实施成本（元）": "3"}), feedback("S003")])
    typed = con.execute(
        "select site_id, cost_cny, source_sha256, replaced_by_sha256 from replaced_feedback"
    ).fetchall()
    assert typed == [("S001", Decimal("12.50"), first, second)]
    ((key, old_sha, new_sha, old),) = con.execute(
        "select row_key, old_sha256, new_sha256, old_values from row_replacement"
    ).fetchall()
    assert (json.loads(key), old_sha, new_sha) == (["S001", CODE_A, "2024-Q2"], first, second)
    values = json.loads(old)
    assert values["site_id"] == "S001" and values["source_sha256"] == first
    assert "replaced_by_sha256" not in values and "replaced_at" not in values
    assert float(values["cost_cny"]) == 12.5


def test_every_version_of_a_key_is_shown_once_per_replacement_in_receipt_order(con) -> None:
    shas = [
        _send(con, f"v{i}.csv", [feedback("S001", **{"满意度": str(i)}), feedback("S002")])
        for i in range(1, 5)
    ]
    rows = con.execute(
        "select r.old_sha256, r.new_sha256, json_extract_string(r.old_values, '$.satisfaction')"
        " from row_replacement r join ingest_log l on l.sha256 = r.new_sha256"
        " where r.row_key like '%S001%' order by l.ingest_id"
    ).fetchall()
    assert rows == [(shas[i], shas[i + 1], str(i + 1)) for i in range(3)]
    assert con.execute("select count(*) from row_replacement").fetchone() == (6,)


def test_replacements_recorded_before_migration_013_are_still_shown(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        migrate(con, target=12)
        assert schema_version(con) < 13
        con.execute(
            "insert into row_replacement (source, row_key, old_sha256, new_sha256, old_values)"
            """ values ('survey', '["R1","2023"]', 'a', 'b', '{"response_id":"R1"}')"""
        )
        assert 13 in migrate(con)
        shown = con.execute(
            "select source, row_key, old_sha256, new_sha256, old_values from row_replacement"
        ).fetchall()
    finally:
        con.close()
    assert shown == [("survey", '["R1","2023"]', "a", "b", '{"response_id":"R1"}')]
