"""Rankings and the funnel plot from the latest score run: the one adapter.

The "Scores a ministry can defend" work adds ``metrics.ranking`` (score,
interval, rank interval, probability of the top 10) and ``metrics.funnel``.
Where they are importable this module uses them; otherwise it derives the
same columns from the stored run (:func:`metrics.runs.read_run`), with the
rank interval and ``p_top10`` null, and draws the funnel limits itself.
The fallback goes once those modules are merged.

Scores are those of the latest stored run over the whole programme; the
reader's filters choose the year shown (the last year of the range, when
the run has it) and the priority area. A pilot-site scope sees no
rankings (a run scores the whole programme).
"""

from __future__ import annotations

import importlib
from typing import Any

import polars as pl
import streamlit as st

from app.connection import cursor
from app.data.reads import read
from app.live import current_version
from datasets.access import Access
from metrics.filters import Filters
from metrics.runs import read_run, read_run_meta

#: Columns of a ranking (those of ``metrics.ranking.ranked_standards``).
RANKING_COLUMNS: tuple[str, ...] = (
    "standard_code", "score", "ci_low", "ci_high", "score_raw", "ci_low_raw", "ci_high_raw",
    "rank", "rank_low", "rank_high", "p_top10", "grade", "n_sites", "n_responses",
    "insufficient", "partial", "ranked", "exclusion_reason",
)  # fmt: skip


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def _latest_run(version: str) -> dict[str, Any] | None:
    cur = cursor()
    try:
        rows = cur.execute(
            "select run_id from score_run order by created_at desc, run_id desc limit 1"
        ).fetchall()
        if not rows:
            return None
        meta = read_run_meta(cur, rows[0][0])
    finally:
        cur.close()
    return meta


def latest_run() -> dict[str, Any] | None:
    """The record of the latest score run (``read_run_meta``), or ``None`` before any."""
    return _latest_run(current_version())


@st.cache_resource(show_spinner=False, max_entries=4)
def run_results(run_id: str) -> pl.DataFrame:
    """Every stored result of a run (a run never changes, so its id is the key).

    Shared, not copied, between sessions (``cache_resource``): the frame is
    read many times per page and polars frames are never changed in place.
    """
    cur = cursor()
    try:
        return read_run(cur, run_id)
    finally:
        cur.close()


def shown_year(run: dict[str, Any], filters: Filters) -> str:
    """The run's year a page shows: the filter's last year if scored, else the run's primary."""
    years = set(run_results(run["run_id"])["year"].unique().to_list())
    if filters.year_to is not None and str(filters.year_to) in years:
        return str(filters.year_to)
    return str(run.get("primary_year") or "overall")


def _fallback_ranking(results: pl.DataFrame, year: str) -> pl.DataFrame:
    rows = results.filter(
        (pl.col("year") == year) & (pl.col("level") == "composite") & (pl.col("item") == "score")
    )
    ranked = rows.with_columns(
        pl.col("value").alias("score"),
        pl.col("value").alias("score_raw"),
        pl.col("ci_low").alias("ci_low_raw"),
        pl.col("ci_high").alias("ci_high_raw"),
        (~pl.col("insufficient").fill_null(False) & pl.col("value").is_not_null()).alias("ranked"),
    )
    ranked = ranked.with_columns(
        pl.when(pl.col("ranked"))
        .then(pl.col("score").rank("min", descending=True).over("ranked"))
        .cast(pl.Int64)
        .alias("rank"),
        pl.lit(None, pl.Int64).alias("rank_low"),
        pl.lit(None, pl.Int64).alias("rank_high"),
        pl.lit(None, pl.Float64).alias("p_top10"),
        pl.when(pl.col("ranked"))
        .then(None)
        .otherwise(pl.lit("insufficient"))
        .alias("exclusion_reason"),
    )
    return ranked.select(RANKING_COLUMNS)


def ranking(*, filters: Filters, scope: Access) -> pl.DataFrame:
    """Standards of the latest run in the shown year, best first, with titles and areas.

    Returns
    -------
    polars.DataFrame
        :data:`RANKING_COLUMNS` plus ``title_zh, title_en, priority_area,
        area_zh, area_en``; empty before any run or for a pilot-site scope.
    """
    run = latest_run()
    if run is None or not scope.sees_everything:
        return pl.DataFrame(schema=dict.fromkeys(RANKING_COLUMNS, pl.String))
    return _ranking(current_version(), run["run_id"], shown_year(run, filters), filters, scope)


@st.cache_data(show_spinner=False, max_entries=128)
def _ranking(version: str, run_id: str, year: str, filters: Filters, scope: Access) -> pl.DataFrame:
    module = _optional("metrics.ranking")
    if module is not None:
        cur = cursor()
        try:
            frame = module.ranked_standards(cur, run_id=run_id, year=year, scope=filters.to_scope())
        finally:
            cur.close()
    else:
        frame = _fallback_ranking(run_results(run_id), year)
    titles = read("catalogue", filters=filters, scope=scope)
    # metrics.ranking also returns priority_area: keep one of each column.
    titles = titles.select("standard_code", *[c for c in titles.columns if c not in frame.columns])
    return frame.join(titles, on="standard_code", how="inner").sort(
        ["ranked", "score"], descending=[True, True], nulls_last=True
    )


