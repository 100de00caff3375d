"""The one place that owns the dashboard's DuckDB connection and its caches.

DuckDB lets one process hold a database file read-write, and a connection
shared between Streamlit sessions fails with "connection is busy"; so the
app opens one cached connection per warehouse file and hands each rerun
its own ``cursor()``. The process is the warehouse's one writer while it
runs: its inbox worker (:func:`etl.receive.serve_queue`) applies, in
receipt order, the files and jobs (a ``stdeval score`` run) that commands
queue meanwhile. Cached reads are keyed on a data version that changes
after every load and every stored score run, so new rows and scores show
without a restart.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

import duckdb
import streamlit as st

from app.job_kinds import register_app_kinds
from etl.inbox import is_lock_error
from etl.receive import serve_queue
from etl.settings import db_path, landing_dir
from etl.warehouse import connect


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    # This process holds the warehouse read-write, so it is the one writer:
    # files and jobs that commands leave in the landing inbox for this
    # warehouse (and for no other) are applied here, in receipt order.
    register_app_kinds()
    serve_queue(con, landing=landing_dir().resolve(), warehouse=Path(path).resolve())
    return con


def warehouse_path() -> Path:
    """Return the warehouse file the app shows (``STDEVAL_DB``), as an absolute path."""
    return _resolved(db_path(None))


@lru_cache(maxsize=16)
def _resolved(path: Path) -> Path:
    # Resolving asks the file system about every folder of the path; a page
    # run asks for the warehouse's path many times (each cursor, each read).
    return path.resolve()


#: How long a page waits for a warehouse that another process (an import, a
#: scoring run) holds, before it says so and offers to retry.
BUSY_WAIT_SECONDS = 15.0


def wait_for_warehouse(timeout: float | None = None) -> bool:
    """Open the app's warehouse, waiting while another process holds it.

    Returns ``True`` once the connection is open (at once, after the first
    page), ``False`` when the warehouse stayed busy for ``timeout`` seconds
    (default :data:`BUSY_WAIT_SECONDS`).

    Raises
    ------
    etl.warehouse.NotAWarehouse
        ``STDEVAL_DB`` names something that is not a warehouse.
    """
    limit = BUSY_WAIT_SECONDS if timeout is None else timeout
    deadline = time.monotonic() + limit
    while True:
        try:
            cursor().close()
            return True
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.5)


def cursor() -> duckdb.DuckDBPyConnection:
    """Return a fresh cursor on the app's warehouse, for one rerun or thread."""
    return cursor_on(str(warehouse_path()))


def cursor_on(path: str) -> duckdb.DuckDBPyConnection:
    """Return a fresh cursor on the warehouse file ``path`` (for a thread bound to it)."""
    return _connection(path).cursor()


def data_version(cur: duckdb.DuckDBPyConnection) -> str:
    """Return a token that changes whenever rows are loaded, approved or a score run is stored.

    Small aggregates (ingest log, runs, submission history, settings), cheap enough
    for the one process-wide change check of :mod:`app.live`.
    """
    row = cur.execute(
        # Finished loads only: a load in progress does not wake every reader
        # twice (once when it starts, once when it ends).
        "select (select count(*) || ':' || coalesce(max(ingest_id), 0) || ':'"
        " || coalesce(max(finished_at)::varchar, '') from ingest_log"
        " where finished_at is not null),"
        " (select count(*) || ':' || coalesce(max(created_at)::varchar, '') from score_run),"
        # An approval, return or reopen, or the count_unapproved setting,
        # changes which feedback counts.
        " (select coalesce(max(history_id), 0) from submission_history),"
        " (select coalesce(max(changed_at)::varchar, '') from app_setting)"
    ).fetchall()
    return "|".join(str(v) for v in (row[0] if row else ()))
