"""The hierarchical (empirical-Bayes, Fay–Herriot) model of SCORING.md §3.

A standard's feedback measure (a Likert mean, coverage, completion, the
incident reduction) is the mean ȳ of its n pilot sites. Two variances
matter:

- σ², the spread *between sites* of one standard. A standard with 1–4
  sites cannot see it, so it is **borrowed**: the pooled within-standard
  variance of all standards (Σ residual squares / Σ (n − 1)) is mixed
  with the standard's own as if it were :data:`PRIOR_DF` more sites'
  worth of residual degrees of freedom (:func:`moderated_variance`).
  The sampling variance of ȳ is then v = σ²/n.
- τ², the spread of the true values *between standards* around their
  group (priority-area) mean, estimated by Prasad and Rao's moment
  estimator: τ² = max(0, (Σ (ȳ − ȳ_g)² − Σ v (1 − 1/n_g)) / (S − G)) over S
  standards in G groups, ȳ_g the plain group mean.

The shrunk estimate is λ·ȳ + (1 − λ)·μ_g with λ = τ²/(τ² + v) and μ_g the
precision-weighted group mean (weights 1/(τ² + v)); its variance is
Prasad and Rao's g1 + g2 + 2·g3: λ·v (the posterior variance),
(1 − λ)²/Σ_g 1/(τ² + v) (the uncertainty of the group mean) and twice
g3 = v²/(τ² + v)³ · 2 Σ (τ² + v)² / S² (the uncertainty of τ²). A
standard with one site moves most; one with many hardly at all.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MIN_GROUP",
    "PRIOR_DF",
    "FayHerriot",
    "fay_herriot",
    "moderated_variance",
    "shrinkage_groups",
]

#: Residual degrees of freedom the pooled between-site variance counts for.
PRIOR_DF = 4.0
#: A priority area needs this many standards to be its own group.
MIN_GROUP = 3


@dataclass(frozen=True)
class FayHerriot:
    """The fitted model: shrunk estimates, their variances, weights and the fit."""

    estimate: np.ndarray
    variance: np.ndarray
    weight: np.ndarray
    group_mean: np.ndarray
    tau2: float


def moderated_variance(
    sum_squares: np.ndarray, df: np.ndarray, *, prior_df: float = PRIOR_DF
) -> tuple[np.ndarray, float]:
    """Between-site variance per standard, its own mixed with the pooled one.

    Parameters
    ----------
    sum_squares, df
        Per standard: Σ (y − ȳ)² over its sites and n − 1 (0 for one site).
    prior_df
        Degrees of freedom the pooled variance counts for.

    Returns
    -------
    tuple
        (prior_df · pooled + Σ (y − ȳ)²) / (prior_df + n − 1) per standard,
        and the pooled variance Σ Σ (y − ȳ)² / Σ (n − 1) (0 without any
        standard of two sites or more).

    Examples
    --------
    >>> var, pooled = moderated_variance(np.array([0.0, 2.0, 6.0]), np.array([0, 2, 4]))
    >>> round(pooled, 6), var.round(6).tolist()
    (1.333333, [1.333333, 1.222222, 1.416667])
    """
    total_df = float(np.sum(df))
    pooled = float(np.sum(sum_squares)) / total_df if total_df > 0 else 0.0
    return (prior_df * pooled + sum_squares) / (prior_df + df), pooled


def shrinkage_groups(areas: Sequence[Hashable | None]) -> list[Hashable]:
    """The group of each standard: its priority area, if that has ≥ MIN_GROUP standards.

    Standards without an area, or in an area with fewer standards, form one
    group together (the programme).

    Examples
    --------
    >>> shrinkage_groups(["CII", "CII", "CII", "PI", None])
    ['CII', 'CII', 'CII', '(programme)', '(programme)']
    """
    counts: dict[Hashable, int] = {}
    for area in areas:
        if area is not None:
            counts[area] = counts.get(area, 0) + 1
    return [
        area if area is not None and counts[area] >= MIN_GROUP else "(programme)" for area in areas
    ]


def fay_herriot(means: np.ndarray, variances: np.ndarray, groups: Sequence[Hashable]) -> FayHerriot:
    """Shrink each mean towards its group's mean by the Fay–Herriot model.

    Parameters
    ----------
    means
        (S,) standard means ȳ (no NaN).
    variances
        (S,) their sampling variances v (≥ 0, taken as known).
    groups
        Group of each standard (see :func:`shrinkage_groups`).

    Returns
    -------
    FayHerriot
        With fewer standards than groups + 1 there is nothing to estimate τ²
        from: the means are returned unchanged (λ = 1, variance v).

    Examples
    --------
    Three standards, v = 1 each, means 1, 2, 6: ȳ_g = 3, Σ(ȳ − ȳ_g)² = 14,
    Σ v (1 − 1/3) = 2, so τ² = 12/2 = 6 and λ = 6/7.

    >>> fit = fay_herriot(np.array([1.0, 2.0, 6.0]), np.ones(3), ["g"] * 3)
    >>> fit.tau2, fit.weight.round(4).tolist(), fit.estimate.round(4).tolist()
    (6.0, [0.8571, 0.8571, 0.8571], [1.2857, 2.1429, 5.5714])
    >>> fit.variance.round(4).tolist()  # 6/7 + (1/7)²/(3/7) + 2 · (1/7³) · 2·3·7²/3² = 23/21
    [1.0952, 1.0952, 1.0952]
    """
    y = np.asarray(means, dtype=np.float64)
    v = np.asarray(variances, dtype=np.float64)
    labels = {g: k for k, g in enumerate(dict.fromkeys(groups))}
    index = np.array([labels[g] for g in groups], dtype=np.int64)
    n_groups = len(labels)
    size = np.bincount(index, minlength=n_groups).astype(np.float64)
    if len(y) <= n_groups:
        return FayHerriot(y.copy(), v.copy(), np.ones(len(y)), y.copy(), float("nan"))
    plain = np.bincount(index, weights=y, minlength=n_groups) / size
    residual = float(np.sum((y - plain[index]) ** 2))
    noise = float(np.sum(v * (1.0 - 1.0 / size[index])))
    tau2 = max(0.0, (residual - noise) / (len(y) - n_groups))
    total = tau2 + v
    if np.any(total <= 0):  # no noise and no spread: every mean is exact
        return FayHerriot(y.copy(), v.copy(), np.ones(len(y)), y.copy(), tau2)
    precision = 1.0 / total
    mass = np.bincount(index, weights=precision, minlength=n_groups)
    centre = np.bincount(index, weights=precision * y, minlength=n_groups) / mass
    weight = tau2 / total
    estimate = weight * y + (1.0 - weight) * centre[index]
    # g3: what τ² being estimated adds (Prasad and Rao 1990), counted twice
    tau2_variance = 2.0 * float(np.sum(total**2)) / len(y) ** 2
    g3 = v**2 / total**3 * tau2_variance
    variance = weight * v + (1.0 - weight) ** 2 / mass[index] + 2.0 * g3
    return FayHerriot(estimate, variance, weight, centre[index], tau2)
