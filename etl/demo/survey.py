"""Yearly adoption survey (采用情况调查, §8 and §12): one row per respondent × standard.

Each survey year samples fresh respondents (region, org type, size); each
answers on 3–9 standards published before that year, prominent standards
more often. The latent truth drives the answers:

- awareness: logit = −1 + 4 (B − 0.6) + 2.2 g(t) + region + org_type + size,
  with g(t) = 1 − exp(−t / 2.5) and t the years from publication to mid-year;
- adoption (aware respondents only; the unaware answer ``none``): a latent
  3 (B − 0.6) + 2 g(t) + org_type + size + N(0, 1), cut at 0.3 / 1.0 / 2.0
  into none / planned / partial / full: adoption grows after publication;
- q_useful, q_usable, q_consistent follow A; q_current follows A minus
  0.025 per year of age beyond five; q_testable follows B; q_satisfied D.
  Respondents unaware of the standard leave the six ratings blank.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo.answers import blank, likert, pick
from etl.demo.world import FIRST_YEAR, SURVEY_YEARS, World

ROWS_PER_SCALE = 100_000
ITEMS = (3, 9)  # standards per respondent, inclusive
SIZES = ("small", "medium", "large")
SIZE_SHARE = np.array([0.45, 0.35, 0.20])
SIZE_AWARENESS = np.array([-0.4, 0.0, 0.4])
SIZE_ADOPTION = np.array([-0.3, 0.0, 0.3])
BLANK_SIZE = 0.05
RESPONDENT_SD = 0.08  # a respondent's leniency, shared by their answers (0–1 scale)
ROW_SD = 0.10  # shared by the six answers about one standard
ITEM_SD = 0.14
ADOPTION_CUTS = (0.3, 1.0, 2.0)
ADOPTION = ("none", "planned", "partial", "full")
DIFFUSION_YEARS = 2.5
SPARSE_RESPONSES = (6, 26)  # total responses of a planted sparse standard, whatever the scale


def diffusion(years: np.ndarray) -> np.ndarray:
    """Share of its eventual reach a standard has after ``years`` since publication.

    Examples
    --------
    >>> diffusion(np.array([0.0, 2.5])).round(3).tolist()
    [0.0, 0.632]
    """
    return 1.0 - np.exp(-np.clip(years, 0.0, None) / DIFFUSION_YEARS)


def _available(world: World, year: int, *, sparse: bool) -> np.ndarray:
    """Indices into world.standards that may be asked about in ``year``."""
    ok = world.published_before(year) & (world.standards["sparse"].to_numpy() == sparse)
    return np.flatnonzero(ok)


def _choose(
    world: World, year: int, n_resp: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Pick each respondent's standards without replacement (Gumbel top-k)."""
    avail = _available(world, year, sparse=False)
    k = rng.integers(ITEMS[0], ITEMS[1] + 1, size=n_resp)
    k = np.minimum(k, avail.size)
    log_w = np.log(world.standards["prominence"].to_numpy()[avail]).astype(np.float32)
    keys = log_w[None, :] + rng.gumbel(size=(n_resp, avail.size)).astype(np.float32)
    top = min(ITEMS[1], avail.size)
    best = np.argpartition(-keys, top - 1, axis=1)[:, :top]
    order = np.take_along_axis(keys, best, axis=1).argsort(axis=1)[:, ::-1]
    best = np.take_along_axis(best, order, axis=1)
    mask = np.arange(top)[None, :] < k[:, None]
    respondent = np.broadcast_to(np.arange(n_resp)[:, None], best.shape)[mask]
    return respondent, avail[best[mask]]


