"""Whether the warehouse holds demo data: the dashboard's banner and the demo accounts ask.

The Overview page's own figures are read through the dashboard's data
layer (:mod:`metrics.board`, within filters and scope).
"""

from __future__ import annotations

from importlib import resources

import duckdb


def _sql(name: str) -> str:
    return (resources.files("metrics") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the warehouse holds synthetic demo data."""
    rows = con.execute(_sql("overview_is_demo")).fetchall()
    return bool(rows and rows[0][0])
