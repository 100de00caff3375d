"""Lifecycle (§9–10 标准制定周期): projects by stage, days to publication, stage limits."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from app.components.charts_board import counts_by, days_to_publication, stage_durations
from app.components.figure_cache import figure
from app.components.page import page_start
from app.components.tables import chart, table
from app.data.reads import read
from metrics.config import default_config
from metrics.lifecycle import stage_summary

ctx = page_start("lifecycle")
t, f, scope = ctx.t, ctx.filters, ctx.scope
today = date.today()
projects = read("lifecycle_projects", filters=f, scope=scope, as_of=today)
if projects.is_empty():
    st.info(t("lifecycle.none"))
    st.stop()
cycle = default_config().cycle_days
published = projects.filter(pl.col("is_published"))
c = st.columns(4)
c[0].metric(t("lifecycle.projects"), f"{projects.height:,}")
c[1].metric(t("lifecycle.published"), f"{published.height:,}")
c[2].metric(
    t("lifecycle.share_within"),
    f"{published['within_cycle'].mean():.1%}" if published.height else "—",
)
c[3].metric(t("lifecycle.open_late"), f"{int(projects['open_past_limit'].sum()):,}")
stages = read("lifecycle_stages", filters=f, scope=scope, as_of=today)
current = (
    stages.filter(pl.col("is_open")).select("project_id", "stage")
    .join(projects.select("project_id"), on="project_id", how="right")
    .with_columns(pl.col("stage").fill_null("published"))
)  # fmt: skip
by_stage = (
    current.group_by("stage")
    .agg(pl.len().alias("n"))
    .sort("stage")
    .with_columns(pl.lit(t("lifecycle.projects")).alias("all"))
)
chart(
    figure(counts_by, by_stage, t, x="stage", colour="all", title=t("lifecycle.by_stage_title"),
              x_title=t("lifecycle.axis_stage"), labels={}),
    t("lifecycle.by_stage_caption", n=projects.height),
)  # fmt: skip
if published.height:
    chart(
        figure(days_to_publication, published, t, cycle),
        t("lifecycle.days_caption", n=published.height, days=cycle),
    )
share = (
    published.group_by("approved_year")
    .agg(pl.col("within_cycle").mean().alias("share_within_cycle"), pl.len().alias("published"))
    .sort("approved_year")
)
table(share, "share_within_cycle_by_year", t)
st.subheader(t("lifecycle.late_heading"))
table(projects.filter(pl.col("open_past_limit")).select("project_id", "plan_no", "title", "approved", "days_open"),
      "open_past_limit", t)  # fmt: skip
if stages.height:
    summary = stage_summary(stages)
    chart(figure(stage_durations, summary, t), t("lifecycle.stages_caption"))
    table(summary, "stage_durations", t)
