"""Pilot programmes (试点示范, §13) and their sites, and which site pilots which standard.

Every priority area of §7 gets at least one programme; every standard that
can have evidence is piloted by at least one programme of its area (or of a
neighbouring one when its area is unmapped), and each site implements a few
of its programme's standards.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo.names import (
    LEAD_DEPARTMENT,
    PRIORITY_AREA_SHORT,
    PROGRAM_KIND,
    SECTORS,
    site_patterns,
)
from etl.demo.world import N_PERIODS, World

AREAS: tuple[str, ...] = tuple(PRIORITY_AREA_SHORT)
# Sector recorded for sites that are not enterprises or user units.
_SECTOR_BY_TYPE = {
    "university": "教育",
    "research_institute": "科学研究",
    "testing_body": "检测认证",
    "government": "政务",
}


@dataclass(frozen=True)
class Programs:
    """The pilot_program and pilot_site frames plus the site × standard pairs.

    ``pairs`` has site_id, standard_code, start_q and end_q (the periods in
    which the site reports on the standard) and the site's latent effects.
    """

    program: pl.DataFrame
    site: pl.DataFrame
    pairs: pl.DataFrame


def _quarter_index(day: dt.date) -> int:
    return (day.year - 2019) * 4 + (day.month - 1) // 3


def _program_table(world: World, rng: np.random.Generator) -> pl.DataFrame:
    n = max(len(AREAS), round(39 * math.sqrt(world.scale)))
    areas = list(AREAS) + list(rng.choice(AREAS, size=n - len(AREAS)))
    years = rng.integers(2018, 2024, size=n)
    months = rng.choice([1, 3, 4, 6, 7, 9], size=n)
    durations = rng.integers(3, 7, size=n)
    rows = []
    seen: dict[str, int] = {}
    for i in range(n):
        area = str(areas[i])
        start = dt.date(int(years[i]), int(months[i]), 1)
        end = dt.date(int(years[i]) + int(durations[i]), int(months[i]), 1) - dt.timedelta(days=1)
        kind = PROGRAM_KIND[int(rng.integers(len(PROGRAM_KIND)))]
        name = f"{start.year}年{PRIORITY_AREA_SHORT[area]}{kind}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}（第{seen[name]}批）"
        departments = LEAD_DEPARTMENT[area]
        rows.append(
            {
                "program_id": f"PP-{i + 1:03d}",
                "name": name,
                "lead_department": departments[int(rng.integers(len(departments)))],
                "start_date": start,
                "end_date": end,
                "area": area,
                "start_q": max(0, _quarter_index(start)),
                "end_q": min(N_PERIODS - 1, _quarter_index(end)),
                "weight": float(rng.lognormal(0.0, 0.5)),
            }
        )
    return pl.DataFrame(rows)


def _program_standards(
    world: World, programs: pl.DataFrame, rng: np.random.Generator
) -> dict[str, list[str]]:
    """Give every evidence standard a programme, then top programmes up to 5–12 standards."""
    std = world.evidence_standards
    chosen: dict[str, list[str]] = {p: [] for p in programs["program_id"]}
    p_ids = programs["program_id"].to_list()
    p_area = programs["area"].to_numpy()
    p_start = programs["start_q"].to_numpy()
    p_end = programs["end_q"].to_numpy()
    for code, area, first_q, last_q in std.select(
        "code", "priority_area", "first_q", "last_q"
    ).iter_rows():
        overlap = (first_q <= p_end - 1) & (last_q >= p_start)
        candidates = np.flatnonzero(overlap & (p_area == area))
        if candidates.size == 0:
            candidates = np.flatnonzero(overlap)
        if candidates.size == 0:
            continue
        chosen[p_ids[int(rng.choice(candidates))]].append(code)
    codes = std["code"].to_numpy()
    weights = std["prominence"].to_numpy()
    areas = std["priority_area"].to_numpy()
    for i, pid in enumerate(p_ids):
        fits = (std["first_q"].to_numpy() <= p_end[i] - 1) & (
            std["last_q"].to_numpy() >= p_start[i]
        )
        target = int(rng.integers(5, 13))
        missing = target - len(chosen[pid])
        if missing <= 0:
            continue
        pool = np.flatnonzero(fits & ~np.isin(codes, chosen[pid]))
        same_area = areas[pool] == p_area[i]
        w = weights[pool] * np.where(same_area, 6.0, 1.0)
        if pool.size:
            take = rng.choice(pool, size=min(missing, pool.size), replace=False, p=w / w.sum())
            chosen[pid].extend(codes[take].tolist())
    return {pid: sorted(codes) for pid, codes in chosen.items()}


def _sites(world: World, programs: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    n_sites = world.count(620, minimum=2 * programs.height)
    weights = programs["weight"].to_numpy()
    per_program = 1 + rng.multinomial(n_sites - programs.height, weights / weights.sum())
    program_index = np.repeat(np.arange(programs.height), per_program)
    regions = world.regions
    r_w = regions["weight"].to_numpy()
    region_index = rng.choice(regions.height, size=n_sites, p=r_w / r_w.sum())
    orgs = world.org_types
    o_w = orgs["site_share"].to_numpy()
    org_index = rng.choice(orgs.height, size=n_sites, p=o_w / o_w.sum())
    names: list[str] = []
    sectors: list[str] = []
    seen: dict[str, int] = {}
    p_area = programs["area"].to_list()
    for k in range(n_sites):
        org = orgs["id"][int(org_index[k])]
        area_sectors = SECTORS[p_area[int(program_index[k])]]
        # The first sectors of an area are the most likely (geometric weights).
        sw = 0.55 ** np.arange(len(area_sectors))
        sector = _SECTOR_BY_TYPE.get(org) or area_sectors[int(rng.choice(len(sw), p=sw / sw.sum()))]
        patterns = site_patterns(org, sector)
        name = patterns[int(rng.integers(len(patterns)))].format(
            p=regions["short"][int(region_index[k])]
        )
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}（{seen[name]}）"
        names.append(name)
        sectors.append(sector)
    start_q = programs["start_q"].to_numpy()[program_index] + rng.poisson(0.7, size=n_sites)
    return pl.DataFrame(
        {
            "site_id": [f"S{k + 1:05d}" for k in range(n_sites)],
            "program_id": programs["program_id"].to_numpy()[program_index],
            "name": names,
            "region_code": regions["code"].to_numpy()[region_index],
            "org_type": orgs["id"].to_numpy()[org_index],
            "sector": sectors,
            "join_q": np.minimum(start_q, programs["end_q"].to_numpy()[program_index]),
            # Sites keep reporting for a follow-up year after their programme ends.
            "leave_q": np.minimum(programs["end_q"].to_numpy()[program_index] + 4, N_PERIODS - 1),
            # Latent: a site's own leniency (0–1 Likert scale) and its quarterly
            # incident rate before implementation.
            "site_effect": rng.normal(0.0, 0.05, size=n_sites),
            "incident_rate": rng.lognormal(1.6, 0.7, size=n_sites),
        }
    )


def _pairs(
    world: World,
    sites: pl.DataFrame,
    program_standards: dict[str, list[str]],
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Each site implements 3–10 of its programme's standards (prominent ones more often)."""
    std = world.standards.select("code", "prominence", "first_q", "last_q")
    prominence = dict(zip(std["code"], std["prominence"], strict=True))
    site_ids, codes = [], []
    by_program = sites.select("site_id", "program_id").group_by("program_id", maintain_order=True)
    for (program_id,), group in by_program:
        pool = program_standards[str(program_id)]
        if not pool:
            continue
        # Weighted sampling without replacement for every site at once (Gumbel top-k).
        keys = np.log([prominence[c] for c in pool])[None, :] + rng.gumbel(
            size=(group.height, len(pool))
        )
        order = np.argsort(-keys, axis=1)
        m = np.minimum(len(pool), rng.integers(3, 11, size=group.height))
        take = np.arange(len(pool))[None, :] < m[:, None]
        rows = np.broadcast_to(np.arange(group.height)[:, None], order.shape)[take]
        site_ids.append(group["site_id"].gather(rows))
        codes.append(pl.Series(pool, dtype=pl.String).gather(order[take]))
    pairs = pl.DataFrame({"site_id": pl.concat(site_ids), "standard_code": pl.concat(codes)}).sort(
        "site_id", "standard_code"
    )
    return _windows(pairs, sites, std)


