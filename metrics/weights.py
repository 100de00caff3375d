"""Indicator weights: AHP, entropy weight (熵权法), equal and manual weights, TOPSIS.

SCORING.md §2. Every function here is pure: it takes numbers and returns
numbers, so an evaluator can re-run any of them by hand on the same inputs.

A ``matrix`` argument may be a list of lists, a 2-D numpy array or a polars
DataFrame whose columns are all numeric; rows and columns keep their order
(:mod:`metrics.matrices`). AHP lives in :mod:`metrics.ahp` and is
re-exported here, so this module stays the one public API of the weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from datasets.messages import Message, RefusedValue
from metrics.ahp import CR_THRESHOLD, SAATY_RI, AhpResult, InconsistentJudgementsError, ahp
from metrics.matrices import MatrixLike, as_matrix, cell_name, require_finite
from metrics.numbers import as_typed, is_number

__all__ = [
    "CR_THRESHOLD",
    "SAATY_RI",
    "AhpResult",
    "InconsistentJudgementsError",
    "MatrixLike",
    "ahp",
    "entropy_weights",
    "equal_weights",
    "manual_weights",
    "topsis",
]

_NORMALISERS = (None, "minmax", "sum")


def entropy_weights(matrix: MatrixLike, *, normalise: str | None = None) -> list[float]:
    """Objective criterion weights by the entropy weight method (熵权法).

    Parameters
    ----------
    matrix
        m × n decision matrix: rows are the m alternatives (m ≥ 2), columns the
        n criteria. No missing values.
    normalise
        What is done to each column before the entropy is taken; it is always
        explicit, never guessed (SCORING.md §2):

        ``None``
            Values are used as given and must be ≥ 0.
        ``"minmax"``
            x' = (x − min)/(max − min) per column; a constant column becomes
            all 0. Every column is read as "higher is more": turn cost columns
            around before calling if that matters to you.
        ``"sum"``
            x' = x / Σ_i x per column. Since p_ij below already divides by the
            column sum, this gives exactly the weights of ``None``; it exists so
            that a run record can name the normalisation. Values must be ≥ 0.

    Returns
    -------
    list of float
        One weight per criterion, each ≥ 0, summing to 1.

    Raises
    ------
    ValueError
        Unknown ``normalise``, fewer than 2 alternatives, a missing or
        non-finite value, or a negative value without ``"minmax"``.

    Notes
    -----
    p_ij = x_ij / Σ_i x_ij; e_j = −(1/ln m) Σ_i p_ij ln p_ij with 0·ln 0 = 0;
    d_j = 1 − e_j; w_j = d_j / Σ_k d_k. A column whose sum is 0 or whose values
    are all equal carries no information to tell alternatives apart, so
    d_j = 0 and its weight is 0. When every column is like that, no criterion
    is more informative than another and the weights are equal (1/n each)
    rather than the undefined 0/0.

    Examples
    --------
    >>> entropy_weights([[1, 10], [2, 10], [3, 10]])  # the constant column gets 0
    [1.0, 0.0]
    """
    if normalise not in _NORMALISERS:
        msg = f"normalise must be one of None, 'minmax' or 'sum', got {normalise!r}"
        raise ValueError(msg)
    x = as_matrix(matrix, what="decision matrix")
    m, n = x.shape
    if m < 2:
        msg = f"the entropy weight method needs at least 2 alternatives (rows), got {m}"
        raise ValueError(msg)
    require_finite(x, what="decision matrix")

    spread = x.max(axis=0) - x.min(axis=0)
    if normalise == "minmax":
        x = np.divide(x - x.min(axis=0), spread, out=np.zeros_like(x), where=spread > 0)
    else:
        negative = np.argwhere(x < 0)
        if negative.size:
            i, j = (int(v) for v in negative[0])
            msg = (
                f"the entropy weight method needs non-negative values; {cell_name(i, j)} is "
                f"{x[i, j]:g}. Use normalise='minmax' or shift the column first"
            )
            raise ValueError(msg)

    column_sum = x.sum(axis=0)
    p = np.divide(x, column_sum, out=np.zeros_like(x), where=column_sum > 0)
    p_log_p = p * np.log(p, out=np.zeros_like(p), where=p > 0)
    entropy = -p_log_p.sum(axis=0) / math.log(m)
    diversity = 1.0 - entropy
    diversity[(column_sum <= 0) | (spread == 0)] = 0.0
    # e_j ≤ 1 always; a value a hair above 1 is rounding, not information.
    diversity = np.clip(diversity, 0.0, None)

    total = float(diversity.sum())
    if total == 0.0:
        return equal_weights(n)
    return [float(d / total) for d in diversity]


def topsis(
    matrix: MatrixLike,
    weights: Sequence[float],
    *,
    benefit: Sequence[bool] | None = None,
) -> list[float]:
    """Closeness coefficients by TOPSIS (Hwang & Yoon 1981), a ranking view.

    Parameters
    ----------
    matrix
        m × n decision matrix: rows are alternatives, columns criteria.
    weights
        n non-negative criterion weights. Their scale does not matter (the
        closeness is unchanged when all weights are multiplied by a constant).
    benefit
        n flags: ``True`` where more is better, ``False`` for a cost criterion
        where less is better. ``None`` means every criterion is a benefit.

    Returns
    -------
    list of float
        Closeness C_i in [0, 1] per alternative, in row order; higher is better.

    Raises
    ------
    ValueError
        Missing or non-finite values, negative weights, or weights / benefit
        whose length is not the number of criteria.

    Notes
    -----
    r_ij = x_ij / sqrt(Σ_i x_ij²) (vector normalisation; an all-zero column stays
    0); v_ij = w_j r_ij; the ideal best A⁺ takes per criterion the largest v for
    a benefit and the smallest for a cost, the ideal worst A⁻ the opposite;
    d⁺_i and d⁻_i are Euclidean distances to A⁺ and A⁻; C_i = d⁻_i/(d⁺_i + d⁻_i).
    When d⁺_i = d⁻_i = 0 (A⁺ = A⁻: every alternative is the same on every
    weighted criterion) nothing separates the alternatives and C_i = 0.5, the
    midpoint, instead of the undefined 0/0.

    Examples
    --------
    >>> topsis([[1, 2], [2, 1]], [0.5, 0.5], benefit=[True, False])
    [0.0, 1.0]
    """
    x = as_matrix(matrix, what="decision matrix")
    m, n = x.shape
    require_finite(x, what="decision matrix")

    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        msg = f"topsis needs one weight per criterion: {n} criteria but weights of shape {w.shape}"
        raise ValueError(msg)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        msg = f"topsis weights must be finite and non-negative, got {w.tolist()}"
        raise ValueError(msg)

    if benefit is None:
        is_benefit = np.ones(n, dtype=bool)
    else:
        flags = list(benefit)
        if len(flags) != n or not all(isinstance(f, bool | np.bool_) for f in flags):
            msg = (
                f"benefit must give one True (benefit) or False (cost) per criterion: "
                f"{n} criteria, got {flags!r}"
            )
            raise ValueError(msg)
        is_benefit = np.array(flags, dtype=bool)

    norm = np.sqrt((x**2).sum(axis=0))
    r = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    v = r * w
    best = np.where(is_benefit, v.max(axis=0), v.min(axis=0))
    worst = np.where(is_benefit, v.min(axis=0), v.max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    denominator = d_best + d_worst
    closeness = np.divide(d_worst, denominator, out=np.full(m, 0.5), where=denominator > 0)
    return [float(c) for c in closeness]


def equal_weights(n: int) -> list[float]:
    """n equal weights, 1/n each.

    Parameters
    ----------
    n
        Number of criteria, at least 1.

    Examples
    --------
    >>> equal_weights(4)
    [0.25, 0.25, 0.25, 0.25]
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        msg = f"equal_weights needs a whole number of criteria ≥ 1, got {n!r}"
        raise ValueError(msg)
    return [1.0 / int(n)] * int(n)