def standard_history(run_id: str, code: str) -> pl.DataFrame:
    """One standard's composite per scored year (``year, score, ci_low, ci_high, n_responses``)."""
    rows = run_results(run_id).filter(
        (pl.col("standard_code") == code)
        & (pl.col("level") == "composite")
        & (pl.col("year") != "overall")
    )
    return rows.select("year", pl.col("value").alias("score"), "ci_low", "ci_high", "n_responses")


def dimension_profile(run_id: str, year: str, code: str, area: str | None) -> pl.DataFrame:
    """A standard's dimension values beside the mean of its priority area's standards."""
    results = run_results(run_id).filter(
        (pl.col("year") == year) & (pl.col("level") == "dimension")
    )
    own = results.filter(pl.col("standard_code") == code).select(
        "item", pl.col("value").alias("own")
    )
    catalogue = ranking_areas()
    peers = catalogue.filter(pl.col("priority_area") == area)["standard_code"] if area else []
    mean = (
        results.filter(pl.col("standard_code").is_in(list(peers)))
        .group_by("item")
        .agg(pl.col("value").mean().alias("area_mean"))
    )
    return own.join(mean, on="item", how="left").sort("item")


def ranking_areas() -> pl.DataFrame:
    """Standards and their priority areas (whole catalogue)."""
    return read("catalogue", filters=Filters(), scope=Access.everything()).select(
        "standard_code", "priority_area"
    )


def _fallback_funnel(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Funnel plot data of a ranking: points and control limits against evidence.

    Evidence is the number of responses behind a score. The target is the
    evidence-weighted mean score; the spread of one response is estimated
    from the runs' 95 % intervals (half-width / 1.96 × √n, median over
    standards), so a limit at evidence n is target ± z · σ / √n (z = 1.96
    and 3.09 for 95 % and 99.8 %). ``metrics.funnel`` replaces this when merged.

    Returns
    -------
    tuple of polars.DataFrame
        Points ``standard_code, evidence, score, outside_95, outside_998``
        and limits ``evidence, lower_95, upper_95, lower_998, upper_998``.
    """
    pts = frame.filter(pl.col("score").is_not_null() & (pl.col("n_responses") > 0)).select(
        "standard_code",
        pl.col("n_responses").cast(pl.Float64).alias("evidence"),
        pl.col("score").cast(pl.Float64),
        pl.col("ci_low").cast(pl.Float64),
        pl.col("ci_high").cast(pl.Float64),
    )
    empty_limits = pl.DataFrame(
        schema=dict.fromkeys(
            ("evidence", "lower_95", "upper_95", "lower_998", "upper_998"), pl.Float64
        )
    )
    if pts.height < 3:
        return pts.with_columns(
            pl.lit(False).alias("outside_95"), pl.lit(False).alias("outside_998")
        ).drop("ci_low", "ci_high"), empty_limits
    target = float((pts["score"] * pts["evidence"]).sum() / pts["evidence"].sum())
    sigma_each = (
        (pts["ci_high"] - pts["ci_low"]) / (2 * 1.96) * pts["evidence"].sqrt()
    ).drop_nulls()
    sigma = float(sigma_each.median()) if sigma_each.len() else float(pts["score"].std() or 0.0)
    lo, hi = float(pts["evidence"].min()), float(pts["evidence"].max())
    grid = [lo + (hi - lo) * i / 60 for i in range(61)]
    limits = pl.DataFrame({"evidence": grid}).with_columns(
        (target - 1.96 * sigma / pl.col("evidence").sqrt()).alias("lower_95"),
        (target + 1.96 * sigma / pl.col("evidence").sqrt()).alias("upper_95"),
        (target - 3.09 * sigma / pl.col("evidence").sqrt()).alias("lower_998"),
        (target + 3.09 * sigma / pl.col("evidence").sqrt()).alias("upper_998"),
    )
    half95 = 1.96 * sigma / pts["evidence"].sqrt()
    half998 = 3.09 * sigma / pts["evidence"].sqrt()
    dev = (pts["score"] - target).abs()
    points = pts.select("standard_code", "evidence", "score").with_columns(
        (dev > half95).alias("outside_95"), (dev > half998).alias("outside_998")
    )
    return points, limits


def funnel(
    *, filters: Filters, scope: Access, frame: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Funnel plot of the shown ranking ``frame``: ``(points, limits)``.

    ``metrics.funnel.funnel_data`` when importable, else the estimate of
    :func:`_fallback_funnel` (restricted to the standards of ``frame``).
    """
    run = latest_run()
    module = _optional("metrics.funnel")
    if module is not None and run is not None and scope.sees_everything:
        cur = cursor()
        try:
            data = module.funnel_data(
                cur, run_id=run["run_id"], year=shown_year(run, filters), scope=filters.to_scope()
            )
        finally:
            cur.close()
        return data.points, data.limits
    return _fallback_funnel(frame)
