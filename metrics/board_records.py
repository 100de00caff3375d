"""Programme-wide records on the dashboard: money, awards, the standard-making cycle.

Funding, award and lifecycle rows belong to the programme, not to a pilot
site, so a pilot-site access scope sees none of them (an empty frame of the
same columns). Within the whole programme the reader's
:class:`~metrics.filters.Filters` apply: the year range to the fiscal,
award or approval year, the priority area to the standard, regions and
programmes to the money. The measures themselves are those of
:mod:`metrics.funding`, :mod:`metrics.awards` and :mod:`metrics.lifecycle`.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from datasets.access import Access
from metrics.awards import award_review_summary
from metrics.filters import Filters, query_in_view
from metrics.funding import funding_overdisbursed
from metrics.lifecycle import lifecycle_projects, lifecycle_stages
from metrics.scope import Scope

__all__ = [
    "award_rows",
    "funding_per_standard",
    "funding_rows",
    "lifecycle_project_rows",
    "lifecycle_stage_rows",
    "overdisbursed_rows",
]


def _in_years(frame: pl.DataFrame, column: str, filters: Filters) -> pl.DataFrame:
    year = pl.col(column).cast(pl.Int64)
    if filters.year_from is not None:
        frame = frame.filter(year >= filters.year_from)
    if filters.year_to is not None:
        frame = frame.filter(year <= filters.year_to)
    return frame


def _visible(frame: pl.DataFrame, scope: Access) -> pl.DataFrame:
    return frame if scope.sees_everything else frame.clear()


def funding_rows(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """Money by ``fiscal_year, source_type, purpose, priority_area``.

    Returns
    -------
    polars.DataFrame
        ``fiscal_year, source_type, purpose, priority_area, committed_cny,
        disbursed_cny, n_records``.
    """
    return query_in_view(cur, "board_funding_rows", filters=filters, scope=scope)


def funding_per_standard(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """Committed and disbursed money per standard: ``standard_code, priority_area, ...``."""
    return query_in_view(cur, "board_funding_per_standard", filters=filters, scope=scope)


def overdisbursed_rows(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access
) -> pl.DataFrame:
    """Disbursed above committed (funder × recipient × purpose × year), a warning.

    Columns as :func:`metrics.funding.funding_overdisbursed`; the year range,
    priority area and regions of ``filters`` apply.
    """
    years = Scope(priority_area=filters.priority_area, region_codes=filters.region_codes)
    frame = funding_overdisbursed(cur, scope=years)
    return _visible(_in_years(frame, "fiscal_year", filters), scope)


def award_rows(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, run_id: str | None
) -> pl.DataFrame:
    """Jury scores per nomination and criterion, with the nominee's effectiveness.

    Columns as :func:`metrics.awards.award_review_summary`; the year range
    applies to ``award_year`` and the priority area to the nominee standard.
    """
    frame = award_review_summary(
        cur, scope=Scope(priority_area=filters.priority_area), run_id=run_id
    )
    return _visible(_in_years(frame, "award_year", filters), scope)


def lifecycle_project_rows(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, as_of: date
) -> pl.DataFrame:
    """Standard-making projects approved in the year range (see :mod:`metrics.lifecycle`)."""
    frame = lifecycle_projects(cur, scope=Scope(priority_area=filters.priority_area), as_of=as_of)
    frame = frame.with_columns(pl.col("approved").dt.year().alias("approved_year"))
    return _visible(_in_years(frame, "approved_year", filters), scope)


def lifecycle_stage_rows(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, as_of: date
) -> pl.DataFrame:
    """Stages of the projects of :func:`lifecycle_project_rows`, against their limits."""
    projects = lifecycle_project_rows(cur, filters=filters, scope=scope, as_of=as_of)
    stages = lifecycle_stages(cur, scope=Scope(priority_area=filters.priority_area), as_of=as_of)
    return stages.filter(pl.col("project_id").is_in(projects["project_id"].implode()))
