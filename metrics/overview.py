"""Headline figures for the Overview page: what the warehouse holds.

Every function takes the user's scope explicitly: ``site_ids=None`` is the
whole programme (ministries, evaluators); a tuple restricts the rows to those
pilot sites (a pilot site sees its own data only). There is no default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import duckdb
import polars as pl


def _sql(name: str) -> str:
    return (resources.files("metrics") / "sql" / f"{name}.sql").read_text("utf-8")


def _params(site_ids: Sequence[str] | None) -> dict[str, object]:
    return {"site_ids": None if site_ids is None else list(site_ids)}


@dataclass(frozen=True)
class Headline:
    """The headline figures of the warehouse within one scope."""

    standards: int
    standards_mapped: int
    programs: int
    sites: int
    feedback_rows: int
    survey_rows: int
    committed_cny: float
    disbursed_cny: float
    nominations: int
    awards: int


def headline(con: duckdb.DuckDBPyConnection, *, site_ids: Sequence[str] | None) -> Headline:
    """Count standards, programmes, sites, responses, money and awards in scope.

    Parameters
    ----------
    con
        A connection (or cursor) on the warehouse.
    site_ids
        ``None`` for the whole programme, else the pilot sites the user may see.
    """
    rows = con.execute(_sql("overview_headline"), _params(site_ids)).fetchall()
    row = rows[0] if rows else None
    if row is None:  # pragma: no cover - an aggregate always returns one row
        msg = "the headline query returned no row"
        raise RuntimeError(msg)
    values = [0 if v is None else v for v in row]
    return Headline(
        standards=int(values[0]),
        standards_mapped=int(values[1]),
        programs=int(values[2]),
        sites=int(values[3]),
        feedback_rows=int(values[4]),
        survey_rows=int(values[5]),
        committed_cny=float(values[6]),
        disbursed_cny=float(values[7]),
        nominations=int(values[8]),
        awards=int(values[9]),
    )


def feedback_by_period(
    con: duckdb.DuckDBPyConnection, *, site_ids: Sequence[str] | None
) -> pl.DataFrame:
    """Return feedback rows, reporting sites and mean satisfaction per period."""
    return con.sql(_sql("overview_feedback_by_period"), params=_params(site_ids)).pl()


def by_priority_area(
    con: duckdb.DuckDBPyConnection, *, site_ids: Sequence[str] | None
) -> pl.DataFrame:
    """Return standards, feedback and survey rows per priority area (§7)."""
    return con.sql(_sql("overview_by_priority_area"), params=_params(site_ids)).pl()


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the warehouse holds synthetic demo data."""
    rows = con.execute(_sql("overview_is_demo")).fetchall()
    return bool(rows and rows[0][0])
