"""Funding measures (§18 fiscal money, §19 social money).

Committed and disbursed money and the execution rate (disbursed ÷
committed) by source, purpose, year, region and priority area; the social
share (enterprise and foundation money over all money); money per standard
against its effectiveness score; and disbursements above the commitment
for the same funder, recipient, purpose and year (a warning).

Scope: ``year`` is the fiscal year, ``standard_codes`` and ``priority_area``
keep money recorded against those standards, ``region_codes`` the money of
those provinces.
"""

from __future__ import annotations

import duckdb
import polars as pl

from datasets.messages import Message, RefusedValue
from metrics.queries import query_frame
from metrics.scope import Scope

__all__ = [
    "GROUPINGS",
    "funding_by",
    "funding_overdisbursed",
    "funding_per_standard",
    "social_share",
]

#: The groupings :func:`funding_by` offers (and ``"all"`` for the total).
GROUPINGS: tuple[str, ...] = (
    "source_type",
    "purpose",
    "fiscal_year",
    "region_code",
    "priority_area",
    "all",
)


def funding_by(con: duckdb.DuckDBPyConnection, *, scope: Scope, by: str) -> pl.DataFrame:
    """Committed, disbursed, execution rate and social shares per value of ``by``.

    Parameters
    ----------
    by
        One of :data:`GROUPINGS`; ``"all"`` gives the single total row.

    Returns
    -------
    polars.DataFrame
        ``key, n_records, committed_cny, disbursed_cny, execution_rate,
        social_share_committed, social_share_disbursed``; rates are null where
        their denominator is 0, and a null key is money without that attribute.
    """
    if by not in GROUPINGS:
        msg = Message(
            f"不支持的资金分组方式 {by!r}", f"funding can be grouped by {GROUPINGS}, not {by!r}"
        )
        raise RefusedValue(msg)
    frame = query_frame(con, "funding_by_group", scope.to_params())
    return frame.filter(pl.col("grouping_name") == by).drop("grouping_name")


def social_share(con: duckdb.DuckDBPyConnection, *, scope: Scope) -> dict[str, float | None]:
    """Enterprise plus foundation money over all money, committed and disbursed.

    Returns
    -------
    dict
        ``{"committed": share, "disbursed": share}``; a share is ``None``
        where no money of that flow is in scope.
    """
    total = funding_by(con, scope=scope, by="all")
    if total.height == 0:
        return {"committed": None, "disbursed": None}
    row = total.row(0, named=True)
    return {"committed": row["social_share_committed"], "disbursed": row["social_share_disbursed"]}


def funding_per_standard(
    con: duckdb.DuckDBPyConnection, *, scope: Scope, run_id: str | None = None
) -> pl.DataFrame:
    """Money recorded against each standard beside its effectiveness score in ``run_id``.

    Parameters
    ----------
    scope
        ``year`` is the fiscal year; standards, area and regions as for
        :func:`funding_by`. Money with no standard is left out.
    run_id
        A scoring run whose composite in its primary year (the
        ``score_run.primary_year`` column) is joined; ``None`` leaves the
        score columns null.

    Returns
    -------
    polars.DataFrame
        ``standard_code, priority_area, committed_cny, disbursed_cny,
        execution_rate, score, ci_low, ci_high, grade, insufficient``, by code.
    """
    return query_frame(con, "funding_per_standard", {**scope.to_params(), "run_id": run_id})


def funding_overdisbursed(con: duckdb.DuckDBPyConnection, *, scope: Scope) -> pl.DataFrame:
    """Funder × recipient × purpose × year where disbursed exceeds committed (warnings).

    Returns
    -------
    polars.DataFrame
        ``funder, recipient, purpose, fiscal_year, committed_cny,
        disbursed_cny, excess_cny, ratio`` (ratio null when nothing was
        committed), largest excess first.
    """
    return query_frame(con, "funding_overdisbursed", scope.to_params())
