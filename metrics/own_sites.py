"""A pilot site's own data against the nation: its feedback, anonymous benchmarks, its standards' scores.

Issue 13, point 3: a pilot-site reader sees its own sites' rows, and the
other sites only as anonymous benchmarks. :func:`own_feedback` aggregates
in DuckDB (``metrics/sql/own_feedback.sql``): per own site and standard the
mean of each feedback dimension, satisfaction and the response count,
beside the national mean over every site and the site's percentile among
the sites reporting on that standard. No other site's id, name or row
leaves the query, and a benchmark computed from fewer than
:data:`MIN_OTHER_SITES` other sites is withheld (``benchmark_suppressed``),
since a mean of one or two other sites all but names them.

:func:`own_scores` gives the latest run's composite score and 95 % interval
of the standards the reader's sites report on: scores are programme-wide
results, not rows of other sites.
"""

from __future__ import annotations

import duckdb
import polars as pl

from datasets.access import Access
from metrics.filters import Filters, query_in_view
from metrics.ranking import ranked_standards
from metrics.scope import Scope

__all__ = [
    "FEEDBACK_MEASURES",
    "MIN_OTHER_SITES",
    "own_feedback",
    "own_scores",
    "submission_history",
]

#: Fewest other sites a national benchmark of a standard is computed from.
MIN_OTHER_SITES = 3
#: The feedback measures compared with the nation (each also as ``national_<name>``).
FEEDBACK_MEASURES: tuple[str, ...] = (
    "applicability",
    "operability",
    "clarity",
    "benefit",
    "satisfaction",
)


def own_feedback(
    cur: duckdb.DuckDBPyConnection,
    *,
    filters: Filters,
    scope: Access,
    year: int | None = None,
    min_others: int = MIN_OTHER_SITES,
) -> pl.DataFrame:
    """The reader's feedback per site and standard, beside the anonymous national benchmark.

    Parameters
    ----------
    cur
        A cursor on the warehouse (only read).
    filters
        The reader's filters (not used: the benchmark is over the whole
        nation; accepted so that the page reads it like every other read).
    scope
        The reader's sites: only their rows are returned.
    year
        Only periods of this year (``None``: every period).
    min_others
        Fewest other sites a benchmark is computed from; below it the
        national columns and the percentile are null and
        ``benchmark_suppressed`` is true.

    Returns
    -------
    polars.DataFrame
        ``site_id, standard_code, title_zh, title_en, responses``, the
        own means of :data:`FEEDBACK_MEASURES`, ``other_sites,
        benchmark_suppressed``, ``national_<measure>`` for each measure and
        ``satisfaction_percentile`` (0–100: the share of the other sites
        whose mean satisfaction is below this site's).
    """
    return query_in_view(
        cur, "own_feedback", filters=filters, scope=scope, year=year, min_others=int(min_others)
    )


def own_scores(
    cur: duckdb.DuckDBPyConnection,
    *,
    filters: Filters,
    scope: Access,
    run_id: str,
    year: str,
) -> pl.DataFrame:
    """The run's score with its interval of each standard the reader's sites report on.

    Parameters
    ----------
    cur
        A cursor on the warehouse (only read).
    filters
        The reader's filters (not used; see :func:`own_feedback`).
    scope
        The reader's sites: their standards are the ones with own feedback.
    run_id, year
        The stored run and its year key (``'overall'`` or ``'2024'``).

    Returns
    -------
    polars.DataFrame
        The columns of :func:`metrics.ranking.ranked_standards` for those
        standards (ranks stay those of the whole run); empty when the
        reader's sites report on none.
    """
    codes = own_feedback(cur, filters=filters, scope=scope)["standard_code"].unique().sort()
    return ranked_standards(
        cur, run_id=run_id, year=year, scope=Scope(standard_codes=tuple(codes.to_list()))
    )


def submission_history(
    cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access, username: str
) -> pl.DataFrame:
    """The files sent for the reader's sites, newest first (the ingest log's rows).

    A pilot-site reader sees its own uploads and those of pilot-site
    accounts bound only to sites it holds; a whole-programme scope sees
    every file. This is the one place the history table is built (an
    approval status joins here).

    Parameters
    ----------
    cur
        A cursor on the warehouse (only read).
    filters
        Not used (accepted like every read of the pages).
    scope
        The reader's sites.
    username
        The reader's account: its own uploads are always listed.

    Returns
    -------
    polars.DataFrame
        ``ingest_id, receipt_seq, source, file_name, uploader, received_at,
        finished_at, status, rows_read, rows_accepted, rows_rejected,
        rows_replaced, warnings, sha256, refusal_rule, reason_zh, reason_en``.
    """
    return query_in_view(cur, "submission_history", filters=filters, scope=scope, username=username)
