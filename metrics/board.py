"""Figures of the ministry dashboard's pages, within a reader's filters and scope.

Every function takes the cursor, the reader's :class:`~metrics.filters.Filters`
and the :class:`~datasets.access.Access` scope as required keywords (no
default means "everything"); each runs one SQL file of ``metrics/sql/``
that aggregates in DuckDB, so only small frames leave the warehouse.
"""

from __future__ import annotations

import duckdb
import polars as pl

from datasets.access import Access
from metrics.filters import Filters, query_in_view

__all__ = [
    "by_priority_area",
    "by_region",
    "catalogue",
    "feedback_by_period",
    "filter_options",
    "headline_by_year",
    "silent_programs",
]


def headline_by_year(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """Per year: feedback rows, reporting sites, surveys, adoption and money.

    Returns
    -------
    polars.DataFrame
        ``year, feedback_rows, sites_reporting, standards_with_feedback,
        mean_satisfaction, survey_rows, adoption_rate, committed_cny,
        disbursed_cny``, by year.
    """
    return query_in_view(cur, "board_headline_by_year", filters=filters, scope=scope)


def feedback_by_period(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """Feedback rows, reporting sites and mean satisfaction per period (``YYYY-Qn``)."""
    return query_in_view(cur, "board_feedback_by_period", filters=filters, scope=scope)


def by_priority_area(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """The 13 priority areas of §7 (and unmapped standards, null ``area_id``).

    Returns
    -------
    polars.DataFrame
        ``area_id, name_zh, name_en, ord, standards, standards_with_feedback,
        feedback_rows, programs, sites, mean_satisfaction, survey_rows,
        adoption_rate, committed_cny, disbursed_cny``.
    """
    return query_in_view(cur, "board_by_area", filters=filters, scope=scope)


def by_region(cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access) -> pl.DataFrame:
    """The 34 province-level regions: sites, feedback, adoption, satisfaction, money."""
    return query_in_view(cur, "board_by_region", filters=filters, scope=scope)


def silent_programs(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """Programmes with no feedback for two quarters or more (an alert).

    Returns
    -------
    polars.DataFrame
        ``program_id, name, lead_department, last_period, quarters_silent``;
        ``last_period`` is null for a programme that never reported.
    """
    return query_in_view(cur, "board_silent_programs", filters=filters, scope=scope)


def catalogue(cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access) -> pl.DataFrame:
    """Standards with their titles and priority-area names (the catalogue is public)."""
    return query_in_view(cur, "board_catalogue", filters=filters, scope=scope)


def filter_options(cur: duckdb.DuckDBPyConnection, *, scope: Access) -> pl.DataFrame:
    """What the sidebar filters offer: ``kind, key, name_zh, name_en, ord``.

    ``kind`` is ``year``, ``area``, ``region``, ``org_type`` or ``program``.
    """
    return query_in_view(cur, "board_filter_options", filters=Filters(), scope=scope)
