"""The demo evaluator's review: most submissions approved, a few recent ones waiting, one returned.

Runs after the demo's feedback is loaded (which made every site × period a
``submitted`` submission), through the same transitions an evaluator makes
on the Approvals page (:func:`etl.submissions.change_status`), so the
history and audit rows are those of a real review by the demo evaluator.
"""

from __future__ import annotations

import duckdb
import polars as pl

from etl.submissions import approve, return_submissions

#: The demo account that reviews (``stdeval demo`` creates it).
REVIEWER = "evaluator"
#: Submissions of the latest period left waiting on the Approvals page.
WAITING = 5
RETURN_REASON = (
    "实施覆盖率与上一期相差过大，请核实后重新提交 / "
    "coverage differs too much from the last period: check it and send the form again"
)


def review_demo(con: duckdb.DuckDBPyConnection, *, seed: int) -> dict[str, int]:
    """Approve the demo's submissions but :data:`WAITING` of the latest period and one returned.

    Which ones wait is drawn with ``seed``, so a demo rebuilt with the same
    seed has the same review. Returns the count per status.

    Examples
    --------
    >>> from etl.warehouse import connect
    >>> con = connect(":memory:")
    >>> review_demo(con, seed=1)
    {'approved': 0, 'submitted': 0, 'returned': 0}
    """
    keys = con.sql(
        "select site_id, period from submission where status = 'submitted' order by period, site_id"
    ).pl()
    if keys.height == 0:
        return {"approved": 0, "submitted": 0, "returned": 0}
    latest = keys.filter(pl.col("period") == keys["period"].max())
    held = latest.sample(n=min(WAITING + 1, latest.height), seed=seed, shuffle=True)
    returned = held.head(1) if held.height > 1 else held.clear()
    waiting = held.slice(returned.height)
    approved = keys.join(held, on=["site_id", "period"], how="anti")
    if approved.height:
        approve(con, list(approved.iter_rows()), actor=REVIEWER)
    if returned.height:
        return_submissions(con, list(returned.iter_rows()), actor=REVIEWER, reason=RETURN_REASON)
    return {"approved": approved.height, "submitted": waiting.height, "returned": returned.height}
