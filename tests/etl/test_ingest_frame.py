"""ingest_frame: typed canonical frames (the demo generator's path) into the warehouse."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from datasets.sources import get_source
from etl.pipeline import IngestResult, ingest_frame
from etl.warehouse import connect, init_warehouse

CODE_A = "GB/T 22239-2019"
CODE_B = "GB/T 35273-2020"


def typed(source: str, rows: list[dict]) -> pl.DataFrame:
    schema = get_source(source).polars_schema()
    full = [{c: r.get(c) for c in schema} for r in rows]
    return pl.DataFrame(full, schema=schema, orient="row")


def feedback_row(site: str = "S1", code: str = CODE_A, period: str = "2024-Q2", **extra) -> dict:
    row = {
        "site_id": site,
        "standard_code": code,
        "period": period,
        "status": "completed",
        "coverage_pct": 85.0,
        "applicability": 4,
        "operability": 4,
        "clarity": 3,
        "benefit": 5,
        "satisfaction": 4,
    }
    row.update(extra)
    return row


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "w.duckdb"
    init_warehouse(path)
    con = connect(path)
    codes = {r[0] for r in con.execute("select code from standard").fetchall()}
    assert {CODE_A, CODE_B} <= codes
    programs = typed(
        "pilot_program",
        [
            {
                "program_id": "P1",
                "name": "等级保护试点",
                "start_date": date(2023, 1, 1),
                "end_date": date(2025, 12, 31),
                "standards": f"{CODE_A}; {CODE_B}",
            }
        ],
    )
    assert (
        ingest_frame(con, "pilot_program", programs, file_name="p.csv", sha256="p1").status
        == "loaded"
    )
    sites = typed(
        "pilot_site",
        [
            {
                "site_id": s,
                "program_id": "P1",
                "name": f"单位{s}",
                "region_code": "11",
                "org_type": "enterprise",
                "sector": "金融",
            }
            for s in ("S1", "S2", "S3")
        ],
    )
    result = ingest_frame(con, "pilot_site", sites, file_name="s.csv", sha256="s1")
    assert (result.status, result.rows_accepted) == ("loaded", 3), result.errors
    yield con
    con.close()


def test_ingest_frame_loads_rows_with_provenance_and_a_log_row(con) -> None:
    frame = typed("feedback", [feedback_row("S1"), feedback_row("S2")])
    result = ingest_frame(con, "feedback", frame, file_name="f.csv", sha256="f1")
    assert isinstance(result, IngestResult)
    assert (
        result.status,
        result.rows_read,
        result.rows_accepted,
        result.rows_rejected,
        result.rows_replaced,
    ) == ("loaded", 2, 2, 0, 0)
    rows = con.execute("select site_id, source_sha256 from feedback order by site_id").fetchall()
    assert rows == [("S1", "f1"), ("S2", "f1")]
    log = con.execute(
        "select source, file_name, status, rows_read, rows_accepted from ingest_log"
        " where sha256 = 'f1'"
    ).fetchall()
    assert log == [("feedback", "f.csv", "loaded", 2, 2)]
    json.dumps(result.to_json())


def test_pilot_program_links_follow_the_standards_cell(con) -> None:
    links = con.execute(
        "select standard_code from pilot_program_standard where program_id = 'P1' order by 1"
    ).fetchall()
    assert links == [(CODE_A,), (CODE_B,)]
    again = typed(
        "pilot_program", [{"program_id": "P1", "name": "等级保护试点", "standards": CODE_B}]
    )
    result = ingest_frame(con, "pilot_program", again, file_name="p2.csv", sha256="p2")
    assert result.rows_replaced == 1
    links = con.execute(
        "select standard_code from pilot_program_standard where program_id = 'P1'"
    ).fetchall()
    assert links == [(CODE_B,)]


def test_bad_rows_are_rejected_whole_and_recorded_in_both_languages(con) -> None:
    frame = typed(
        "feedback", [feedback_row("S1"), feedback_row("S9"), feedback_row("S2", applicability=9)]
    )
    result = ingest_frame(con, "feedback", frame, file_name="f.csv", sha256="f2")
    assert (result.rows_accepted, result.rows_rejected) == (1, 2)
    assert {(e["row"], e["column"]) for e in result.errors} == {
        (3, "site_id"),
        (4, "applicability"),
    }
    assert all(e["message_zh"] for e in result.errors)
    stored = con.execute(
        "select row_number, column_name, message_zh, message_en from rejected_row"
        " where sha256 = 'f2' order by row_number"
    ).fetchall()
    assert [r[:2] for r in stored] == [(3, "site_id"), (4, "applicability")]
    assert all(r[2] and r[3] for r in stored)
    assert con.execute("select count(*) from feedback").fetchone()[0] == 1


def test_same_key_again_replaces_and_records_the_old_values(con) -> None:
    ingest_frame(
        con,
        "feedback",
        typed("feedback", [feedback_row("S1", satisfaction=2)]),
        file_name="a.csv",
        sha256="a",
    )
    result = ingest_frame(
        con,
        "feedback",
        typed("feedback", [feedback_row("S1", satisfaction=5)]),
        file_name="b.csv",
        sha256="b",
    )
    assert (result.rows_accepted, result.rows_replaced) == (1, 1)
    assert con.execute("select satisfaction, source_sha256 from feedback").fetchall() == [(5, "b")]
    key, old_sha, new_sha, old = con.execute(
        "select row_key, old_sha256, new_sha256, old_values from row_replacement"
    ).fetchone()
    assert json.loads(key) == ["S1", CODE_A, "2024-Q2"]
    assert (old_sha, new_sha) == ("a", "b")
    assert json.loads(old)["satisfaction"] == 2


def test_duplicates_within_one_frame_keep_the_last_and_count_as_replaced(con) -> None:
    frame = typed(
        "feedback",
        [
            feedback_row("S1", satisfaction=1),
            feedback_row("S2"),
            feedback_row("S1", satisfaction=5),
        ],
    )
    result = ingest_frame(con, "feedback", frame, file_name="d.csv", sha256="d")
    assert (result.rows_read, result.rows_accepted, result.rows_replaced) == (3, 2, 1)
    assert result.warnings >= 1
    assert con.execute("select satisfaction from feedback where site_id = 'S1'").fetchall() == [
        (5,)
    ]
    assert (
        con.execute("select count(*) from row_replacement where new_sha256 = 'd'").fetchone()[0]
        == 1
    )


def test_same_sha_twice_is_a_duplicate_and_loads_nothing(con) -> None:
    frame = typed("feedback", [feedback_row("S1")])
    ingest_frame(con, "feedback", frame, file_name="f.csv", sha256="same")
    again = ingest_frame(con, "feedback", frame, file_name="f-copy.csv", sha256="same")
    assert again.status == "duplicate" and again.reason.zh
    assert (
        con.execute(
            "select count(*) from ingest_log where sha256 = 'same' and status = 'loaded'"
        ).fetchone()[0]
        == 1
    )


def test_strict_loads_nothing_when_a_row_fails(con) -> None:
    frame = typed("feedback", [feedback_row("S1"), feedback_row("S9")])
    result = ingest_frame(con, "feedback", frame, file_name="f.csv", sha256="st", strict=True)
    assert result.status == "refused" and result.reason.zh
    assert con.execute("select count(*) from feedback").fetchone()[0] == 0
    assert (
        con.execute("select status from ingest_log where sha256 = 'st'").fetchone()[0] == "refused"
    )


def test_dry_run_writes_nothing_but_reports_counts(con) -> None:
    ingest_frame(
        con, "feedback", typed("feedback", [feedback_row("S1")]), file_name="a", sha256="a"
    )
    frame = typed("feedback", [feedback_row("S1"), feedback_row("S2")])
    result = ingest_frame(con, "feedback", frame, file_name="b", sha256="b", dry_run=True)
    assert (result.status, result.rows_accepted, result.rows_replaced) == ("dry_run", 2, 1)
    assert con.execute("select count(*) from feedback").fetchone()[0] == 1
    assert con.execute("select count(*) from ingest_log where sha256 = 'b'").fetchone()[0] == 0


def test_catalogue_update_changes_only_given_fields_and_keeps_history(con) -> None:
    before = con.execute(
        "select title_zh, status from standard where code = ?", [CODE_A]
    ).fetchone()
    update = typed(
        "standard",
        [
            {"code": CODE_A, "status": "superseded"},
            {
                "code": "GB/T 99999-2030",
                "title_zh": "新标准",
                "status": "upcoming",
                "category": "GB/T",
            },
        ],
    )
    update = update.select("code", "title_zh", "status", "category")
    spec = get_source("standard")
    full = update.with_columns(
        [
            pl.lit(None, dtype=spec.polars_schema()[c]).alias(c)
            for c in spec.column_names()
            if c not in update.columns
        ]
    )
    result = ingest_frame(
        con, "standard", full.select(spec.column_names()), file_name="cat.csv", sha256="cat"
    )
    assert result.status == "loaded", result.errors
    after = con.execute("select title_zh, status from standard where code = ?", [CODE_A]).fetchone()
    assert after == (before[0], "superseded")
    assert con.execute(
        "select title_zh from standard where code = 'GB/T 99999-2030'"
    ).fetchone() == ("新标准",)
    history = con.execute(
        "select code, field, old_value, new_value from standard_history where code = ? ", [CODE_A]
    ).fetchall()
    assert history == [(CODE_A, "status", before[1], "superseded")]
