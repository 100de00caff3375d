"""Rejected rows belong to the ingest that wrote them, not just to the bytes (sha256)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.drain import process_inbox
from etl.inbox import submit
from etl.queries import query
from etl.uploads import ingest_bytes
from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A

HEAD = nasty.FEEDBACK_HEADERS_ZH


def row(site: str, likert: str = "4") -> list[str]:
    values = dict.fromkeys(HEAD, "")
    values.update({"试点单位编号": site, "标准编号": CODE_A, "报告期": "2024-Q2", "适用性": likert})
    return [values[h] for h in HEAD]


#: Row 2 is fine, row 3 has a bad Likert word. A pilot-site account limited to
#: S001 also gets site_not_allowed on row 3: the two attempts' errors differ.
DATA = nasty.csv_bytes([HEAD, row("S001"), row("S002", "很好")], encoding="gbk")


def send_strict_then_loose(con: duckdb.DuckDBPyConnection, **options):
    strict = ingest_bytes(
        con, "feedback", DATA, file_name="f.csv", strict=True, allowed_site_ids={"S001"}
    )
    loose = ingest_bytes(con, "feedback", DATA, file_name="f.csv", **options)
    assert (strict.status, loose.status) == ("refused", "loaded")
    assert strict.sha256 == loose.sha256 and strict.ingest_id != loose.ingest_id
    return strict, loose


def test_each_attempt_of_the_same_bytes_keeps_its_own_rejected_rows(con) -> None:
    strict, loose = send_strict_then_loose(con)
    stored = con.execute(
        "select ingest_id, row_number, rule from rejected_row where sha256 = ? order by all",
        [loose.sha256],
    ).fetchall()
    assert stored == sorted(
        [
            (strict.ingest_id, 3, "likert_range"),
            (strict.ingest_id, 3, "site_not_allowed"),
            (loose.ingest_id, 3, "likert_range"),
        ]
    )
    mine = con.execute(query("select_rejected_rows"), {"ingest_id": loose.ingest_id}).fetchall()
    assert [(r[0], r[3]) for r in mine] == [(3, "likert_range")]


def test_inbox_rebuilds_a_committed_entry_with_only_its_own_errors(con, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    entry = submit(DATA, source="feedback", file_name="f.csv", landing=landing, lang="en")
    # The load of this entry committed, then the process died before finishing
    # the entry; an earlier strict attempt of the same bytes left other errors.
    send_strict_then_loose(con, received_at=entry.received, receipt_seq=entry.seq)
    (result,) = process_inbox(con, landing=landing)
    assert (result.status, result.rows_accepted, result.rows_rejected) == ("loaded", 1, 1)
    assert [(e["row"], e["rule"]) for e in result.errors] == [(3, "likert_range")]
    assert con.execute("select count(*) from feedback where site_id = 'S001'").fetchone() == (1,)
