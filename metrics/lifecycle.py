"""Standard-making lifecycle measures (§9 two-year cycle, §10 stage limits).

Days from approval (立项) to publication, the share published within the
cycle (730 days by default), projects still open past it, and each stage's
duration against the national limits (立项 ≤ 3 months: approved → draft;
起草 ≤ 10 months: draft → consultation draft; 征求意见 ≤ 2 months:
consultation → review draft; all in the indicator config). A stage's due
date is its start plus the limit in calendar months.

Scope: ``year`` is the approval year; ``standard_codes`` and
``priority_area`` keep projects that published those standards; regions do
not apply. ``as_of`` (the date open projects are measured to) is always
passed explicitly, so the same call gives the same numbers tomorrow.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from metrics.config import IndicatorConfig, load_config
from metrics.queries import query_frame
from metrics.scope import Scope

__all__ = ["lifecycle_projects", "lifecycle_stages", "lifecycle_summary", "stage_summary"]


def _params(scope: Scope, config: IndicatorConfig, as_of: date) -> dict[str, object]:
    return {**scope.to_params(), "as_of": as_of, "cycle_days": config.cycle_days}


def lifecycle_projects(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    as_of: date,
    config: IndicatorConfig | None = None,
) -> pl.DataFrame:
    """One row per project: days to publication, within the cycle, open past the limit.

    Parameters
    ----------
    scope
        ``year`` is the year of approval (立项); standards and area by the
        published code.
    as_of
        The day open projects are measured to (explicit, so results repeat).
    config
        For ``lifecycle.cycle_days`` (default 730).

    Returns
    -------
    polars.DataFrame
        ``project_id, plan_no, title, approved, published, published_code,
        is_published, days_to_publication, within_cycle, days_open,
        open_past_limit``; projects without an approval date are left out.
    """
    cfg = load_config(config)
    return query_frame(con, "lifecycle_projects", _params(scope, cfg, as_of))


def lifecycle_stages(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    as_of: date,
    config: IndicatorConfig | None = None,
) -> pl.DataFrame:
    """One row per project and stage: start, end, due date, days, open, over the limit.

    Stages and their limits come from ``config.stages`` (立项 ≤ 3, 起草 ≤ 10,
    征求意见 ≤ 2 months by default); due = start + the limit in calendar
    months; an open stage is measured to ``as_of``; a stage whose end is
    blank while a later milestone is filled is not counted.

    Parameters
    ----------
    scope, as_of, config
        As for :func:`lifecycle_projects`.

    Returns
    -------
    polars.DataFrame
        One row per project and stage started, with ``stage, name_zh,
        months, started, ended, due, days, is_open, over_limit``.
    """
    cfg = load_config(config)
    limits = pl.DataFrame(
        {
            "stage": [s.stage for s in cfg.stages],
            "name_zh": [s.name_zh for s in cfg.stages],
            "start_milestone": [s.start for s in cfg.stages],
            "end_milestone": [s.end for s in cfg.stages],
            "months": [s.months for s in cfg.stages],
        },
        schema={
            "stage": pl.String,
            "name_zh": pl.String,
            "start_milestone": pl.String,
            "end_milestone": pl.String,
            "months": pl.Int64,
        },
    )
    cur = con.cursor()
    try:
        cur.register("lifecycle_stage", limits.to_arrow())
        return query_frame(cur, "lifecycle_stages", _params(scope, cfg, as_of))
    finally:
        cur.close()


def lifecycle_summary(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    as_of: date,
    config: IndicatorConfig | None = None,
) -> dict[str, float | int | None]:
    """Headline lifecycle figures: counts, days to publication, share within the cycle."""
    cfg = load_config(config)
    projects = lifecycle_projects(con, scope=scope, as_of=as_of, config=cfg)
    published = projects.filter(pl.col("is_published"))
    days = published.get_column("days_to_publication")
    return {
        "cycle_days": cfg.cycle_days,
        "n_projects": projects.height,
        "n_published": published.height,
        "median_days_to_publication": None if days.is_empty() else float(days.median()),  # type: ignore[arg-type]
        "mean_days_to_publication": None if days.is_empty() else float(days.mean()),  # type: ignore[arg-type]
        "share_within_cycle": (
            None if published.is_empty() else float(published.get_column("within_cycle").mean())  # type: ignore[arg-type]
        ),
        "n_open": projects.height - published.height,
        "n_open_past_limit": int(projects.get_column("open_past_limit").sum()),
    }


def stage_summary(stages: pl.DataFrame) -> pl.DataFrame:
    """Per stage: projects, median days, how many ran (or are running) over the limit.

    Examples
    --------
    >>> rows = pl.DataFrame({"stage": ["drafting"] * 3, "name_zh": ["起草"] * 3,
    ...     "months": [10] * 3, "days": [200, 400, 100], "is_open": [False, False, True],
    ...     "over_limit": [False, True, False]})
    >>> stage_summary(rows).select("n", "n_over_limit", "share_over_limit").row(0)
    (3, 1, 0.3333333333333333)
    """
    return (
        stages.group_by("stage", "name_zh", "months", maintain_order=True)
        .agg(
            pl.len().alias("n"),
            (~pl.col("is_open")).sum().alias("n_closed"),
            pl.col("days").filter(~pl.col("is_open")).median().alias("median_days_closed"),
            pl.col("over_limit").sum().alias("n_over_limit"),
            pl.col("over_limit").mean().alias("share_over_limit"),
            (pl.col("over_limit") & pl.col("is_open")).sum().alias("n_open_over_limit"),
        )
        .with_columns(pl.col("n", "n_closed", "n_over_limit", "n_open_over_limit").cast(pl.Int64))
    )
