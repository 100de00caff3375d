"""Cached reads of the dashboard, one table of what may be read.

:data:`READS` names every metrics function a page may call. :func:`read`
runs one with a fresh cursor, keyed in ``st.cache_data`` on the data
version (which changes after every load and every score run), the name,
the reader's filters, their access scope and any further arguments; the
results are small aggregated frames, so the cache stays small too.

New data changes the version, so every read is computed again, once per
process (``st.cache_data`` lets one session compute a missing entry while
the others wait for it). Not to leave that to the first reader of each page,
:func:`read` refreshes ahead: the first read under a new version starts one
background thread that computes, under the new version, the
:data:`REFRESH_AHEAD` reads most recently asked for under the old one (the
pages readers have open, with their filters and scopes), most recent first,
after :data:`REFRESH_DELAY_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import duckdb
import streamlit as st

from app.connection import cursor, warehouse_path
from app.live import ChangeWatcher, current_version, watcher
from datasets.access import Access
from etl import submissions
from metrics import board, board_records, board_standard, own_sites
from metrics.filters import Filters
from metrics.overview import is_demo


def submission_status(cur: duckdb.DuckDBPyConnection, *, filters: Filters, scope: Access) -> Any:
    """The review status of the submissions within ``scope`` (the portal's and the approvals' table).

    It takes the filters as every read does; both pages show every period
    of the sites in scope, so they are not applied.
    """
    del filters
    return submissions.submission_status(cur, scope)


#: What pages may read: name -> metrics function ``(cur, *, filters, scope, ...)``.
READS: dict[str, Callable[..., Any]] = {
    "headline_by_year": board.headline_by_year,
    "feedback_by_period": board.feedback_by_period,
    "by_priority_area": board.by_priority_area,
    "by_region": board.by_region,
    "silent_programs": board.silent_programs,
    "catalogue": board.catalogue,
    "standard_adoption": board_standard.standard_adoption,
    "standard_sites": board_standard.standard_sites,
    "standard_comments": board_standard.standard_comments,
    "funding_rows": board_records.funding_rows,
    "funding_per_standard": board_records.funding_per_standard,
    "overdisbursed": board_records.overdisbursed_rows,
    "awards": board_records.award_rows,
    "lifecycle_projects": board_records.lifecycle_project_rows,
    "lifecycle_stages": board_records.lifecycle_stage_rows,
    "own_feedback": own_sites.own_feedback,
    "own_scores": own_sites.own_scores,
    "submission_history": own_sites.submission_history,
    "submission_status": submission_status,
}


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(
    version: str, name: str, filters: Filters, scope: Access, extra: tuple[tuple[str, Any], ...]
) -> Any:
    cur = cursor()
    try:
        return READS[name](cur, filters=filters, scope=scope, **dict(extra))
    finally:
        cur.close()


#: Reads computed ahead when the data version changes (the most recent ones).
REFRESH_AHEAD = 32
#: Seconds the refresh waits first: the open pages' own reruns (woken by the
#: change) compute what they show; the refresh then finds those in the cache
#: and computes only what nobody has asked for yet.
REFRESH_DELAY_SECONDS = 2.0

_ReadKey = tuple[str, Filters, Access, tuple[tuple[str, Any], ...]]
_recent_lock = threading.Lock()
_recent: OrderedDict[_ReadKey, None] = OrderedDict()
_refreshed: list[str] = []  # the version last refreshed ahead (empty until the first read)


def read(name: str, *, filters: Filters, scope: Access, **extra: Any) -> Any:
    """Return the metrics read ``name`` for these filters and this scope (cached)."""
    version = current_version()
    key: _ReadKey = (name, filters, scope, tuple(sorted(extra.items())))
    with _recent_lock:
        _recent[key] = None
        _recent.move_to_end(key)
        while len(_recent) > REFRESH_AHEAD:
            _recent.popitem(last=False)
        previous = _refreshed[0] if _refreshed else None
        _refreshed[:] = [version]
        ahead = list(reversed(_recent)) if previous not in (None, version) else []
    if ahead:
        threading.Thread(
            target=_refresh,
            args=(watcher(), str(warehouse_path()), version, ahead),
            name="stdeval-refresh-ahead",
            daemon=True,
        ).start()
    return _cached(version, *key)


def _refresh(source: ChangeWatcher, path: str, version: str, keys: list[_ReadKey]) -> None:
    time.sleep(REFRESH_DELAY_SECONDS)
    for key in keys:
        # Newer data again (its own refresh follows), or the app now shows
        # another warehouse (tests switch STDEVAL_DB): never open another one.
        if source.version != version or str(warehouse_path()) != path:
            return
        try:
            _cached(version, *key)
        except Exception:  # noqa: BLE001, S112 - a page asking for it shows the error itself
            continue


@st.cache_data(show_spinner=False, max_entries=64)
def _options(version: str, scope: Access) -> Any:
    cur = cursor()
    try:
        return board.filter_options(cur, scope=scope)
    finally:
        cur.close()


def filter_options(*, scope: Access) -> Any:
    """What the sidebar filters offer (cached on the data version and scope)."""
    return _options(current_version(), scope)


@st.cache_data(show_spinner=False, max_entries=8)
def _is_demo(version: str) -> bool:
    cur = cursor()
    try:
        return is_demo(cur)
    finally:
        cur.close()


def warehouse_is_demo() -> bool:
    """Whether the warehouse holds synthetic demo data (for the banner on every page)."""
    return _is_demo(current_version())
