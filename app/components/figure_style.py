"""One look for every dashboard chart: CJK font, titles, axes, colour-blind-safe colours."""

from __future__ import annotations

import plotly.graph_objects as go

#: Chinese glyphs first (Debian's fonts-noto-cjk), then common system fonts.
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
#: Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)  # fmt: skip
#: Sequential scale readable by colour-blind people.
SCALE = "Cividis"


def style(
    fig: go.Figure, title: str, *, x: str | None = None, y: str | None = None, height: int = 420
) -> go.Figure:
    """Title, axis titles (with units), font, legend and margins of a chart."""
    fig.update_layout(
        title={"text": title},
        font_family=FONT,
        colorway=list(PALETTE),
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        height=height,
    )
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig
