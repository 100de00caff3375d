"""The bulk tables keep one row per key without a primary-key index (migration 016).

feedback and survey lost their primary-key index for speed; the loader's
set operations (copy the stored rows of the file's keys, delete them,
insert every incoming row) must keep every key unique, whatever mix of new,
stored and repeated keys a file brings.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from datasets.sources import get_source
from etl import load
from etl.uploads import ingest_bytes
from etl.warehouse import migrate, schema_version
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, typed
from tests.etl.test_ingest import HEAD, feedback

KEY = "site_id, standard_code, period"


def _repeated_keys(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        f"select {KEY}, count(*) from feedback group by all having count(*) > 1"
    ).fetchall()


def _send(con: duckdb.DuckDBPyConnection, name: str, rows: list[list[str]]):  # noqa: ANN202
    result = ingest_bytes(con, "feedback", nasty.csv_bytes([HEAD, *rows]), file_name=name)
    assert result.status == "loaded", result
    return result


def test_the_bulk_tables_have_no_primary_key_but_keep_their_not_null_key_columns(con) -> None:
    constraints = con.execute(
        "select table_name, constraint_type from information_schema.table_constraints"
        " where table_name in ('feedback', 'survey', 'funding')"
        " and constraint_type in ('PRIMARY KEY', 'UNIQUE')"
    ).fetchall()
    assert constraints == [("funding", "PRIMARY KEY")]  # small tables keep theirs
    nullable = dict(
        con.execute(
            "select column_name, is_nullable from information_schema.columns"
            " where table_name = 'feedback'"
        ).fetchall()
    )
    assert [nullable[c] for c in ("site_id", "standard_code", "period", "loaded_at")] == ["NO"] * 4
    assert nullable["status"] == "YES"


def test_new_stored_and_repeated_keys_leave_one_row_per_key_with_the_last_values(con) -> None:
    before = con.execute("select count(*) from feedback").fetchone()[0]
    _send(con, "v1.csv", [feedback("S001"), feedback("S002"), feedback("S003", period="2024-Q3")])
    # Stored keys (S001, S002), a new key (S004), and S001 twice within the file.
    second = _send(
        con,
        "v2.csv",
        [
            feedback("S001", **{"满意度": "2"}),
            feedback("S002", **{"满意度": "3"}),
            feedback("S004"),
            feedback("S001", **{"满意度": "5"}),
        ],
    )
    assert (second.rows_accepted, second.rows_replaced) == (3, 3)  # 2 stored + 1 within the file
    assert _repeated_keys(con) == []
    assert con.execute("select count(*) from feedback").fetchone()[0] == before + 4
    got = con.execute(
        "select site_id, period, satisfaction from feedback"
        " where site_id in ('S001', 'S002', 'S003', 'S004') and standard_code = ?"
        " and period in ('2024-Q2', '2024-Q3') order by site_id",
        [CODE_A],
    ).fetchall()
    assert got == [
        ("S001", "2024-Q2", 5),
        ("S002", "2024-Q2", 3),
        ("S003", "2024-Q3", 4),
        ("S004", "2024-Q2", 4),
    ]
    # Sending the same rows again (other bytes) replaces them; still one row per key.
    _send(con, "v3.csv", [feedback("S001", **{"满意度": "1"}), feedback("S004")])
    assert _repeated_keys(con) == []
    assert con.execute("select count(*) from replaced_feedback").fetchone()[0] == 4


def test_rows_repeating_a_key_are_refused_before_anything_is_written(con) -> None:
    spec = get_source("feedback")
    rows = [{"site_id": "S001", "standard_code": CODE_A, "period": "2029-Q4"}] * 2
    before = con.execute("select count(*) from feedback").fetchone()[0]
    con.execute("begin transaction")
    with pytest.raises(ValueError, match="repeat a key"):
        load.upsert_rows(
            con, spec, typed("feedback", rows), sha256="x", loaded_at=datetime(2029, 12, 1)
        )
    con.execute("rollback")
    assert con.execute("select count(*) from feedback").fetchone()[0] == before


def test_migration_016_keeps_every_stored_row_and_its_columns(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        migrate(con, target=15)
        assert schema_version(con) == 15
        con.execute(
            "insert into feedback (site_id, standard_code, period, satisfaction, cost_cny,"
            " problems, source_sha256) values ('S1', 'GB/T 1-2020', '2024-Q1', 4, 12.5, '难', 'a')"
        )
        con.execute(
            "insert into survey (response_id, survey_year, standard_code, aware, q_useful)"
            " values ('R1', 2024, 'GB/T 1-2020', true, 5)"
        )
        columns_before = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_name in ('feedback', 'survey') order by table_name, ordinal_position"
        ).fetchall()
        assert 16 in migrate(con)
        feedback_rows = con.execute(
            "select site_id, satisfaction, cost_cny, problems, source_sha256,"
            " loaded_at is not null from feedback"
        ).fetchall()
        survey_rows = con.execute(
            "select response_id, survey_year, aware, q_useful from survey"
        ).fetchall()
        columns_after = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_name in ('feedback', 'survey') order by table_name, ordinal_position"
        ).fetchall()
        con.execute("update app_setting set value = 'true' where name = 'count_unapproved'")
        counted = con.execute("select count(*) from counted_feedback").fetchone()
    finally:
        con.close()
    assert [(r[0], r[1], float(r[2]), *r[3:]) for r in feedback_rows] == [
        ("S1", 4, 12.5, "难", "a", True)
    ]
    assert survey_rows == [("R1", 2024, True, 5)]
    assert columns_after == columns_before
    assert counted == (1,)  # the view over feedback reads the new table
