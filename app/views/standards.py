"""Standards (标准): the ranking with intervals, one standard's detail, the funnel plot."""

from __future__ import annotations

from math import nan

import polars as pl
import streamlit as st

from app.components.charts_scores import (
    dimension_profile,
    funnel_plot,
    ranking_intervals,
    score_history,
)
from app.components.figure_cache import figure
from app.components.page import page_start
from app.components.tables import chart, labelled, table
from app.data.rankings import dimension_profile as profile_frame
from app.data.rankings import funnel, latest_run, ranking, shown_year, standard_history
from app.data.reads import read
from metrics.board_standard import comment_themes

ctx = page_start("standards")
t, f, scope = ctx.t, ctx.filters, ctx.scope
lang = t.lang
title_col, area_col = ("title_zh", "area_zh") if lang == "zh" else ("title_en", "area_en")
run = latest_run()
ranked = ranking(filters=f, scope=scope)
if run is None or ranked.is_empty():
    st.info(t("tables.no_run"))
    st.stop()
year = shown_year(run, f)
st.caption(
    t(
        "standards.run_caption",
        run=run["run_id"],
        year=t("standards.all_years")
        if year == "overall"
        else t("standards.year_label", year=year),
    )
)
ranked = ranked.with_columns(pl.col(area_col).fill_null(t("overview.unmapped")))

search = st.text_input(t("standards.search"), key="standard_search")
shown = ranked
if search:
    needle = search.strip().lower()
    shown = ranked.filter(
        pl.col("standard_code").str.to_lowercase().str.contains(needle, literal=True)
        | pl.col(title_col).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
    )
labels = {
    "rank": t("standards.col_rank"), "standard_code": t("standards.col_code"),
    title_col: t("standards.col_title"), area_col: t("standards.col_area"),
    "score": t("standards.col_score"), "ci_low": t("standards.col_ci_low"),
    "ci_high": t("standards.col_ci_high"), "rank_low": t("standards.col_rank_low"),
    "rank_high": t("standards.col_rank_high"), "p_top10": t("standards.col_p_top10"),
    "grade": t("standards.col_grade"), "n_sites": t("standards.col_sites"),
    "n_responses": t("standards.col_responses"), "partial": t("standards.col_partial"),
    "exclusion_reason": t("standards.col_excluded"),
}  # fmt: skip
good = shown.filter(pl.col("ranked"))
apart = shown.filter(~pl.col("ranked"))
st.subheader(t("standards.ranking_heading", n=good.height))


def _open_selected() -> None:
    """A selected ranking row opens that standard (the URL then names it too)."""
    picked = st.session_state["ranking_table"].selection.rows
    if picked:
        st.session_state["standard"] = good["standard_code"][picked[0]]


table(
    labelled(good, labels), "standards_ranking", t,
    on_select=_open_selected, selection_mode="single-row", key="ranking_table",
    column_config={labels["score"]: st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f")},
)  # fmt: skip
st.caption(
    t("standards.ranking_caption", n=good.height, responses=int(good["n_responses"].sum() or 0))
)
if good.height:
    top = good.head(30)
    chart(
        figure(ranking_intervals, top, t, [f"{c}" for c in top["standard_code"].to_list()]),
        t("standards.interval_caption", n=top.height),
    )
st.subheader(t("standards.apart_heading", n=apart.height))
if apart.height:
    st.caption(t("standards.apart_caption"))
    # Not ranked, so no rank column: the reason they are listed apart instead.
    unranked = {
        k: v for k, v in labels.items() if k not in {"rank", "rank_low", "rank_high", "p_top10"}
    }
    table(labelled(apart, unranked), "standards_insufficient", t)

codes = ranked["standard_code"].to_list()
code = st.selectbox(
    t("standards.open"), options=["", *codes], key="standard", bind="query-params",
    format_func=lambda c: c or t("standards.pick_hint"),
)  # fmt: skip
if not code:
    st.info(t("standards.pick_hint"))
else:
    one = ranked.row(codes.index(code), named=True)
    st.header(f"{code} {one[title_col] or ''}")
    st.caption(t("standards.detail_caption", area=one[area_col] or t("overview.unmapped"),
                 **{k: nan if one[v] is None else one[v] for k, v in
                    (("score", "score"), ("low", "ci_low"), ("high", "ci_high"))},
                 sites=one["n_sites"], responses=one["n_responses"]))  # fmt: skip
    left, right = st.columns(2)
    with left:
        chart(figure(dimension_profile, profile_frame(run["run_id"], year, code, one["priority_area"]), t),
              t("standards.profile_caption"))  # fmt: skip
    with right:
        chart(
            figure(score_history, standard_history(run["run_id"], code), t),
            t("standards.history_caption"),
        )
    adoption = read("standard_adoption", filters=f, scope=scope, code=code)
    name = "name_zh" if lang == "zh" else "name_en"
    ad_labels = {name: t("standards.col_group"), "responses": t("standards.col_responses"),
                 "aware_rate": t("standards.col_aware"), "adoption_rate": t("standards.col_adoption")}  # fmt: skip
    a1, a2 = st.columns(2)
    with a1:
        st.markdown(f"**{t('standards.adoption_org')}**")
        table(
            labelled(adoption.filter(pl.col("grouping_name") == "org_type"), ad_labels),
            "adoption_by_org_type",
            t,
        )
    with a2:
        st.markdown(f"**{t('standards.adoption_region')}**")
        table(
            labelled(adoption.filter(pl.col("grouping_name") == "region"), ad_labels),
            "adoption_by_region",
            t,
        )
    st.markdown(f"**{t('standards.sites_heading')}**")
    table(read("standard_sites", filters=f, scope=scope, code=code), "standard_sites", t)
    st.markdown(f"**{t('standards.themes_heading')}**")
    themes = comment_themes(read("standard_comments", filters=f, scope=scope, code=code))
    table(themes.with_columns(pl.col("kind").replace({"problem": t("standards.problem"),
                                                        "suggestion": t("standards.suggestion")})),
          "feedback_themes", t)  # fmt: skip
    st.caption(t("standards.themes_caption"))
    awards = read("awards", filters=f, scope=scope, run_id=run["run_id"])
    mine = awards.filter(pl.col("standard_code") == code)
    st.markdown(f"**{t('standards.awards_heading')}**")
    table(mine.unique(["nomination_id"]).select("nomination_id", "award_year", "category", "status", "level"),
          "standard_awards", t)  # fmt: skip
    money = read("funding_per_standard", filters=f, scope=scope).filter(
        pl.col("standard_code") == code
    )
    st.markdown(f"**{t('standards.funding_heading')}**")
    table(money, "standard_funding", t)

st.subheader(t("standards.funnel_heading"))
points, limits = funnel(filters=f, scope=scope, frame=ranked)
if points.is_empty():
    st.info(t("tables.no_rows"))
else:
    chart(figure(funnel_plot, points, limits, t), t("standards.funnel_caption", n=points.height))
