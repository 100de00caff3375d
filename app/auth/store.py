"""The account store's plumbing: its SQL files and one transaction per change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb


@cache
def sql(name: str) -> str:
    """Return the text of ``app/auth/sql/<name>.sql`` (one query, bound parameters)."""
    return (Path(__file__).resolve().parent / "sql" / f"{name}.sql").read_text("utf-8")


def utc_now() -> datetime:
    """Now, in UTC without a zone (how the warehouse stores every time)."""
    return datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a change and its audit row in one transaction: both are kept, or neither."""
    cur.execute("begin transaction")
    try:
        yield cur
    except BaseException:
        cur.execute("rollback")
        raise
    cur.execute("commit")
