"""Indicator weights: AHP, entropy weight (熵权法), equal and manual weights, TOPSIS.

SCORING.md §2. Every function here is pure: it takes numbers and returns
numbers, so an evaluator can re-run any of them by hand on the same inputs.

A ``matrix`` argument may be a list of lists, a 2-D numpy array or a polars
DataFrame whose columns are all numeric; rows and columns keep their order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

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

MatrixLike = Sequence[Sequence[float]] | np.ndarray | pl.DataFrame

#: Saaty's random consistency index RI for n = 1..15 (SCORING.md §2). The
#: mean CI of random reciprocal matrices of order n; RI[n - 1] is used for n.
# fmt: off
SAATY_RI: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)
# fmt: on

#: Saaty's rule: judgements with CR below 0.10 are acceptably consistent.
CR_THRESHOLD = 0.10

# Relative tolerance for "a_ji is the reciprocal of a_ij" and "a_ii is 1".
_RECIPROCAL_RTOL = 1e-6

_NORMALISERS = (None, "minmax", "sum")


class InconsistentJudgementsError(ValueError):
    """Pairwise judgements whose consistency ratio is CR ≥ 0.10.

    The offending :class:`AhpResult` is kept in ``result`` so that a caller can
    show λmax, CI and CR next to the message.
    """

    def __init__(self, message: str, result: AhpResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class AhpResult:
    """Outcome of :func:`ahp` on one pairwise comparison matrix.

    Attributes
    ----------
    weights
        Principal right eigenvector, positive and normalised to sum 1.
    lambda_max
        Principal eigenvalue λmax.
    ci
        Consistency index (λmax − n)/(n − 1); 0 for n ≤ 2.
    cr
        Consistency ratio CI/RI; 0 where RI is 0 (n ≤ 2).
    n
        Order of the matrix.
    ri
        Random index used for this n (from the ``ri`` table given to :func:`ahp`).
    """

    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float
    n: int
    ri: float

    @property
    def consistent(self) -> bool:
        """Whether CR < 0.10, Saaty's acceptance rule."""
        return self.cr < CR_THRESHOLD

    def require_consistent(self) -> None:
        """Raise :class:`InconsistentJudgementsError` when CR ≥ 0.10.

        Examples
        --------
        >>> ahp([[1, 2], [0.5, 1]]).require_consistent()  # n = 2 is always consistent
        """
        if self.consistent:
            return
        msg = (
            f"CR = {self.cr:.3f} ≥ {CR_THRESHOLD:.2f}: the pairwise judgements are "
            f"inconsistent (n = {self.n}, λmax = {self.lambda_max:.3f}, CI = {self.ci:.3f}, "
            f"RI = {self.ri:.2f}); revise the comparisons that contradict each other and "
            "compute the weights again. / "
            f"判断矩阵一致性比率 CR = {self.cr:.3f} ≥ {CR_THRESHOLD:.2f}，未通过一致性检验，"
            "请调整两两比较判断后重新计算权重。"
        )
        raise InconsistentJudgementsError(msg, self)


def _cell(i: int, j: int) -> str:
    """Name a cell both ways, since evaluators count from 1 and code from 0."""
    return f"row {i + 1}, column {j + 1} (index [{i}][{j}])"


