"""Charts of the programme: priority areas, the province tile grid, money, awards, lifecycle."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from app.components.figure_style import PALETTE, SCALE, style
from app.i18n import Translator

#: A tile grid of the 34 province-level regions (GB/T 2260 code -> column, row),
#: roughly where each lies; plotly has no China provinces and no map file is used.
TILES: dict[str, tuple[int, int]] = {
    "23": (8, 0), "15": (6, 1), "22": (8, 1),
    "65": (1, 2), "62": (4, 2), "14": (5, 2), "13": (6, 2), "11": (7, 2), "21": (8, 2),
    "54": (1, 3), "63": (2, 3), "64": (3, 3), "61": (4, 3), "41": (5, 3), "12": (6, 3), "37": (7, 3),
    "51": (2, 4), "50": (3, 4), "42": (4, 4), "34": (5, 4), "32": (6, 4),
    "53": (2, 5), "52": (3, 5), "43": (4, 5), "36": (5, 5), "31": (6, 5),
    "45": (3, 6), "44": (4, 6), "35": (5, 6), "33": (6, 6),
    "82": (3, 7), "81": (4, 7), "71": (6, 7), "46": (3, 8),
}  # fmt: skip


#: Suffixes dropped from a region's Chinese name on its tile (广西壮族自治区 -> 广西).
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def tile_label(name: str) -> str:
    """The short Chinese name of a region for its tile.

    >>> tile_label("新疆维吾尔自治区"), tile_label("北京市"), tile_label("内蒙古自治区")
    ('新疆', '北京', '内蒙古')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def area_overview(frame: pl.DataFrame, t: Translator, labels: list[str]) -> go.Figure:
    """Standards and those with feedback per priority area (horizontal bars)."""
    fig = go.Figure()
    fig.add_bar(y=labels, x=frame["standards"].to_list(), orientation="h",
                name=t("areas.standards"), marker_color=PALETTE[0])  # fmt: skip
    fig.add_bar(y=labels, x=frame["standards_with_feedback"].to_list(), orientation="h",
                name=t("areas.standards_with_feedback"), marker_color=PALETTE[1])  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    return style(fig, t("areas.chart_title"), x=t("areas.axis_standards"), height=520)


