"""The SQL files of ``metrics/sql/``: read one by name, run it with bound parameters.

Each file is one query in the CTE shape imports → logic → ``select * from
final``. Values are always bound parameters (``$name``); the only names ever
put into SQL text are the temporary tables of :data:`TEMP_TABLES`, chosen in
code, never from input.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb
import polars as pl

__all__ = ["TEMP_TABLES", "materialise", "query_frame", "sql_text"]

#: Temporary tables the scoring builds on its own cursor, in build order.
TEMP_TABLES: tuple[str, ...] = (
    "scope_standard",
    "scope_feedback",
    "scope_survey",
    "score_feedback_units",
    "score_survey_units",
    "score_cells",
    "score_measure_values",
)


@cache
def sql_text(name: str) -> str:
    """The text of ``metrics/sql/<name>.sql``.

    Examples
    --------
    >>> sql_text("scope_standard").rstrip().endswith("select * from final")
    True
    """
    return (resources.files("metrics") / "sql" / f"{name}.sql").read_text("utf-8")


def _bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    # DuckDB refuses named parameters the statement does not use.
    return {k: v for k, v in params.items() if f"${k}" in sql}


def query_frame(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run ``metrics/sql/<name>.sql`` with ``params`` and return a polars frame."""
    sql = sql_text(name)
    return con.sql(sql, params=_bind(sql, params or {})).pl()


def materialise(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> None:
    """Store the result of ``metrics/sql/<name>.sql`` as a temporary table of that name."""
    if name not in TEMP_TABLES:
        msg = f"{name!r} is not one of the scoring's temporary tables {TEMP_TABLES}"
        raise ValueError(msg)
    sql = sql_text(name)
    con.execute(f"create or replace temp table {name} as {sql}", _bind(sql, params or {}))
