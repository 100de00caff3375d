"""Charts of a pilot site's own data against the nation (its own sites only; others as a mean)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from app.components.figure_style import PALETTE, style
from app.i18n import Translator


def own_against_nation(frame: pl.DataFrame, t: Translator, labels: list[str]) -> go.Figure:
    """Own mean satisfaction beside the national mean, one pair of bars per site and standard.

    ``frame`` is :func:`metrics.own_sites.own_feedback`; ``labels`` names its
    rows (the standard code, with the site when the account has several).
    A withheld benchmark has no national bar.
    """
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=frame["satisfaction"].to_list(),
        orientation="h",
        name=t("own.chart_own"),
        marker_color=PALETTE[0],
        customdata=frame.select("responses").rows(),
        hovertemplate=t("own.hover_own"),
    )
    fig.add_bar(
        y=labels,
        x=frame["national_satisfaction"].to_list(),
        orientation="h",
        name=t("own.chart_nation"),
        marker_color=PALETTE[1],
        marker_pattern_shape="/",
        hovertemplate=t("own.hover_nation"),
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(range=[1, 5])
    fig.update_yaxes(autorange="reversed", type="category")
    return style(
        fig,
        t("own.chart_title"),
        x=t("own.axis_satisfaction"),
        height=max(320, 34 * len(labels) + 140),
    )
