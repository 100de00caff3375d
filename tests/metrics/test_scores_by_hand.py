"""Scores on the tiny hand-made warehouse, each number worked out by hand below.

Rules of SCORING.md §1: a Likert answer x counts (x − 1)/4; one voice per
site (its latest answer in the year); a two-source indicator is the mean of
the two source means; A3 is the mean of q_current and the age score; a
missing indicator is missing, not zero; a dimension is the mean of its
present indicators; a missing dimension renormalises the weights (partial).
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from metrics.indicators import indicator_values
from metrics.request import ScoreRequest
from metrics.scope import Scope
from metrics.scores import compute_scores, ranking
from tests.metrics.tiny_warehouse import CODES, V, X, Y, Z, build_tiny_warehouse

SCOPE = Scope(standard_codes=CODES)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = build_tiny_warehouse(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def equal(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return compute_scores(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=0, shrinkage=False)
    ).results


def value(results: pl.DataFrame, code: str, year: str, level: str, item: str) -> float | None:
    row = results.filter(
        (pl.col("standard_code") == code)
        & (pl.col("year") == year)
        & (pl.col("level") == level)
        & (pl.col("item") == item)
    )
    assert row.height == 1, (code, year, level, item)
    return row.get_column("value")[0]


def age_score(published: date, year: int) -> float:
    """1 up to 5 years after publication, linearly to 0 at 10 years, on 31 December."""
    years = (date(year, 12, 31) - published).days / 365.25
    return min(1.0, max(0.0, (10 - years) / 5))


# X in 2024, by hand. Feedback, one voice per site (latest answer per question):
#   S1: Q1 (app 2, op 4, cl 5, ben 3, sat 4, cov 40, in_progress, 10→6)
#       Q3 (app 5, op blank, cl 4, ben 5, sat 5, cov 80, completed, no incidents)
#       → app 5, op 4 (Q3 blank keeps Q1), cl 4, ben 5, sat 5, cov 80, completed, 10→6
#   S2: app 1, op 2, cl 3, ben 1, sat 2, cov 20, in_progress, 4→4
#   (S3 reported in 2023 only.)
FB_APP = ((5 - 1) + (1 - 1)) / (4 * 2)  # 0.5 (averaging rows would give (1+4+0)/12)
FB_OP = ((4 - 1) + (2 - 1)) / 8  # 0.5
FB_CLARITY = ((4 - 1) + (3 - 1)) / 8  # 0.625
FB_BENEFIT = ((5 - 1) + (1 - 1)) / 8  # 0.5
FB_SAT = ((5 - 1) + (2 - 1)) / 8  # 0.625
COVERAGE = (80 + 20) / 2 / 100  # 0.5
COMPLETED = (1 + 0) / 2  # 0.5
INCIDENTS = 1 - (6 + 4) / (10 + 4)  # 0.2857
# Survey 2024: R1 (5,4,4,3,4,5, aware, full), R2 (3,3,2,-,3,3, aware, partial),
# R3 (2,-,-,2,-,1, not aware, none).
SV_USEFUL = (4 + 2 + 1) / 12
SV_USABLE = (3 + 2) / 8
SV_CURRENT = (3 + 1) / 8
SV_CONSISTENT = (2 + 1) / 8
SV_TESTABLE = (3 + 2) / 8
SV_SATISFIED = (4 + 2 + 0) / 12
AWARE = 2 / 3
ADOPTION = (1 + 0.5 + 0) / 3
AGE_X_2024 = age_score(date(2019, 7, 1), 2024)  # 2010 days = 5.503 years → 0.8994

X_2024 = {
    "A1": (FB_APP + SV_USEFUL) / 2,
    "A2": (FB_OP + SV_USABLE) / 2,
    "A3": (SV_CURRENT + AGE_X_2024) / 2,
    "A4": SV_CONSISTENT,
    "A5": FB_CLARITY,
    "B1": AWARE,
    "B2": ADOPTION,
    "B3": COMPLETED,
    "B4": COVERAGE,
    "B5": SV_TESTABLE,
    "C1": FB_BENEFIT,
    "C2": INCIDENTS,
    "D1": (FB_SAT + SV_SATISFIED) / 2,
}
X_DIMS = {
    "A": sum(X_2024[i] for i in ("A1", "A2", "A3", "A4", "A5")) / 5,
    "B": sum(X_2024[i] for i in ("B1", "B2", "B3", "B4", "B5")) / 5,
    "C": (X_2024["C1"] + X_2024["C2"]) / 2,
    "D": X_2024["D1"],
}


def test_age_score_arithmetic_is_what_the_tests_assume() -> None:
    assert (date(2024, 12, 31) - date(2019, 7, 1)).days == 2010
    assert AGE_X_2024 == pytest.approx((10 - 2010 / 365.25) / 5)
    assert age_score(date(2020, 1, 1), 2024) == 1.0  # 5.0 years: still full marks
    assert age_score(date(2012, 1, 1), 2024) == 0.0  # 13 years: none


def test_every_indicator_of_x_in_2024_matches_the_hand_computation(equal: pl.DataFrame) -> None:
    for indicator, expected in X_2024.items():
        assert value(equal, X, "2024", "indicator", indicator) == pytest.approx(
            expected, abs=1e-12
        ), indicator


def test_dimensions_are_means_of_present_indicators(equal: pl.DataFrame) -> None:
    for dim, expected in X_DIMS.items():
        assert value(equal, X, "2024", "dimension", dim) == pytest.approx(expected, abs=1e-12)


def test_composite_with_equal_weights(equal: pl.DataFrame) -> None:
    expected = 100 * sum(X_DIMS.values()) / 4  # ≈ 54.3
    assert value(equal, X, "2024", "composite", "score") == pytest.approx(expected, abs=1e-9)
    row = equal.filter(
        (pl.col("standard_code") == X) & (pl.col("year") == "2024") & (pl.col("item") == "score")
    )
    assert row.get_column("grade")[0] == "D"  # below 60: 待改进
    assert row.get_column("n_sites")[0] == 2 and row.get_column("n_responses")[0] == 3
    assert row.get_column("insufficient")[0]  # 2 < 5 sites and 3 < 30 responses
    assert not row.get_column("partial")[0]


def test_one_voice_per_site_takes_the_latest_answer_not_every_row(equal: pl.DataFrame) -> None:
    # A1 feedback side is (4 + 0)/8 = 0.5; counting S1's two reports would give (1 + 4 + 0)/12.
    a1 = value(equal, X, "2024", "indicator", "A1")
    assert a1 == pytest.approx((0.5 + SV_USEFUL) / 2)
    assert a1 != pytest.approx(((1 + 4 + 0) / 12 + SV_USEFUL) / 2)


def test_a_blank_in_a_later_report_keeps_the_earlier_answer(equal: pl.DataFrame) -> None:
    # S1 left operability blank in Q3: its Q1 answer 4 still speaks for it.
    assert value(equal, X, "2024", "indicator", "A2") == pytest.approx((FB_OP + SV_USABLE) / 2)


def test_overall_pools_years_with_one_voice_per_site(equal: pl.DataFrame) -> None:
    # Overall: S1 latest is 2024-Q3 (app 5), S2 app 1, S3 (2023-Q4) app 5 → (4 + 0 + 4)/12.
    fb_app_overall = (4 + 0 + 4) / 12
    assert value(equal, X, "overall", "indicator", "A1") == pytest.approx(
        (fb_app_overall + SV_USEFUL) / 2
    )
    # 2023 has S3 only and no survey: A1 is the feedback mean alone.
    assert value(equal, X, "2023", "indicator", "A1") == pytest.approx(1.0)


def test_missing_is_not_zero_and_weights_are_renormalised(equal: pl.DataFrame) -> None:
    # Y, 2024: one site S1 with applicability 4 and satisfaction 3, nothing else; no survey.
    # A1 = (4 − 1)/4 = 0.75 (feedback alone); A3 = age only = 0 (13 years old);
    # A2, A4, A5 missing → A = (0.75 + 0)/2 = 0.375. B and C have no data: missing.
    # D1 = (3 − 1)/4 = 0.5. Equal weights renormalised over A and D:
    # 100 × (0.25·0.375 + 0.25·0.5)/(0.25 + 0.25) = 43.75 (zeros would give 21.875).
    assert value(equal, Y, "2024", "indicator", "A2") is None
    assert value(equal, Y, "2024", "dimension", "B") is None
    assert value(equal, Y, "2024", "dimension", "C") is None
    assert value(equal, Y, "2024", "dimension", "A") == pytest.approx(0.375)
    assert value(equal, Y, "2024", "composite", "score") == pytest.approx(43.75)
    row = equal.filter(
        (pl.col("standard_code") == Y) & (pl.col("item") == "score") & (pl.col("year") == "2024")
    )
    assert row.get_column("partial")[0]


def test_renormalisation_with_manual_weights(con: duckdb.DuckDBPyConnection) -> None:
    weights = {"A": 0.4, "B": 0.3, "C": 0.2, "D": 0.1}
    results = compute_scores(
        con,
        ScoreRequest(scope=SCOPE, method="manual", weights=weights, replicates=0, shrinkage=False),
    ).results
    # Y: only A (0.375) and D (0.5) present: 100 × (0.4·0.375 + 0.1·0.5)/(0.4 + 0.1) = 40.0
    assert value(results, Y, "2024", "composite", "score") == pytest.approx(40.0)
    expected_x = 100 * sum(weights[d] * X_DIMS[d] for d in weights)
    assert value(results, X, "2024", "composite", "score") == pytest.approx(expected_x)


def test_survey_only_standard_per_year_and_overall(equal: pl.DataFrame) -> None:
    # Z: R4 (2023) satisfied 5, R5 (2024) satisfied 1; both aware, planned (adoption 0).
    assert value(equal, Z, "2023", "indicator", "D1") == pytest.approx(1.0)
    assert value(equal, Z, "2024", "indicator", "D1") == pytest.approx(0.0)
    assert value(equal, Z, "overall", "indicator", "D1") == pytest.approx((4 + 0) / 8)
    assert value(equal, Z, "2024", "indicator", "B2") == pytest.approx(
        0.0
    )  # planned counts 0, not missing
    assert value(equal, Z, "2024", "dimension", "C") is None


def test_a_perfect_standard_scores_100_and_grade_a(equal: pl.DataFrame) -> None:
    # V: every answer 5, coverage 100, completed, incidents 5 → 0, published 2023 (age score 1).
    assert value(equal, V, "2024", "composite", "score") == pytest.approx(100.0)
    row = equal.filter(
        (pl.col("standard_code") == V) & (pl.col("item") == "score") & (pl.col("year") == "2024")
    )
    assert row.get_column("grade")[0] == "A"


def test_post_stratification_by_org_type(con: duckdb.DuckDBPyConnection) -> None:
    shares = {"enterprise": 0.5, "user": 0.5}
    results = compute_scores(
        con,
        ScoreRequest(
            scope=SCOPE, method="equal", replicates=0, shrinkage=False, population_shares=shares
        ),
    ).results
    # q_satisfied of X 2024: enterprise R1 (5 → 1.0), users R2, R3 ((2 + 0)/8 = 0.25):
    # 0.5·1.0 + 0.5·0.25 = 0.625 instead of the raw 6/12 = 0.5.
    assert value(results, X, "2024", "indicator", "D1") == pytest.approx((FB_SAT + 0.625) / 2)
    # aware: enterprise 1, users (1 + 0)/2 → 0.5·1 + 0.5·0.5 = 0.75
    assert value(results, X, "2024", "indicator", "B1") == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"enterprise": None, "user": 1.0}, "must be numbers, got enterprise=null"),
        ({"enterprise": True}, "must be numbers, got enterprise=true"),  # not read as 1.0
        ({"enterprise": "0.5", "user": 0.5}, 'must be numbers, got enterprise="0.5"'),
        ({"enterprise": [0.5], "user": 0.5}, "must be numbers, got enterprise=[0.5]"),
        ([("enterprise", 1.0)], "must map org types to shares"),
        ({"enterprise": 0.5, "user": 0.6}, "summing to 1"),
        ({"robots": 1.0}, "known org types"),
    ],
)
def test_population_shares_that_cannot_be_used_are_refused(
    con: duckdb.DuckDBPyConnection, shares: object, message: str
) -> None:
    with pytest.raises(ValueError, match="总体结构比例") as caught:
        compute_scores(
            con,
            ScoreRequest(
                scope=SCOPE, method="equal", replicates=0, shrinkage=False, population_shares=shares
            ),
        )
    assert message in str(caught.value)


def test_scope_by_year_region_and_codes(con: duckdb.DuckDBPyConnection) -> None:
    only_2023 = compute_scores(
        con,
        ScoreRequest(
            scope=Scope(year=2023, standard_codes=CODES),
            method="equal",
            replicates=0,
            shrinkage=False,
        ),
    )
    assert set(only_2023.results.get_column("year")) == {"2023"}
    summary = only_2023.summary()
    assert summary == {"n_standards": 4, "n_scored": 2, "n_insufficient": 2, "n_ranked": 0}
    south = compute_scores(
        con,
        ScoreRequest(
            scope=Scope(standard_codes=(X,), region_codes=("31",)), method="equal", replicates=0
        ),
    ).results
    # Region 31 is site S2 (app 1) and respondents R2, R3 (useful 3, 2).
    assert value(south, X, "2024", "indicator", "A1") == pytest.approx((0.0 + (2 + 1) / 8) / 2)


def test_indicator_values_frame_leaves_missing_indicators_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    frame = indicator_values(con, scope=Scope(standard_codes=(Y,), year=2024))
    assert sorted(frame.get_column("indicator").to_list()) == ["A1", "A3", "D1"]


def test_ranking_leaves_insufficient_evidence_out_by_default(equal: pl.DataFrame) -> None:
    assert ranking(equal, year="overall").height == 0  # every tiny standard is insufficient
    ranked = ranking(equal, year="overall", include_insufficient=True)
    assert ranked.get_column("standard_code")[0] == V
    assert ranked.get_column("rank").to_list() == list(range(1, ranked.height + 1))


def test_evidence_and_grade_thresholds_come_from_the_config(con: duckdb.DuckDBPyConnection) -> None:
    import tomllib
    from importlib import resources

    raw = tomllib.loads(
        (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
    )
    raw["evidence"] = {"min_sites": 2, "min_responses": 3}
    raw["grades"] = [
        {"grade": "pass", "min": 50.0, "name_zh": "通过", "name_en": "pass"},
        {"grade": "fail", "min": 0.0, "name_zh": "未通过", "name_en": "fail"},
    ]
    results = compute_scores(
        con, ScoreRequest(scope=SCOPE, method="equal", replicates=0, shrinkage=False, config=raw)
    ).results
    row = results.filter(
        (pl.col("standard_code") == X) & (pl.col("year") == "2024") & (pl.col("item") == "score")
    )
    assert not row.get_column("insufficient")[0]  # 2 sites ≥ 2
    assert row.get_column("grade")[0] == "pass"  # ≈ 54.3 ≥ 50
