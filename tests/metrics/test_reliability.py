"""Cronbach's α and survey reliability per year (SCORING.md §3).

Expected values are derived by hand in the comments or taken from published
documentation (source named), never from running metrics.reliability.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.reliability import SURVEY_ITEMS, cronbach_alpha, survey_reliability

# Four respondents × three items. By hand (sample variances, ddof = 1):
#   item 1 = (1, 2, 3, 4): mean 2.5, squared deviations 2.25 + .25 + .25 + 2.25 = 5 -> 5/3
#   item 2 = (2, 3, 3, 4): mean 3,   squared deviations 1 + 0 + 0 + 1 = 2           -> 2/3
#   item 3 = (2, 3, 4, 5): mean 3.5, squared deviations 5 as item 1                 -> 5/3
#   Σ var_i = 12/3 = 4
#   totals = (5, 8, 10, 13): mean 9, squared deviations 16 + 1 + 1 + 16 = 34       -> 34/3
#   α = 3/2 · (1 − 4 / (34/3)) = 3/2 · 22/34 = 33/34 = 0.970588…
HAND = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]]
HAND_ALPHA = 33 / 34

# Pingouin documentation, pingouin.cronbach_alpha, dataset "cronbach_alpha"
# (15 subjects × 10 Likert items, after Real Statistics Using Excel, "Cronbach's
# alpha"; pingouin's results are checked against R psych::alpha): α = 0.5917188485995826.
PINGOUIN_ITEMS = {
    "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
    "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
    "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
    "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
    "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
    "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
    "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
    "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
    "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
    "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
}
PINGOUIN_ALPHA = 0.5917188485995826


def test_cronbach_alpha_of_a_hand_computed_table():
    assert cronbach_alpha(HAND) == pytest.approx(HAND_ALPHA, abs=1e-12)


def test_cronbach_alpha_matches_the_published_pingouin_example():
    frame = pl.DataFrame(PINGOUIN_ITEMS)
    assert frame.shape == (15, 10)
    assert cronbach_alpha(frame) == pytest.approx(PINGOUIN_ALPHA, abs=1e-12)
    assert round(cronbach_alpha(frame), 3) == 0.592


def test_cronbach_alpha_accepts_lists_numpy_and_polars_alike():
    frame = pl.DataFrame(np.array(HAND), schema=["a", "b", "c"], orient="row")
    assert cronbach_alpha(np.array(HAND)) == pytest.approx(HAND_ALPHA, abs=1e-12)
    assert cronbach_alpha(frame) == pytest.approx(HAND_ALPHA, abs=1e-12)


def test_cronbach_alpha_drops_respondents_with_any_missing_answer():
    # Listwise: the three incomplete rows are left out entirely, so α is that of
    # the four complete rows, 33/34, whatever the partial answers say.
    with_gaps = [*HAND, [1, None, 5], [5, 5, float("nan")], [None, None, None]]
    assert cronbach_alpha(with_gaps) == pytest.approx(HAND_ALPHA, abs=1e-12)
    frame = pl.DataFrame(
        {"a": [1, 2, 3, 4, 1, 5], "b": [2, 3, 3, 4, None, 5], "c": [2, 3, 4, 5, 5, None]}
    )
    assert cronbach_alpha(frame, missing="listwise") == pytest.approx(HAND_ALPHA, abs=1e-12)


def test_cronbach_alpha_is_nan_when_the_totals_do_not_vary():
    # Every complete respondent has the same total (3 and 3; then 4, 4, 4), so
    # var_total = 0 and α = k/(k−1)(1 − Σvar_i/0) is undefined.
    assert math.isnan(cronbach_alpha([[1, 2], [2, 1]]))
    assert math.isnan(cronbach_alpha([[2, 2], [2, 2], [2, 2]]))


def test_cronbach_alpha_of_identical_items_is_one():
    # k identical items with variance s²: Σvar_i = k s², var_total = k² s²,
    # α = k/(k−1) · (1 − 1/k) = 1.
    column = [1, 3, 2, 5, 4]
    assert cronbach_alpha(np.column_stack([column] * 4)) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(
    ("items", "kwargs", "expected"),
    [
        (HAND, {"missing": "pairwise"}, "missing must be 'listwise'"),
        ([[1], [2], [3]], {}, "at least 2 items, got 1"),
        ([], {}, "at least 2 items, got 0"),
        ([[1, 2, 3]], {}, "at least 2 respondents who answered every item, got 1"),
        ([[1, 2], [None, 3], [4, None]], {}, r"got 1 \(of 3 rows\)"),
        ([[1, 2], [3, float("inf")]], {}, "infinite"),
        ([1, 2, 3], {}, "two-dimensional"),
        ([[1, 2], [3]], {}, "rectangular"),
    ],
)
def test_cronbach_alpha_refuses_what_it_cannot_measure(items, kwargs, expected):
    with pytest.raises(ValueError, match=expected):
        cronbach_alpha(items, **kwargs)


def test_cronbach_alpha_refuses_text_columns():
    with pytest.raises(ValueError, match=r"must be numeric; \['b'\]"):
        cronbach_alpha(pl.DataFrame({"a": [1, 2], "b": ["x", "y"]}))


respondent_tables = st.integers(min_value=3, max_value=20).flatmap(
    lambda n: st.integers(min_value=2, max_value=6).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(min_value=1, max_value=5), min_size=k, max_size=k),
            min_size=n,
            max_size=n,
        )
    )
)


@settings(max_examples=80, deadline=None)
@given(respondent_tables, st.integers(min_value=-3, max_value=3))
def test_cronbach_alpha_is_at_most_one_and_ignores_a_shifted_item(table, shift):
    alpha = cronbach_alpha(table)
    if math.isnan(alpha):
        return
    assert alpha <= 1.0 + 1e-12
    shifted = np.array(table, dtype=float)
    shifted[:, 0] += shift  # variances, hence α, do not see a constant offset
    assert cronbach_alpha(shifted) == pytest.approx(alpha, abs=1e-9)


# --------------------------------------------------------------------------- per survey year


def _survey_rows() -> pl.DataFrame:
    """Survey rows shaped like the warehouse table (survey_year smallint, q_* tinyint).

    2023, four complete respondents: q_useful = q_usable = q_current = a =
    (1, 2, 3, 4) and q_consistent = q_testable = q_satisfied = b = (4, 1, 3, 2).
    By hand: var a = var b = 5/3; cov(a, b) = (−1.5·1.5 − 0.5·−1.5 + 0.5·0.5
    + 1.5·−0.5)/3 = −2/3. Σ var_i = 6 · 5/3 = 10; total = 3a + 3b, var_total =
    9 (5/3 + 5/3 − 4/3) = 18; α = 6/5 · (1 − 10/18) = 8/15 = 0.5333 < 0.7.
    One more 2023 respondent skipped q_testable and is dropped (listwise).

    2024, three respondents giving the same answer to every item (2, 3, 5):
    six identical items, α = 1.

    2025, a single complete respondent: α cannot be computed.

    A row without a survey year belongs to no year and is left out.
    """
    a, b = [1, 2, 3, 4], [4, 1, 3, 2]
    years = [2023] * 5 + [2024] * 3 + [2025, None]
    answers = {
        "q_useful": [*a, 5, 2, 3, 5, 4, 1],
        "q_usable": [*a, 5, 2, 3, 5, 4, 1],
        "q_current": [*a, 5, 2, 3, 5, 4, 1],
        "q_consistent": [*b, 5, 2, 3, 5, 4, 1],
        "q_testable": [*b, None, 2, 3, 5, 4, 1],
        "q_satisfied": [*b, 5, 2, 3, 5, 4, 1],
    }
    return pl.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(years))],
            "survey_year": years,
            "standard_code": ["GB/T 22239-2019"] * len(years),
            **answers,
        },
        schema_overrides={"survey_year": pl.Int16, **{c: pl.Int8 for c in SURVEY_ITEMS}},
    )


def test_survey_reliability_groups_by_year_and_flags_low_alpha():
    out = survey_reliability(_survey_rows())
    assert out.columns == ["survey_year", "n_respondents", "alpha", "warning"]
    assert out.schema["survey_year"] == pl.Int16
    assert out["survey_year"].to_list() == [2023, 2024, 2025]
    assert out["n_respondents"].to_list() == [4, 3, 1]
    assert out["alpha"][0] == pytest.approx(8 / 15, abs=1e-12)
    assert out["alpha"][1] == pytest.approx(1.0, abs=1e-12)
    assert out["alpha"][2] is None
    assert out["warning"].to_list() == [True, False, True]


def test_survey_reliability_per_year_equals_cronbach_alpha_on_that_year():
    rows = _survey_rows()
    out = survey_reliability(rows)
    year_2023 = rows.filter(pl.col("survey_year") == 2023).select(SURVEY_ITEMS)
    assert out["alpha"][0] == pytest.approx(cronbach_alpha(year_2023), abs=1e-15)
    # and both are the hand value of _survey_rows (the incomplete row dropped): 8/15
    assert out["alpha"][0] == pytest.approx(8 / 15, abs=1e-12)


def test_survey_reliability_threshold_is_a_parameter():
    out = survey_reliability(_survey_rows(), threshold=0.5)
    assert out["warning"].to_list() == [False, False, True]


def test_survey_reliability_with_chosen_items_and_grouping():
    frame = pl.DataFrame(
        {
            "wave": ["spring"] * 4 + ["autumn"] * 4,
            "a": [1, 2, 3, 4] * 2,
            "b": [2, 3, 3, 4] * 2,
            "c": [2, 3, 4, 5] * 2,
        }
    )
    out = survey_reliability(frame, items=("a", "b", "c"), by="wave")
    assert out["wave"].to_list() == ["autumn", "spring"]
    assert out["alpha"].to_list() == pytest.approx([HAND_ALPHA, HAND_ALPHA], abs=1e-12)
    assert out["warning"].to_list() == [False, False]


def test_survey_reliability_of_no_rows_is_an_empty_table():
    empty = _survey_rows().clear()
    out = survey_reliability(empty)
    assert out.height == 0
    assert out.columns == ["survey_year", "n_respondents", "alpha", "warning"]


def test_survey_reliability_refuses_missing_columns_or_too_few_items():
    with pytest.raises(ValueError, match=r"lacks the columns \['q_satisfied'\]"):
        survey_reliability(_survey_rows().drop("q_satisfied"))
    with pytest.raises(ValueError, match="at least 2 item columns"):
        survey_reliability(_survey_rows(), items=("q_useful",))
