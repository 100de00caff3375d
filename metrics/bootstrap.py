"""Bootstrap intervals for every indicator, dimension and composite (SCORING.md §3).

Survey respondents: a stratified Poisson bootstrap. Within each standard,
respondents are resampled within each survey year (the overall survey sums
being the sum of the years'). Each replicate gives every respondent a
Poisson count, the number of times it is drawn; their mean is (n − 1)/n
for n respondents, a small-sample expansion (see :func:`count_mean`). A
replicate in which some survey measure of the point estimate has no
respondent left is drawn again (conditioning on at least one), so a
replicate never changes which sources or dimensions are present.

Pilot sites: too few for resampling (1–4 for many standards), so the
feedback measures are drawn from the hierarchical model of
:mod:`metrics.feedback_model` instead: normal draws around the raw and the
shrunk estimate whose variance borrows the between-site spread from all
standards, and beta draws for the completion share.

The indicator rules are then applied to each replicate exactly as to the
data (:mod:`metrics.composite`), once with the raw and once with the shrunk
feedback measures; intervals are percentile intervals.

Vectorised: for each cell the counts are one (replicates × units) matrix
and the sums of every measure one matrix product with the (units × sums)
feature matrix; Python loops only over standards, never over replicates.
Unit values are integers (:mod:`metrics.config` scales), so the sums are
exact (float32 where no sum can reach 2^24, else float64). The random
stream of a cell is seeded from (seed, standard code, year, source), so a
standard's interval does not depend on what else is in scope.

Counts are drawn by inverse transform from 16 random bits (the CDF
quantised to 1/65536: each probability within 1.6e-5 of the exact one,
counts capped at 8, P(more) < 1e-6), several times faster than
``Generator.poisson``.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl

from metrics.blas_threads import blas_threads
from metrics.composite import composite_score, dimension_values, mean_present
from metrics.config import IndicatorConfig
from metrics.feedback_model import COMPLETED, FeedbackModel
from metrics.indicators import ScoringData
from metrics.intervals import interval_frame, percentile_interval
from metrics.measures import MEASURES

__all__ = [
    "BootstrapResult",
    "bootstrap_scores",
    "count_mean",
    "percentile_interval",
    "poisson_counts",
]

_SURVEY, _FEEDBACK = 1, 2
_CHUNK = 1 << 22  # elements of one (replicates × units) block: 32 MB of float64


@lru_cache(maxsize=64)
def _poisson_table(mean: float) -> np.ndarray:
    """Poisson(mean) counts (capped at 8) indexed by 16 random bits.

    Inverse transform: entry j is the count k with CDF(k − 1) ≤ (j + ½)/65536
    < CDF(k); as the table only holds the values 0…8 in order, it is built
    from the 8 positions where the count steps up.
    """
    k = np.arange(8)
    log_pmf = -mean + k * math.log(mean) - np.array([math.lgamma(int(i) + 1) for i in k])
    steps = np.ceil(np.cumsum(np.exp(log_pmf)) * 65536.0 - 0.5).clip(0, 65536).astype(np.int64)
    runs = np.diff(np.concatenate([[0], steps, [65536]]))
    return np.repeat(np.arange(9, dtype=np.float32), runs)


_MAX_COUNT = 8.0  # the tables stop at 8 (P(Poisson(1) > 8) ≈ 1e-6)
_EXACT_FLOAT32 = float(2**24)  # integers up to here add exactly in float32
_ROUNDS = 64  # redraws of replicates that lost every respondent of a measure
_LARGE = 2000  # from here on (n − 1)/n is taken as 1 (a variance change below 0.05 %)


def count_mean(units: int) -> float:
    """Mean of the Poisson counts in a cell of ``units`` units: (n − 1)/n.

    A small-sample expansion for the survey respondents of a cell. With
    Poisson(1) counts the resampled mean of n units has about the variance
    s²/n (s² with n − 1), and percentile intervals from few units fall short
    of 95 % (0.92 in the first coverage benchmark, with 5–15 units).
    Drawing on average n − 1 units instead of n widens the variance of a
    resampled mean by about n/(n − 1) (× 1.32 at n = 5, × 1.06 at n = 20,
    × 1.03 at n = 50): always less than a Student-t interval would (× 2.0,
    × 1.14, × 1.06), and enough to bring the benchmark's coverage to 0.94.
    It fades out as n grows: 1 for a single unit (there is no spread to
    learn from) and from 2,000 units on (a change below 0.05 %).

    Examples
    --------
    >>> count_mean(5), count_mean(1), count_mean(10_000)
    (0.8, 1.0, 1.0)
    """
    if units <= 1 or units >= _LARGE:
        return 1.0
    return (units - 1) / units


def poisson_counts(
    rng: np.random.Generator, rows: int, cols: int, *, mean: float = 1.0
) -> np.ndarray:
    """A (rows × cols) float32 matrix of Poisson(``mean``) counts (whole numbers 0–8).

    Examples
    --------
    >>> w = poisson_counts(np.random.default_rng(0), 1000, 1000)
    >>> bool(abs(w.mean() - 1) < 0.01 and abs(w.var() - 1) < 0.01)
    True
    """
    size = rows * cols
    raw = rng.bit_generator.random_raw((size + 3) // 4)
    bits = np.asarray(raw, dtype=np.uint64).view(np.uint16)[:size]
    return _poisson_table(round(mean, 12))[bits].reshape(rows, cols)


def _rng(seed: int, code: str, year_key: str, source: int) -> np.random.Generator:
    year = 0 if year_key == "overall" else int(year_key)
    key = (zlib.crc32(code.encode("utf-8")), year, source)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def _resampled_sums(features: np.ndarray, rng: np.random.Generator, replicates: int) -> np.ndarray:
    """Σ count × feature for every replicate: (replicates × features), in blocks of units.

    Features are non-negative whole numbers. When no sum can reach 2^24
    (8 × the column total), float32 products add exactly in any order and
    the faster single-precision product is used; otherwise float64, exact
    up to 2^53.
    """
    n = features.shape[0]
    out = np.zeros((replicates, features.shape[1]))
    exact32 = n == 0 or _MAX_COUNT * float(features.sum(axis=0).max()) < _EXACT_FLOAT32
    block_features = features.astype(np.float32) if exact32 else features
    step = max(1, _CHUNK // replicates)
    for start in range(0, n, step):
        counts = poisson_counts(rng, replicates, min(step, n - start), mean=count_mean(n))
        block = block_features[start : start + step]
        out += counts @ block if exact32 else counts.astype(np.float64) @ block
    return out


def _conditioned_sums(
    features: np.ndarray, presence: np.ndarray, rng: np.random.Generator, replicates: int
) -> np.ndarray:
    """Replicate sums in which every measure present in the data stays present.

    ``presence`` (features × measures) adds up the count columns of each
    measure. Replicates that lose every unit of a measure are drawn again
    (a few rounds of ever fewer rows, not a loop per replicate); the rare
    ones still empty after :data:`_ROUNDS` rounds take the data's own sums.
    """
    sums = _resampled_sums(features, rng, replicates)
    needed = features.sum(axis=0) @ presence > 0
    if not needed.any():
        return sums

    def empty_rows() -> np.ndarray:
        return ((sums @ presence)[:, needed] == 0).any(axis=1)

    for _ in range(_ROUNDS):
        empty = empty_rows()
        if not empty.any():
            return sums
        sums[empty] = _resampled_sums(features, rng, int(empty.sum()))
    sums[empty_rows()] = features.sum(axis=0)
    return sums


@dataclass(frozen=True)
class BootstrapResult:
    """Percentile intervals per cell and item, and the composite replicates.

    ``intervals`` holds the raw estimates' intervals (item ``score`` is the
    raw composite) and item ``score_shrunk`` the shrunk composite's;
    ``raw`` and ``shrunk`` are the (cells × replicates) composites in the
    row order of the cells frame given to :func:`bootstrap_scores`.
    """

    intervals: pl.DataFrame
    raw: np.ndarray
    shrunk: np.ndarray


class _Units:
    """Unit values of one source as float arrays, with the row range of each cell."""

    def __init__(self, frame: pl.DataFrame, columns: Sequence[str]) -> None:
        self.values = (
            frame.select([pl.col(c).cast(pl.Float64) for c in columns]).to_numpy()
            if columns
            else np.zeros((frame.height, 0))
        )
        spans = (
            frame.with_row_index("_row")
            .group_by("standard_code", "year_key", maintain_order=True)
            .agg(pl.col("_row").min().alias("start"), pl.len().alias("n"))
        )
        self.spans = {
            (c, y): (int(s), int(s) + int(n))
            for c, y, s, n in spans.select("standard_code", "year_key", "start", "n").iter_rows()
        }


class _Engine:
    """The replicate values of every measure of one standard's cells."""

    def __init__(
        self,
        data: ScoringData,
        config: IndicatorConfig,
        model: FeedbackModel,
        *,
        replicates: int,
        seed: int,
        population_shares: dict[str, float] | None,
    ) -> None:
        self.replicates, self.seed, self.model = replicates, seed, model
        self.used = list(dict.fromkeys(m for ind in config.indicators for m in ind.measures))
        self.col = {m: k for k, m in enumerate(self.used)}
        measures = [MEASURES[m] for m in self.used]
        self.sv = [m for m in measures if m.source == "survey"]
        self.sv_scale = np.array([m.scale for m in self.sv], dtype=np.float64)
        self.sv_cols = [self.col[m.name] for m in self.sv]
        self.fb_cols = [self.col[m] for m in model.measures]
        self.done_col = self.col.get(COMPLETED)

        groups = sorted(k for k, v in (population_shares or {}).items() if v > 0)
        self.share = (
            np.array([population_shares[g] for g in groups]) if population_shares else np.ones(1)
        )
        self.survey = _Units(data.survey_units, [m.column for m in self.sv])
        if population_shares:
            position = {g: k for k, g in enumerate(groups)}
            org = data.survey_units.get_column("org_type").to_list()
            self.group_of = np.array([position.get(o, -1) for o in org], dtype=np.int64)
        else:
            self.group_of = np.zeros(data.survey_units.height, dtype=np.int64)
        self.age = {
            (c, y): v
            for c, y, v in data.measures.filter(pl.col("measure") == "standard.age")
            .select("standard_code", "year_key", "value")
            .iter_rows()
        }

    def survey_sums(self, code: str, year_key: str) -> np.ndarray | None:
        """Replicate sums of (value, answered) per survey measure and org-type group."""
        span = self.survey.spans.get((code, year_key))
        if span is None or not self.sv:
            return None
        values = self.survey.values[span[0] : span[1]]
        n, groups = values.shape[0], len(self.share)
        present = ~np.isnan(values)
        member = (self.group_of[span[0] : span[1], None] == np.arange(groups)).astype(np.float64)
        value_part = np.where(present, values, 0.0)[:, :, None] * member[:, None, :]
        count_part = present[:, :, None] * member[:, None, :]
        features = np.concatenate([value_part.reshape(n, -1), count_part.reshape(n, -1)], axis=1)
        j = len(self.sv)
        presence = np.vstack([np.zeros((j * groups, j)), np.kron(np.eye(j), np.ones((groups, 1)))])
        rng = _rng(self.seed, code, year_key, _SURVEY)
        return _conditioned_sums(features, presence, rng, self.replicates)

    def survey_means(self, sums: np.ndarray) -> np.ndarray:
        """Survey measure values per replicate; post-stratified when shares were given."""
        j, groups = len(self.sv), len(self.share)
        totals = sums[:, : j * groups].reshape(-1, j, groups)
        counts = sums[:, j * groups :].reshape(-1, j, groups)
        valid = counts > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            group_mean = totals / (self.sv_scale[None, :, None] * counts)
        top = np.where(valid, self.share * group_mean, 0.0).sum(axis=-1)
        bottom = np.where(valid, self.share, 0.0).sum(axis=-1)
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)

    def measure_values(
        self, code: str, rows: Sequence[int], year_keys: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(cells × replicates × measures) of one standard's cells: raw and shrunk feedback."""
        year_sums = {y: self.survey_sums(code, y) for y in year_keys if y != "overall"}
        values = np.full((len(year_keys), self.replicates, len(self.used)), np.nan)
        for slot, year_key in enumerate(year_keys):
            if year_key == "overall":  # respondents stratified by survey year
                parts = [s for s in year_sums.values() if s is not None]
                sums = np.sum(parts, axis=0) if parts else None
            else:
                sums = year_sums.get(year_key)
            if sums is not None:
                values[slot][:, self.sv_cols] = self.survey_means(sums)
            if "standard.age" in self.col:
                values[slot][:, self.col["standard.age"]] = self.age.get((code, year_key), np.nan)
        shrunk = values.copy()
        rngs = [_rng(self.seed, code, y, _FEEDBACK) for y in year_keys]
        raw_fb, shrunk_fb, done_raw, done_shrunk = self.model.draws(
            rows, year_keys, rngs, self.replicates
        )
        values[:, :, self.fb_cols] = raw_fb
        shrunk[:, :, self.fb_cols] = shrunk_fb
        if self.done_col is not None and done_raw is not None and done_shrunk is not None:
            values[:, :, self.done_col] = done_raw
            shrunk[:, :, self.done_col] = done_shrunk
        return values, shrunk


def bootstrap_scores(
    data: ScoringData,
    *,
    config: IndicatorConfig,
    model: FeedbackModel,
    weights: Sequence[float],
    replicates: int,
    seed: int,
    level: float,
    population_shares: dict[str, float] | None = None,
) -> BootstrapResult:
    """Percentile bootstrap intervals for the cells of ``data``, raw and shrunk.

    Parameters
    ----------
    data
        What the SQL gave (cells, units, age values).
    config
        The indicator system.
    model
        The feedback measures under the hierarchical model
        (:func:`metrics.feedback_model.fit_feedback_model`).
    weights
        Dimension weights, in ``config.dimension_ids`` order (held fixed).
    replicates, seed, level
        Number of replicates (≥ 1), seed of the random streams, and the
        interval's level (0.95: the 2.5 % and 97.5 % quantiles).
    population_shares
        Org-type shares when survey answers are post-stratified, else ``None``.
    """
    engine = _Engine(
        data,
        config,
        model,
        replicates=replicates,
        seed=seed,
        population_shares=population_shares,
    )
    ind_cols = [[engine.col[m] for m in ind.measures] for ind in config.indicators]
    cells = data.cells.select("standard_code", "year_key").rows()
    n_cells, n_ind, n_dim = len(cells), len(config.indicators), len(config.dimensions)
    ind_ci = np.full((n_cells, n_ind, 2), np.nan)
    dim_ci = np.full((n_cells, n_dim, 2), np.nan)
    comp_ci = np.full((n_cells, 2), np.nan)
    raw_reps = np.full((n_cells, replicates), np.nan)
    shrunk_reps = np.full((n_cells, replicates), np.nan)
    by_standard: dict[str, list[int]] = {}
    for k, (code, _) in enumerate(cells):
        by_standard.setdefault(code, []).append(k)

    def one_standard(code: str, rows: list[int]) -> None:
        values, shrunk = engine.measure_values(code, rows, [cells[k][1] for k in rows])
        indicators = np.stack([mean_present(values, c) for c in ind_cols], axis=-1)
        dims = dimension_values(indicators, config)
        composite = composite_score(dims, weights)
        ind_ci[rows] = percentile_interval(np.moveaxis(indicators, 1, -1), level)
        dim_ci[rows] = percentile_interval(np.moveaxis(dims, 1, -1), level)
        comp_ci[rows] = percentile_interval(composite, level)
        raw_reps[rows] = composite
        shrunk_ind = np.stack([mean_present(shrunk, c) for c in ind_cols], axis=-1)
        shrunk_reps[rows] = composite_score(dimension_values(shrunk_ind, config), weights)

    # One thread: worker threads measured slower on 2 shared cores (the
    # count lookups hold the GIL), and BLAS's own threads far slower still.
    with blas_threads(1):
        for code, rows in by_standard.items():
            one_standard(code, rows)
    shrunk_ci = percentile_interval(shrunk_reps, level)
    intervals = interval_frame(cells, config, ind_ci, dim_ci, comp_ci, shrunk_ci)
    return BootstrapResult(intervals, raw_reps, shrunk_reps)
