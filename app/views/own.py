"""My sites (我的试点): a pilot site's own feedback against the nation, and its standards' scores.

Every read goes through :func:`app.data.reads.read` with the reader's
scope (:func:`app.data.scope.current_scope`), never a value from the URL
or a widget: other sites appear only as the national mean and the site's
percentile, and not at all when fewer than ``MIN_OTHER_SITES`` of them report.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.auth.session import require_action, require_page
from app.components.charts_own import own_against_nation
from app.components.charts_scores import ranking_intervals
from app.components.notices import demo_banner
from app.components.tables import chart, labelled, table
from app.data.rankings import latest_run
from app.data.reads import filter_options, read, warehouse_is_demo
from app.data.scope import current_scope
from app.session import translator
from metrics.filters import Filters
from metrics.own_sites import FEEDBACK_MEASURES, MIN_OTHER_SITES

t = translator()
user = require_page("own", t)
require_action(user, "read_own_sites", t)
scope = current_scope()
sep = "、" if t.lang == "zh" else ", "
st.title(t("own.title"))
st.caption(t("own.subtitle", sites=sep.join(user.sites)))
demo_banner(warehouse_is_demo(), t)

years = (
    filter_options(scope=scope).filter(pl.col("kind") == "year")["key"].sort(descending=True)
).to_list()
year = st.selectbox(
    t("own.year"),
    ["all", *years],
    format_func=lambda y: t("own.all_years") if y == "all" else str(y),
    key="own_year",
)
chosen_year = None if year == "all" else int(year)
title = "title_en" if t.lang == "en" else "title_zh"

# Own feedback against the nation -------------------------------------------------
st.subheader(t("own.feedback_title"))
own = read("own_feedback", filters=Filters(), scope=scope, year=chosen_year)
if own.is_empty():
    st.info(t("own.empty"))
else:
    several = len(set(own["site_id"].to_list())) > 1
    labels = [
        f"{code} · {site}" if several else code
        for code, site in zip(own["standard_code"], own["site_id"], strict=True)
    ]
    withheld = int(own["benchmark_suppressed"].sum())
    chart(
        own_against_nation(own, t, labels),
        t(
            "own.chart_caption",
            rows=own.height,
            responses=int(own["responses"].sum()),
            min=MIN_OTHER_SITES,
        ),
    )
    if withheld:
        st.info(t("own.suppressed", n=withheld, min=MIN_OTHER_SITES))
    shown = own.with_columns(
        pl.col(title).alias("title"),
        pl.when(pl.col("benchmark_suppressed"))
        .then(pl.lit(t("own.withheld", min=MIN_OTHER_SITES)))
        .otherwise(pl.lit(""))
        .alias("note"),
    )
    names = {
        "site_id": t("own.col_site"),
        "standard_code": t("own.col_code"),
        "title": t("own.col_title"),
        "responses": t("own.col_responses"),
    }
    for measure in FEEDBACK_MEASURES:
        names[measure] = t(f"own.col_{measure}")
        names[f"national_{measure}"] = t("own.col_national", measure=t(f"own.col_{measure}"))
    names |= {
        "satisfaction_percentile": t("own.col_percentile"),
        "other_sites": t("own.col_other_sites"),
        "note": t("own.col_note"),
    }
    table(labelled(shown, names), "own_feedback", t, key="own_feedback_table")

# Scores of the standards the sites use ---------------------------------------------
st.subheader(t("own.scores_title"))
run = latest_run()
if run is None:
    st.info(t("own.no_run"))
elif own.is_empty():
    st.info(t("own.no_standards"))
else:
    year_key = str(run.get("primary_year") or "overall")
    scores = read("own_scores", filters=Filters(), scope=scope, run_id=run["run_id"], year=year_key)
    with_score = scores.filter(pl.col("score").is_not_null())
    if with_score.is_empty():
        st.info(t("own.no_scores"))
    else:
        chart(
            ranking_intervals(with_score, t, with_score["standard_code"].to_list()),
            t("own.scores_caption", n=with_score.height, run=run["run_id"], year=year_key),
        )
    names = {
        "standard_code": t("own.col_code"),
        "score": t("own.col_score"),
        "ci_low": t("own.col_ci_low"),
        "ci_high": t("own.col_ci_high"),
        "grade": t("own.col_grade"),
        "rank": t("own.col_rank"),
        "rank_low": t("own.col_rank_low"),
        "rank_high": t("own.col_rank_high"),
        "exclusion_reason": t("own.col_exclusion"),
    }
    table(labelled(scores, names), "own_scores", t, key="own_scores_table")
