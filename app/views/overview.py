"""Overview (总览): headline figures against the previous year, scores, alerts."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from app.components import charts
from app.components.charts_scores import score_distribution
from app.components.figure_cache import figure
from app.components.numbers import format_count, format_money
from app.components.page import page_start
from app.components.tables import chart, table
from app.data.rankings import latest_run, ranking, run_results
from app.data.reads import read

ctx = page_start("overview")
t, f, scope = ctx.t, ctx.filters, ctx.scope
lang = t.lang

years = read("headline_by_year", filters=f, scope=scope)
if years.is_empty():
    st.info(t("overview.no_feedback"))
else:
    cur = years.row(-1, named=True)
    prev = years.row(-2, named=True) if years.height > 1 else None

    def delta(key: str) -> float | None:
        return None if prev is None else cur[key] - prev[key]

    st.subheader(t("home.year_heading", year=cur["year"]))
    row = st.columns(4)
    for col, key, fmt in (
        (row[0], "feedback_rows", format_count),
        (row[1], "sites_reporting", format_count),
        (row[2], "survey_rows", format_count),
        (row[3], "disbursed_cny", format_money),
    ):
        d = delta(key)
        col.metric(
            t(f"home.{key}"),
            fmt(cur[key], lang),
            delta=None if d is None else fmt(d, lang),
            help=t("home.delta_help"),
        )
    totals = years.select(
        pl.col("feedback_rows", "survey_rows", "committed_cny", "disbursed_cny").sum()
    )
    tot = totals.row(0, named=True)
    row2 = st.columns(4)
    row2[0].metric(t("home.feedback_total"), format_count(tot["feedback_rows"], lang))
    row2[1].metric(t("home.survey_total"), format_count(tot["survey_rows"], lang))
    row2[2].metric(t("overview.committed"), format_money(tot["committed_cny"], lang))
    row2[3].metric(t("overview.disbursed"), format_money(tot["disbursed_cny"], lang))

by_period = read("feedback_by_period", filters=f, scope=scope)
if not by_period.is_empty():
    chart(
        figure(charts.feedback_over_time, by_period, t),
        t("home.caption_feedback", rows=format_count(int(by_period["feedback_rows"].sum()), lang)),
    )

ranked = ranking(filters=f, scope=scope)
run = latest_run()
st.subheader(t("home.scores_heading"))
if run is None or ranked.is_empty():
    st.info(t("tables.no_run"))
else:
    good = ranked.filter(pl.col("ranked"))
    chart(
        figure(score_distribution, good, t),
        t(
            "home.caption_dist",
            n=good.height,
            run=run["run_id"],
            excluded=ranked.height - good.height,
        ),
    )
    left, right = st.columns(2)
    cols = [
        "standard_code",
        "title_zh" if lang == "zh" else "title_en",
        "score",
        "ci_low",
        "ci_high",
        "n_responses",
    ]
    with left:
        st.markdown(f"**{t('home.best')}**")
        table(good.head(5).select(cols), "best_standards", t)
    with right:
        st.markdown(f"**{t('home.worst')}**")
        table(good.tail(5).reverse().select(cols), "worst_standards", t)

st.subheader(t("home.alerts_heading"))
alerts = 0
if run is not None and not ranked.is_empty():
    results = run_results(run["run_id"]).filter(
        (pl.col("level") == "composite")
        & (pl.col("item") == "score")
        & (pl.col("year") != "overall")
        & ~pl.col("insufficient")
    )
    yrs = sorted(results["year"].unique().to_list())
    if len(yrs) >= 2:
        last, before = yrs[-1], yrs[-2]
        pivot = results.filter(pl.col("year").is_in([last, before])).pivot(
            on="year", index="standard_code", values="value"
        )
        if {last, before} <= set(pivot.columns):
            falling = pivot.filter((pl.col(last) - pl.col(before)) <= -5.0).filter(
                pl.col("standard_code").is_in(ranked["standard_code"].implode())
            )
            if falling.height:
                alerts += 1
                st.warning(t("home.alert_falling", n=falling.height, last=last, before=before))
                st.page_link("views/standards.py", label=t("home.go_standards"))
silent = read("silent_programs", filters=f, scope=scope)
if silent.height:
    alerts += 1
    st.warning(t("home.alert_silent", n=silent.height))
    st.page_link("views/areas.py", label=t("home.go_areas"))
projects = read("lifecycle_projects", filters=f, scope=scope, as_of=date.today())
late = int(projects["open_past_limit"].sum()) if projects.height else 0
if late:
    alerts += 1
    st.warning(t("home.alert_late", n=late))
    st.page_link("views/lifecycle.py", label=t("home.go_lifecycle"))
over = read("overdisbursed", filters=f, scope=scope)
if over.height:
    alerts += 1
    st.warning(t("home.alert_over", n=over.height))
    st.page_link("views/funding.py", label=t("home.go_funding"))
if not alerts:
    st.success(t("home.no_alerts"))

by_area = read("by_priority_area", filters=f, scope=scope)
chart(figure(charts.by_priority_area, by_area, t), t("home.caption_area"))
