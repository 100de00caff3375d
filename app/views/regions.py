"""Regions (地区): a tile grid of the 34 province-level regions and their table."""

from __future__ import annotations

import streamlit as st

from app.components.charts_board import tile_grid
from app.components.figure_cache import figure
from app.components.page import page_start
from app.components.tables import labelled, table
from app.data.reads import read
from app.filters import PARAMS

ctx = page_start("regions")
t, f, scope = ctx.t, ctx.filters, ctx.scope
name = "name_zh" if t.lang == "zh" else "name_en"
regions = read("by_region", filters=f, scope=scope)
measures = {
    "feedback_rows": t("regions.col_feedback"), "sites": t("regions.col_sites"),
    "adoption_rate": t("regions.col_adoption"), "mean_satisfaction": t("regions.col_satisfaction"),
    "disbursed_cny": t("regions.col_disbursed"),
}  # fmt: skip
measure = st.radio(t("regions.measure"), list(measures), format_func=measures.__getitem__,
                   horizontal=True, key="region_measure")  # fmt: skip
if regions.is_empty():
    st.info(t("tables.no_rows"))
else:

    def _filter_to_tile() -> None:
        """A clicked tile becomes the region filter (and so the URL's ``region``)."""
        points = st.session_state["region_tiles"].selection.points
        if points:
            st.session_state[PARAMS["region"]] = [points[0]["customdata"][0]]

    st.plotly_chart(
        figure(tile_grid, regions, t, measure=measure, title=t("regions.map_title", measure=measures[measure])),
        width="stretch", on_select=_filter_to_tile, selection_mode="points", key="region_tiles",
    )  # fmt: skip
    st.caption(
        t(
            "regions.map_caption",
            sites=int(regions["sites"].sum()),
            rows=int(regions["feedback_rows"].sum()),
        )
    )
labels = {"region_code": t("regions.col_code"), name: t("regions.col_region"), **measures,
          "survey_rows": t("regions.col_survey"), "committed_cny": t("regions.col_committed")}  # fmt: skip
table(labelled(regions, labels), "regions", t)
