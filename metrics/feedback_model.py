"""The feedback measures of every cell under the hierarchical model (SCORING.md §3).

Pilot sites are few: 1–4 for many standards. Instead of resampling a
standard's own sites (which, with one or two sites, either sees no spread
at all or draws no site and drops the feedback dimension from the
replicate), each feedback measure of a cell is described by

- its **raw** estimate ȳ (the point value of SCORING.md §1) with sampling
  variance σ²/n, σ² the between-site variance borrowed from all standards
  of the same year key (:func:`metrics.shrinkage.moderated_variance`);
- its **shrunk** estimate and variance from the Fay–Herriot model, towards
  the mean of its priority area (or of the programme) in the same year key
  (:func:`metrics.shrinkage.fay_herriot`).

Replicates of the Likert means, coverage and the incident reduction are
normal draws around either estimate, correlated across measures as the
pooled within-standard residuals of the sites are, and clipped to [0, 1];
the completion share (B3) is a beta draw, so that an interval behaves at 0
and 1 (Jeffreys Beta(k + ½, n − k + ½) raw, the beta-binomial posterior
shrunk). A replicate therefore always has every feedback measure that the
point estimate has, and no other.

The incident reduction 1 − Σ after / Σ before is a ratio of sums; its
site values are linearised, u = R − (after − (1 − R)·before)/mean(before),
whose mean is R exactly (R unclipped; the clip to [0, 1] comes last).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from metrics.measures import MEASURES
from metrics.shrinkage import fay_herriot, moderated_variance, shrinkage_groups

__all__ = ["COMPLETED", "FeedbackModel", "fit_feedback_model"]

#: The rate measure drawn from a beta distribution.
COMPLETED = "feedback.completed"
_RATIO = "feedback.incident_reduction"
_MAX_STRENGTH = 1e6  # prior strength of a beta posterior when τ² is 0


@dataclass(frozen=True)
class FeedbackModel:
    """Per cell (row of ``ScoringData.cells``) and feedback measure: raw and shrunk.

    ``measures`` are the measures drawn from normals, ``centre``/``sd``
    arrays are (cells × measures), NaN where the cell has no value;
    ``shrunk_root`` (cells × measures × measures) a square root of the
    error covariance of the shrunk estimates;
    ``beta`` is (cells × 4): raw a, raw b, shrunk a, shrunk b of the
    completion share (NaN without one); ``chol`` the Cholesky factor of the
    residual correlation of ``measures`` per year key.
    """

    measures: tuple[str, ...]
    raw_centre: np.ndarray
    raw_sd: np.ndarray
    shrunk_centre: np.ndarray
    shrunk_root: np.ndarray
    completed: bool
    beta: np.ndarray
    shrunk_completed: np.ndarray
    chol: dict[str, np.ndarray]
    details: dict[str, Any]

    def draws(
        self,
        rows: Sequence[int],
        year_keys: Sequence[str],
        rngs: Sequence[np.random.Generator],
        n: int,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Raw and shrunk replicates of the cells ``rows``: (rows × n × measures) each.

        The same normal numbers serve both estimates; the completion share
        comes back apart, (rows × n) raw and shrunk, or ``None`` when unused.
        Each cell draws from its own generator in ``rngs``.
        """
        j = len(self.measures)
        raw = np.empty((len(rows), n, j))
        shrunk = np.empty((len(rows), n, j))
        done_raw = np.empty((len(rows), n)) if self.completed else None
        done_shrunk = np.empty((len(rows), n)) if self.completed else None
        for slot, (row, year_key, rng) in enumerate(zip(rows, year_keys, rngs, strict=True)):
            z = rng.standard_normal((n, j)) @ self.chol[year_key].T if j else np.zeros((n, 0))
            raw[slot] = np.clip(self.raw_centre[row] + self.raw_sd[row] * z, 0.0, 1.0)
            e = rng.standard_normal((n, j)) @ self.shrunk_root[row].T if j else z
            shrunk[slot] = np.clip(self.shrunk_centre[row] + e, 0.0, 1.0)
            if done_raw is not None and done_shrunk is not None:
                a, b, sa, sb = self.beta[row]
                done_raw[slot] = rng.beta(a, b, n) if a == a else np.nan
                done_shrunk[slot] = rng.beta(sa, sb, n) if sa == sa else np.nan
        return raw, shrunk, done_raw, done_shrunk

    def shrunk_points(self) -> dict[str, np.ndarray]:
        """The shrunk point value of every modelled measure per cell (clipped to [0, 1])."""
        out = {m: np.clip(self.shrunk_centre[:, k], 0.0, 1.0) for k, m in enumerate(self.measures)}
        if self.completed:
            out[COMPLETED] = self.shrunk_completed
        return out


