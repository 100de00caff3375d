"""Fixed-text SQL of the ETL, one query per file in ``etl/sql/`` named after what it does.

Values are always bound parameters. The few statements whose identifiers
depend on the source (table and column names) are built in
:mod:`etl.load` from the whitelist of the source's spec, never from input.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def query(name: str) -> str:
    """Return the text of ``etl/sql/<name>.sql``.

    Examples
    --------
    >>> "ingest_log" in query("insert_ingest_log")
    True
    """
    return (resources.files("etl") / "sql" / f"{name}.sql").read_text("utf-8")
