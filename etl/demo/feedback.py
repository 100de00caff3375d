"""Quarterly implementation feedback (实施情况反馈表, §13): one row per site × standard × period.

How the latent truth drives the answers (the 0–1 scale is SCORING.md's
(x − 1) / 4):

- applicability, operability, clarity follow the standard's quality A;
  benefit follows C (a little higher as implementation progresses);
  satisfaction follows D. Each answer is
  ``round(1 + 4 × (q + site + region + org_type + pair + noise))`` clipped to 1–5.
- Implementation (B) sets how fast a site goes not_started → in_progress →
  completed, how likely it is to stall in progress for good, and how much of
  the organisation it covers.
- Benefit (C) sets how much the quarterly security incidents fall once the
  standard is implemented.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo.answers import blank, likert, pick
from etl.demo.names import PROBLEMS, SUGGESTIONS
from etl.demo.programs import Programs
from etl.demo.world import PERIODS, World

# Spread of the latent answer on the 0–1 scale: per site × standard and per row.
PAIR_SD = 0.06
ROW_SD = 0.13
# Share of quarters a site skips reporting, and of optional cells left blank.
SKIP_SHARE = 0.04
BLANK_INCIDENTS = 0.12
BLANK_COST = 0.10
# Typical quarterly implementation cost per org type (CNY, median), before the
# standard's own weight; completed standards cost a fifth (upkeep).
COST_MEDIAN = {
    "enterprise": 180_000.0,
    "university": 60_000.0,
    "research_institute": 80_000.0,
    "testing_body": 90_000.0,
    "user": 120_000.0,
    "government": 100_000.0,
}


def _pair_draws(world: World, programs: Programs, rng: np.random.Generator) -> pl.DataFrame:
    """Per site × standard: effects, status timing, coverage cap, incident reduction."""
    std = world.standards.select("code", "qA", "qB", "qC", "qD")
    eff = programs.pairs.join(std, left_on="standard_code", right_on="code").join(
        world.regions.select(pl.col("code").alias("region_code"), pl.col("likert").alias("r_eff")),
        on="region_code",
    )
    eff = eff.join(
        world.org_types.select(pl.col("id").alias("org_type"), pl.col("likert").alias("o_eff")),
        on="org_type",
    ).sort("site_id", "standard_code")
    n = eff.height
    shift = (
        eff["site_effect"].to_numpy()
        + eff["r_eff"].to_numpy()
        + eff["o_eff"].to_numpy()
        + rng.normal(0.0, PAIR_SD, size=n)
    )
    q_b = eff["qB"].to_numpy() + shift
    q_c = eff["qC"].to_numpy()
    # Quarters before starting, then quarters in progress: a standard that is
    # easier to implement (higher B) is finished sooner.
    wait = rng.geometric(0.4, size=n) - 1
    busy = 2 + rng.poisson(np.clip(2.0 + 14.0 * (0.85 - q_b), 0.5, None))
    # Some implementations stall and never complete: the harder the standard
    # is to implement, the likelier (none above B = 0.75, half at B = 0.45).
    stalled = rng.random(n) < np.clip(1.6 * (0.75 - q_b), 0.0, 0.7)
    # The share of the work a site gets done before it stalls (1: never stalls).
    plateau = np.where(stalled, rng.uniform(0.3, 0.6, size=n), 1.0)
    cap = np.clip(40.0 + 60.0 * q_b + rng.normal(0.0, 8.0, size=n), 20.0, 100.0)
    reduction = np.clip(0.15 + 0.75 * (q_c - 0.3), 0.05, 0.85)
    median = eff["org_type"].replace_strict(COST_MEDIAN, return_dtype=pl.Float64).to_numpy()
    cost = median * rng.lognormal(0.0, 0.6, size=n)
    return eff.select(
        "site_id", "standard_code", "start_q", "end_q", "qA", "qC", "qD", "incident_rate"
    ).with_columns(
        pl.Series("shift", shift),
        pl.Series("wait", wait),
        pl.Series("busy", busy),
        pl.Series("plateau", plateau),
        pl.Series("cap", cap),
        pl.Series("reduction", reduction),
        pl.Series("cost_base", cost),
    )


def build_feedback(world: World, programs: Programs) -> pl.DataFrame:
    """Return the feedback rows, sorted by site, standard and period."""
    rng = world.rng("feedback")
    pairs = _pair_draws(world, programs, rng)
    rows = (
        pairs.with_columns(q=pl.int_ranges("start_q", pl.col("end_q") + 1))
        .explode("q")
        .sort("site_id", "standard_code", "q")
    )
    keep = rng.random(rows.height) >= SKIP_SHARE
    rows = rows.filter(pl.Series(keep))
    n = rows.height
    rel = (rows["q"] - rows["start_q"]).to_numpy()
    wait = rows["wait"].to_numpy()
    busy = rows["busy"].to_numpy()
    plateau = rows["plateau"].to_numpy()
    started = rel >= wait
    done = (rel >= wait + busy) & (plateau >= 1.0)
    status = np.where(done, "completed", np.where(started, "in_progress", "not_started"))
    share_done = np.minimum((rel - wait + 1) / (busy + 1), plateau)
    progress = np.where(done, 1.0, np.where(started, share_done, 0.0))

    cap = rows["cap"].to_numpy()
    coverage = np.where(started, cap * (0.25 + 0.75 * progress) + rng.normal(0.0, 3.0, size=n), 0.0)
    coverage = np.round(np.clip(coverage, 0.0, 100.0), 1)

    shift = rows["shift"].to_numpy()

    def answer(q: np.ndarray) -> np.ndarray:
        return likert(q + shift + rng.normal(0.0, ROW_SD, size=n))

    q_a = rows["qA"].to_numpy()
    applicability = answer(q_a)
    operability = answer(q_a)
    clarity = answer(q_a)
    # A site that has not started cannot yet judge benefit or satisfaction.
    benefit = blank(answer(rows["qC"].to_numpy() + 0.08 * (progress - 0.5)), ~started, pl.Int8)
    satisfaction = blank(answer(rows["qD"].to_numpy()), ~started, pl.Int8)

    rate = rows["incident_rate"].to_numpy()
    before = rng.poisson(rate)
    after = rng.poisson(rate * (1.0 - rows["reduction"].to_numpy() * progress))
    blank_incidents = (rng.random(n) < BLANK_INCIDENTS) | ~started

    cost = rows["cost_base"].to_numpy() * np.where(done, 0.2, 1.0)
    cost = np.round(cost, 2)
    blank_cost = (rng.random(n) < BLANK_COST) | ~started

    # Weaker standards draw more complaints (A = 0.35: one row in two; A = 0.6: one in five).
    p_problem = np.clip(0.9 - 1.2 * (q_a + shift), 0.05, 0.8)
    has_problem = rng.random(n) < p_problem
    has_suggestion = rng.random(n) < 0.6 * p_problem + 0.05
    problem = pick(PROBLEMS, rng.integers(len(PROBLEMS), size=n), has_problem)
    suggestion = pick(SUGGESTIONS, rng.integers(len(SUGGESTIONS), size=n), has_suggestion)

    return pl.DataFrame(
        {
            "site_id": rows["site_id"],
            "standard_code": rows["standard_code"],
            "period": pick(PERIODS, rows["q"].to_numpy()),
            "status": status,
            "coverage_pct": coverage,
            "applicability": applicability,
            "operability": operability,
            "clarity": clarity,
            "benefit": benefit,
            "satisfaction": satisfaction,
            "incidents_before": blank(before, blank_incidents, pl.Int32),
            "incidents_after": blank(after, blank_incidents, pl.Int32),
            "cost_cny": blank(cost, blank_cost, pl.Float64),
            "problems": problem,
            "suggestions": suggestion,
        }
    )
