"""The warehouse: tables of DATA_MODEL.md, idempotent init, forward migrations."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import (
    connect,
    init_warehouse,
    latest_version,
    migrate,
    migrations,
    schema_version,
)

REFERENCE = Path(__file__).resolve().parents[2] / "datasets" / "reference"
# The shipped copy (checked byte-identical to the shared catalogue, where
# that exists, by tests/datasets/test_reference_data.py) is what init loads.
SHIPPED_CATALOGUE = REFERENCE / "standard.csv"

# Every table DATA_MODEL.md names, with the canonical columns it lists.
CONTRACT: dict[str, set[str]] = {
    "standard": {
        "code",
        "title_zh",
        "title_en",
        "category",
        "published",
        "effective",
        "status",
        "replaces",
        "priority_area",
    },
    "priority_area": {"id", "name_zh", "name_en"},
    "region": {"code", "name_zh", "name_en"},
    "org_type": {"id", "name_zh", "name_en"},
    "pilot_program": {
        "program_id",
        "name",
        "lead_department",
        "start_date",
        "end_date",
        "standards",
    },
    "pilot_site": {"site_id", "program_id", "name", "region_code", "org_type", "sector"},
    "feedback": {
        "site_id",
        "standard_code",
        "period",
        "status",
        "coverage_pct",
        "applicability",
        "operability",
        "clarity",
        "benefit",
        "satisfaction",
        "incidents_before",
        "incidents_after",
        "cost_cny",
        "problems",
        "suggestions",
    },
    "survey": {
        "response_id",
        "survey_year",
        "region_code",
        "org_type",
        "org_size",
        "standard_code",
        "aware",
        "adoption",
        "q_useful",
        "q_usable",
        "q_current",
        "q_consistent",
        "q_testable",
        "q_satisfied",
    },
    "funding": {
        "record_id",
        "fiscal_year",
        "source_type",
        "funder",
        "recipient",
        "purpose",
        "flow",
        "amount_cny",
        "date",
        "standard_code",
        "program_id",
        "region_code",
    },
    "award_nomination": {
        "nomination_id",
        "award_year",
        "category",
        "standard_code",
        "nominee_org",
        "status",
        "level",
        "prize_cny",
    },
    "award_review": {"nomination_id", "judge_id", "criterion", "score", "conflict_of_interest"},
    "lifecycle": {
        "project_id",
        "plan_no",
        "title",
        "approved",
        "draft",
        "consultation",
        "review",
        "approval",
        "published",
        "published_code",
    },
}
SOURCED = (
    "standard",
    "priority_area",
    "region",
    "org_type",
    "pilot_program",
    "pilot_site",
    "feedback",
    "survey",
    "funding",
    "award_nomination",
    "award_review",
    "lifecycle",
)
OPERATIONAL = (
    "ingest_log",
    "rejected_row",
    "audit_log",
    "score_run",
    "score_result",
    "score_reliability",
    "row_replacement",
    "standard_history",
    "pilot_program_standard",
    "demo_truth",
    "schema_version",
)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_name = ?",
        [table],
    ).fetchall()
    return dict(rows)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wh") / "x.duckdb"
    init_warehouse(path)
    return path


def test_init_creates_every_table_of_the_data_model(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    for table, columns in CONTRACT.items():
        assert columns <= set(_columns(con, table)), table
    for table in SOURCED:
        assert {"source_sha256", "loaded_at"} <= set(_columns(con, table)), table
    for table in OPERATIONAL:
        assert _columns(con, table), table


def test_columns_are_typed_as_the_data_model_says(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    feedback = _columns(con, "feedback")
    assert feedback["applicability"] == "TINYINT"
    assert feedback["cost_cny"] == "DECIMAL(18,2)"
    assert _columns(con, "funding")["date"] == "DATE"
    assert _columns(con, "survey")["aware"] == "BOOLEAN"
    assert _columns(con, "lifecycle")["approved"] == "DATE"


def test_init_loads_the_reference_data(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    with SHIPPED_CATALOGUE.open(encoding="utf-8") as handle:
        catalogue_rows = sum(1 for _ in csv.DictReader(handle))
    assert con.execute("select count(*) from priority_area").fetchone() == (13,)
    assert con.execute("select count(*) from region").fetchone() == (34,)
    assert con.execute("select count(*) from org_type").fetchone() == (6,)
    assert con.execute("select count(*) from standard").fetchone() == (catalogue_rows,)
    assert con.execute("select name_zh from region where code = '11'").fetchone() == ("北京市",)
    assert con.execute(
        "select count(*) from standard where source is null or source = ''"
    ).fetchone() == (0,)


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "twice.duckdb"
    first = init_warehouse(path)
    con = duckdb.connect(str(path))
    before = {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in ("priority_area", "region", "org_type", "schema_version")
    }
    standards_before = con.execute(
        "select * exclude (loaded_at) from standard order by code"
    ).fetchall()
    con.close()
    second = init_warehouse(path)
    con = duckdb.connect(str(path))
    after = {t: con.execute(f"select * from {t} order by all").fetchall() for t in before}
    assert after == before
    assert (
        con.execute("select * exclude (loaded_at) from standard order by code").fetchall()
        == standards_before
    )
    assert first.migrations_applied == tuple(m.version for m in migrations())
    assert second.migrations_applied == ()
    assert second.standards_added == 0


def test_init_keeps_catalogue_updates(tmp_path: Path) -> None:
    path = tmp_path / "kept.duckdb"
    init_warehouse(path)
    con = duckdb.connect(str(path))
    code = con.execute("select code from standard order by code limit 1").fetchone()[0]
    con.execute("update standard set status = 'withdrawn' where code = ?", [code])
    con.close()
    init_warehouse(path)
    con = duckdb.connect(str(path))
    assert con.execute("select status from standard where code = ?", [code]).fetchone() == (
        "withdrawn",
    )


def test_an_older_warehouse_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, target=1) == [1]
    assert schema_version(con) == 1
    con.execute(
        "insert into feedback (site_id, standard_code, period, applicability)"
        " values ('S1', 'GB/T 22239-2019', '2024-Q2', 4)"
    )
    assert not _columns(con, "score_run")
    con.close()

    con = connect(path)  # any read-write open brings the schema up to date
    assert schema_version(con) == latest_version()
    assert _columns(con, "score_run")
    assert con.execute("select site_id, applicability from feedback").fetchall() == [("S1", 4)]
    assert con.execute("select count(*) from schema_version").fetchone() == (len(migrations()),)


def test_a_failing_migration_leaves_the_earlier_version(tmp_path: Path, monkeypatch) -> None:
    from etl import warehouse

    real = warehouse.migrations()
    broken = [
        *real,
        warehouse.Migration(real[-1].version + 1, "broken", "create table t (x int); nonsense;"),
    ]
    monkeypatch.setattr(warehouse, "migrations", lambda: broken)
    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    with pytest.raises(duckdb.Error):
        migrate(con)
    assert schema_version(con) == real[-1].version
    assert not _columns(con, "t")


def _shipped_sha(table: str) -> str:
    return hashlib.sha256((REFERENCE / f"{table}.csv").read_bytes()).hexdigest()


def test_reference_rows_carry_the_sha256_of_their_shipped_csv_and_the_load_time(
    warehouse: Path,
) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    for table in ("priority_area", "region", "org_type"):
        got = con.execute(
            f"select source_sha256, count(*), count(loaded_at) from {table} group by all"
        ).fetchall()
        ((sha, rows, stamped),) = got
        assert (sha, stamped) == (_shipped_sha(table), rows), table


def test_init_brings_a_changed_reference_row_back_and_stamps_only_that_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "changed.duckdb"
    init_warehouse(path)
    con = duckdb.connect(str(path))
    before = dict(con.execute("select code, loaded_at from region").fetchall())
    con.execute("update region set name_en = 'Peking', source_sha256 = null where code = '11'")
    con.close()
    init_warehouse(path)
    con = duckdb.connect(str(path))
    after = dict(con.execute("select code, loaded_at from region").fetchall())
    assert con.execute(
        "select name_en, source_sha256 from region where code = '11'"
    ).fetchone() == ("Beijing", _shipped_sha("region"))
    assert after["11"] > before["11"]
    assert {k: v for k, v in after.items() if k != "11"} == {
        k: v for k, v in before.items() if k != "11"
    }


def test_a_version_4_warehouse_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, target=4) == [1, 2, 3, 4]
    # Bytes "a" were refused with --strict and then loaded: two attempts with
    # errors, whose stored rows can no longer be told apart. Bytes "b" had one.
    con.execute(
        "insert into ingest_log (sha256, source, status, rows_rejected) values"
        " ('a', 'feedback', 'refused', 1), ('a', 'feedback', 'loaded', 1),"
        " ('b', 'feedback', 'loaded', 2), ('b', 'feedback', 'duplicate', 0)"
    )
    con.execute(
        "insert into rejected_row (sha256, source, row_number, rule, message_zh, message_en)"
        " values ('a', 'feedback', 2, 'r', 'z', 'e'), ('a', 'feedback', 2, 'r', 'z', 'e'),"
        " ('b', 'feedback', 3, 'r', 'z', 'e'), ('b', 'feedback', 4, 'r', 'z', 'e')"
    )
    con.execute("insert into region (code, name_zh, name_en) values ('11', '北京', 'Old')")
    assert "ingest_id" not in _columns(con, "rejected_row")
    con.close()

    con = connect(path)  # any read-write open brings the schema up to date
    assert schema_version(con) == latest_version() >= 5
    b_ingest = con.execute(
        "select ingest_id from ingest_log where status = 'loaded' and sha256 = 'b'"
    )
    (b_id,) = b_ingest.fetchone()
    assert con.execute(
        "select sha256, row_number, ingest_id from rejected_row order by all"
    ).fetchall() == [("a", 2, None), ("a", 2, None), ("b", 3, b_id), ("b", 4, b_id)]
    for table in ("priority_area", "region", "org_type"):
        assert {"source_sha256", "loaded_at"} <= set(_columns(con, table)), table
    assert con.execute("select name_en, source_sha256 from region").fetchall() == [("Old", None)]
    con.close()

    init_warehouse(path)  # init fills the provenance and the shipped content
    con = duckdb.connect(str(path))
    assert con.execute(
        "select name_en, source_sha256 from region where code = '11'"
    ).fetchone() == (
        "Beijing",
        _shipped_sha("region"),
    )
    assert con.execute("select count(*) from region where loaded_at is null").fetchone() == (0,)
    con.close()


def test_a_migration_numbered_below_the_applied_ones_is_still_applied(tmp_path: Path) -> None:
    """Branches get migration numbers ahead of time and may be merged out of order."""
    versions = [m.version for m in migrations()]
    con = duckdb.connect(str(tmp_path / "out_of_order.duckdb"))
    migrate(con)
    skipped = versions[1]
    con.execute("delete from schema_version where version = ?", [skipped])
    redo = next(m for m in migrations() if m.version == skipped)
    # Migration 002 only creates tables "if not exists": applying it again is harmless.
    assert "create table if not exists" in redo.sql.lower()
    assert migrate(con) == [skipped]
    assert sorted(r[0] for r in con.execute("select version from schema_version").fetchall()) == (
        versions
    )
    con.close()
