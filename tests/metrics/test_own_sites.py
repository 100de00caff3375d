"""A pilot site's own data: its feedback beside anonymous benchmarks, worked out by hand; its history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from datasets.access import Access
from etl.stored_settings import set_counts_unapproved
from etl.warehouse import connect, init_warehouse
from metrics.filters import Filters
from metrics.own_sites import MIN_OTHER_SITES, own_feedback, submission_history

A, B, C = "GB/T 91001-2020", "GB/T 91002-2020", "GB/T 91003-2020"
# site -> standard -> satisfaction of each quarterly report (2024 unless the period says)
REPORTS = {
    "S1": {A: [4, 4], B: [5], C: [3]},
    "S2": {A: [2], B: [1], C: [4]},
    "S3": {A: [3], B: [2], C: [2]},
    "S4": {A: [4], C: [5]},
    "S5": {A: [5, 5]},
}


@pytest.fixture
def cur(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "own.duckdb"
    init_warehouse(path)
    con = connect(path)
    con.execute("insert into pilot_program (program_id, name) values ('P1', 'pilot')")
    for site in REPORTS:
        con.execute("insert into pilot_site (site_id, program_id, name) values (?, 'P1', ?)",
                    [site, f"name of {site}"])  # fmt: skip
        for code, values in REPORTS[site].items():
            for quarter, value in enumerate(values, start=1):
                con.execute(
                    "insert into feedback (site_id, standard_code, period, satisfaction, clarity)"
                    " values (?, ?, ?, ?, ?)",
                    [site, code, f"2024-Q{quarter}", value, 6 - value],
                )
    # One 2023 report of S1 on A: counted in "all years", not in 2024.
    con.execute(
        "insert into feedback (site_id, standard_code, period, satisfaction) values"
        " ('S1', ?, '2023-Q4', 1)",
        [A],
    )
    # These rows are in no approved submission: let them count (the setting of
    # the approval workflow), so the arithmetic below is about benchmarks only.
    set_counts_unapproved(con, True, actor="test")
    yield con
    con.close()


def _by_code(frame) -> dict[str, dict]:
    return {row["standard_code"]: row for row in frame.iter_rows(named=True)}


def test_own_means_sit_beside_the_national_mean_and_the_sites_percentile(cur) -> None:
    rows = _by_code(own_feedback(cur, filters=Filters(), scope=Access.for_sites(["S1"]), year=2024))
    assert set(rows) == {A, B, C} and {r["site_id"] for r in rows.values()} == {"S1"}
    a = rows[A]
    # A in 2024: S1 reports 4, 4; the others 2, 3, 4, 5, 5.
    assert a["responses"] == 2 and a["satisfaction"] == pytest.approx(4.0)
    assert a["national_satisfaction"] == pytest.approx((4 + 4 + 2 + 3 + 4 + 5 + 5) / 7)
    assert a["clarity"] == pytest.approx(2.0)
    assert a["national_clarity"] == pytest.approx(sum(6 - v for v in (4, 4, 2, 3, 4, 5, 5)) / 7)
    # Site means: S2 2, S3 3, S4 4, S5 5; two of the four others are below S1's 4.
    assert a["other_sites"] == 4 and a["satisfaction_percentile"] == pytest.approx(50.0)
    assert a["benchmark_suppressed"] is False


def test_a_benchmark_of_fewer_than_three_other_sites_is_withheld(cur) -> None:
    assert MIN_OTHER_SITES == 3
    rows = _by_code(own_feedback(cur, filters=Filters(), scope=Access.for_sites(["S1"]), year=2024))
    b, c = rows[B], rows[C]
    assert b["other_sites"] == 2 and b["benchmark_suppressed"] is True
    assert b["national_satisfaction"] is None and b["satisfaction_percentile"] is None
    assert b["satisfaction"] == pytest.approx(5.0)  # the site's own figure stays
    # C: exactly three other sites (S2 4, S3 2, S4 5): shown; one of them below S1's 3.
    assert c["other_sites"] == 3 and c["benchmark_suppressed"] is False
    assert c["national_satisfaction"] == pytest.approx((3 + 4 + 2 + 5) / 4)
    assert c["satisfaction_percentile"] == pytest.approx(100 * 1 / 3)


def test_the_year_and_a_custom_threshold_change_the_benchmark(cur) -> None:
    every_year = _by_code(own_feedback(cur, filters=Filters(), scope=Access.for_sites(["S1"])))
    assert every_year[A]["responses"] == 3
    assert every_year[A]["satisfaction"] == pytest.approx((4 + 4 + 1) / 3)
    strict = own_feedback(
        cur, filters=Filters(), scope=Access.for_sites(["S1"]), year=2024, min_others=4
    )
    assert _by_code(strict)[C]["benchmark_suppressed"] is True
    assert _by_code(strict)[A]["benchmark_suppressed"] is False


def test_only_the_readers_sites_come_back_and_no_site_none(cur) -> None:
    two = own_feedback(cur, filters=Filters(), scope=Access.for_sites(["S2", "S4"]), year=2024)
    assert set(two["site_id"]) == {"S2", "S4"}
    assert own_feedback(cur, filters=Filters(), scope=Access.for_sites([])).is_empty()
    assert own_feedback(cur, filters=Filters(), scope=Access.for_sites(["S999"])).is_empty()


def _upload(cur, uploader: str, name: str, when: str) -> None:
    cur.execute(
        "insert into ingest_log (sha256, source, file_name, uploader, received_at, finished_at,"
        " status) values (?, 'feedback', ?, ?, ?, ?, 'loaded')",
        [name * 4, name, uploader, datetime.fromisoformat(when), datetime.fromisoformat(when)],
    )


def _account(cur, username: str, role: str, sites: list[str]) -> None:
    cur.execute(
        "insert into app_user (username, display_name, role, sites, password_hash, created_at,"
        " updated_at) values (?, ?, ?, ?, 'x', now(), now())",
        [username, username, role, sites],
    )


def test_the_history_lists_the_files_sent_for_the_readers_sites_newest_first(cur) -> None:
    for username, sites in (("site-a", ["S1"]), ("site-a2", ["S1"]), ("site-ab", ["S1", "S2"]),
                            ("site-b", ["S2"])):  # fmt: skip
        _account(cur, username, "pilot_site", sites)
    _account(cur, "boss", "admin", [])
    _upload(cur, "site-a", "a1.csv", "2024-05-01 10:00")
    _upload(cur, "site-a2", "a2.csv", "2024-05-02 10:00")
    _upload(cur, "site-ab", "ab.csv", "2024-05-03 10:00")
    _upload(cur, "site-b", "b.csv", "2024-05-04 10:00")
    _upload(cur, "cli:root", "all.csv", "2024-05-05 10:00")
    _upload(cur, "site-a", "a3.csv", "2024-05-06 10:00")

    def files(username: str, sites: list[str]) -> list[str]:
        frame = submission_history(
            cur, filters=Filters(), scope=Access.for_sites(sites), username=username
        )
        return frame["file_name"].to_list()

    # ab.csv may hold S2 rows, all.csv any site's: neither is S1's to see.
    assert files("site-a", ["S1"]) == ["a3.csv", "a2.csv", "a1.csv"]
    assert files("site-ab", ["S1", "S2"]) == ["a3.csv", "b.csv", "ab.csv", "a2.csv", "a1.csv"]
    assert files("site-b", ["S2"]) == ["b.csv"]
    everything = submission_history(
        cur, filters=Filters(), scope=Access.everything(), username="boss"
    )
    assert everything.height == 6


def test_feedback_of_no_approved_submission_counts_nowhere_by_default(cur) -> None:
    set_counts_unapproved(cur, False, actor="test")
    frame = own_feedback(cur, filters=Filters(), scope=Access.for_sites(["S1"]), year=None)
    assert frame.is_empty()
