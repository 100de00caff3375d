"""The evaluation report as a job of the one writer: ``stdeval report`` works while the dashboard runs.

The writer (the command itself when the warehouse is free, else the
dashboard) reads the report's page from the warehouse, a consistent read in
receipt order with every other entry of the queue; the command then prints
it to PDF with chromium in its own process, so the writer never waits on a
browser.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from app.exports.report import report_page
from datasets.messages import BilingualError
from etl.inbox import InboxEntry
from etl.result import Progress

REPORT = "report"


def run_report(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    _landing: Path | None,
) -> dict[str, Any]:
    """Read the report page of ``entry.params["run_id"]`` in ``params["lang"]``.

    Returns ``done`` with the page (``html``, ``header``, ``footer``), or
    ``refused`` with the bilingual reason (no such run, a bad language).
    """
    p = entry.params
    if progress:
        progress("report", 0, 1)
    try:
        page = report_page(con, run_id=p["run_id"], lang=p.get("lang", "zh"))
    except BilingualError as exc:
        return {"status": "refused", "rule": "report", "reason": exc.message.to_json()}
    if progress:
        progress("report", 1, 1)
    return {"status": "done", **asdict(page)}
