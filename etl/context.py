"""What the warehouse already knows, for the cross-table rules of validation.

Unknown standard, unknown site, unknown programme and unknown nomination
are row errors (DATA_MODEL.md); the sets of known keys come from the
warehouse through the queries in ``etl/sql/context_*.sql``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import duckdb

from etl.queries import query

if TYPE_CHECKING:
    from datasets.validation import ValidationContext


def _ids(con: duckdb.DuckDBPyConnection, name: str) -> frozenset[str]:
    return frozenset(str(row[0]) for row in con.execute(query(name)).fetchall())


def warehouse_context(
    con: duckdb.DuckDBPyConnection,
    *,
    allowed_site_ids: Iterable[str] | None = None,
) -> ValidationContext:
    """Return the :class:`~datasets.validation.ValidationContext` of the warehouse behind ``con``.

    Parameters
    ----------
    con
        A connection (or cursor) to the warehouse.
    allowed_site_ids
        The sites the uploader may report for (a pilot-site user may only
        send its own); ``None`` means every registered site.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> for t, c in [("standard", "code"), ("pilot_site", "site_id"),
    ...              ("pilot_program", "program_id"), ("award_nomination", "nomination_id")]:
    ...     _ = con.execute(f"create table {t} ({c} varchar)")
    >>> _ = con.execute("insert into standard values ('GB/T 22239-2019')")
    >>> sorted(warehouse_context(con).standard_codes)
    ['GB/T 22239-2019']
    """
    from datasets.validation import ValidationContext

    return ValidationContext(
        standard_codes=_ids(con, "context_standard_codes"),
        site_ids=_ids(con, "context_site_ids"),
        program_ids=_ids(con, "context_program_ids"),
        nomination_ids=_ids(con, "context_nomination_ids"),
        allowed_site_ids=None if allowed_site_ids is None else frozenset(allowed_site_ids),
    )