def _as_matrix(matrix: MatrixLike, *, what: str) -> np.ndarray:
    """Convert a list of lists, numpy array or numeric polars DataFrame to float64 2-D."""
    if isinstance(matrix, pl.DataFrame):
        non_numeric = [name for name, dtype in matrix.schema.items() if not dtype.is_numeric()]
        if non_numeric:
            msg = f"the {what} has non-numeric columns {non_numeric}; give numbers only"
            raise ValueError(msg)
        array = matrix.cast(pl.Float64).to_numpy()
    else:
        try:
            array = np.asarray(matrix, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            msg = (
                f"the {what} must be a rectangular table of numbers "
                f"(every row the same length): {exc}"
            )
            raise ValueError(msg) from exc
    if array.size == 0:
        msg = f"the {what} is empty: give at least one row and one column"
        raise ValueError(msg)
    if array.ndim != 2:
        msg = f"the {what} must be two-dimensional (rows × columns), got {array.ndim} dimension(s)"
        raise ValueError(msg)
    return array


def _require_finite(array: np.ndarray, *, what: str) -> None:
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        msg = (
            f"the {what} has a missing or non-finite value at {_cell(i, j)}: {array[i, j]}; "
            "fill or drop it before computing weights"
        )
        raise ValueError(msg)


def ahp(matrix: MatrixLike, *, ri: Sequence[float] = SAATY_RI) -> AhpResult:
    """Weights from a pairwise comparison matrix by Saaty's eigenvector method.

    ``matrix[i][j]`` says how many times more important criterion i is than
    criterion j (Saaty's 1–9 scale and reciprocals).

    Parameters
    ----------
    matrix
        Square, positive, reciprocal matrix (a_ii = 1, a_ji = 1/a_ij within a
        relative tolerance of 1e-6; type 1/3 as a fraction, not 0.333).
    ri
        Random index table, ``ri[n - 1]`` for order n; defaults to :data:`SAATY_RI`.

    Returns
    -------
    AhpResult
        Weights (principal eigenvector normalised to sum 1), λmax, CI, CR, n
        and the RI used. The result is returned even when CR ≥ 0.10; call
        :meth:`AhpResult.require_consistent` to refuse such judgements.

    Raises
    ------
    ValueError
        If the matrix is empty, not square, larger than the RI table, has a
        non-positive or non-finite entry, a diagonal entry other than 1, or is
        not reciprocal. The message names the cell, in English and Chinese.

    Notes
    -----
    λmax is the largest real part among the eigenvalues (for a positive
    matrix this is the Perron root, which is real and simple); the weights are
    the real part of its eigenvector. CI = (λmax − n)/(n − 1), clipped at 0
    because λmax ≥ n holds for every positive reciprocal matrix and a negative
    value can only be rounding; CI is 0 for n ≤ 2. CR = CI/RI, and 0 when RI is
    0 (n ≤ 2, where any reciprocal matrix is consistent).

    Examples
    --------
    >>> result = ahp([[1, 3], [1 / 3, 1]])
    >>> [round(w, 3) for w in result.weights], result.cr, result.consistent
    ([0.75, 0.25], 0.0, True)
    """
    a = _as_matrix(matrix, what="pairwise comparison matrix")
    rows, cols = a.shape
    if rows != cols:
        msg = (
            f"the pairwise comparison matrix must be square, got {rows} rows × {cols} columns / "
            f"判断矩阵必须是方阵，当前为 {rows} 行 × {cols} 列"
        )
        raise ValueError(msg)
    n = rows
    if n > len(ri):
        msg = (
            f"the pairwise comparison matrix has order {n} but the RI table covers only "
            f"n ≤ {len(ri)}; split the criteria into smaller groups / "
            f"判断矩阵阶数为 {n}，超出随机一致性指标表的范围（n ≤ {len(ri)}），请分组比较"
        )
        raise ValueError(msg)
    for i in range(n):
        for j in range(n):
            value = float(a[i, j])
            if not math.isfinite(value) or value <= 0:
                msg = (
                    f"every pairwise judgement must be a positive finite number; "
                    f"{_cell(i, j)} is {value} / "
                    f"判断矩阵第 {i + 1} 行第 {j + 1} 列的值 {value} 无效，必须为正数"
                )
                raise ValueError(msg)
    for i in range(n):
        if not math.isclose(a[i, i], 1.0, rel_tol=_RECIPROCAL_RTOL):
            msg = (
                f"the diagonal of the pairwise comparison matrix must be 1 "
                f"(an element compared with itself); {_cell(i, i)} is {a[i, i]} / "
                f"判断矩阵对角线必须为 1，第 {i + 1} 行第 {i + 1} 列为 {a[i, i]}"
            )
            raise ValueError(msg)
    for i in range(n):
        for j in range(i + 1, n):
            if not math.isclose(a[j, i], 1.0 / a[i, j], rel_tol=_RECIPROCAL_RTOL):
                msg = (
                    f"the pairwise comparison matrix is not reciprocal: {_cell(i, j)} is "
                    f"{a[i, j]:g}, so {_cell(j, i)} must be 1/{a[i, j]:g} = {1.0 / a[i, j]:.6g}, "
                    f"but it is {a[j, i]:g} / "
                    f"判断矩阵不满足互反性：第 {i + 1} 行第 {j + 1} 列为 {a[i, j]:g}，"
                    f"第 {j + 1} 行第 {i + 1} 列应为其倒数 {1.0 / a[i, j]:.6g}，实际为 {a[j, i]:g}"
                )
                raise ValueError(msg)

    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()

    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 2 else 0.0
    ri_n = float(ri[n - 1])
    cr = ci / ri_n if ri_n > 0 else 0.0
    return AhpResult(
        weights=tuple(float(w) for w in weights),
        lambda_max=lambda_max,
        ci=ci,
        cr=cr,
        n=n,
        ri=ri_n,
    )


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
    x = _as_matrix(matrix, what="decision matrix")
    m, n = x.shape
    if m < 2:
        msg = f"the entropy weight method needs at least 2 alternatives (rows), got {m}"
        raise ValueError(msg)
    _require_finite(x, what="decision matrix")

    spread = x.max(axis=0) - x.min(axis=0)
    if normalise == "minmax":
        x = np.divide(x - x.min(axis=0), spread, out=np.zeros_like(x), where=spread > 0)
    else:
        negative = np.argwhere(x < 0)
        if negative.size:
            i, j = (int(v) for v in negative[0])
            msg = (
                f"the entropy weight method needs non-negative values; {_cell(i, j)} is "
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
    x = _as_matrix(matrix, what="decision matrix")
    m, n = x.shape
    _require_finite(x, what="decision matrix")

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
        Empty, a missing, non-finite or negative weight, or a sum other than 1;
        the message is in English and Chinese.

    Examples
    --------
    >>> manual_weights([0.5, 0.3, 0.2])
    [0.5, 0.3, 0.2]
    """
    weights = [float(v) for v in values]
    if not weights:
        msg = "give at least one manual weight / 请至少输入一个手工权重"
        raise ValueError(msg)
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
