"""Weights (SCORING.md §2) against published worked examples, hand derivations and properties.

Expected numbers come from the literature (source named on each test) or
from a derivation written out in the comment, never from running
metrics.weights itself.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from metrics.weights import (
    SAATY_RI,
    AhpResult,
    InconsistentJudgementsError,
    ahp,
    entropy_weights,
    equal_weights,
    manual_weights,
    topsis,
)

# --------------------------------------------------------------------------- AHP data

# Saaty, T. L. (1990) "How to make a decision: the Analytic Hierarchy Process",
# European Journal of Operational Research 48, 9-26, Table 2: a family buying a
# house compares 8 criteria (size, transportation, neighbourhood, age, yard,
# modern facilities, general condition, financing).
SAATY_1990_HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]

# Saaty, T. L. (2008) "Decision making with the analytic hierarchy process",
# Int. J. Services Sciences 1(1), 83-98, "Which drink is consumed more in the
# U.S.?": coffee, wine, tea, beer, sodas, milk, water.
SAATY_2008_DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]


def _reciprocal_3x3(a: float, b: float, c: float) -> list[list[float]]:
    return [[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]]


def _closed_form_3x3(a: float, b: float, c: float) -> tuple[list[float], float]:
    """Independent hand formulae for a 3 × 3 reciprocal matrix [[1,a,b],[.,1,c],[.,.,1]].

    Its characteristic polynomial is λ³ − 3λ² − (k + 1/k − 2) = 0 with k = ac/b,
    whose real root is λmax = 1 + k^(1/3) + k^(-1/3); and for n = 3 the principal
    eigenvector equals the normalised row geometric means (ab, c/a, 1/(bc))^(1/3).
    """
    k = a * c / b
    lam = 1 + k ** (1 / 3) + k ** (-1 / 3)
    g = [(a * b) ** (1 / 3), (c / a) ** (1 / 3), (1 / (b * c)) ** (1 / 3)]
    return [x / sum(g) for x in g], lam


# --------------------------------------------------------------------------- AHP: literature


def test_saaty_ri_table_is_the_one_in_scoring_md():
    # SCORING.md §2 (Saaty's random index, n = 1..15).
    assert SAATY_RI == (
        0,
        0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
        1.51,
        1.48,
        1.56,
        1.57,
        1.59,
    )


def test_ahp_reproduces_saaty_1990_house_criteria_weights_and_consistency():
    # Saaty (1990) EJOR 48, Table 2: priorities .173 .054 .188 .018 .031 .036 .167
    # .333, λmax = 9.669, C.I. = 0.238, C.R. = 0.169 (RI for n = 8 is 1.41).
    result = ahp(SAATY_1990_HOUSE)
    published = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert result.n == 8
    assert result.ri == 1.41
    assert list(result.weights) == pytest.approx(published, abs=5e-4)
    assert result.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert result.ci == pytest.approx(0.238, abs=5e-4)
    assert result.cr == pytest.approx(0.169, abs=5e-4)
    assert not result.consistent


def test_saaty_1990_house_criteria_are_refused_in_english_and_chinese():
    # Same matrix: Saaty's C.R. = 0.169 ≥ 0.10, so the judgements must be revised.
    result = ahp(SAATY_1990_HOUSE)
    with pytest.raises(InconsistentJudgementsError) as caught:
        result.require_consistent()
    message = str(caught.value)
    assert "CR = 0.169 ≥ 0.10" in message
    assert "inconsistent" in message
    assert "判断矩阵一致性比率 CR = 0.169 ≥ 0.10" in message
    assert "未通过一致性检验" in message
    assert isinstance(caught.value, ValueError)
    assert caught.value.result is result


def test_ahp_reproduces_saaty_2008_drinks_consumption_scale():
    # Saaty (2008) Int. J. Services Sciences 1(1), p. 86: derived scale coffee .177,
    # wine .019, tea .042, beer .116, sodas .190, milk .129, water .327 (actual US
    # consumption .180 .010 .040 .120 .180 .140 .330). The paper does not print
    # CR to compare with here; the judgements are acceptable, so CR < 0.10.
    result = ahp(SAATY_2008_DRINKS)
    published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    assert list(result.weights) == pytest.approx(published, abs=5e-4)
    assert result.consistent
    result.require_consistent()


def test_ahp_saaty_1990_size_of_house_is_slightly_inconsistent():
    # Saaty (1990) Table 3, "Size of house", houses A, B, C: [[1,6,8],[1/6,1,4],
    # [1/8,1/4,1]] -> .754 .181 .065, λmax = 3.136, C.I. = .068, C.R. = .117.
    # By hand (see _closed_form_3x3): k = 6·4/8 = 3, λmax = 1 + 3^(1/3) + 3^(-1/3)
    # = 1 + 1.44225 + 0.69336 = 3.13561; CI = 0.13561/2 = 0.06780; CR = 0.06780/0.58
    # = 0.1169; row geometric means 48^(1/3) = 3.6342, (2/3)^(1/3) = 0.8736,
    # (1/32)^(1/3) = 0.3150 -> 0.7536, 0.1811, 0.0653.
    published_w, published_lam, published_ci, published_cr = (
        [0.754, 0.181, 0.065],
        3.136,
        0.068,
        0.117,
    )
    hand_w, hand_lam = _closed_form_3x3(6, 8, 4)
    result = ahp(_reciprocal_3x3(6, 8, 4))
    assert list(result.weights) == pytest.approx(hand_w, abs=1e-9)
    assert result.lambda_max == pytest.approx(hand_lam, abs=1e-9)
    assert list(result.weights) == pytest.approx(published_w, abs=5e-4)
    assert result.lambda_max == pytest.approx(published_lam, abs=5e-4)
    assert result.ci == pytest.approx(published_ci, abs=5e-4)
    assert result.cr == pytest.approx(published_cr, abs=5e-4)
    assert not result.consistent


def test_ahp_saaty_1990_transportation_is_inconsistent():
    # Saaty (1990) Table 3, "Transportation": [[1,7,1/5],[1/7,1,1/8],[5,8,1]] ->
    # .233 .055 .713, λmax = 3.247, C.I. = .124, C.R. = .213.
    # By hand: k = 7·(1/8)/(1/5) = 4.375, λmax = 1 + 1.6355 + 0.6114 = 3.2470,
    # CI = 0.1235, CR = 0.1235/0.58 = 0.2129. Row geometric means 1.4^(1/3) =
    # 1.11869, (1/56)^(1/3) = 0.26158, 40^(1/3) = 3.41995, sum 4.80022 -> 0.23305,
    # 0.05449, 0.71246: Saaty's printed .055/.713 (which sum with .233 to 1.001)
    # are half a unit off in the third decimal, so they are checked to 1e-3; so is
    # his C.I., apparently taken from the rounded λmax: (3.247 − 3)/2 = 0.1235 -> .124.
    hand_w, hand_lam = _closed_form_3x3(7, 1 / 5, 1 / 8)
    result = ahp(_reciprocal_3x3(7, 1 / 5, 1 / 8))
    assert list(result.weights) == pytest.approx(hand_w, abs=1e-9)
    assert result.lambda_max == pytest.approx(hand_lam, abs=1e-9)
    assert list(result.weights) == pytest.approx([0.233, 0.055, 0.713], abs=1e-3)
    assert result.lambda_max == pytest.approx(3.247, abs=5e-4)
    assert result.ci == pytest.approx((hand_lam - 3) / 2, abs=1e-12)
    assert result.ci == pytest.approx(0.124, abs=1e-3)
    assert result.cr == pytest.approx(0.213, abs=5e-4)
    with pytest.raises(InconsistentJudgementsError, match="CR = 0.213"):
        result.require_consistent()


def test_ahp_saaty_1990_financing_is_consistent():
    # Saaty (1990) Table 3, "Financing": [[1,1/7,1/5],[7,1,3],[5,1/3,1]] ->
    # .072 .650 .278, λmax = 3.065, C.I. = .032, C.R. = .056.
    # By hand: row geometric means (1/35)^(1/3) = 0.30571, 21^(1/3) = 2.75892,
    # (5/3)^(1/3) = 1.18563, sum 4.25026 -> 0.07193, 0.64912, 0.27895. The exact
    # eigenvector therefore has 0.649 where Saaty prints .650 (his rounding keeps
    # the three printed values summing to 1), so the published weights are
    # checked to within one unit in the third decimal.
    hand_w, hand_lam = _closed_form_3x3(1 / 7, 1 / 5, 3)
    result = ahp(_reciprocal_3x3(1 / 7, 1 / 5, 3))
    assert list(result.weights) == pytest.approx(hand_w, abs=1e-9)
    assert result.lambda_max == pytest.approx(hand_lam, abs=1e-9)
    assert list(result.weights) == pytest.approx([0.072, 0.650, 0.278], abs=1e-3)
    assert result.lambda_max == pytest.approx(3.065, abs=5e-4)
    assert result.ci == pytest.approx(0.032, abs=5e-4)
    assert result.cr == pytest.approx(0.056, abs=5e-4)
    assert result.consistent


# --------------------------------------------------------------------------- AHP: behaviour


def test_ahp_on_a_perfectly_consistent_matrix_returns_the_generating_weights():
    # a_ij = w_i / w_j has rank one: A w = n w, so λmax = n, CI = CR = 0 and the
    # eigenvector is w itself (Saaty 1990, §2).
    w = [0.4, 0.3, 0.2, 0.1]
    result = ahp([[wi / wj for wj in w] for wi in w])
    assert list(result.weights) == pytest.approx(w, abs=1e-12)
    assert result.lambda_max == pytest.approx(4.0, abs=1e-12)
    assert result.ci == pytest.approx(0.0, abs=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.ri == 0.90
    assert result.consistent
    result.require_consistent()


def test_ahp_two_and_one_criteria_are_always_consistent():
    # n = 2: [[1,3],[1/3,1]] -> w = (3/4, 1/4) by hand, λmax = 2; CI and CR are 0
    # by definition (RI = 0). n = 1: the single weight is 1.
    two = ahp([[1, 3], [1 / 3, 1]])
    assert list(two.weights) == pytest.approx([0.75, 0.25], abs=1e-12)
    assert two.lambda_max == pytest.approx(2.0, abs=1e-12)
    assert (two.ci, two.cr, two.ri) == (0.0, 0.0, 0.0)
    one = ahp([[1]])
    assert one == AhpResult(weights=(1.0,), lambda_max=1.0, ci=0.0, cr=0.0, n=1, ri=0.0)


def test_ahp_accepts_numpy_arrays_and_polars_frames_alike():
    from_lists = ahp(SAATY_2008_DRINKS)
    from_numpy = ahp(np.array(SAATY_2008_DRINKS))
    names = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
    frame = pl.DataFrame(np.array(SAATY_2008_DRINKS), schema=names)
    from_polars = ahp(frame)
    assert from_numpy == from_lists
    assert from_polars == from_lists


def test_ahp_result_is_frozen():
    result = ahp([[1, 2], [0.5, 1]])
    with pytest.raises(AttributeError):
        result.cr = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "must be square, got 2 rows × 3 columns"),
        ([], "empty"),
        ([[]], "empty"),
        ([1, 2, 3], "two-dimensional"),
        ([[1, 2], [0.5]], "rectangular"),
        ([[1, 0], [0, 1]], r"row 1, column 2 \(index \[0\]\[1\]\) is 0.0"),
        ([[1, -2], [-0.5, 1]], r"row 1, column 2 .* is -2.0"),
        ([[1, 2], [float("nan"), 1]], r"positive finite number; row 2, column 1"),
        ([[1, float("inf")], [0.0, 1]], r"positive finite number; row 1, column 2"),
        ([[2, 2], [0.5, 1]], r"diagonal .* must be 1 .* row 1, column 1"),
        ([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 3, 1]], r"not reciprocal: row 2, column 3"),
        ([[1, 3], [0.333, 1]], "must be 1/3 = 0.333333"),
        # Text and booleans are not judgements, though float() would read "2" as 2, true as 1.
        ([[1, "2"], [0.5, 1]], r'numbers only; row 1, column 2 \(index \[0\]\[1\]\) is "2"'),
        ([[True, 1], [1, True]], "numbers only; row 1, column 1 .* is true"),
        ([[1, [2]], [0.5, 1]], r"numbers only; row 1, column 2 .* is \[2\]"),
    ],
)
def test_ahp_refuses_a_malformed_matrix_and_says_where(matrix, expected):
    with pytest.raises(ValueError, match=expected):
        ahp(matrix)


def test_ahp_refusals_for_evaluators_are_also_in_chinese():
    with pytest.raises(ValueError, match="判断矩阵不满足互反性：第 1 行第 2 列为 3"):
        ahp([[1, 3], [0.5, 1]])
    with pytest.raises(ValueError, match="判断矩阵必须是方阵"):
        ahp([[1, 2]])


def test_ahp_refuses_a_matrix_larger_than_the_ri_table():
    with pytest.raises(ValueError, match="order 16 but the RI table covers only n ≤ 15"):
        ahp(np.ones((16, 16)))
    with pytest.raises(ValueError, match="order 4 but the RI table covers only n ≤ 3"):
        ahp(np.ones((4, 4)), ri=(0.0, 0.0, 0.58))


def test_ahp_refuses_a_polars_frame_with_text():
    frame = pl.DataFrame({"a": [1.0, 0.5], "b": ["2", "1"]})
    with pytest.raises(ValueError, match=r"non-numeric columns \['b'\]"):
        ahp(frame)


def test_ahp_uses_the_ri_table_it_is_given():
    # Same judgements, different RI table: CR = CI / RI scales accordingly.
    standard = ahp(SAATY_1990_HOUSE)
    other = ahp(SAATY_1990_HOUSE, ri=(0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40))
    assert other.ri == 1.40
    assert other.cr == pytest.approx(standard.ci / 1.40)


# --------------------------------------------------------------------------- AHP: properties

SAATY_SCALE = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]


@st.composite
def reciprocal_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(min_value=1, max_value=9))
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = draw(st.sampled_from(SAATY_SCALE))
            a[j, i] = 1 / a[i, j]
    return a


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices())
def test_ahp_weights_are_positive_and_sum_to_one(a):
    result = ahp(a)
    assert all(w > 0 for w in result.weights)
    assert math.fsum(result.weights) == pytest.approx(1.0, abs=1e-12)
    # λmax ≥ n for every positive reciprocal matrix (Saaty 1977).
    assert result.lambda_max >= result.n - 1e-9
    assert result.ci >= 0 and result.cr >= 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=3, max_size=9))
def test_ahp_on_any_consistent_matrix_has_cr_zero_and_gives_back_the_weights(raw):
    # a_ij = w_i / w_j is perfectly consistent (a_ij · a_jk = a_ik): A = w (1/w)ᵀ has
    # rank one and A w = n w, so λmax = n, CI = CR = 0 and the principal
    # eigenvector is w itself, whatever the weights (Saaty 1990, §2).
    w = np.array(raw)
    n = len(raw)
    matrix = (w[:, None] / w[None, :]).tolist()
    result = ahp(matrix)
    assert result.n == n and result.ri == SAATY_RI[n - 1]
    assert result.lambda_max == pytest.approx(n, abs=1e-9)
    assert result.ci == pytest.approx(0.0, abs=1e-9)
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.consistent
    assert list(result.weights) == pytest.approx((w / w.sum()).tolist(), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices(), st.randoms(use_true_random=False))
def test_ahp_permuting_criteria_permutes_the_weights(a, rnd):
    n = a.shape[0]
    order = list(range(n))
    rnd.shuffle(order)
    permuted = a[np.ix_(order, order)]
    original, shuffled = ahp(a), ahp(permuted)
    assert list(shuffled.weights) == pytest.approx([original.weights[k] for k in order], abs=1e-9)
    assert shuffled.lambda_max == pytest.approx(original.lambda_max, abs=1e-9)
    assert shuffled.cr == pytest.approx(original.cr, abs=1e-9)


# --------------------------------------------------------------------------- entropy

# Xu, X. (2004) "A note on the subjective and objective integrated approach to
# determine attribute weights", European Journal of Operational Research 156(2),
# 530-532: 4 alternatives × 4 attributes, entropy weights .4630 .3992 .1378 .0000.
XU_2004 = [
    [30, 30, 38, 29],
    [19, 54, 86, 29],
    [19, 15, 85, 28.9],
    [68, 70, 60, 29],
]

# Zavadskas, E. K. & Podvezko, V. (2016) "Integrated determination of objective
# criteria weights in MCDM", Int. J. Information Technology & Decision Making
# 15(2), 267-283: entropy weights of the raw matrix .1146 .1981 .4185 .2689.
ZAVADSKAS_PODVEZKO_2016 = [
    [3.0, 100, 10, 7],
    [2.5, 80, 8, 5],
    [1.8, 50, 20, 11],
    [2.2, 70, 12, 9],
]


def test_entropy_weights_reproduce_xu_2004():
    # Xu (2004), published to four decimals; the nearly constant fourth attribute
    # (29, 29, 28.9, 29) carries almost no information and gets ~0.
    weights = entropy_weights(XU_2004)
    assert weights == pytest.approx([0.4630, 0.3992, 0.1378, 0.0000], abs=5e-5)


def test_entropy_weights_reproduce_zavadskas_podvezko_2016():
    # Zavadskas & Podvezko (2016), entropy weights published to four decimals.
    weights = entropy_weights(ZAVADSKAS_PODVEZKO_2016)
    assert weights == pytest.approx([0.1146, 0.1981, 0.4185, 0.2689], abs=5e-5)


def test_entropy_gives_a_constant_column_zero_weight():
    # A column that is the same for every alternative cannot tell them apart:
    # p = 1/m each, e = 1, d = 0. Here the other column then carries everything.
    assert entropy_weights([[1, 7, 10], [2, 7, 10], [4, 7, 30]])[1] == 0.0
    assert entropy_weights([[1, 7], [2, 7], [4, 7]]) == [1.0, 0.0]


def test_entropy_treats_zero_log_zero_as_zero():
    # By hand, m = 3. Column 1 = (0, 1, 1): p = (0, 1/2, 1/2), −Σ p ln p = ln 2
    # (the 0·ln 0 term counts 0), e1 = ln 2 / ln 3. Column 2 = (1, 1, 2):
    # p = (1/4, 1/4, 1/2), −Σ p ln p = 2·(1/4)·ln 4 + (1/2)·ln 2 = 1.5 ln 2,
    # e2 = 1.5 ln 2 / ln 3. d = 1 − e; w = d / Σd -> (0.8732, 0.1268).
    d1 = 1 - math.log(2) / math.log(3)
    d2 = 1 - 1.5 * math.log(2) / math.log(3)
    weights = entropy_weights([[0, 1], [1, 1], [1, 2]])
    assert all(math.isfinite(w) for w in weights)
    assert weights == pytest.approx([d1 / (d1 + d2), d2 / (d1 + d2)], abs=1e-12)


def test_entropy_weights_do_not_change_when_a_column_is_rescaled():
    # p_ij = x_ij / Σ_i x_ij cancels a positive factor per column (e.g. a change of
    # unit from yuan to ten-thousand yuan).
    scaled = np.array(XU_2004, dtype=float) * np.array([1000.0, 0.01, 1.0, 7.5])
    assert entropy_weights(scaled) == pytest.approx(entropy_weights(XU_2004), abs=1e-12)


def test_entropy_sum_normalisation_gives_the_same_weights_as_none():
    # p_ij already divides each column by its sum, so pre-dividing changes nothing.
    assert entropy_weights(XU_2004, normalise="sum") == pytest.approx(
        entropy_weights(XU_2004), abs=1e-12
    )


def test_entropy_minmax_normalisation_by_hand():
    # Column 1 (1, 2, 3) -> (0, 1/2, 1); column 2 (10, 30, 20) -> (0, 1, 1/2):
    # the same values in another order, so the same entropy and equal weights.
    # A constant column (5, 5, 5) -> (0, 0, 0): sum 0, weight 0.
    assert entropy_weights([[1, 10, 5], [2, 30, 5], [3, 20, 5]], normalise="minmax") == (
        pytest.approx([0.5, 0.5, 0.0], abs=1e-12)
    )


def test_entropy_minmax_accepts_negative_values():
    # (−1, 0, 1) -> (0, 1/2, 1) by min-max; the same as column 1 above.
    assert entropy_weights([[-1, 1], [0, 2], [1, 3]], normalise="minmax") == (
        pytest.approx([0.5, 0.5], abs=1e-12)
    )


def test_entropy_with_no_informative_column_returns_equal_weights():
    assert entropy_weights([[3, 0, 1], [3, 0, 1]]) == pytest.approx([1 / 3] * 3)


def test_entropy_accepts_a_polars_frame():
    frame = pl.DataFrame(np.array(XU_2004), schema=["a", "b", "c", "d"])
    assert entropy_weights(frame) == pytest.approx(entropy_weights(XU_2004), abs=1e-15)


@pytest.mark.parametrize(
    ("matrix", "kwargs", "expected"),
    [
        (XU_2004, {"normalise": "zscore"}, "normalise must be one of None, 'minmax' or 'sum'"),
        ([[1, 2, 3]], {}, "at least 2 alternatives"),
        ([[1, 2], [-1, 3]], {}, r"non-negative values; row 2, column 1 .* is -1"),
        ([[1, 2], [-1, 3]], {"normalise": "sum"}, "non-negative values"),
        ([[1, 2], [float("nan"), 3]], {}, r"missing or non-finite value at row 2, column 1"),
        ([[1, 2], [None, 3]], {"normalise": "minmax"}, "missing or non-finite value"),
    ],
)
def test_entropy_refuses_what_it_cannot_weigh(matrix, kwargs, expected):
    with pytest.raises(ValueError, match=expected):
        entropy_weights(matrix, **kwargs)


decision_matrices = st.integers(min_value=2, max_value=7).flatmap(
    lambda m: st.integers(min_value=1, max_value=7).flatmap(
        lambda n: st.lists(
            st.lists(
                st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=1e6)),
                min_size=n,
                max_size=n,
            ),
            min_size=m,
            max_size=m,
        )
    )
)


@settings(max_examples=80, deadline=None)
@given(decision_matrices, st.sampled_from([None, "minmax", "sum"]))
def test_entropy_weights_are_non_negative_and_sum_to_one(matrix, normalise):
    weights = entropy_weights(matrix, normalise=normalise)
    assert len(weights) == len(matrix[0])
    assert all(w >= 0 for w in weights)
    assert math.fsum(weights) == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(decision_matrices, st.randoms(use_true_random=False))
def test_entropy_permuting_criteria_permutes_the_weights(matrix, rnd):
    x = np.array(matrix)
    order = list(range(x.shape[1]))
    rnd.shuffle(order)
    original = entropy_weights(x)
    assert entropy_weights(x[:, order]) == pytest.approx([original[k] for k in order], abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(decision_matrices, st.floats(min_value=1e-3, max_value=1e3))
def test_entropy_rescaling_a_column_never_changes_the_weights(matrix, factor):
    x = np.array(matrix)
    scaled = x.copy()
    scaled[:, 0] *= factor
    # Floating point, not the method: 5e-324 × 0.5 underflows to 0 and a column
    # that told alternatives apart becomes constant. Keep to normal numbers.
    tiny = np.finfo(np.float64).tiny
    assume(not np.any((x != 0) & ((np.abs(x) < tiny) | (np.abs(scaled) < tiny))))
    assert entropy_weights(scaled) == pytest.approx(entropy_weights(x), abs=1e-9)


# --------------------------------------------------------------------------- TOPSIS

# Hwang, C.-L. & Yoon, K. (1981) Multiple Attribute Decision Making: Methods and
# Applications, Springer, pp. 131-133, fighter-aircraft example. Attributes:
# max speed (Mach), ferry range (NM), max payload (lb), acquisition cost ($10^6,
# a cost), reliability, manoeuvrability (interval scale 1-9).
HWANG_YOON_AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
HWANG_YOON_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
HWANG_YOON_BENEFIT = [True, True, True, False, True, True]


def test_topsis_reproduces_hwang_yoon_1981_fighter_aircraft():
    # Hwang & Yoon (1981) p. 133: C* = 0.643, 0.268, 0.613, 0.312 (A1 > A3 > A4 > A2).
    # The book rounds intermediate values to four decimals (d+ = .0580, d- = .0920
    # for A3 gives .613 where the unrounded quotient is .6135), so agreement is
    # to within one unit in the third decimal.
    closeness = topsis(HWANG_YOON_AIRCRAFT, HWANG_YOON_WEIGHTS, benefit=HWANG_YOON_BENEFIT)
    assert closeness == pytest.approx([0.643, 0.268, 0.613, 0.312], abs=1e-3)
    ranking = sorted(range(4), key=lambda i: -closeness[i])
    assert ranking == [0, 2, 3, 1]


def test_topsis_cost_flag_matters():
    # Reading acquisition cost as a benefit must change the result, otherwise the
    # cost handling is not being exercised.
    as_benefit = topsis(HWANG_YOON_AIRCRAFT, HWANG_YOON_WEIGHTS)
    as_cost = topsis(HWANG_YOON_AIRCRAFT, HWANG_YOON_WEIGHTS, benefit=HWANG_YOON_BENEFIT)
    assert as_benefit != pytest.approx(as_cost, abs=1e-3)


def test_topsis_by_hand_two_alternatives_two_criteria():
    # x = [[3, 4], [4, 3]]: column norms 5, r = [[.6, .8], [.8, .6]], w = (.5, .5)
    # -> v = [[.3, .4], [.4, .3]]; both criteria benefits: A+ = (.4, .4),
    # A- = (.3, .3); every alternative is .1 from each -> C = 0.5 for both.
    assert topsis([[3, 4], [4, 3]], [0.5, 0.5]) == pytest.approx([0.5, 0.5], abs=1e-12)
    # Criterion 2 as a cost: A+ = (.4, .3), A- = (.3, .4); alternative 2 is A+.
    assert topsis([[3, 4], [4, 3]], [0.5, 0.5], benefit=[True, False]) == (
        pytest.approx([0.0, 1.0], abs=1e-12)
    )


def test_topsis_identical_alternatives_get_the_midpoint():
    # A+ = A-: d+ = d- = 0 for all, documented as C = 0.5.
    assert topsis([[2, 5], [2, 5], [2, 5]], [0.7, 0.3]) == [0.5, 0.5, 0.5]


def test_topsis_ignores_the_scale_of_the_weights():
    once = topsis(HWANG_YOON_AIRCRAFT, HWANG_YOON_WEIGHTS, benefit=HWANG_YOON_BENEFIT)
    tenfold = topsis(
        HWANG_YOON_AIRCRAFT, [10 * w for w in HWANG_YOON_WEIGHTS], benefit=HWANG_YOON_BENEFIT
    )
    assert tenfold == pytest.approx(once, abs=1e-12)


def test_topsis_accepts_a_polars_frame():
    frame = pl.DataFrame(np.array(HWANG_YOON_AIRCRAFT), schema=list("abcdef"))
    assert topsis(frame, HWANG_YOON_WEIGHTS, benefit=HWANG_YOON_BENEFIT) == pytest.approx(
        topsis(HWANG_YOON_AIRCRAFT, HWANG_YOON_WEIGHTS, benefit=HWANG_YOON_BENEFIT), abs=1e-15
    )


@pytest.mark.parametrize(
    ("weights", "benefit", "expected"),
    [
        ([0.5, 0.5], None, r"one weight per criterion: 6 criteria but weights of shape \(2,\)"),
        ([[0.2] * 6], None, "one weight per criterion"),
        ([0.2, 0.1, 0.1, 0.1, 0.2, -0.3], None, "finite and non-negative"),
        ([0.2, 0.1, 0.1, 0.1, 0.2, float("nan")], None, "finite and non-negative"),
        (HWANG_YOON_WEIGHTS, [True] * 5, "one True .* or False .* per criterion: 6 criteria"),
        (HWANG_YOON_WEIGHTS, [1, 1, 1, 0, 1, 1], "one True .* or False .* per criterion"),
        (HWANG_YOON_WEIGHTS, ["max"] * 6, "one True .* or False .* per criterion"),
    ],
)
def test_topsis_refuses_mismatched_weights_or_flags(weights, benefit, expected):
    with pytest.raises(ValueError, match=expected):
        topsis(HWANG_YOON_AIRCRAFT, weights, benefit=benefit)


def test_topsis_refuses_missing_values():
    with pytest.raises(ValueError, match="row 1, column 2"):
        topsis([[1, float("nan")], [2, 3]], [0.5, 0.5])


positive_matrices = st.integers(min_value=1, max_value=6).flatmap(
    lambda m: st.integers(min_value=1, max_value=6).flatmap(
        lambda n: st.tuples(
            st.lists(
                st.lists(st.floats(min_value=0.01, max_value=1000), min_size=n, max_size=n),
                min_size=m,
                max_size=m,
            ),
            st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=n, max_size=n),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    )
)


@settings(max_examples=80, deadline=None)
@given(positive_matrices)
def test_topsis_closeness_lies_between_zero_and_one(case):
    matrix, weights, benefit = case
    closeness = topsis(matrix, weights, benefit=benefit)
    assert len(closeness) == len(matrix)
    assert all(0.0 <= c <= 1.0 for c in closeness)


@settings(max_examples=80, deadline=None)
@given(
    positive_matrices,
    st.floats(min_value=0.5, max_value=10),
    st.data(),
)
def test_topsis_an_alternative_that_dominates_all_others_ranks_first(case, margin, data):
    # Build an alternative strictly better than every other on every criterion
    # (larger on benefits, smaller on costs) and give every criterion weight.
    matrix, weights, benefit = case
    x = np.array(matrix)
    weights = [w + 0.01 for w in weights]
    best = np.where(benefit, x.max(axis=0) + margin, x.min(axis=0) / (1 + margin))
    position = data.draw(st.integers(min_value=0, max_value=len(matrix)))
    rows = [*matrix[:position], best.tolist(), *matrix[position:]]
    closeness = topsis(rows, weights, benefit=benefit)
    assert closeness[position] == pytest.approx(1.0)
    others = closeness[:position] + closeness[position + 1 :]
    assert all(c < closeness[position] for c in others)


# --------------------------------------------------------------------------- equal and manual


@pytest.mark.parametrize("n", [1, 2, 3, 6, 7, 13])
def test_equal_weights_are_equal_and_sum_to_one(n):
    weights = equal_weights(n)
    assert len(weights) == n
    assert len(set(weights)) == 1
    assert math.fsum(weights) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("n", [0, -1, 2.5, True, "3"])
def test_equal_weights_refuses_anything_but_a_positive_count(n):
    with pytest.raises(ValueError, match="whole number of criteria"):
        equal_weights(n)


def test_manual_weights_that_sum_to_one_are_kept_as_typed():
    assert manual_weights([0.35, 0.35, 0.2, 0.1]) == [0.35, 0.35, 0.2, 0.1]
    assert manual_weights((1,)) == [1.0]
    # Within the tolerance: three thirds typed to seven decimals.
    assert manual_weights([0.3333333, 0.3333333, 0.3333334]) == [0.3333333, 0.3333333, 0.3333334]


def test_manual_weights_refuses_a_negative_weight_in_both_languages():
    with pytest.raises(ValueError, match="weight 2 is -0.1") as caught:
        manual_weights([0.6, -0.1, 0.5])
    assert "手工权重不能为负数：第 2 个权重为 -0.1" in str(caught.value)


def test_manual_weights_refuses_a_sum_other_than_one_in_both_languages():
    with pytest.raises(ValueError, match="must sum to 1 .* they sum to 0.999") as caught:
        manual_weights([0.333, 0.333, 0.333])
    assert "手工权重之和必须为 1" in str(caught.value)
    assert "当前为 0.999" in str(caught.value)
    with pytest.raises(ValueError, match="they sum to 1.1"):
        manual_weights([0.6, 0.5])


def test_manual_weights_tolerance_is_adjustable():
    assert manual_weights([0.333, 0.333, 0.333], tol=0.01) == [0.333, 0.333, 0.333]


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], "at least one manual weight"), ([0.5, float("nan")], "finite number")],
)
def test_manual_weights_refuses_empty_or_missing(values, expected):
    with pytest.raises(ValueError, match=expected):
        manual_weights(values)


@pytest.mark.parametrize(
    ("value", "typed"),
    [(None, "null"), ("0.5", '"0.5"'), ([0.5], "[0.5]"), (True, "true"), (np.bool_(True), "true")],
)
def test_manual_weights_refuses_what_is_not_a_number_in_both_languages(value, typed):
    # [True, False] would otherwise be read as [1.0, 0.0], summing to 1.
    with pytest.raises(ValueError) as caught:
        manual_weights([value, 0.0])
    message = str(caught.value)
    assert f"manual weight 1 is {typed}, not a number" in message
    assert f"第 1 个手工权重 {typed} 不是数字" in message


def test_manual_weights_accept_numpy_numbers():
    assert manual_weights([np.float64(0.25), np.int64(0), np.float32(0.75)]) == [0.25, 0.0, 0.75]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=1, max_size=12).filter(
        lambda v: sum(v) > 0
    )
)
def test_manual_weights_accepts_any_non_negative_weights_once_normalised(raw):
    total = math.fsum(raw)
    weights = manual_weights([v / total for v in raw])
    assert math.fsum(weights) == pytest.approx(1.0, abs=1e-6)
