"""Standard projects (§9 ≤ 2-year cycle, §10 stages): approved → … → published.

Every catalogue standard with a code year from 2017 on gets the project that
produced it (``published_code``), published on its catalogue date (or a day
of its code year); about one in eight took longer than 730 days. Projects
still open at the demo's horizon (2025-12-31) were approved in 2025, except
a few planted ones stuck since 2022–2023. Every project over the limit is
recorded in ``demo_truth`` as ``late_project``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from etl.demo.names import OPEN_PROJECT_TOPICS
from etl.demo.world import HORIZON, World

LIMIT_DAYS = 730
LATE_SHARE = 0.12
FIRST_CODE_YEAR = 2017
STAGES = ("approved", "draft", "consultation", "review", "approval", "published")
# Typical days spent before each next stage: 立项→草案, 起草 (草案→征求意见稿),
# 征求意见 (→送审稿), 审查 (→报批稿), 报批 (→发布).
STAGE_DAYS = np.array([60.0, 240.0, 70.0, 80.0, 150.0])
_PLAN_LETTER = {"GB": "Q", "GB/Z": "Z"}


def _stage_dates(approved: dt.date, gaps: np.ndarray) -> list[dt.date]:
    days = np.concatenate([[0], np.cumsum(np.maximum(1, np.rint(gaps)).astype(int))])
    return [approved + dt.timedelta(days=int(d)) for d in days]


def _published_projects(world: World, rng: np.random.Generator) -> list[dict]:
    std = world.standards.filter(pl.col("code_year") >= FIRST_CODE_YEAR).sort("code")
    rows = []
    for code, title, category, published, code_year in std.select(
        "code", "title_zh", "category", "published", "code_year"
    ).iter_rows():
        if published is None:
            published = dt.date(int(code_year), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
        late = rng.random() < LATE_SHARE
        total = (
            rng.uniform(760, 1150)
            if late
            else float(np.clip(rng.lognormal(np.log(540), 0.15), 300, 720))
        )
        gaps = STAGE_DAYS * rng.lognormal(0.0, 0.25, size=STAGE_DAYS.size)
        gaps *= total / gaps.sum()
        approved = published - dt.timedelta(days=int(np.maximum(1, np.rint(gaps)).sum()))
        rows.append({
            "approved_dates": _stage_dates(approved, gaps), "code": code, "category": category,
            "title": title or f"{code} 标准项目",
        })  # fmt: skip
    return rows


def _open_projects(world: World, rng: np.random.Generator) -> list[dict]:
    rows = []
    n_open = world.count(40, minimum=8)
    n_stuck = max(2, round(4 * world.scale**0.5))
    for i in range(n_open + n_stuck):
        stuck = i >= n_open
        if stuck:
            approved = dt.date(2022, 6, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
        else:
            approved = dt.date(2025, 1, 1) + dt.timedelta(days=int(rng.integers(0, 330)))
        gaps = STAGE_DAYS * rng.lognormal(0.0, 0.25, size=STAGE_DAYS.size)
        if stuck:
            gaps[2:] *= 6.0  # stalled after consultation
        dates = [d if d <= HORIZON else None for d in _stage_dates(approved, gaps)]
        dates[-1] = None
        topic = OPEN_PROJECT_TOPICS[int(rng.integers(len(OPEN_PROJECT_TOPICS)))]
        prefix = "网络安全技术" if approved.year >= 2024 else "信息安全技术"
        rows.append({
            "approved_dates": dates, "code": None, "category": "GB/T",
            "title": f"{prefix} {topic}",
        })  # fmt: skip
    return rows


def build_lifecycle(world: World) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the lifecycle rows and the planted late projects (``demo_truth`` rows)."""
    rng = world.rng("lifecycle")
    rows = _published_projects(world, rng) + _open_projects(world, rng)
    rows.sort(key=lambda r: (r["approved_dates"][0], r["code"] or "", r["title"]))
    seq_by_year: dict[int, int] = {}
    out, late = [], []
    for i, row in enumerate(rows):
        dates = row["approved_dates"]
        year = dates[0].year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        project_id = f"LP-{i + 1:04d}"
        letter = _PLAN_LETTER.get(row["category"], "T")
        out.append({
            "project_id": project_id, "plan_no": f"{year}{seq_by_year[year]:04d}-{letter}-469",
            "title": row["title"], **dict(zip(STAGES, dates, strict=True)),
            "published_code": row["code"],
        })  # fmt: skip
        if dates[-1] is not None and (dates[-1] - dates[0]).days > LIMIT_DAYS:
            days = (dates[-1] - dates[0]).days
            late.append(
                (project_id, days, f"published {days} days after approval (§9: ≤ {LIMIT_DAYS})")
            )
        elif dates[-1] is None and (HORIZON - dates[0]).days > LIMIT_DAYS:
            days = (HORIZON - dates[0]).days
            late.append((project_id, days, f"still open {days} days after approval at {HORIZON}"))
    schema = {s: pl.Date for s in STAGES}
    lifecycle = pl.DataFrame(out, schema_overrides=schema)
    truth = pl.DataFrame(
        {
            "kind": ["late_project"] * len(late),
            "key": [x[0] for x in late],
            "dimension": [""] * len(late),
            "value": [float(x[1]) for x in late],
            "note": [x[2] for x in late],
        },
        schema={"kind": pl.String, "key": pl.String, "dimension": pl.String,
                "value": pl.Float64, "note": pl.String},
    )  # fmt: skip
    return lifecycle, truth
