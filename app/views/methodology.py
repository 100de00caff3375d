"""Methodology (方法说明): indicators, weights, thresholds, coverage, reliability, the run shown."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.components.page import page_start
from app.components.tables import table
from app.data.rankings import latest_run
from app.data.reads import read
from metrics.config import default_config, load_config

ctx = page_start("methodology")
t, f, scope = ctx.t, ctx.filters, ctx.scope
run = latest_run()
st.subheader(t("methodology.run_heading"))
if run is None:
    st.info(t("tables.no_run"))
    config = default_config()
else:
    st.markdown(t("methodology.run_line", run=run["run_id"], when=run["created_at"], who=run["created_by"],
                  fingerprint=run["fingerprint"], method=run["method"], code=run["code_version"]))  # fmt: skip
    config = load_config(run["config"]) if run.get("config") else default_config()
lang = t.lang
st.subheader(t("methodology.indicators_heading"))
rows = [
    {t("methodology.col_dimension"): getattr(d, f"name_{lang}"),
     t("methodology.col_indicator"): getattr(i, f"name_{lang}"), "id": i.id}
    for d in config.dimensions for i in config.indicators if i.id in d.indicators
]  # fmt: skip
table(pl.DataFrame(rows), "indicator_system", t)
st.subheader(t("methodology.weights_heading"))
weights = run["weights"] if run else None
st.markdown(t("methodology.ahp_line", cr=config.ahp.cr, lmax=config.ahp.lambda_max))
matrix = pl.DataFrame(
    [list(r) for r in config.ahp_matrix], schema=list(config.dimension_ids), orient="row"
)
table(matrix.insert_column(0, pl.Series("", list(config.dimension_ids))), "ahp_matrix", t)
if isinstance(weights, dict):
    table(
        pl.DataFrame({"dimension": list(weights), "weight": [float(w) for w in weights.values()]}),
        "weights",
        t,
    )
st.subheader(t("methodology.thresholds_heading"))
st.markdown(t("methodology.thresholds_line", sites=config.min_sites, responses=config.min_responses,
              grades="；".join(f"{g.grade} ≥ {g.min:g}" for g in config.grades)))  # fmt: skip
st.markdown(t("methodology.shrinkage_line"))
st.subheader(t("methodology.coverage_heading"))
table(read("headline_by_year", filters=f, scope=scope), "data_coverage", t)
st.subheader(t("methodology.reliability_heading"))
if run and run.get("reliability"):
    table(pl.DataFrame(run["reliability"]), "survey_reliability", t)
    st.caption(t("methodology.reliability_caption"))
else:
    st.info(t("tables.no_run"))
