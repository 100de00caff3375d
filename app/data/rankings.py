"""Rankings and the funnel plot from the latest score run, cached for the pages.

``metrics.ranking.ranked_standards`` gives each standard its ranking
estimate (shrunk by default) with its 95 % interval, rank interval and
probability of the top 10; ``metrics.funnel.funnel_data`` the funnel plot's
points and control limits (SCORING.md §3).

Scores are those of the latest stored run over the whole programme; the
reader's filters choose the year shown (the last year of the range, when
the run has it) and the priority area. A pilot-site scope sees no
rankings (a run scores the whole programme).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from app.connection import cursor
from app.data.reads import read
from app.live import current_version
from datasets.access import Access
from metrics.filters import Filters
from metrics.funnel import funnel_data
from metrics.ranking import ranked_standards
from metrics.runs import read_run, read_run_meta
from metrics.scope import Scope

#: Columns of a ranking (those of ``metrics.ranking.ranked_standards``) and their types.
RANKING_SCHEMA: dict[str, pl.DataType] = {
    "standard_code": pl.String(), "score": pl.Float64(), "ci_low": pl.Float64(),
    "ci_high": pl.Float64(), "score_raw": pl.Float64(), "ci_low_raw": pl.Float64(),
    "ci_high_raw": pl.Float64(), "rank": pl.Int32(), "rank_low": pl.Int32(),
    "rank_high": pl.Int32(), "p_top10": pl.Float64(), "grade": pl.String(),
    "n_sites": pl.Int32(), "n_responses": pl.Int32(), "insufficient": pl.Boolean(),
    "partial": pl.Boolean(), "ranked": pl.Boolean(), "exclusion_reason": pl.String(),
}  # fmt: skip
RANKING_COLUMNS: tuple[str, ...] = tuple(RANKING_SCHEMA)


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
        return pl.DataFrame(schema=RANKING_SCHEMA)
    return _ranking(current_version(), run["run_id"], shown_year(run, filters), filters, scope)


@st.cache_data(show_spinner=False, max_entries=128)
def _ranking(version: str, run_id: str, year: str, filters: Filters, scope: Access) -> pl.DataFrame:
    cur = cursor()
    try:
        frame = ranked_standards(cur, run_id=run_id, year=year, scope=filters.to_scope())
    finally:
        cur.close()
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
        & (pl.col("item") == "score")
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


def funnel(
    *, filters: Filters, scope: Access, frame: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Funnel plot of the latest run in the shown year: ``(points, limits)``.

    Points ``standard_code, evidence, score, outside_95, outside_998`` are kept
    to the standards of the shown ranking ``frame``; limits are
    ``evidence, lower_95, upper_95, lower_998, upper_998``. Empty before any
    run and for a pilot-site scope.
    """
    run = latest_run()
    if run is None or not scope.sees_everything:
        return _empty_funnel()
    points, limits = _funnel(
        current_version(), run["run_id"], shown_year(run, filters), filters.to_scope()
    )
    shown = frame["standard_code"].implode() if "standard_code" in frame.columns else []
    return points.filter(pl.col("standard_code").is_in(shown)), limits


@st.cache_data(show_spinner=False, max_entries=64)
def _funnel(
    version: str, run_id: str, year: str, scope: Scope
) -> tuple[pl.DataFrame, pl.DataFrame]:
    # Two rankings of the run (everyone, the reader's scope): a tenth of a
    # second or more, on every run of the Standards page before it was cached.
    cur = cursor()
    try:
        data = funnel_data(cur, run_id=run_id, year=year, scope=scope)
    finally:
        cur.close()
    return data.points, data.limits


def _empty_funnel() -> tuple[pl.DataFrame, pl.DataFrame]:
    points = pl.DataFrame(
        schema={"standard_code": pl.String, "evidence": pl.Float64, "score": pl.Float64,
                "outside_95": pl.Boolean, "outside_998": pl.Boolean}
    )  # fmt: skip
    limits = pl.DataFrame(
        schema=dict.fromkeys(("evidence", "lower_95", "upper_95", "lower_998", "upper_998"),
                             pl.Float64)
    )  # fmt: skip
    return points, limits
