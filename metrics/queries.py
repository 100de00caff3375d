"""The SQL files of ``metrics/sql/``: read one by name, run it with bound parameters.

Each file is one query in the CTE shape imports → logic → ``select * from
final``; the dashboard's ``board_*.sql`` read the staging CTEs of
``in_view.sql`` (rows within a reader's filters and scope, defined once),
which :func:`in_view_sql` puts in front of them. Values are always bound parameters (``$name``); the only names ever
put into SQL text are the temporary tables of :data:`TEMP_TABLES`, chosen in
code, never from input.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb
import polars as pl

__all__ = ["TEMP_TABLES", "in_view_sql", "materialise", "query_frame", "sql_text"]

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


@cache
def in_view_sql(name: str) -> str:
    """``metrics/sql/<name>.sql`` with the staging CTEs of ``in_view.sql`` in front.

    The file's ``with`` line (its first line that is only ``with``) becomes
    ``with <staging CTEs>,``, so the query reads ``feedback_in_view`` and the
    other staged rows as if they were tables.

    Examples
    --------
    >>> sql = in_view_sql("board_feedback_by_period")
    >>> sql.index("feedback_in_view as (") < sql.index("final as (")
    True
    """
    staging = sql_text("in_view").rstrip()
    lines = sql_text(name).splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.strip().lower() == "with"), None)
    if at is None:
        msg = f"metrics/sql/{name}.sql has no line 'with' to put the staging of in_view.sql after"
        raise ValueError(msg)
    return "".join([*lines[: at + 1], staging, ",\n", *lines[at + 1 :]])


def _bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    # DuckDB refuses named parameters the statement does not use.
    return {k: v for k, v in params.items() if f"${k}" in sql}


def query_frame(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    staged: bool = False,
) -> pl.DataFrame:
    """Run ``metrics/sql/<name>.sql`` with ``params`` and return a polars frame.

    With ``staged``, the query is :func:`in_view_sql` (the dashboard's staging
    in front of it).
    """
    sql = in_view_sql(name) if staged else sql_text(name)
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
