"""Keys repeated within one upload: the last VALID row wins, a rejected row never displaces one."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from datasets.sources import get_source
from etl import load
from etl.uploads import ingest_bytes
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, typed

HEAD = nasty.FEEDBACK_HEADERS_ZH


def row(site: str = "S001", period: str = "2029-Q1", **cells: str) -> list[str]:
    values = dict.fromkeys(HEAD, "")
    values.update({"试点单位编号": site, "标准编号": CODE_A, "报告期": period, "适用性": "4"})
    values.update(cells)
    return [values[h] for h in HEAD]


def replacements(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select row_key, old_sha256, new_sha256, old_values from row_replacement"
    ).fetchall()


def test_a_rejected_later_row_does_not_displace_the_valid_row_with_its_key(con) -> None:
    data = nasty.csv_bytes([HEAD, row(), row(**{"适用性": "很好"})], encoding="gbk")
    dry = ingest_bytes(con, "feedback", data, file_name="f.csv", dry_run=True)
    assert (dry.rows_accepted, dry.rows_rejected, dry.rows_replaced) == (1, 1, 0)
    result = ingest_bytes(con, "feedback", data, file_name="f.csv")
    assert (result.status, result.rows_accepted, result.rows_rejected, result.rows_replaced) == (
        "loaded",
        1,
        1,
        0,
    )
    assert con.execute(
        "select site_id, period, applicability from feedback where period = '2029-Q1'"
    ).fetchall() == [("S001", "2029-Q1", 4)]
    assert replacements(con) == []
    assert [w["rule"] for w in result.warning_details] == []
    (error,) = result.errors
    assert (error["row"], error["rule"], error["value"]) == (3, "likert_range", "很好")
    # The user learns which row was loaded instead, and what to do.
    assert "第 2 行" in error["message_zh"] and "请改正此行后重新上传" in error["message_zh"]
    stored = con.execute(
        "select row_number, message_zh, message_en from rejected_row where sha256 = ?",
        [result.sha256],
    ).fetchall()
    assert [(r, "第 2 行" in zh, "row 2 of this file" in en) for r, zh, en in stored] == [
        (3, True, True)
    ]
    log = con.execute(
        "select rows_accepted, rows_rejected, rows_replaced from ingest_log where sha256 = ?",
        [result.sha256],
    ).fetchall()
    assert log == [(1, 1, 0)]


def test_a_rejected_earlier_row_is_not_counted_as_replaced(con) -> None:
    data = nasty.csv_bytes([HEAD, row(**{"适用性": "很好"}), row(**{"适用性": "5"})])
    result = ingest_bytes(con, "feedback", data, file_name="f.csv")
    assert (result.rows_accepted, result.rows_rejected, result.rows_replaced) == (1, 1, 0)
    assert replacements(con) == []
    (error,) = result.errors
    assert error["row"] == 2 and "the later row 3 of this file" in error["message_en"]
    assert con.execute(
        "select applicability from feedback where period = '2029-Q1'"
    ).fetchall() == [(5,)]


def test_valid_rows_around_a_rejected_one_keep_the_last_valid_and_record_one_replacement(
    con,
) -> None:
    data = nasty.csv_bytes(
        [HEAD, row(**{"满意度": "1"}), row(**{"满意度": "5"}), row(**{"适用性": "很好"})]
    )
    result = ingest_bytes(con, "feedback", data, file_name="f.csv")
    assert (result.rows_accepted, result.rows_rejected, result.rows_replaced) == (1, 1, 1)
    dup = [w for w in result.warning_details if w["rule"] == "duplicate_in_file"]
    assert [w["row"] for w in dup] == [2] and "3" in dup[0]["message_zh"]
    assert con.execute("select satisfaction from feedback where period = '2029-Q1'").fetchall() == [
        (5,)
    ]
    ((key, old_sha, new_sha, old),) = replacements(con)
    assert json.loads(key) == ["S001", CODE_A, "2029-Q1"] and old_sha == new_sha == result.sha256
    # A real replacement: the old values differ from what was loaded.
    assert json.loads(old)["satisfaction"] == 1


def test_a_superseded_row_whose_key_is_not_loaded_is_not_recorded_as_replaced(con) -> None:
    spec = get_source("feedback")
    loaded = typed("feedback", [{"site_id": "S001", "standard_code": CODE_A, "period": "2029-Q2"}])
    stray = typed("feedback", [{"site_id": "S002", "standard_code": CODE_A, "period": "2029-Q2"}])
    con.execute("begin transaction")
    outcome = load.upsert_rows(
        con, spec, loaded, sha256="x", loaded_at=datetime(2029, 4, 1), superseded=stray
    )
    con.execute("commit")
    assert (outcome.written, outcome.replaced) == (1, 0)
    assert replacements(con) == []
