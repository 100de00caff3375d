"""Funding (§18–19 资金): committed and disbursed money, shares, flows, value for money."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.components.charts_board import funding_by_year, sankey, value_for_money
from app.components.figure_cache import figure
from app.components.numbers import format_money
from app.components.page import page_start
from app.components.tables import chart, table
from app.data.rankings import ranking
from app.data.reads import filter_options, read

ctx = page_start("funding")
t, f, scope = ctx.t, ctx.filters, ctx.scope
rows = read("funding_rows", filters=f, scope=scope)
if rows.is_empty():
    st.info(t("funding.none"))
    st.stop()
committed, disbursed = float(rows["committed_cny"].sum()), float(rows["disbursed_cny"].sum())
social = rows.filter(pl.col("source_type").is_in(["enterprise", "foundation"]))
c = st.columns(4)
c[0].metric(t("funding.committed"), format_money(committed, t.lang))
c[1].metric(t("funding.disbursed"), format_money(disbursed, t.lang))
c[2].metric(t("funding.execution"), f"{disbursed / committed:.1%}" if committed else "—")
c[3].metric(t("funding.social_share"), f"{float(social['disbursed_cny'].sum()) / disbursed:.1%}" if disbursed else "—",
            help=t("funding.social_help"))  # fmt: skip
by_year = (  # sorted: the same rows give the same frame, hence the same cached figure
    rows.group_by("fiscal_year", "source_type")
    .agg(pl.col("committed_cny", "disbursed_cny").sum())
    .sort("fiscal_year", "source_type")
)
chart(
    figure(funding_by_year, by_year, t),
    t("funding.by_year_caption", n=int(rows["n_records"].sum())),
)
shares = rows.group_by("source_type").agg(pl.col("committed_cny", "disbursed_cny").sum()).with_columns(
    (pl.col("disbursed_cny") / pl.col("disbursed_cny").sum()).alias("share_disbursed"),
    pl.when(pl.col("committed_cny") > 0).then(pl.col("disbursed_cny") / pl.col("committed_cny")).alias("execution_rate"),
    pl.col("source_type").replace_strict({s: t(f"funding.source_{s}") for s in
        ("central_fiscal", "local_fiscal", "enterprise", "foundation", "other")}, default=pl.col("source_type")),
).sort("disbursed_cny", descending=True)  # fmt: skip
table(shares, "funding_by_source", t)
options = filter_options(scope=scope).filter(pl.col("kind") == "area")
areas = dict(zip(options["key"], options["name_zh" if t.lang == "zh" else "name_en"], strict=True))
chart(figure(sankey, rows, t, areas), t("funding.sankey_caption"))

per = read("funding_per_standard", filters=f, scope=scope)
scores = ranking(filters=f, scope=scope).select(
    "standard_code", "score", "ci_low", "ci_high", "ranked"
)
vfm = per.join(scores, on="standard_code", how="inner").filter(
    pl.col("ranked") & (pl.col("disbursed_cny") > 0)
)
st.subheader(t("funding.vfm_heading"))
if vfm.height:
    # Outliers: money per score point more than 2 SD from the mean, on a log scale.
    outliers: list[str] = []
    if vfm.height >= 3:
        per_score = (vfm["disbursed_cny"] / vfm["score"].clip(1.0)).log()
        z = (per_score - per_score.mean()) / (per_score.std() or 1.0)
        outliers = vfm.filter(z.abs() > 2)["standard_code"].to_list()
    chart(
        figure(value_for_money, vfm, t, outliers),
        t("funding.vfm_caption", n=vfm.height, outliers=len(outliers)),
    )
table(vfm.drop("ranked"), "money_per_standard", t)
st.subheader(t("funding.over_heading"))
over = read("overdisbursed", filters=f, scope=scope)
if over.height:
    st.warning(t("funding.over_warning", n=over.height))
table(over, "disbursed_above_committed", t)
