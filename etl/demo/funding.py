"""Financial support (§18 财政资金, §19 社会资金): commitments and their disbursements.

Each commitment (one funder, recipient, purpose and fiscal year — a unique
group) is paid out in 1–3 tranches later in the same year. Most groups
disburse at most what was committed; about 3 % disburse more, the warning
case of DATA_MODEL.md, and are recorded in ``demo_truth`` as
``funding_overspend``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo.answers import pick
from etl.demo.names import (
    CENTRAL_FUNDERS,
    FOUNDATIONS,
    OTHER_FUNDERS,
    STANDARD_DRAFTERS,
)
from etl.demo.programs import Programs
from etl.demo.world import World

YEARS = tuple(range(2018, 2026))
SOURCES = ("central_fiscal", "local_fiscal", "enterprise", "foundation", "other")
SOURCE_SHARE = np.array([0.25, 0.30, 0.28, 0.12, 0.05])
# Median commitment per source (CNY).
SOURCE_MEDIAN = np.array([800_000.0, 300_000.0, 200_000.0, 100_000.0, 50_000.0])
PURPOSES = (
    "standard_development", "pilot", "training", "international", "talent", "award", "capacity",
)  # fmt: skip
# Purpose shares per source (rows follow SOURCES, columns PURPOSES).
PURPOSE_SHARE = np.array(
    [
        [0.40, 0.20, 0.10, 0.10, 0.05, 0.00, 0.15],
        [0.00, 0.35, 0.25, 0.00, 0.10, 0.10, 0.20],
        [0.35, 0.30, 0.15, 0.10, 0.00, 0.00, 0.10],
        [0.00, 0.00, 0.30, 0.00, 0.30, 0.40, 0.00],
        [0.00, 0.00, 0.50, 0.00, 0.00, 0.00, 0.50],
    ]
)
OVERSPEND_SHARE = 0.03
UNDISBURSED_SHARE = 0.03
PARTIAL_SHARE = 0.25


# Name patterns per source and per purpose: {p} is the short province name,
# {f} the full one. Generic on purpose: no real organisation is named.
FUNDER_PATTERNS: dict[str, tuple[str, ...]] = {
    "central_fiscal": CENTRAL_FUNDERS,
    "local_fiscal": ("{f}财政部门", "{p}某市财政局"),
    "enterprise": ("{p}某网络安全技术有限公司", "{p}某信息技术股份有限公司"),
    "foundation": FOUNDATIONS,
    "other": OTHER_FUNDERS,
}
RECIPIENT_PATTERNS: dict[str, tuple[str, ...]] = {
    "standard_development": STANDARD_DRAFTERS,
    "pilot": ("{p}某网络安全技术有限公司",),
    "training": ("{p}某网络安全培训中心",),
    "international": ("某标准化研究院（国际标准化工作组）",),
    "talent": ("{p}某大学网络空间安全学院",),
    "award": ("网络安全标准优秀奖评审工作组秘书处",),
    "capacity": ("{p}某信息安全测评中心",),
}


def _names(
    patterns: dict[str, tuple[str, ...]],
    group: np.ndarray,
    region: np.ndarray,
    regions: pl.DataFrame,
    rng: np.random.Generator,
) -> pl.Series:
    """Fill one pattern per row (chosen among its group's) with the row's province."""
    flat = [p for g in patterns.values() for p in g]
    sizes = np.array([len(g) for g in patterns.values()])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    index = offsets[group] + (rng.random(group.size) * sizes[group]).astype(np.int64)
    frame = pl.DataFrame(
        {
            "t": pl.Series(flat, dtype=pl.String).gather(index),
            "p": regions["short"].gather(region),
            "f": regions["name_zh"].gather(region),
        }
    )
    return frame.select(
        pl.col("t")
        .str.replace("{p}", pl.col("p"), literal=True)
        .str.replace("{f}", pl.col("f"), literal=True)
    ).to_series()


def _commitments(world: World, programs: Programs, rng: np.random.Generator) -> pl.DataFrame:
    n = world.count(700, minimum=40)
    regions = world.regions
    r_w = regions["weight"].to_numpy()
    year = np.array(YEARS)[rng.integers(len(YEARS), size=n)]
    source = rng.choice(len(SOURCES), size=n, p=SOURCE_SHARE)
    cum = PURPOSE_SHARE.cumsum(axis=1)[source]
    purpose = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), len(PURPOSES) - 1)
    region = rng.choice(regions.height, size=n, p=r_w / r_w.sum())
    region_index = {code: i for i, code in enumerate(regions["code"])}

    # Drafting money comes in the years before a standard's code year; better
    # standards got a little more of it (a mild, planted link).
    std = world.standards.filter(pl.col("code_year").is_not_null())
    std_year = std["code_year"].to_numpy()
    standard_code = np.full(n, None, dtype=object)
    weight = np.ones(n)
    # Pilot money goes to a site of a programme running that year.
    prog = programs.program.select(
        "program_id", y0=pl.col("start_date").dt.year(), y1=pl.col("end_date").dt.year()
    )
    sites = programs.site.join(prog, on="program_id")
    program_id = np.full(n, None, dtype=object)
    site_name = np.full(n, None, dtype=object)
    for y in YEARS:
        dev = np.flatnonzero((year == y) & (purpose == PURPOSES.index("standard_development")))
        near = np.flatnonzero((std_year >= y) & (std_year <= y + 2))
        pool = near if near.size else np.arange(std.height)
        j = rng.choice(pool, size=dev.size)
        standard_code[dev] = std["code"].to_numpy()[j]
        weight[dev] = 1.0 + 1.5 * (std["overall"].to_numpy()[j] - 0.6)
        pilot = np.flatnonzero((year == y) & (purpose == PURPOSES.index("pilot")))
        active = sites.filter((pl.col("y0") <= y) & (pl.col("y1") >= y))
        if active.height and pilot.size:
            k = rng.integers(active.height, size=pilot.size)
            site_name[pilot] = active["name"].to_numpy()[k]
            program_id[pilot] = active["program_id"].to_numpy()[k]
            # The money comes from (or goes to) the site's own province.
            region[pilot] = [region_index[c] for c in active["region_code"].to_numpy()[k]]
    funder = _names(FUNDER_PATTERNS, source, region, regions, rng)
    recipient = _names(RECIPIENT_PATTERNS, purpose, region, regions, rng).to_numpy().astype(object)
    recipient = np.where(site_name == None, recipient, site_name)  # noqa: E711
    # Region: where local money comes from, or where a pilot site is.
    local = (source == SOURCES.index("local_fiscal")) | (program_id != None)  # noqa: E711
    region_code = np.where(local, regions["code"].to_numpy()[region], None)
    amount = SOURCE_MEDIAN[source] * weight * rng.lognormal(0.0, 0.6, size=n)
    # Committed between 15 January and late September of the fiscal year.
    day = (
        (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        + 14
        + rng.integers(0, 250, size=n)
    )
    frame = pl.DataFrame(
        {
            "fiscal_year": year,
            "source_type": pick(SOURCES, source),
            "funder": funder,
            "recipient": pl.Series(recipient.tolist(), dtype=pl.String),
            "purpose": pick(PURPOSES, purpose),
            "amount": np.round(np.maximum(amount, 1000.0), 2),
            "date": pl.Series(day).cast(pl.Date),
            "standard_code": pl.Series(standard_code.tolist(), dtype=pl.String),
            "program_id": pl.Series(program_id.tolist(), dtype=pl.String),
            "region_code": pl.Series(region_code.tolist(), dtype=pl.String),
        }
    )
    # One commitment per group, so that an overspend is exactly the planted one.
    return frame.unique(
        ["funder", "recipient", "purpose", "fiscal_year"], keep="first", maintain_order=True
    ).sort("fiscal_year", "date", "funder", "recipient")


def build_funding(world: World, programs: Programs) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the funding rows and the planted overspends (``demo_truth`` rows)."""
    rng = world.rng("funding")
    commit = _commitments(world, programs, rng)
    commit = commit.with_columns(
        record_id=pl.format(
            "F{}-{}", "fiscal_year", (pl.int_range(pl.len()) + 1).cast(pl.String).str.zfill(5)
        ),
    )
    n = commit.height
    u = rng.random(n)
    ratio = np.where(
        u < OVERSPEND_SHARE,
        rng.uniform(1.03, 1.25, size=n),
        np.where(
            u < OVERSPEND_SHARE + UNDISBURSED_SHARE,
            0.0,
            np.where(
                u < OVERSPEND_SHARE + UNDISBURSED_SHARE + PARTIAL_SHARE,
                rng.uniform(0.4, 0.95, size=n),
                1.0,
            ),
        ),
    )
    amount = commit["amount"].to_numpy()
    paid_cents = np.rint(np.round(amount * ratio, 2) * 100).astype(np.int64)
    # Paid out in 1–3 tranches later in the same year; cents add up exactly.
    paying = np.flatnonzero(paid_cents > 0)
    k = rng.integers(1, 4, size=paying.size)
    owner = np.repeat(paying, k)
    share = rng.gamma(2.0, size=owner.size)
    share /= np.bincount(owner, weights=share, minlength=n)[owner]
    cents = np.floor(share * paid_cents[owner]).astype(np.int64)
    last = np.cumsum(k) - 1
    cents[last] += paid_cents[paying] - np.bincount(owner, weights=cents, minlength=n)[
        paying
    ].astype(np.int64)
    start = commit["date"].to_numpy().astype("datetime64[D]")[owner]
    year_end = (commit["fiscal_year"].to_numpy()[owner] - 1969).astype("datetime64[Y]").astype(
        "datetime64[D]"
    ) - 1
    span = (year_end - start).astype(np.int64)
    day = start + 1 + (rng.random(owner.size) * span).astype(np.int64)
    order = np.lexsort((day, owner))
    owner, cents, day = owner[order], cents[order], day[order]
    seq = np.arange(owner.size) - np.repeat(np.cumsum(k) - k, k) + 1
    disbursed = commit[owner].with_columns(
        record_id=pl.format("{}-D{}", "record_id", pl.Series(seq, dtype=pl.Int32)),
        flow=pl.lit("disbursed"),
        amount=pl.Series(cents / 100, dtype=pl.Float64),
        date=pl.Series(day).cast(pl.Date),
    )
    committed = commit.with_columns(
        record_id=pl.format("{}-C", "record_id"), flow=pl.lit("committed")
    )
    cols = ["record_id", "fiscal_year", "source_type", "funder", "recipient", "purpose", "flow",
            "amount", "date", "standard_code", "program_id", "region_code"]  # fmt: skip
    funding = (
        pl.concat([committed.select(cols), disbursed.select(cols)])
        .rename({"amount": "amount_cny"})
        .sort("record_id")
    )
    over = np.flatnonzero(ratio > 1.0)
    truth = pl.DataFrame(
        {
            "kind": "funding_overspend",
            "key": commit["record_id"].gather(over) + "-C",
            "dimension": "",
            "value": np.round(ratio[over], 4),
            "note": commit[over.tolist()]
            .select(pl.format("{} → {} · {} · {}", "funder", "recipient", "purpose", "fiscal_year"))
            .to_series(),
        },
        schema_overrides={"kind": pl.String, "dimension": pl.String},
    )
    return funding, truth
