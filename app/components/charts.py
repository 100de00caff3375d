"""Plotly figures of the dashboard, built from polars frames (no Streamlit here)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from app.i18n import Translator

_FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        font_family=_FONT,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        height=380,
    )
    return fig


def feedback_over_time(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """Bars of feedback rows per period, with mean satisfaction as a line."""
    fig = go.Figure()
    fig.add_bar(
        x=frame["period"].to_list(),
        y=frame["feedback_rows"].to_list(),
        name=t("overview.chart_feedback_rows"),
        marker_color="#1f5fa8",
    )
    fig.add_scatter(
        x=frame["period"].to_list(),
        y=frame["mean_satisfaction"].to_list(),
        name=t("overview.chart_mean_satisfaction"),
        yaxis="y2",
        mode="lines+markers",
        line_color="#d4702b",
    )
    fig.update_layout(
        yaxis={"title": t("overview.chart_feedback_rows")},
        yaxis2={
            "title": t("overview.chart_mean_satisfaction"),
            "overlaying": "y",
            "side": "right",
            "range": [1, 5],
        },
        xaxis={"title": t("overview.chart_period"), "type": "category", "tickangle": -45},
    )
    return _layout(fig, t("overview.chart_feedback_title"))


def by_priority_area(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """Two panels sharing the priority areas (§7): standards, and feedback rows."""
    name_col = "name_zh" if t.lang == "zh" else "name_en"
    ordered = frame.sort("ord", descending=True)
    labels = [
        name if area is not None else t("overview.unmapped")
        for area, name in zip(ordered["area_id"], ordered[name_col], strict=True)
    ]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=(t("overview.chart_standards"), t("overview.chart_feedback_rows")),
    )
    fig.add_bar(
        y=labels,
        x=ordered["standards"].to_list(),
        orientation="h",
        name=t("overview.chart_standards"),
        marker_color="#1f5fa8",
        row=1,
        col=1,
    )
    fig.add_bar(
        y=labels,
        x=ordered["feedback_rows"].to_list(),
        orientation="h",
        name=t("overview.chart_feedback_rows"),
        marker_color="#7fb3e0",
        row=1,
        col=2,
    )
    fig.update_layout(showlegend=False)
    fig = _layout(fig, t("overview.chart_area_title"))
    fig.update_layout(height=520)
    return fig
