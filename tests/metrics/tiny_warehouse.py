"""A tiny hand-made warehouse whose scores are worked out by hand in the tests.

Four fictional standards (codes not in the real catalogue, so the tests
never depend on it), three pilot sites, a handful of feedback reports and
survey answers, plus funding, award and lifecycle rows. Every number the
tests expect is derived from the rows below, in the tests themselves.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.submissions import approve, record_loaded
from etl.warehouse import init_warehouse

X = "GB/T 90001-2019"  # full data, published 2019-07-01
Y = "GB/T 90002-2012"  # feedback only (partial), no published date: 1 Jan 2012 from the code
Z = "GB/T 90003-2022"  # survey only, 2023 and 2024
V = "GB/T 90004-2023"  # one perfect site and one perfect respondent
CODES = (X, Y, Z, V)

# fmt: off
STANDARDS = [
    # code, category, published, code_year, priority_area
    (X, "GB/T", "2019-07-01", 2019, "CII"),
    (Y, "GB/T", None, 2012, "CII"),
    (Z, "GB/T", "2022-03-01", 2022, "CII"),
    (V, "GB/T", "2023-05-01", 2023, "CII"),
]
# fmt: on

# fmt: off
SITES = [
    # site_id, program_id, name, region_code, org_type
    ("S1", "P1", "site one", "11", "enterprise"),
    ("S2", "P1", "site two", "31", "user"),
    ("S3", "P1", "site three", "11", "testing_body"),
]
# fmt: on

# fmt: off
FEEDBACK = [
    # site, standard, period, status, coverage, applicability, operability, clarity,
    # benefit, satisfaction, incidents_before, incidents_after
    ("S1", X, "2024-Q1", "in_progress", 40.0, 2, 4, 5, 3, 4, 10, 6),
    ("S1", X, "2024-Q3", "completed", 80.0, 5, None, 4, 5, 5, None, None),
    ("S2", X, "2024-Q2", "in_progress", 20.0, 1, 2, 3, 1, 2, 4, 4),
    ("S3", X, "2023-Q4", "completed", 100.0, 5, 5, 5, 5, 5, 2, 1),
    ("S1", Y, "2024-Q2", None, None, 4, None, None, None, 3, None, None),
    ("S1", V, "2024-Q4", "completed", 100.0, 5, 5, 5, 5, 5, 5, 0),
]
# fmt: on

# fmt: off
SURVEY = [
    # response_id, survey_year, region, org_type, standard, aware, adoption,
    # q_useful, q_usable, q_current, q_consistent, q_testable, q_satisfied
    ("R1", 2024, "11", "enterprise", X, True, "full", 5, 4, 4, 3, 4, 5),
    ("R2", 2024, "31", "user", X, True, "partial", 3, 3, 2, None, 3, 3),
    ("R3", 2024, "31", "user", X, False, "none", 2, None, None, 2, None, 1),
    ("R4", 2023, "11", "user", Z, True, "planned", None, None, None, None, None, 5),
    ("R5", 2024, "11", "user", Z, True, "planned", None, None, None, None, None, 1),
    ("R6", 2024, "11", "enterprise", V, True, "full", 5, 5, 5, 5, 5, 5),
]
# fmt: on

# fmt: off
FUNDING = [
    # record_id, fiscal_year, source_type, funder, recipient, purpose, flow, amount,
    # standard_code, region_code
    ("F1", 2024, "central_fiscal", "A", "B", "standard_development", "committed", 1_000_000, X, "11"),
    ("F2", 2024, "central_fiscal", "A", "B", "standard_development", "disbursed", 800_000, X, "11"),
    ("F3", 2024, "enterprise", "C", "D", "pilot", "committed", 500_000, Y, "31"),
    ("F4", 2024, "enterprise", "C", "D", "pilot", "disbursed", 600_000, Y, "31"),
    ("F5", 2023, "foundation", "E", "F", "training", "committed", 300_000, None, None),
]
# fmt: on

# fmt: off
NOMINATIONS = [
    # nomination_id, award_year, category, standard_code, nominee_org, status
    ("N1", 2024, "standard_excellence", X, "org x", "shortlisted"),
    ("N2", 2024, "practice_case", None, "org p", "nominated"),
]
# fmt: on

# fmt: off
REVIEWS = [
    # nomination_id, judge_id, criterion, score, conflict_of_interest
    ("N1", "J1", "effect", 90, False),
    ("N1", "J2", "effect", 80, False),
    ("N1", "J3", "effect", 70, False),
    ("N1", "J4", "effect", 60, False),
    ("N1", "J5", "effect", 85, False),
    ("N1", "J6", "effect", 95, True),
    ("N1", "J1", "advancement", 70, False),
    ("N1", "J2", "advancement", 80, False),
    ("N1", "J3", "advancement", 90, False),
    ("N1", "J4", "advancement", 100, True),
    ("N2", "J1", "effect", 50, True),
]
# fmt: on

# fmt: off
LIFECYCLE = [
    # project_id, approved, draft, consultation, review, approval, published
    ("P1", "2022-01-10", "2022-03-01", "2023-02-01", "2023-03-15", "2023-06-01", "2023-09-01"),
    ("P2", "2021-01-01", None, None, None, None, "2023-06-30"),
    ("P3", "2023-06-01", "2023-07-01", None, None, None, None),
    ("P4", "2025-03-01", None, None, None, None, None),
]
# fmt: on


def build_tiny_warehouse(path: Path) -> Path:
    """Create the warehouse at ``path`` (schema and reference data) and insert the rows above."""
    init_warehouse(path)
    con = duckdb.connect(str(path))
    try:
        con.executemany(
            "insert into standard (code, category, published, code_year, priority_area)"
            " values (?, ?, ?, ?, ?)",
            STANDARDS,
        )
        con.executemany(
            "insert into pilot_site (site_id, program_id, name, region_code, org_type)"
            " values (?, ?, ?, ?, ?)",
            SITES,
        )
        con.executemany(
            "insert into feedback (site_id, standard_code, period, status, coverage_pct,"
            " applicability, operability, clarity, benefit, satisfaction, incidents_before,"
            " incidents_after) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            FEEDBACK,
        )
        # The tiny programme's feedback has been sent and approved, as the
        # scoring counts only approved submissions by default.
        keys = con.sql("select distinct site_id, period from feedback").pl()
        record_loaded(con, keys, actor="tiny", sha256="tiny-warehouse")
        approve(con, list(keys.iter_rows()), actor="evaluator")
        con.executemany(
            "insert into survey (response_id, survey_year, region_code, org_type, standard_code,"
            " aware, adoption, q_useful, q_usable, q_current, q_consistent, q_testable,"
            " q_satisfied) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            SURVEY,
        )
        con.executemany(
            "insert into funding (record_id, fiscal_year, source_type, funder, recipient, purpose,"
            " flow, amount_cny, standard_code, region_code) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            FUNDING,
        )
        con.executemany(
            "insert into award_nomination (nomination_id, award_year, category, standard_code,"
            " nominee_org, status) values (?, ?, ?, ?, ?, ?)",
            NOMINATIONS,
        )
        con.executemany(
            "insert into award_review (nomination_id, judge_id, criterion, score,"
            " conflict_of_interest) values (?, ?, ?, ?, ?)",
            REVIEWS,
        )
        con.executemany(
            "insert into lifecycle (project_id, approved, draft, consultation, review, approval,"
            " published) values (?, ?, ?, ?, ?, ?, ?)",
            LIFECYCLE,
        )
    finally:
        con.close()
    return path