def tile_grid(frame: pl.DataFrame, t: Translator, *, measure: str, title: str) -> go.Figure:
    """The 34 regions as square tiles on a fixed grid, coloured by ``measure``."""
    name_col = "name_zh" if t.lang == "zh" else "name_en"
    rows = frame.filter(pl.col("region_code").is_in(list(TILES)))
    codes = rows["region_code"].to_list()
    values = rows[measure].to_list()
    present = [v for v in values if v is not None]
    top = max(present, default=0) or 1
    # Dark text on the bright end of the scale, white on the dark end.
    ink = ["#111111" if v is not None and v / top > 0.6 else "#ffffff" for v in values]
    fig = go.Figure(
        go.Scatter(
            x=[TILES[c][0] for c in codes], y=[TILES[c][1] for c in codes],
            mode="markers+text",
            text=[tile_label(n) for n in rows["name_zh"]] if t.lang == "zh" else [n[:9] for n in rows["name_en"]],
            textfont={"size": 11 if t.lang == "zh" else 9, "color": ink},
            marker={"symbol": "square", "size": 46, "color": [v if v is not None else 0 for v in values],
                    "colorscale": SCALE, "showscale": True, "line": {"width": 1, "color": "#fff"}},
            customdata=list(zip(codes, rows[name_col].to_list(), values, strict=True)),
            hovertemplate="%{customdata[1]} (%{customdata[0]}): %{customdata[2]:,.3~f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_xaxes(visible=False, range=[0.3, 8.7])
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    return style(fig, title, height=560)


def funding_by_year(frame: pl.DataFrame, t: Translator) -> go.Figure:
    """Committed (outline) and disbursed (filled) money per fiscal year and source."""
    fig = go.Figure()
    sources = sorted(frame["source_type"].unique().to_list())
    for i, source in enumerate(sources):
        part = frame.filter(pl.col("source_type") == source).sort("fiscal_year")
        label = t(f"funding.source_{source}")
        fig.add_bar(x=part["fiscal_year"].to_list(), y=(part["disbursed_cny"] / 1e4).to_list(),
                    name=label, marker_color=PALETTE[i % len(PALETTE)], offsetgroup="d",
                    legendgroup=source, hovertemplate=label + " %{x}: %{y:,.1f}<extra></extra>")  # fmt: skip
        fig.add_bar(x=part["fiscal_year"].to_list(), y=(part["committed_cny"] / 1e4).to_list(),
                    name=label, marker={"color": "rgba(0,0,0,0)", "line": {"color": PALETTE[i % len(PALETTE)], "width": 2}},
                    offsetgroup="c", legendgroup=source, showlegend=False,
                    hovertemplate=label + " %{x}: %{y:,.1f}<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="stack")
    # A category axis orders years as the traces first name them, and the first
    # source need not have every year: give the order explicitly.
    years = sorted(frame["fiscal_year"].unique().to_list())
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years)
    return style(
        fig, t("funding.by_year_title"), x=t("funding.axis_year"), y=t("funding.axis_money")
    )


def _translucent(colour: str, alpha: float) -> str:
    """``#rrggbb`` as an ``rgba()`` colour of opacity ``alpha``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def sankey(frame: pl.DataFrame, t: Translator, area_names: dict[str, str]) -> go.Figure:
    """Disbursed money from source to purpose to priority area."""
    src = (
        frame.group_by("source_type", "purpose")
        .agg(pl.col("disbursed_cny").sum())
        .sort("source_type", "purpose")
    )
    dst = (
        frame.with_columns(pl.col("priority_area").fill_null(""))
        .group_by("purpose", "priority_area")
        .agg(pl.col("disbursed_cny").sum())
        .sort("purpose", "priority_area")
    )
    nodes: list[str] = []
    labels: list[str] = []

    def node(key: str, label: str) -> int:
        if key not in nodes:
            nodes.append(key)
            labels.append(label)
        return nodes.index(key)

    s, d, v = [], [], []
    for row in src.iter_rows(named=True):
        s.append(node("s:" + row["source_type"], t(f"funding.source_{row['source_type']}")))
        d.append(node("p:" + row["purpose"], t(f"funding.purpose_{row['purpose']}")))
        v.append(row["disbursed_cny"] / 1e4)
    for row in dst.iter_rows(named=True):
        area = row["priority_area"]
        s.append(node("p:" + row["purpose"], t(f"funding.purpose_{row['purpose']}")))
        d.append(node("a:" + area, area_names.get(area, t("overview.unmapped"))))
        v.append(row["disbursed_cny"] / 1e4)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(labels))]
    fig = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 12, "color": colours},
            # Each band in its source's colour, see-through, so a flow can be followed.
            link={"source": s, "target": d, "value": v,
                  "color": [_translucent(colours[i], 0.35) for i in s],
                  "hovertemplate": "%{source.label} → %{target.label}: %{value:,.1f}<extra></extra>"},
            textfont={"size": 13, "color": "#1f2328"},
        )
    )  # fmt: skip
    return style(fig, t("funding.sankey_title"), height=620)


def value_for_money(frame: pl.DataFrame, t: Translator, outliers: list[str]) -> go.Figure:
    """Money disbursed per standard against its score; outliers labelled."""
    fig = go.Figure(
        go.Scatter(
            x=(frame["disbursed_cny"] / 1e4).to_list(), y=frame["score"].to_list(),
            mode="markers+text", marker={"color": PALETTE[0], "size": 8},
            text=[c if c in outliers else "" for c in frame["standard_code"].to_list()],
            textposition="top center", customdata=frame.select("standard_code").rows(),
            hovertemplate="%{customdata[0]}: %{x:,.1f} / %{y:.1f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_xaxes(type="log")
    return style(
        fig, t("funding.vfm_title"), x=t("funding.axis_money_log"), y=t("scores.axis_score")
    )


def counts_by(frame: pl.DataFrame, t: Translator, *, x: str, colour: str, title: str, x_title: str,
              labels: dict[str, str]) -> go.Figure:  # fmt: skip
    """Stacked bars of ``n`` per ``x``, one colour per value of ``colour``."""
    fig = go.Figure()
    for i, key in enumerate(sorted(frame[colour].unique().to_list())):
        part = frame.filter(pl.col(colour) == key).sort(x)
        fig.add_bar(x=part[x].to_list(), y=part["n"].to_list(), name=labels.get(key, key),
                    marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate=labels.get(key, key) + " %{x}: %{y}<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return style(fig, title, x=x_title, y=t("tables.axis_count"))


def days_to_publication(frame: pl.DataFrame, t: Translator, cycle_days: int) -> go.Figure:
    """Histogram of approval-to-publication days with the cycle limit line."""
    fig = go.Figure(
        go.Histogram(x=frame["days_to_publication"].to_list(), marker_color=PALETTE[0],
                     name=t("lifecycle.published"), hovertemplate="%{x}: %{y}<extra></extra>")
    )  # fmt: skip
    fig.add_vline(x=cycle_days, line_dash="dash", line_color=PALETTE[5],
                  annotation_text=t("lifecycle.limit_line", days=cycle_days))  # fmt: skip
    return style(
        fig, t("lifecycle.days_title"), x=t("lifecycle.axis_days"), y=t("lifecycle.axis_projects")
    )


def stage_durations(summary: pl.DataFrame, t: Translator) -> go.Figure:
    """Median closed days per stage against the stage limit (months × 30.4 days)."""
    names = [t(f"lifecycle.stage_{s}") for s in summary["stage"].to_list()]
    fig = go.Figure()
    fig.add_bar(x=names, y=summary["median_days_closed"].to_list(), name=t("lifecycle.median_days"),
                marker_color=PALETTE[0], hovertemplate="%{x}: %{y:.0f}<extra></extra>")  # fmt: skip
    fig.add_scatter(x=names, y=(summary["months"] * 30.4).to_list(), mode="markers",
                    marker={"symbol": "line-ew-open", "size": 40, "color": PALETTE[5], "line": {"width": 3}},
                    name=t("lifecycle.stage_limit"))  # fmt: skip
    return style(fig, t("lifecycle.stages_title"), x=None, y=t("lifecycle.axis_days"))