def manual_weights(values: Sequence[float], *, tol: float = 1e-6) -> list[float]:
    """Weights typed by an evaluator, checked and returned unchanged as floats.

    Parameters
    ----------
    values
        One weight per criterion; each ≥ 0, together summing to 1.
    tol
        Allowed absolute difference between the sum and 1 (typing 0.333 three
        times is refused with the default; type what sums to 1).

    Raises
    ------
    ValueError
        Empty; a weight that is not a number (text, ``None``, a list, or a
        boolean, which Python would otherwise read as 1 or 0); a non-finite
        or negative weight; or a sum other than 1. The message is in English
        and Chinese.

    Examples
    --------
    >>> manual_weights([0.5, 0.3, 0.2])
    [0.5, 0.3, 0.2]
    """
    typed = list(values)
    if not typed:
        msg = Message("请至少输入一个手工权重", "give at least one manual weight")
        raise RefusedValue(msg)
    for k, v in enumerate(typed, start=1):
        if not is_number(v):
            msg = (
                f"manual weight {k} is {as_typed(v)}, not a number; type a number such as 0.25 / "
                f"第 {k} 个手工权重 {as_typed(v)} 不是数字，请输入数字（如 0.25）"
            )
            raise ValueError(msg)
    weights = [float(v) for v in typed]
    for k, w in enumerate(weights, start=1):
        if not math.isfinite(w):
            msg = (
                f"manual weight {k} is {w}; every weight must be a finite number / "
                f"第 {k} 个手工权重为 {w}，必须是有效数字"
            )
            raise ValueError(msg)
        if w < 0:
            msg = (
                f"manual weights cannot be negative: weight {k} is {w:g} / "
                f"手工权重不能为负数：第 {k} 个权重为 {w:g}"
            )
            raise ValueError(msg)
    total = math.fsum(weights)
    if abs(total - 1.0) > tol:
        msg = (
            f"manual weights must sum to 1 (tolerance {tol:g}), they sum to {total:.6g}; "
            "adjust them / "
            f"手工权重之和必须为 1（允许误差 {tol:g}），当前为 {total:.6g}，请调整"
        )
        raise ValueError(msg)
    return weights
