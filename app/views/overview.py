"""Overview (总览): what the programme's warehouse holds, at a glance."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.auth.session import require_page
from app.components import charts
from app.components.notices import demo_banner
from app.components.numbers import format_count, format_money
from app.connection import cursor, data_version
from app.session import translator
from metrics import overview


@st.cache_data(show_spinner=False)
def _figures(version: str, site_ids: tuple[str, ...] | None) -> dict[str, object]:
    cur = cursor()
    return {
        "headline": overview.headline(cur, site_ids=site_ids),
        "by_period": overview.feedback_by_period(cur, site_ids=site_ids),
        "by_area": overview.by_priority_area(cur, site_ids=site_ids),
        "is_demo": overview.is_demo(cur),
    }


t = translator()
user = require_page("overview", t)
st.title(t("overview.title"))
st.caption(t("overview.subtitle"))

# The signed-in user's scope: the whole programme for the roles of this page.
figures = _figures(data_version(cursor()), user.access().site_ids)
head: overview.Headline = figures["headline"]  # type: ignore[assignment]
demo_banner(bool(figures["is_demo"]), t)

lang = t.lang
row1 = st.columns(4)
row1[0].metric(
    t("overview.standards"),
    format_count(head.standards, lang),
    help=t("overview.standards_help", mapped=head.standards_mapped),
)
row1[1].metric(t("overview.programs"), format_count(head.programs, lang))
row1[2].metric(t("overview.sites"), format_count(head.sites, lang))
row1[3].metric(
    t("overview.awards"),
    format_count(head.awards, lang),
    help=t("overview.awards_help", nominations=head.nominations),
)
row2 = st.columns(4)
row2[0].metric(t("overview.feedback_rows"), format_count(head.feedback_rows, lang))
row2[1].metric(t("overview.survey_rows"), format_count(head.survey_rows, lang))
row2[2].metric(t("overview.committed"), format_money(head.committed_cny, lang))
row2[3].metric(t("overview.disbursed"), format_money(head.disbursed_cny, lang))

by_period: pl.DataFrame = figures["by_period"]  # type: ignore[assignment]
by_area: pl.DataFrame = figures["by_area"]  # type: ignore[assignment]
if by_period.is_empty():
    st.info(t("overview.no_feedback"))
else:
    st.plotly_chart(charts.feedback_over_time(by_period, t), width="stretch")
st.plotly_chart(charts.by_priority_area(by_area, t), width="stretch")
