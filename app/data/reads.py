"""Cached reads of the dashboard, one table of what may be read.

:data:`READS` names every metrics function a page may call. :func:`read`
runs one with a fresh cursor, keyed in ``st.cache_data`` on the data
version (which changes after every load and every score run), the name,
the reader's filters, their access scope and any further arguments; the
results are small aggregated frames, so the cache stays small too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app.connection import cursor
from app.live import current_version
from datasets.access import Access
from metrics import board, board_records, board_standard, own_sites
from metrics.filters import Filters
from metrics.overview import is_demo

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


def read(name: str, *, filters: Filters, scope: Access, **extra: Any) -> Any:
    """Return the metrics read ``name`` for these filters and this scope (cached)."""
    return _cached(current_version(), name, filters, scope, tuple(sorted(extra.items())))


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
