"""网络安全标准优秀奖 and 优秀实践案例 (§12, §19): nominations and jury reviews.

Each nomination has a latent merit on the 0–1 scale: a standard-excellence
nominee's is its overall quality, a practice case's the mean of its
standard's B and C plus the site's own effects. Every reviewed nomination
gets a jury of 5–7 judges who score four criteria 0–100 around
``100 × (0.25 + 0.85 × criterion merit)`` plus the judge's bias and noise;
about 5 % of judge × nomination pairs have a conflict of interest, and those
scores are inflated by 10 points (kept, and not to be counted). The best
reviewed nominations of a year and category are awarded.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo.names import STANDARD_DRAFTERS
from etl.demo.programs import Programs
from etl.demo.world import FIRST_YEAR, World

YEARS = tuple(range(2018, 2026))
CRITERIA = ("advancement", "applicability", "contribution", "effect")
JUDGES_PER_YEAR = 15
COI_SHARE = 0.05
COI_INFLATION = 10.0
AWARDED_SHARE = 0.3
# Levels by rank among the awarded (cumulative shares) and their prizes (CNY).
LEVELS = ("first", "second", "third", "excellence")
LEVEL_CUTS = np.array([0.1, 0.35, 0.7, 1.0])
PRIZE = {"first": 200_000.0, "second": 100_000.0, "third": 50_000.0, "excellence": 20_000.0}
PENDING_SHARE = 0.3  # nominations of the current year not yet reviewed


def _nominations(world: World, programs: Programs, rng: np.random.Generator) -> pl.DataFrame:
    """Draw each year's nominations: good, prominent standards and started pilot sites."""
    std = world.standards
    effects = world.regions.select(pl.col("code").alias("region_code"), pl.col("likert").alias("r"))
    org = world.org_types.select(pl.col("id").alias("org_type"), pl.col("likert").alias("o"))
    cases = (
        programs.pairs.join(effects, on="region_code")
        .join(org, on="org_type")
        .join(programs.site.select("site_id", "name"), on="site_id")
        .join(std.select("code", "qA", "qB", "qC"), left_on="standard_code", right_on="code")
        .sort("site_id", "standard_code")
        .select(
            pl.lit("practice_case").alias("category"),
            "standard_code",
            pl.col("name").alias("nominee_org"),
            "start_q",
            # A practice case's merit: its standard's B and C plus the site's own effects.
            shift=pl.col("site_effect") + pl.col("r") + pl.col("o"),
            mA=pl.col("qA"),
            mC=pl.col("qC"),
            merit=(pl.col("qB") + pl.col("qC")) / 2,
        )
        .with_columns(pl.col("mA", "mC", "merit") + pl.col("shift"))
    )
    drafters = pl.Series(STANDARD_DRAFTERS, dtype=pl.String) + "（牵头起草单位）"
    standards = std.select(
        pl.lit("standard_excellence").alias("category"),
        pl.col("code").alias("standard_code"),
        mA=pl.col("qA"),
        mC=pl.col("qC"),
        merit=pl.col("overall"),
    )
    parts = []
    for year in YEARS:
        n = max(6, round(28 * world.scale**0.5))  # institutions grow slower than data
        ok = np.flatnonzero(world.published_before(year))
        # Juries see good and prominent standards nominated more often.
        w = std["prominence"].to_numpy()[ok] * np.exp(3.0 * std["overall"].to_numpy()[ok])
        n_std = min(round(n * 0.55), ok.size)
        picks = rng.choice(ok, size=n_std, replace=False, p=w / w.sum())
        nominee = drafters.gather(rng.integers(len(STANDARD_DRAFTERS), size=n_std))
        parts.append(standards[picks].with_columns(nominee_org=nominee, award_year=pl.lit(year)))
        # Practice cases come from sites that had started by that year.
        live = cases.filter(pl.col("start_q") < 4 * (year - FIRST_YEAR) + 4)
        m = min(n - n_std, live.height)
        chosen = live[np.sort(rng.choice(live.height, size=m, replace=False))]
        named = rng.random(m) < 0.85  # most cases name the standard they put into practice
        parts.append(
            chosen.with_columns(
                standard_code=pl.when(pl.Series(named)).then("standard_code"),
                award_year=pl.lit(year),
            )
        )
    cols = ["award_year", "category", "standard_code", "nominee_org", "mA", "mC", "merit"]
    frame = pl.concat([p.select(cols) for p in parts], how="vertical_relaxed")
    seq = (pl.int_range(pl.len()).over("award_year") + 1).cast(pl.String).str.zfill(3)
    return frame.with_columns(nomination_id=pl.format("AW{}-{}", "award_year", seq))