def _sparse_plan(
    world: World, respondents: dict[int, int], rng: np.random.Generator
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Give each sparse standard 6–25 responses in total, spread over its years.

    Returns, per survey year, the respondents and standards of those rows.
    """
    plan: dict[int, tuple[list[int], list[int]]] = {y: ([], []) for y in SURVEY_YEARS}
    for j in np.flatnonzero(world.standards["sparse"].to_numpy()):
        allowed = [y for y in SURVEY_YEARS if j in _available(world, y, sparse=True)]
        if not allowed:
            continue
        total = int(rng.integers(*SPARSE_RESPONSES))
        per_year = rng.multinomial(total, np.full(len(allowed), 1 / len(allowed)))
        for y, m in zip(allowed, per_year, strict=True):
            m = min(int(m), respondents[y])
            plan[y][0].extend(rng.choice(respondents[y], size=m, replace=False).tolist())
            plan[y][1].extend([int(j)] * m)
    return {
        y: (np.array(r, dtype=np.int64), np.array(s, dtype=np.int64)) for y, (r, s) in plan.items()
    }


def _year_rows(
    world: World,
    year: int,
    n_people: int,
    sparse: tuple[np.ndarray, np.ndarray],
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Draw one survey year: its respondents, their standards and their answers."""
    resp, std_i = _choose(world, year, n_people, rng)
    resp = np.concatenate([resp, sparse[0]])
    std_i = np.concatenate([std_i, sparse[1]])
    regions, orgs = world.regions, world.org_types
    r_w = regions["weight"].to_numpy()
    o_w = orgs["survey_share"].to_numpy()
    # One draw per respondent, shared by all their rows.
    r_i = rng.choice(regions.height, size=n_people, p=r_w / r_w.sum())[resp]
    o_i = rng.choice(orgs.height, size=n_people, p=o_w / o_w.sum())[resp]
    z_i = rng.choice(len(SIZES), size=n_people, p=SIZE_SHARE)[resp]
    size_given = (rng.random(n_people) >= BLANK_SIZE)[resp]
    leniency = rng.normal(0.0, RESPONDENT_SD, size=n_people)[resp]
    aware_bias = rng.normal(0.0, 0.5, size=n_people)[resp]

    n = resp.size
    std = world.standards
    q_a = std["qA"].to_numpy()[std_i]
    q_b = std["qB"].to_numpy()[std_i]
    mid_year = np.datetime64(f"{year}-07-01")
    age = (mid_year - std["pub_date"].to_numpy()[std_i]).astype("timedelta64[D]").astype(
        np.float64
    ) / 365.25
    g = diffusion(age)
    logit = (
        -1.0
        + 4.0 * (q_b - 0.6)
        + 2.2 * g
        + regions["awareness"].to_numpy()[r_i]
        + orgs["awareness"].to_numpy()[o_i]
        + SIZE_AWARENESS[z_i]
        + aware_bias
    )
    aware = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    latent = (
        3.0 * (q_b - 0.6)
        + 2.0 * g
        + orgs["adoption"].to_numpy()[o_i]
        + SIZE_ADOPTION[z_i]
        + rng.normal(size=n)
    )
    level = np.where(aware, np.searchsorted(np.array(ADOPTION_CUTS), latent, side="right"), 0)
    shift = (
        regions["likert"].to_numpy()[r_i]
        + orgs["likert"].to_numpy()[o_i]
        + leniency
        + rng.normal(0.0, ROW_SD, size=n)
    )

    def answer(q: np.ndarray) -> pl.Series:
        # Respondents who do not know the standard skip the rating questions.
        return blank(likert(q + shift + rng.normal(0.0, ITEM_SD, size=n)), ~aware, pl.Int8)

    frame = pl.DataFrame(
        {
            "respondent": pl.Series(resp, dtype=pl.Int64),
            "region_code": pick(regions["code"].to_list(), r_i),
            "org_type": pick(orgs["id"].to_list(), o_i),
            "org_size": pick(SIZES, z_i, size_given),
            "standard_code": pick(std["code"].to_list(), std_i),
            "aware": aware,
            "adoption": pick(ADOPTION, level),
            "q_useful": answer(q_a),
            "q_usable": answer(q_a),
            "q_current": answer(q_a - 0.025 * np.clip(age - 5.0, 0.0, None)),
            "q_consistent": answer(q_a),
            "q_testable": answer(q_b),
            "q_satisfied": answer(std["qD"].to_numpy()[std_i]),
        }
    ).sort("respondent", "standard_code")
    item = pl.col("standard_code").cum_count().over("respondent")
    response_id = pl.format(
        "Q{}-{}-{}",
        pl.lit(year),
        pl.col("respondent").cast(pl.String).str.zfill(6),
        item.cast(pl.String).str.zfill(2),
    )
    return frame.select(
        response_id.alias("response_id"),
        pl.lit(year, dtype=pl.Int16).alias("survey_year"),
        pl.exclude("respondent"),
    )


def build_survey(world: World) -> pl.DataFrame:
    """Return the survey rows, sorted by year and response id."""
    rng = world.rng("survey")
    growth = np.array([1.0 + 0.15 * (y - FIRST_YEAR) for y in SURVEY_YEARS])
    rows_per_respondent = (ITEMS[0] + ITEMS[1]) / 2
    total = world.count(ROWS_PER_SCALE / rows_per_respondent, minimum=20 * len(SURVEY_YEARS))
    per_year = np.maximum(20, np.round(total * growth / growth.sum()).astype(int))
    respondents = dict(zip(SURVEY_YEARS, per_year.tolist(), strict=True))
    plan = _sparse_plan(world, respondents, rng)
    # Year by year: the memory of one year's arrays, not of all seven.
    return pl.concat([_year_rows(world, y, respondents[y], plan[y], rng) for y in SURVEY_YEARS])
