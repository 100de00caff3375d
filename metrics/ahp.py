"""AHP: weights from a pairwise comparison matrix, and its consistency (SCORING.md §2).

Saaty's eigenvector method: the weights are the principal eigenvector
normalised to sum 1; λmax, CI = (λmax − n)/(n − 1) and CR = CI/RI with
Saaty's random index. Judgements with CR ≥ 0.10 are refused by
:meth:`AhpResult.require_consistent`. Pure: numbers in, numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from datasets.messages import BilingualError, Message
from metrics.matrices import MatrixLike, as_matrix, cell_name

__all__ = ["CR_THRESHOLD", "SAATY_RI", "AhpResult", "InconsistentJudgementsError", "ahp"]

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


class InconsistentJudgementsError(BilingualError, ValueError):
    """Pairwise judgements whose consistency ratio is CR ≥ 0.10.

    The offending :class:`AhpResult` is kept in ``result`` so that a caller can
    show λmax, CI and CR next to the message.
    """

    def __init__(self, message: Message, result: AhpResult) -> None:
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
        msg = Message(
            f"判断矩阵一致性比率 CR = {self.cr:.3f} ≥ {CR_THRESHOLD:.2f}，未通过一致性检验，"
            "请调整两两比较判断后重新计算权重。",
            f"CR = {self.cr:.3f} ≥ {CR_THRESHOLD:.2f}: the pairwise judgements are "
            f"inconsistent (n = {self.n}, λmax = {self.lambda_max:.3f}, CI = {self.ci:.3f}, "
            f"RI = {self.ri:.2f}); revise the comparisons that contradict each other and "
            "compute the weights again.",
        )
        raise InconsistentJudgementsError(msg, self)


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
    a = as_matrix(matrix, what="pairwise comparison matrix")
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
                    f"{cell_name(i, j)} is {value} / "
                    f"判断矩阵第 {i + 1} 行第 {j + 1} 列的值 {value} 无效，必须为正数"
                )
                raise ValueError(msg)
    for i in range(n):
        if not math.isclose(a[i, i], 1.0, rel_tol=_RECIPROCAL_RTOL):
            msg = (
                f"the diagonal of the pairwise comparison matrix must be 1 "
                f"(an element compared with itself); {cell_name(i, i)} is {a[i, i]} / "
                f"判断矩阵对角线必须为 1，第 {i + 1} 行第 {i + 1} 列为 {a[i, i]}"
            )
            raise ValueError(msg)
    for i in range(n):
        for j in range(i + 1, n):
            if not math.isclose(a[j, i], 1.0 / a[i, j], rel_tol=_RECIPROCAL_RTOL):
                msg = (
                    f"the pairwise comparison matrix is not reciprocal: {cell_name(i, j)} is "
                    f"{a[i, j]:g}, so {cell_name(j, i)} must be 1/{a[i, j]:g} = {1.0 / a[i, j]:.6g}, "
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