def _reviews(noms: pl.DataFrame, rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score every reviewed nomination by a jury of 5–7 of the year's judges."""
    reviewed = noms.filter(~pl.col("pending"))
    n = reviewed.height
    size = rng.integers(5, 8, size=n)
    # Each jury: the first ``size`` judges of a random order of the year's pool.
    order = np.argsort(rng.random((n, JUDGES_PER_YEAR)), axis=1)
    seat = np.arange(JUDGES_PER_YEAR)[None, :] < size[:, None]
    row = np.broadcast_to(np.arange(n)[:, None], order.shape)[seat]
    judge = order[seat]
    conflict = rng.random(row.size) < COI_SHARE
    year = reviewed["award_year"].to_numpy()[row]
    bias = rng.normal(0.0, 0.04, size=(len(YEARS), JUDGES_PER_YEAR))[year - YEARS[0], judge]
    judge_id = (
        pl.DataFrame({"y": year, "j": judge + 1})
        .select(pl.format("J{}-{}", "y", pl.col("j").cast(pl.String).str.zfill(2)))
        .to_series()
    )
    # Which latent merit each criterion reads.
    merit = {
        "advancement": reviewed["mA"].to_numpy(),
        "applicability": reviewed["mA"].to_numpy(),
        "contribution": reviewed["merit"].to_numpy(),
        "effect": reviewed["mC"].to_numpy(),
    }
    parts = []
    for c in CRITERIA:
        base = 0.25 + 0.85 * merit[c][row] + bias + rng.normal(0.0, 0.05, size=row.size)
        score = np.clip(100.0 * base + COI_INFLATION * conflict, 0.0, 100.0).round(1)
        parts.append(
            pl.DataFrame(
                {
                    "nomination_id": reviewed["nomination_id"].gather(row),
                    "judge_id": judge_id,
                    "criterion": c,
                    "score": score,
                    "conflict_of_interest": conflict,
                }
            )
        )
    review = pl.concat(parts).sort("nomination_id", "judge_id", "criterion")
    conflicts = (
        review.filter(pl.col("conflict_of_interest"))
        .select("nomination_id", "judge_id")
        .unique()
        .sort("nomination_id", "judge_id")
    )
    truth = conflicts.select(
        kind=pl.lit("award_conflict"),
        key=pl.format("{}|{}", "nomination_id", "judge_id"),
        dimension=pl.lit(""),
        value=pl.lit(COI_INFLATION),
        note=pl.lit("score inflated by this many points; kept but not counted"),
    )
    return review, truth


def _outcomes(noms: pl.DataFrame, review: pl.DataFrame) -> pl.DataFrame:
    """Award the best reviewed nominations of each year and category."""
    fair = (
        review.filter(~pl.col("conflict_of_interest"))
        .group_by("nomination_id")
        .agg(jury=pl.col("score").mean())
    )
    ranked = noms.join(fair, on="nomination_id", how="left").with_columns(
        rank=pl.col("jury").rank("ordinal", descending=True).over("award_year", "category"),
        reviewed=pl.col("jury").is_not_null().sum().over("award_year", "category"),
    )
    share = (pl.col("rank") - 0.5) / pl.col("reviewed")
    current = pl.col("award_year") == YEARS[-1]
    status = (
        pl.when(pl.col("pending")).then(pl.lit("nominated"))
        .when(current & (share <= 0.5)).then(pl.lit("shortlisted"))
        .when(~current & (share <= AWARDED_SHARE)).then(pl.lit("awarded"))
        .otherwise(pl.lit("not_awarded"))
    )  # fmt: skip
    ranked = ranked.with_columns(status=status)
    among = (share / AWARDED_SHARE).clip(0.0, 1.0)
    level = pl.when(pl.col("status") == "awarded").then(
        pl.when(among <= LEVEL_CUTS[0]).then(pl.lit(LEVELS[0]))
        .when(among <= LEVEL_CUTS[1]).then(pl.lit(LEVELS[1]))
        .when(among <= LEVEL_CUTS[2]).then(pl.lit(LEVELS[2]))
        .otherwise(pl.lit(LEVELS[3]))
    )  # fmt: skip
    ranked = ranked.with_columns(level=level)
    # Practice cases get half the prize of a standard award.
    factor = pl.when(pl.col("category") == "practice_case").then(0.5).otherwise(1.0)
    prize = pl.col("level").replace_strict(PRIZE, default=None, return_dtype=pl.Float64) * factor
    return ranked.with_columns(prize_cny=prize)


def build_awards(
    world: World, programs: Programs
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Return award_nomination, award_review and the planted truth (merit, conflicts)."""
    rng = world.rng("awards")
    noms = _nominations(world, programs, rng)
    pending = (noms["award_year"] == YEARS[-1]).to_numpy() & (
        rng.random(noms.height) < PENDING_SHARE
    )
    noms = noms.with_columns(pending=pl.Series(pending))
    review, conflicts = _reviews(noms, rng)
    ranked = _outcomes(noms, review)
    nomination = ranked.select(
        "nomination_id", "award_year", "category", "standard_code", "nominee_org", "status",
        "level", "prize_cny",
    ).sort("nomination_id")  # fmt: skip
    merit = ranked.select(
        kind=pl.lit("award_merit"), key="nomination_id", dimension=pl.lit(""),
        value=pl.col("merit").round(4), note=pl.lit("latent merit, 0–1 scale"),
    ).sort("key")  # fmt: skip
    return nomination, review, pl.concat([merit, conflicts])
