"""Priority areas (§7 重点领域): standards, evidence, scores, adoption and money per area."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.components.charts_board import area_overview
from app.components.figure_cache import figure
from app.components.page import page_start
from app.components.tables import chart, labelled, table
from app.data.rankings import ranking
from app.data.reads import read

ctx = page_start("areas")
t, f, scope = ctx.t, ctx.filters, ctx.scope
name = "name_zh" if t.lang == "zh" else "name_en"
areas = read("by_priority_area", filters=f, scope=scope)
scores = ranking(filters=f, scope=scope)
if scores.height:
    per_area = scores.group_by("priority_area").agg(
        pl.col("ranked").mean().alias("share_evidence"),
        pl.col("score").filter(pl.col("ranked")).mean().alias("mean_score"),
    )
    areas = areas.join(per_area, left_on="area_id", right_on="priority_area", how="left")
else:
    areas = areas.with_columns(
        pl.lit(None, pl.Float64).alias("share_evidence"),
        pl.lit(None, pl.Float64).alias("mean_score"),
    )
areas = areas.with_columns(
    pl.col(name).fill_null(t("overview.unmapped")),
    (
        pl.when(pl.col("standards") < 5).then(pl.lit(t("areas.gap_few")))
        .when(pl.col("programs") == 0).then(pl.lit(t("areas.gap_no_pilot")))
        .when(pl.col("feedback_rows") + pl.col("survey_rows") == 0).then(pl.lit(t("areas.gap_no_evidence")))
        .otherwise(pl.lit(""))
    ).alias("gap"),
)  # fmt: skip
gaps = areas.filter(pl.col("gap") != "")
if gaps.height:
    st.warning(
        t(
            "areas.gaps",
            names="、".join(gaps[name].to_list())
            if t.lang == "zh"
            else ", ".join(gaps[name].to_list()),
        )
    )
chart(
    figure(area_overview, areas, t, areas[name].to_list()),
    t("areas.caption", rows=int(areas["feedback_rows"].sum())),
)
labels = {
    name: t("areas.col_area"), "standards": t("areas.standards"),
    "standards_with_feedback": t("areas.standards_with_feedback"),
    "share_evidence": t("areas.col_share_evidence"), "mean_score": t("areas.col_mean_score"),
    "adoption_rate": t("areas.col_adoption"), "programs": t("areas.col_programs"),
    "sites": t("areas.col_sites"), "feedback_rows": t("areas.col_feedback"),
    "survey_rows": t("areas.col_survey"), "committed_cny": t("areas.col_committed"),
    "disbursed_cny": t("areas.col_disbursed"), "gap": t("areas.col_gap"),
}  # fmt: skip
table(labelled(areas, labels), "priority_areas", t)
