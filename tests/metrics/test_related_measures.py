"""Awards, funding and lifecycle measures on the tiny warehouse, worked out by hand."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from metrics.awards import award_review_summary, nomination_totals
from metrics.funding import (
    funding_by,
    funding_overdisbursed,
    funding_per_standard,
    social_share,
)
from metrics.lifecycle import lifecycle_projects, lifecycle_stages, lifecycle_summary, stage_summary
from metrics.request import ScoreRequest
from metrics.runs import read_run, run_scoring
from metrics.scope import Scope
from tests.metrics.tiny_warehouse import CODES, X, Y, build_tiny_warehouse

EVERYTHING = Scope.everything()
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp("tiny_related")
    path = build_tiny_warehouse(folder / "tiny.duckdb")
    connection = duckdb.connect(str(path))
    yield connection
    connection.close()


def criterion(summary: pl.DataFrame, nomination: str, name: str) -> dict[str, object]:
    rows = summary.filter((pl.col("nomination_id") == nomination) & (pl.col("criterion") == name))
    assert rows.height == 1
    return rows.row(0, named=True)


# ---------------------------------------------------------------- awards (§19)


def test_trimmed_mean_with_five_judges_and_conflicts_excluded(
    con: duckdb.DuckDBPyConnection,
) -> None:
    summary = award_review_summary(con, scope=EVERYTHING)
    effect = criterion(summary, "N1", "effect")
    # J6 (95) declared a conflict: kept but not counted. Counted: 90, 80, 70, 60, 85
    # (5 judges) → drop the highest 90 and the lowest 60 → (80 + 70 + 85)/3 = 78.33.
    assert (effect["n_reviews"], effect["n_conflict"], effect["n_counted"]) == (6, 1, 5)
    assert effect["trimmed"] is True
    assert effect["mean_score"] == pytest.approx((80 + 70 + 85) / 3)
    assert effect["untrimmed_mean"] == pytest.approx((90 + 80 + 70 + 60 + 85) / 5)


def test_plain_mean_below_five_judges(con: duckdb.DuckDBPyConnection) -> None:
    advancement = criterion(award_review_summary(con, scope=EVERYTHING), "N1", "advancement")
    # J4 (100) has a conflict; 70, 80, 90 count: 3 judges, no trimming → 80.
    assert (advancement["n_counted"], advancement["trimmed"]) == (3, False)
    assert advancement["mean_score"] == pytest.approx(80.0)


def test_a_criterion_where_every_judge_had_a_conflict_has_no_mean(
    con: duckdb.DuckDBPyConnection,
) -> None:
    effect = criterion(award_review_summary(con, scope=EVERYTHING), "N2", "effect")
    assert (effect["n_reviews"], effect["n_counted"], effect["mean_score"]) == (1, 0, None)


def test_nominee_standard_carries_its_effectiveness_score(con: duckdb.DuckDBPyConnection) -> None:
    run_id = run_scoring(
        con, ScoreRequest(scope=Scope(standard_codes=CODES), replicates=50), created_by="t"
    )
    composite = read_run(con, run_id).filter(
        (pl.col("standard_code") == X) & (pl.col("year") == "overall") & (pl.col("item") == "score")
    )
    summary = award_review_summary(con, scope=EVERYTHING, run_id=run_id)
    effect = criterion(summary, "N1", "effect")
    assert effect["effectiveness_score"] == composite["value"][0]
    assert effect["effectiveness_ci_low"] == composite["ci_low"][0]
    assert effect["effectiveness_insufficient"] is True
    assert criterion(summary, "N2", "effect")["effectiveness_score"] is None  # a practice case
    totals = nomination_totals(summary)
    assert totals.filter(pl.col("nomination_id") == "N1")["mean_of_criteria"][0] == pytest.approx(
        ((80 + 70 + 85) / 3 + 80) / 2
    )


def test_award_scope_by_standard(con: duckdb.DuckDBPyConnection) -> None:
    summary = award_review_summary(con, scope=Scope(standard_codes=(X,)))
    assert summary.get_column("nomination_id").unique().to_list() == ["N1"]
    assert award_review_summary(con, scope=Scope(year=2023)).height == 0


# --------------------------------------------------------------- funding (§18–19)
# F1 central committed 1,000,000 (X, 11) · F2 central disbursed 800,000 (X, 11)
# F3 enterprise committed 500,000 (Y, 31) · F4 enterprise disbursed 600,000 (Y, 31)
# F5 foundation committed 300,000 (2023, no standard, no region)


def test_execution_rate_by_source(con: duckdb.DuckDBPyConnection) -> None:
    frame = funding_by(con, scope=EVERYTHING, by="source_type")
    rows = {r["key"]: r for r in frame.iter_rows(named=True)}
    assert rows["central_fiscal"]["committed_cny"] == 1_000_000
    assert rows["central_fiscal"]["disbursed_cny"] == 800_000
    assert rows["central_fiscal"]["execution_rate"] == pytest.approx(0.8)
    assert rows["enterprise"]["execution_rate"] == pytest.approx(600_000 / 500_000)
    assert rows["foundation"]["execution_rate"] == pytest.approx(0.0)


def test_totals_and_social_share(con: duckdb.DuckDBPyConnection) -> None:
    total = funding_by(con, scope=EVERYTHING, by="all").row(0, named=True)
    # committed 1,000,000 + 500,000 + 300,000 = 1,800,000; disbursed 800,000 + 600,000
    assert (total["committed_cny"], total["disbursed_cny"]) == (1_800_000, 1_400_000)
    assert total["execution_rate"] == pytest.approx(1_400_000 / 1_800_000)
    # social = enterprise + foundation: committed (500,000 + 300,000)/1,800,000,
    # disbursed 600,000/1,400,000
    assert social_share(con, scope=EVERYTHING) == pytest.approx(
        {"committed": 800_000 / 1_800_000, "disbursed": 600_000 / 1_400_000}
    )


def test_grouping_by_year_region_and_priority_area(con: duckdb.DuckDBPyConnection) -> None:
    years = {
        r["key"]: r["committed_cny"]
        for r in funding_by(con, scope=EVERYTHING, by="fiscal_year").iter_rows(named=True)
    }
    assert years == {"2023": 300_000, "2024": 1_500_000}
    areas = {
        r["key"]: r["disbursed_cny"]
        for r in funding_by(con, scope=EVERYTHING, by="priority_area").iter_rows(named=True)
    }
    assert areas == {"CII": 1_400_000, None: 0}  # F5 has no standard, hence no area
    regions = funding_by(con, scope=Scope(region_codes=("31",)), by="region_code")
    assert regions.select("key", "committed_cny", "disbursed_cny").rows() == [
        ("31", 500_000, 600_000)
    ]
    with pytest.raises(ValueError, match="grouped by"):
        funding_by(con, scope=EVERYTHING, by="funder; drop table funding")


def test_funding_by_purpose_worked_out_by_hand(tmp_path: Path) -> None:
    # In the tiny warehouse each purpose has one source, so grouping by purpose
    # could pass while grouping by source instead. Two more rows mix them:
    # F6 enterprise committed 200,000 to standard_development (2024, X, 11) and
    # F7 foundation disbursed 100,000 to pilot (2024, Y, 31).
    path = build_tiny_warehouse(tmp_path / "purposes.duckdb")
    con = duckdb.connect(str(path))
    try:
        con.executemany(
            "insert into funding (record_id, fiscal_year, source_type, funder, recipient, purpose,"
            " flow, amount_cny, standard_code, region_code) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("F6", 2024, "enterprise", "G", "B", "standard_development", "committed",
                 200_000, X, "11"),
                ("F7", 2024, "foundation", "H", "D", "pilot", "disbursed", 100_000, Y, "31"),
            ],
        )  # fmt: skip
        rows = {r["key"]: r for r in funding_by(con, scope=EVERYTHING, by="purpose").to_dicts()}
        in_2024 = funding_by(con, scope=Scope(year=2024), by="purpose")
    finally:
        con.close()
    assert set(rows) == {"standard_development", "pilot", "training"}
    # standard_development: F1 central 1,000,000 + F6 enterprise 200,000 committed,
    # F2 central 800,000 disbursed → rate 800,000/1,200,000; social = enterprise
    # 200,000/1,200,000 committed, 0/800,000 disbursed.
    development = rows["standard_development"]
    assert development["n_records"] == 3
    assert (development["committed_cny"], development["disbursed_cny"]) == (1_200_000, 800_000)
    assert development["execution_rate"] == pytest.approx(2 / 3)
    assert development["social_share_committed"] == pytest.approx(1 / 6)
    assert development["social_share_disbursed"] == pytest.approx(0.0)
    # pilot: F3 enterprise 500,000 committed; F4 enterprise 600,000 + F7 foundation
    # 100,000 disbursed → rate 700,000/500,000 = 1.4; all of it is social money.
    pilot = rows["pilot"]
    assert pilot["n_records"] == 3
    assert (pilot["committed_cny"], pilot["disbursed_cny"]) == (500_000, 700_000)
    assert pilot["execution_rate"] == pytest.approx(1.4)
    assert pilot["social_share_committed"] == pytest.approx(1.0)
    assert pilot["social_share_disbursed"] == pytest.approx(1.0)
    # training: F5 foundation 300,000 committed (2023), nothing disbursed → rate 0;
    # the disbursed social share has no denominator and stays null, not 0.
    training = rows["training"]
    assert (training["n_records"], training["committed_cny"], training["disbursed_cny"]) == (
        1,
        300_000,
        0,
    )
    assert training["execution_rate"] == pytest.approx(0.0)
    assert training["social_share_committed"] == pytest.approx(1.0)
    assert training["social_share_disbursed"] is None
    # Fiscal year 2024 only: training (2023) drops out, the other two are unchanged.
    assert in_2024.select("key", "committed_cny", "disbursed_cny").rows() == [
        ("pilot", 500_000, 700_000),
        ("standard_development", 1_200_000, 800_000),
    ]


def test_disbursed_above_committed_is_flagged(con: duckdb.DuckDBPyConnection) -> None:
    warnings = funding_overdisbursed(con, scope=EVERYTHING)
    assert warnings.select("funder", "recipient", "purpose", "fiscal_year").rows() == [
        ("C", "D", "pilot", 2024)
    ]
    assert warnings["excess_cny"][0] == pytest.approx(100_000)
    assert warnings["ratio"][0] == pytest.approx(1.2)


def test_money_disbursed_in_parts_that_add_up_to_the_commitment_is_no_warning(
    tmp_path: Path,
) -> None:
    """0.10 + 0.20 is 0.30 in decimals but 0.30000000000000004 in doubles."""
    path = build_tiny_warehouse(tmp_path / "parts.duckdb")
    with duckdb.connect(str(path)) as parts:
        parts.executemany(
            "insert into funding (record_id, fiscal_year, source_type, funder, recipient,"
            " purpose, flow, amount_cny, standard_code, region_code)"
            " values (?, 2025, 'enterprise', 'G', 'H', 'pilot', ?, ?, null, null)",
            [("P1", "committed", "0.30"), ("P2", "disbursed", "0.10"), ("P3", "disbursed", "0.20")],
        )
        as_doubles = parts.execute(
            "select sum(cast(amount_cny as double)) filter (where flow = 'disbursed')"
            " > sum(cast(amount_cny as double)) filter (where flow = 'committed')"
            " from funding where funder = 'G'"
        ).fetchall()
        warnings = funding_overdisbursed(parts, scope=EVERYTHING)
    assert as_doubles == [(True,)]  # the case the decimal sums must get right
    assert warnings.select("funder", "fiscal_year").rows() == [("C", 2024)]


def test_money_per_standard_beside_its_score(con: duckdb.DuckDBPyConnection) -> None:
    run_id = run_scoring(
        con, ScoreRequest(scope=Scope(standard_codes=CODES), replicates=0), created_by="t"
    )
    frame = funding_per_standard(con, scope=EVERYTHING, run_id=run_id)
    assert frame.get_column("standard_code").to_list() == [X, Y]
    x = frame.row(0, named=True)
    assert (x["committed_cny"], x["disbursed_cny"], x["execution_rate"]) == (
        1_000_000,
        800_000,
        0.8,
    )
    stored = read_run(con, run_id).filter(
        (pl.col("standard_code") == X) & (pl.col("year") == "overall") & (pl.col("item") == "score")
    )
    assert x["score"] == stored["value"][0]


# ------------------------------------------------------------- lifecycle (§9–10)


def test_days_to_publication_and_the_two_year_cycle(con: duckdb.DuckDBPyConnection) -> None:
    projects = lifecycle_projects(con, scope=EVERYTHING, as_of=AS_OF)
    days = dict(zip(projects["project_id"], projects["days_to_publication"], strict=True))
    p1 = (date(2023, 9, 1) - date(2022, 1, 10)).days  # 599: within 730
    p2 = (date(2023, 6, 30) - date(2021, 1, 1)).days  # 910: late
    assert (days["P1"], days["P2"]) == (p1, p2) == (599, 910)
    summary = lifecycle_summary(con, scope=EVERYTHING, as_of=AS_OF)
    assert summary["n_projects"] == 4 and summary["n_published"] == 2
    assert summary["median_days_to_publication"] == (599 + 910) / 2
    assert summary["share_within_cycle"] == 0.5
    # open: P3 approved 2023-06-01 → 944 days on 2025-12-31 (past 730); P4 2025-03-01 → 305.
    assert (date(2025, 12, 31) - date(2023, 6, 1)).days == 944
    assert (summary["n_open"], summary["n_open_past_limit"]) == (2, 1)


def test_stage_durations_against_the_national_limits(con: duckdb.DuckDBPyConnection) -> None:
    stages = lifecycle_stages(con, scope=EVERYTHING, as_of=AS_OF)
    rows = {(r["project_id"], r["stage"]): r for r in stages.iter_rows(named=True)}
    # P1 立项 2022-01-10 → draft 2022-03-01: 50 days, due 2022-04-10: within.
    assert rows[("P1", "approval")]["days"] == 50 and not rows[("P1", "approval")]["over_limit"]
    # P1 起草 draft 2022-03-01 → consultation 2023-02-01: 337 days, due 2023-01-01: over.
    assert rows[("P1", "drafting")]["due"] == date(2023, 1, 1)
    assert rows[("P1", "drafting")]["days"] == 337 and rows[("P1", "drafting")]["over_limit"]
    # P1 征求意见 2023-02-01 → review 2023-03-15: 42 days, due 2023-04-01: within.
    assert (
        rows[("P1", "consultation")]["days"] == 42
        and not rows[("P1", "consultation")]["over_limit"]
    )
    # P2 skipped its drafts: no stage length can be known.
    assert not [k for k in rows if k[0] == "P2"]
    # P3 drafting since 2023-07-01, due 2024-05-01, still open on 2025-12-31: over.
    p3 = rows[("P3", "drafting")]
    assert p3["is_open"] and p3["over_limit"] and p3["days"] == (AS_OF - date(2023, 7, 1)).days
    # P4 立项 stage open since 2025-03-01, due 2025-06-01: over by the as_of date.
    assert rows[("P4", "approval")]["is_open"] and rows[("P4", "approval")]["over_limit"]
    summary = {r["stage"]: r for r in stage_summary(stages).iter_rows(named=True)}
    assert (summary["drafting"]["n"], summary["drafting"]["n_over_limit"]) == (2, 2)
    assert summary["approval"]["n_open_over_limit"] == 1


def test_lifecycle_scope_by_approval_year(con: duckdb.DuckDBPyConnection) -> None:
    projects = lifecycle_projects(con, scope=Scope(year=2023), as_of=AS_OF)
    assert projects.get_column("project_id").to_list() == ["P3"]


def test_a_copy_of_the_warehouse_is_not_needed_to_read(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """Related measures only read: a read-only connection is enough."""
    con.execute("checkpoint")
    path = Path(
        con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchall()[0][0]
    )
    shutil.copy(path, tmp_path / "ro.duckdb")
    ro = duckdb.connect(str(tmp_path / "ro.duckdb"), read_only=True)
    try:
        assert funding_by(ro, scope=EVERYTHING, by="all").height == 1
        assert lifecycle_stages(ro, scope=EVERYTHING, as_of=AS_OF).height > 0
    finally:
        ro.close()
