"""Plotly figures of the dashboard, built from polars frames (no Streamlit here)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from app.i18n import Translator

_FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        font_family=_FONT,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.2},
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
        xaxis={"title": t("overview.chart_period"), "type": "category"},
    )
    return _layout(fig, t("overview.chart_feedback_title"))


def by_priority_area(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """Horizontal bars of standards and feedback per priority area (§7)."""
    name_col = "name_zh" if t.lang == "zh" else "name_en"
    ordered = frame.sort("ord", descending=True)
    labels = ordered[name_col].to_list()
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=ordered["standards"].to_list(),
        orientation="h",
        name=t("overview.chart_standards"),
        marker_color="#1f5fa8",
    )
    fig.add_bar(
        y=labels,
        x=ordered["feedback_rows"].to_list(),
        orientation="h",
        name=t("overview.chart_feedback_rows"),
        marker_color="#7fb3e0",
        xaxis="x2",
    )
    fig.update_layout(
        barmode="group",
        xaxis={"title": t("overview.chart_standards"), "side": "bottom"},
        xaxis2={"title": t("overview.chart_feedback_rows"), "overlaying": "x", "side": "top"},
        height=520,
    )
    return _layout(fig, t("overview.chart_area_title"))