def _site_values(units: pl.DataFrame, name: str, cell: np.ndarray, n_cells: int) -> np.ndarray:
    """Site values of one measure on its 0–1 scale (linearised for the ratio); NaN if blank."""
    if name != _RATIO:
        measure = MEASURES[name]
        return units.get_column(measure.column).cast(pl.Float64).to_numpy() / measure.scale
    before = units.get_column("fb_incidents_before").cast(pl.Float64).to_numpy()
    after = units.get_column("fb_incidents_after").cast(pl.Float64).to_numpy()
    both = ~(np.isnan(before) | np.isnan(after))
    b = np.where(both, before, 0.0)
    a = np.where(both, after, 0.0)
    total_b = np.bincount(cell, weights=b, minlength=n_cells)
    total_a = np.bincount(cell, weights=a, minlength=n_cells)
    count = np.bincount(cell, weights=both.astype(np.float64), minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = 1.0 - total_a / total_b
        mean_b = total_b / count
        value = ratio[cell] - (a - (1.0 - ratio[cell]) * b) / mean_b[cell]
    return np.where(both & (total_b[cell] > 0), value, np.nan)


def _positive(matrix: np.ndarray) -> np.ndarray:
    """The nearest correlation matrix with eigenvalues ≥ 1e-6 (unit diagonal)."""
    values, vectors = np.linalg.eigh(matrix)
    fixed = (vectors * np.maximum(values, 1e-6)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    return fixed / np.outer(scale, scale)


def _correlation(residuals: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Pairwise-complete correlation of residual columns, made positive definite."""
    j = residuals.shape[1]
    if j == 0:
        return np.zeros((0, 0))
    r = np.where(present, residuals, 0.0)
    p = present.astype(np.float64)
    cross = r.T @ r
    squares = (r * r).T @ p  # Σ r_j² over units where k is also present
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cross / np.sqrt(squares * squares.T)
    corr = np.where(np.isfinite(corr), np.clip(corr, -1.0, 1.0), 0.0)
    np.fill_diagonal(corr, 1.0)
    return _positive(corr)


def _between_correlation(
    means: np.ndarray, groups: np.ndarray, noise: np.ndarray, tau: np.ndarray
) -> np.ndarray:
    """Correlation of the true values of the measures between standards.

    The covariance of the standard means about their group means, less the
    mean covariance of their sampling errors (``noise``: cells × J × J),
    divided by τ_j τ_k; pairwise over the cells that have both measures.
    """
    j = means.shape[1]
    present = ~np.isnan(means)
    centred = np.zeros_like(means)
    for g in np.unique(groups):
        rows = groups == g
        block, seen = np.nan_to_num(means[rows]), present[rows]
        count = seen.sum(axis=0)
        centre = block.sum(axis=0) / np.maximum(count, 1)
        centred[rows] = np.where(seen, block - centre, 0.0)
    p = present.astype(np.float64)
    pairs = p.T @ p
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (centred.T @ centred) / np.maximum(pairs - 1.0, 1.0)
        err = np.einsum("sjk,sj,sk->jk", np.nan_to_num(noise), p, p) / np.maximum(pairs, 1.0)
        corr = (cov - err) / np.outer(tau, tau)
    corr = np.where(np.isfinite(corr) & (pairs > 2), np.clip(corr, -1.0, 1.0), 0.0)
    np.fill_diagonal(corr, 1.0)
    return _positive(corr) if j else corr


def _root(covariance: np.ndarray) -> np.ndarray:
    """A square root L (L Lᵀ = C) of each (J × J) covariance, zero where degenerate."""
    values, vectors = np.linalg.eigh(covariance)
    return vectors * np.sqrt(np.maximum(values, 0.0))[..., None, :]


def fit_feedback_model(
    cells: pl.DataFrame, units: pl.DataFrame, measures: Sequence[str]
) -> FeedbackModel:
    """Fit the raw and shrunk estimates of every feedback measure of every cell.

    Parameters
    ----------
    cells
        ``ScoringData.cells`` (``standard_code, year_key, priority_area``, …).
    units
        ``ScoringData.feedback_units``: one row per site and cell.
    measures
        The feedback measures the config uses (``feedback.*``).

    Returns
    -------
    FeedbackModel
        ``details`` gives, per year key and measure, the pooled between-site
        standard deviation and τ (both on the 0–1 scale), for the run record.
    """
    n_cells = cells.height
    position = {key: k for k, key in enumerate(cells.select("standard_code", "year_key").rows())}
    cell = np.array(
        [position[key] for key in units.select("standard_code", "year_key").rows()], dtype=np.int64
    )
    cell_years = cells.get_column("year_key").to_list()
    areas = cells.get_column("priority_area").to_list()
    normal = tuple(m for m in measures if m != COMPLETED)
    completed = COMPLETED in measures
    shape = (n_cells, len(normal))
    raw_centre, raw_sd = np.full(shape, np.nan), np.full(shape, np.nan)
    shrunk_centre = np.full(shape, np.nan)
    weight, sampling_var, mean_var = np.ones(shape), np.zeros(shape), np.zeros(shape)
    tau = {y: np.zeros(len(normal)) for y in dict.fromkeys(cell_years)}
    group_of = np.empty(n_cells, dtype=object)
    beta = np.full((n_cells, 4), np.nan)
    shrunk_completed = np.full(n_cells, np.nan)
    details: dict[str, Any] = {}
    unit_years = np.array(cell_years, dtype=object)[cell] if len(cell) else np.array([])
    residuals = np.full((len(cell), len(normal)), np.nan)

    for name in (*normal, *([COMPLETED] if completed else [])):
        values = _site_values(units, name, cell, n_cells)
        present = ~np.isnan(values)
        count = np.bincount(cell[present], minlength=n_cells).astype(np.float64)
        total = np.bincount(cell[present], weights=values[present], minlength=n_cells)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
        deviation = np.where(present, values - mean[cell], 0.0) if len(cell) else values
        squares = np.bincount(cell, weights=deviation**2, minlength=n_cells)
        if name in normal:
            residuals[:, normal.index(name)] = np.where(present, deviation, np.nan)
        for year_key in dict.fromkeys(cell_years):
            rows = np.flatnonzero((np.array(cell_years) == year_key) & (count > 0))
            if not rows.size:
                continue
            variance, pooled = moderated_variance(squares[rows], count[rows] - 1.0)
            sampling = variance / count[rows]
            groups = shrinkage_groups([areas[r] for r in rows])
            fit = fay_herriot(mean[rows], sampling, groups)
            details[f"{year_key}|{name}"] = {
                "site_sd": round(float(np.sqrt(pooled)), 6),
                "tau": None if fit.tau2 != fit.tau2 else round(float(np.sqrt(fit.tau2)), 6),
            }
            if name == COMPLETED:
                done = mean[rows] * count[rows]
                strength = np.minimum(
                    count[rows] * (1.0 - fit.weight) / np.maximum(fit.weight, 1e-12),
                    _MAX_STRENGTH,
                )
                centre = np.clip(fit.group_mean, 0.0, 1.0)
                beta[rows] = np.column_stack(
                    [
                        done + 0.5,
                        count[rows] - done + 0.5,
                        strength * centre + done + 0.5,
                        strength * (1.0 - centre) + count[rows] - done + 0.5,
                    ]
                )
                shrunk_completed[rows] = np.clip(fit.estimate, 0.0, 1.0)
                continue
            k = normal.index(name)
            raw_centre[rows, k] = mean[rows]
            raw_sd[rows, k] = np.sqrt(sampling)
            shrunk_centre[rows, k] = fit.estimate
            weight[rows, k] = fit.weight
            sampling_var[rows, k] = sampling
            tau2 = 0.0 if fit.tau2 != fit.tau2 else fit.tau2
            tau[year_key][k] = np.sqrt(tau2)
            # g2 + 2·g3 (the group mean and τ² are estimated), per unit (1 − λ)²
            with np.errstate(invalid="ignore", divide="ignore"):
                spread = np.where(fit.weight < 1, (fit.variance - fit.weight * sampling), 0.0)
                mean_var[rows, k] = np.where(
                    fit.weight < 1, spread / np.maximum((1 - fit.weight) ** 2, 1e-300), 0.0
                )
            group_of[rows] = [f"{year_key}|{g}" for g in groups]

    chol = {}
    shrunk_root = np.zeros((n_cells, len(normal), len(normal)))
    years = np.array(cell_years, dtype=object)
    for year_key in dict.fromkeys(cell_years):
        mine = unit_years == year_key if len(cell) else np.zeros(0, dtype=bool)
        block = residuals[mine]
        within = _correlation(block, ~np.isnan(block))
        chol[year_key] = np.linalg.cholesky(within) if len(normal) else within
        rows = np.flatnonzero(years == year_key)
        present = ~np.isnan(raw_centre[rows])
        sd = np.where(present, np.sqrt(sampling_var[rows]), 0.0)
        noise = sd[:, :, None] * sd[:, None, :] * within
        labels = np.array([g if g is not None else "" for g in group_of[rows]], dtype=object)
        between = _between_correlation(raw_centre[rows], labels, noise, tau[year_key])
        lam = np.where(present, weight[rows], 0.0)
        a = (1.0 - lam) * tau[year_key]  # shrinkage error: (1 − λ)(θ − μ)
        b = lam * sd  # sampling error carried: λ·e
        c = np.where(present, (1.0 - lam) * np.sqrt(mean_var[rows]), 0.0)  # estimated μ, τ²
        covariance = (
            a[:, :, None] * a[:, None, :] * between
            + b[:, :, None] * b[:, None, :] * within
            + c[:, :, None] * c[:, None, :] * between
        )
        shrunk_root[rows] = _root(covariance)
    return FeedbackModel(
        measures=normal,
        raw_centre=raw_centre,
        raw_sd=raw_sd,
        shrunk_centre=shrunk_centre,
        shrunk_root=shrunk_root,
        completed=completed,
        beta=beta,
        shrunk_completed=shrunk_completed,
        chol=chol,
        details=details,
    )