def _windows(pairs: pl.DataFrame, sites: pl.DataFrame, std: pl.DataFrame) -> pl.DataFrame:
    """Add the periods in which a site reports on a standard; drop empty windows."""
    return (
        pairs.join(sites.select("site_id", "join_q", "leave_q"), on="site_id")
        .join(std.select("code", "first_q", "last_q"), left_on="standard_code", right_on="code")
        .with_columns(
            start_q=pl.max_horizontal("join_q", "first_q"),
            end_q=pl.min_horizontal("leave_q", "last_q"),
        )
        .filter(pl.col("start_q") <= pl.col("end_q"))
        .select("site_id", "standard_code", "start_q", "end_q")
    )


def _sparse_pairs(world: World, sites: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Give each planted sparse standard 1–3 sites, whatever the scale."""
    sparse = world.standards.filter(pl.col("sparse"))
    join_q = sites["join_q"].to_numpy()
    leave_q = sites["leave_q"].to_numpy()
    site_ids, codes = [], []
    for code, first_q, last_q in sparse.select("code", "first_q", "last_q").iter_rows():
        fits = np.flatnonzero((leave_q >= first_q) & (join_q <= last_q))
        if fits.size == 0:
            continue
        m = min(fits.size, int(rng.integers(1, 4)))
        for k in sorted(rng.choice(fits, size=m, replace=False)):
            site_ids.append(sites["site_id"][int(k)])
            codes.append(code)
    return pl.DataFrame(
        {"site_id": site_ids, "standard_code": codes},
        schema={"site_id": pl.String, "standard_code": pl.String},
    )


def build_programs(world: World) -> Programs:
    """Draw the programmes, their sites and the site × standard pairs."""
    rng = world.rng("programs")
    programs = _program_table(world, rng)
    program_standards = _program_standards(world, programs, rng)
    sites = _sites(world, programs, rng)
    pairs = _pairs(world, sites, program_standards, rng)
    sparse = _windows(_sparse_pairs(world, sites, rng), sites, world.standards)
    pairs = (
        pl.concat([pairs, sparse])
        .unique(["site_id", "standard_code"])
        .sort("site_id", "standard_code")
    )
    # A programme lists every standard its sites report on (the sparse ones too).
    listed = (
        pairs.join(sites.select("site_id", "program_id"), on="site_id")
        .group_by("program_id")
        .agg(pl.col("standard_code").unique().sort())
    )
    extra = dict(zip(listed["program_id"], listed["standard_code"], strict=True))
    standards_text = [
        "; ".join(sorted(set(program_standards[pid]) | set(extra.get(pid, []))))
        for pid in programs["program_id"]
    ]
    program = programs.with_columns(pl.Series("standards", standards_text)).select(
        "program_id", "name", "lead_department", "start_date", "end_date", "standards"
    )
    site_cols = ["site_id", "program_id", "name", "region_code", "org_type", "sector"]
    latent = sites.select("site_id", "region_code", "org_type", "site_effect", "incident_rate")
    return Programs(
        program=program,
        site=sites.select(site_cols),
        pairs=pairs.join(latent, on="site_id").sort("site_id", "standard_code"),
    )
