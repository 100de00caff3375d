"""Awards (§12, §19 奖励): nominations, jury scores with conflicts of interest, evidence."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.components.charts_board import counts_by
from app.components.figure_cache import figure
from app.components.page import page_start
from app.components.tables import chart, table
from app.data.rankings import latest_run
from app.data.reads import read

ctx = page_start("awards")
t, f, scope = ctx.t, ctx.filters, ctx.scope
run = latest_run()
rows = read("awards", filters=f, scope=scope, run_id=None if run is None else run["run_id"])
if rows.is_empty():
    st.info(t("awards.none"))
    st.stop()
noms = rows.unique(["nomination_id"], keep="first").sort("award_year", "nomination_id")
status = noms.group_by("award_year", "status").agg(pl.len().alias("n")).sort("award_year", "status")
labels = {
    s: t(f"awards.status_{s}") for s in ("nominated", "shortlisted", "awarded", "not_awarded")
}
chart(
    figure(counts_by, status, t, x="award_year", colour="status", title=t("awards.by_year_title"),
              x_title=t("awards.axis_year"), labels=labels),
    t("awards.by_year_caption", n=noms.height),
)  # fmt: skip
cats = noms.group_by("category", "status").agg(pl.len().alias("n")).sort("category", "status")
cats = cats.with_columns(pl.col("status").replace_strict(labels, default=pl.col("status")))
st.markdown(f"**{t('awards.by_category')}**")
table(cats.with_columns(pl.col("category").replace({c: t(f"awards.cat_{c}") for c in ("standard_excellence", "practice_case")})),
      "nominations_by_category", t)  # fmt: skip
levels = {v: t(f"awards.level_{v}") for v in ("first", "second", "third", "excellence")}
winners = (
    noms.filter(pl.col("status") == "awarded")
    .group_by("award_year", "level")
    .agg(pl.len().alias("n"))
)
st.markdown(f"**{t('awards.winners')}**")
table(
    winners.sort("award_year", "level").with_columns(
        pl.col("level").replace_strict(levels, default=pl.col("level"))
    ),
    "winners_by_level",
    t,
)
st.subheader(t("awards.jury_heading"))
conflicts = int(rows["n_conflict"].sum())
if conflicts:
    st.warning(t("awards.conflicts", n=conflicts))
table(rows.select("nomination_id", "award_year", "criterion", "n_reviews", "n_conflict", "n_counted",
                  "trimmed", "mean_score", "untrimmed_mean"), "jury_scores", t)  # fmt: skip
st.caption(t("awards.jury_caption"))
st.subheader(t("awards.evidence_heading"))
nominees = noms.filter(pl.col("category") == "standard_excellence").select(
    "nomination_id", "award_year", "standard_code", "nominee_org", "status", "level",
    "effectiveness_score", "effectiveness_ci_low", "effectiveness_ci_high",
    "effectiveness_grade", "effectiveness_insufficient",
)  # fmt: skip
table(nominees, "nominee_evidence", t)
st.caption(t("awards.evidence_caption", run=run["run_id"] if run else "—"))
