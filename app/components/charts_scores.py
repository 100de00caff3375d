"""Charts of effectiveness scores: distribution, ranking with intervals, funnel, history."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from app.components.figure_style import PALETTE, style
from app.i18n import Translator


def score_distribution(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """Histogram of composite scores (0–100) of the ranked standards, coloured by grade."""
    fig = go.Figure()
    for i, grade in enumerate(("A", "B", "C", "D")):
        part = frame.filter(pl.col("grade") == grade)
        fig.add_histogram(
            x=part["score"].to_list(), name=t(f"scores.grade_{grade}"),
            xbins={"start": 0, "end": 100, "size": 5}, marker_color=PALETTE[i],
            hovertemplate=t("scores.hover_hist"),
        )  # fmt: skip
    fig.update_layout(barmode="stack")
    return style(
        fig, t("scores.dist_title"), x=t("scores.axis_score"), y=t("scores.axis_standards")
    )


def ranking_intervals(frame: pl.DataFrame, t: Translator, code_labels: list[str]) -> go.Figure:
    """Scores with their 95 % interval as error bars, one row per standard."""
    score = frame["score"].to_list()
    fig = go.Figure(
        go.Scatter(
            x=score, y=code_labels, mode="markers", marker={"color": PALETTE[0], "size": 8},
            error_x={
                "type": "data", "symmetric": False,
                "array": (frame["ci_high"] - frame["score"]).to_list(),
                "arrayminus": (frame["score"] - frame["ci_low"]).to_list(),
                "color": PALETTE[4],
            },
            customdata=frame.select("ci_low", "ci_high", "n_responses").rows(),
            hovertemplate=t("scores.hover_interval"),
            name=t("scores.axis_score"),
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    return style(
        fig, t("scores.interval_title"), x=t("scores.axis_score"), y=None,
        height=max(320, 22 * len(code_labels) + 120),
    )  # fmt: skip


def funnel_plot(points: pl.DataFrame, limits: pl.DataFrame, t: Translator) -> go.Figure:
    """Score against evidence with 95 % and 99.8 % control limits."""
    fig = go.Figure()
    for col, dash, key in (
        ("upper_998", "dot", "scores.limit_998"), ("lower_998", "dot", None),
        ("upper_95", "dash", "scores.limit_95"), ("lower_95", "dash", None),
    ):  # fmt: skip
        fig.add_scatter(
            x=limits["evidence"].to_list(), y=limits[col].to_list(), mode="lines",
            line={"dash": dash, "color": "#555"}, name=t(key) if key else None,
            showlegend=key is not None, hoverinfo="skip",
        )  # fmt: skip
    colour = [
        PALETTE[5] if far else (PALETTE[1] if out else PALETTE[0])
        for out, far in zip(points["outside_95"], points["outside_998"], strict=True)
    ]
    fig.add_scatter(
        x=points["evidence"].to_list(), y=points["score"].to_list(), mode="markers",
        marker={"color": colour, "size": 7}, text=points["standard_code"].to_list(),
        hovertemplate=t("scores.hover_funnel"), name=t("scores.standards"),
    )  # fmt: skip
    return style(
        fig, t("scores.funnel_title"), x=t("scores.axis_evidence"), y=t("scores.axis_score")
    )


def score_history(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """One standard's composite per year with its 95 % interval."""
    fig = go.Figure(
        go.Scatter(
            x=frame["year"].to_list(), y=frame["score"].to_list(), mode="lines+markers",
            error_y={
                "type": "data", "symmetric": False,
                "array": (frame["ci_high"] - frame["score"]).to_list(),
                "arrayminus": (frame["score"] - frame["ci_low"]).to_list(),
            },
            customdata=frame.select("n_responses").rows(),
            hovertemplate=t("scores.hover_history"), name=t("scores.axis_score"),
        )
    )  # fmt: skip
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 100])
    return style(
        fig,
        t("standards.history_title"),
        x=t("scores.axis_year"),
        y=t("scores.axis_score"),
        height=340,
    )


def dimension_profile(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """A standard's dimension values (0–1) beside its priority area's mean."""
    labels = [t(f"scores.dim_{d}") for d in frame["item"].to_list()]
    fig = go.Figure()
    fig.add_bar(x=labels, y=frame["own"].to_list(), name=t("standards.this_standard"),
                marker_color=PALETTE[0], hovertemplate="%{x}: %{y:.2f}<extra></extra>")  # fmt: skip
    fig.add_bar(x=labels, y=frame["area_mean"].to_list(), name=t("standards.area_mean"),
                marker_color=PALETTE[1], hovertemplate="%{x}: %{y:.2f}<extra></extra>")  # fmt: skip
    fig.update_yaxes(range=[0, 1])
    return style(
        fig, t("standards.profile_title"), x=None, y=t("scores.axis_dimension"), height=340
    )
