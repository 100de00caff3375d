"""The dashboard's filters: what a reader asked to look at.

Two values decide which rows a dashboard figure reads, and they stay apart:

- :class:`Filters` (this module) is what the reader *chose* in the sidebar
  (years, priority area, regions, org types, programmes). It narrows the
  view and may be changed by anyone through the URL.
- :class:`datasets.access.Access` is what the reader *may* see (the whole
  programme, or some pilot sites). It is given by the signed-in account,
  never by the URL, and every query takes it as a required argument.

:class:`metrics.scope.Scope` is a third, older value: the part of the
warehouse a *scoring run* reads (one year or all, standards, one area,
regions). :meth:`Filters.to_scope` maps a reader's filters onto it where a
computation of ``metrics`` needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from datasets.access import Access
from metrics.queries import query_frame
from metrics.scope import Scope

__all__ = ["Filters", "query_in_view"]


def _tuple(name: str, value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        msg = f"Filters.{name} must be a tuple of codes, not one string {value!r}"
        raise TypeError(msg)
    items = tuple(sorted({str(v) for v in value}))  # type: ignore[attr-defined]
    return items or None


@dataclass(frozen=True)
class Filters:
    """A reader's choice of rows; ``None`` means "not restricted".

    Parameters
    ----------
    year_from, year_to
        Inclusive range of years: the year of a feedback period, the
        ``survey_year``, the funding ``fiscal_year``, the ``award_year``,
        the year a lifecycle project was approved.
    priority_area
        One priority area of §7 (its id, e.g. ``"CII"``).
    region_codes
        Provinces (GB/T 2260 two-digit codes) of pilot sites, survey
        respondents and funding records.
    org_types
        Org types of pilot sites and survey respondents.
    program_ids
        Pilot programmes (their sites' feedback, their funding).

    Examples
    --------
    >>> f = Filters(year_from=2023, year_to=2024, region_codes=("44", "11"))
    >>> f.region_codes, f.is_empty
    (('11', '44'), False)
    >>> Filters().to_params()["year_from"] is None
    True
    >>> Filters(year_from=2024, year_to=2024, priority_area="CII").to_scope()
    Scope(year=2024, standard_codes=None, priority_area='CII', region_codes=None)
    """

    year_from: int | None = None
    year_to: int | None = None
    priority_area: str | None = None
    region_codes: tuple[str, ...] | None = None
    org_types: tuple[str, ...] | None = None
    program_ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("region_codes", "org_types", "program_ids"):
            object.__setattr__(self, name, _tuple(name, getattr(self, name)))
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            msg = (
                f"年份范围起点 {self.year_from} 晚于终点 {self.year_to}，请交换两端"
                f" / the year range starts ({self.year_from}) after it ends"
                f" ({self.year_to}); swap the ends"
            )
            raise ValueError(msg)

    @property
    def is_empty(self) -> bool:
        """Whether no filter is set (every row the access scope allows)."""
        return self == Filters()

    def to_params(self) -> dict[str, Any]:
        """Bound parameters for the SQL files (lists for ``varchar[]``)."""

        def listed(v: tuple[str, ...] | None) -> list[str] | None:
            return None if v is None else list(v)

        return {
            "year_from": self.year_from,
            "year_to": self.year_to,
            "priority_area": self.priority_area,
            "region_codes": listed(self.region_codes),
            "org_types": listed(self.org_types),
            "program_ids": listed(self.program_ids),
        }

    def to_scope(self) -> Scope:
        """The scoring scope closest to these filters.

        A scoring scope holds one year or all of them, so a range of several
        years maps to every year; org types and programmes have no scoring
        counterpart and are left out (figures built on a ``Scope`` say so).
        """
        year = self.year_from if self.year_from == self.year_to else None
        return Scope(year=year, priority_area=self.priority_area, region_codes=self.region_codes)


def query_in_view(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    filters: Filters,
    scope: Access,
    **extra: object,
) -> pl.DataFrame:
    """Run ``metrics/sql/<name>.sql`` within a reader's filters and access scope.

    Parameters
    ----------
    con
        A cursor on the warehouse.
    name
        The SQL file. It reads the rows within the filters and scope from
        the staging CTEs of ``metrics/sql/in_view.sql`` (``feedback_in_view``
        and the like, put in front of it), and may use ``$year_from`` …
        ``$program_ids`` and ``$site_ids`` itself.
    filters
        What the reader chose.
    scope
        What the reader may see (required; ``Access.everything()`` says
        "the whole programme" explicitly).
    extra
        Further bound parameters of that query (e.g. ``standard_code``).
    """
    if not isinstance(scope, Access):
        msg = (
            f"查询 {name} 需要访问范围 Access，收到 {type(scope).__name__}"
            f" / query {name} needs an Access scope, got {type(scope).__name__}"
        )
        raise TypeError(msg)
    params = {**filters.to_params(), **scope.to_params(), **extra}
    return query_frame(con, name, params, staged=True)
