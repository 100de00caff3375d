"""The global filters: sidebar widgets bound to the URL, and the caption saying which are on.

Each widget has ``bind="query-params"``, so the URL carries the view
(``?years=2023&years=2024&area=CII&region=44``) and a copied link opens
the same view on any page. The widgets give a frozen
:class:`metrics.filters.Filters`; the full year range and empty choices
mean "not restricted".
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from app.data.reads import filter_options
from app.i18n import Translator
from datasets.access import Access
from metrics.filters import Filters

#: Query-parameter names of the filters (also the widget keys).
PARAMS: dict[str, str] = {
    "years": "years",
    "area": "area",
    "region": "region",
    "org": "org",
    "program": "program",
}


def _names(options: pl.DataFrame, kind: str, lang: str) -> dict[str, str]:
    rows = options.filter(pl.col("kind") == kind)
    column = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(rows["key"].to_list(), rows[column].to_list(), strict=True))


def sidebar_filters(t: Translator, *, scope: Access) -> Filters:
    """Show the filters in the sidebar and return what they are set to."""
    options = filter_options(scope=scope)
    years = sorted(int(k) for k in options.filter(pl.col("kind") == "year")["key"].to_list())
    side = st.sidebar
    side.subheader(t("filters.heading"))
    year_from = year_to = None
    if len(years) > 1:
        low, high = side.slider(
            t("filters.years"),
            min_value=years[0],
            max_value=years[-1],
            value=(years[0], years[-1]),
            key=PARAMS["years"],
            bind="query-params",
        )
        if (low, high) != (years[0], years[-1]):
            year_from, year_to = int(low), int(high)
    areas = _names(options, "area", t.lang)
    area = side.selectbox(
        t("filters.area"),
        options=["", *areas],
        format_func=lambda k: areas.get(k, t("filters.all")),
        key=PARAMS["area"],
        bind="query-params",
    )
    chosen: dict[str, tuple[str, ...] | None] = {}
    # (widget / URL key, option kind, label key) of the multiple-choice filters
    for param, kind, label in (
        ("region", "region", "filters.region"),
        ("org", "org_type", "filters.org_type"),
        ("program", "program", "filters.program"),
    ):
        names = _names(options, kind, t.lang)
        picked = side.multiselect(
            t(label),
            options=list(names),
            # A programme's name alone can repeat across years: show its id too.
            format_func=(lambda k, n=names: f"{k} {n[k]}")
            if kind == "program"
            else names.__getitem__,
            key=PARAMS[param],
            bind="query-params",
            placeholder=t("filters.all"),
        )
        chosen[param] = tuple(picked) or None
    return Filters(
        year_from=year_from,
        year_to=year_to,
        priority_area=area or None,
        region_codes=chosen["region"],
        org_types=chosen["org"],
        program_ids=chosen["program"],
    )


def filters_caption(filters: Filters, t: Translator, *, scope: Access) -> str:
    """One line saying which filters are on (or that the whole programme is shown)."""
    if filters.is_empty:
        return t("filters.none")
    options = filter_options(scope=scope)
    parts: list[str] = []
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(t("filters.on_years", low=filters.year_from, high=filters.year_to))
    if filters.priority_area:
        name = _names(options, "area", t.lang).get(filters.priority_area, filters.priority_area)
        parts.append(t("filters.on_area", name=name))
    for key, values, kind in (
        ("filters.on_region", filters.region_codes, "region"),
        ("filters.on_org_type", filters.org_types, "org_type"),
        ("filters.on_program", filters.program_ids, "program"),
    ):
        if values:
            names = _names(options, kind, t.lang)
            shown = [names.get(v, v) if kind != "program" else v for v in values]
            parts.append(t(key, names="、".join(shown) if t.lang == "zh" else ", ".join(shown)))
    return t("filters.on", parts="；".join(parts) if t.lang == "zh" else "; ".join(parts))
