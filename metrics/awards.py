"""Award review summaries (§12, §19): jury scores per nomination and criterion.

SCORING.md related measures: the mean jury score per criterion over judges
without a conflict of interest (their scores are kept in the warehouse but
not counted), trimmed — the single highest and lowest score dropped — when
5 or more judges count. A standard-excellence nominee is shown with its
effectiveness score from a scoring run, so juries see the evidence.
"""

from __future__ import annotations

import duckdb
import polars as pl

from metrics.queries import query_frame
from metrics.scope import Scope

__all__ = ["TRIM_FROM", "award_review_summary", "nomination_totals"]

#: Judges counted from which the highest and the lowest score are dropped.
TRIM_FROM = 5


def award_review_summary(
    con: duckdb.DuckDBPyConnection, *, scope: Scope, run_id: str | None = None
) -> pl.DataFrame:
    """One row per nomination and criterion with the jury's (trimmed) mean.

    Parameters
    ----------
    con
        Connection on the warehouse.
    scope
        ``year`` filters ``award_year``; ``standard_codes`` and
        ``priority_area`` keep nominations of those standards (practice
        cases, having no standard, only when neither is set); regions do not
        apply to awards.
    run_id
        A scoring run whose composite (of its primary year, the
        ``score_run.primary_year`` column) is joined to the nominee
        standard; ``None`` leaves the effectiveness columns null.

    Returns
    -------
    polars.DataFrame
        ``nomination_id, award_year, category, standard_code, nominee_org,
        status, level, criterion, n_reviews, n_conflict, n_counted, trimmed,
        mean_score, untrimmed_mean, effectiveness_score,
        effectiveness_ci_low, effectiveness_ci_high, effectiveness_grade,
        effectiveness_insufficient``. ``mean_score`` is null when every judge
        of the criterion had a conflict of interest.
    """
    params = {**scope.to_params(), "run_id": run_id, "trim_from": TRIM_FROM}
    return query_frame(con, "award_review_summary", params)


def nomination_totals(summary: pl.DataFrame) -> pl.DataFrame:
    """Per nomination: the mean over criteria of the criterion means (equal weights).

    Examples
    --------
    >>> rows = pl.DataFrame({"nomination_id": ["N1", "N1"], "award_year": [2024, 2024],
    ...     "category": ["practice_case"] * 2, "criterion": ["effect", "contribution"],
    ...     "mean_score": [80.0, 90.0]})
    >>> nomination_totals(rows)["mean_of_criteria"].to_list()
    [85.0]
    """
    return (
        summary.group_by("nomination_id", "award_year", "category", maintain_order=True)
        .agg(
            pl.col("mean_score").mean().alias("mean_of_criteria"),
            pl.col("mean_score").is_not_null().sum().alias("n_criteria"),
        )
        .sort("award_year", "nomination_id")
    )
