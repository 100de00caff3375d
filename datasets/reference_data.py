"""The reference data shipped with the product (DATA_MODEL.md, "Reference data").

Each function reads one CSV of ``datasets/reference/`` (package-relative,
so it works from an installed wheel) and returns a typed polars frame whose
columns are exactly the warehouse table's, without provenance.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import polars as pl

from datasets.catalogue import complete_catalogue


@cache
def _bytes(name: str) -> bytes:
    # The shipped files never change while the process runs; the bytes are
    # cached (not the frames, so that no caller can alter another's frame).
    return resources.files("datasets").joinpath("reference", name).read_bytes()


def _read(name: str) -> pl.DataFrame:
    """Read ``reference/<name>`` with every column as text (codes like ``11`` stay text)."""
    return pl.read_csv(_bytes(name), infer_schema=False)


def priority_areas() -> pl.DataFrame:
    """The 13 urgent priority areas of §7, in the order of the Opinions.

    Returns
    -------
    pl.DataFrame
        ``id, name_zh, name_en`` (Utf8) and ``ord`` (Int8, 1..13).

    Examples
    --------
    >>> priority_areas().head(2)["id"].to_list()
    ['CII', 'REVIEW']
    """
    return _read("priority_area.csv").with_columns(pl.col("ord").cast(pl.Int8))


def regions() -> pl.DataFrame:
    """The 34 province-level regions with their GB/T 2260 two-digit codes.

    Returns
    -------
    pl.DataFrame
        ``code`` (two-digit text), ``name_zh``, ``name_en``.

    Examples
    --------
    >>> regions().filter(pl.col("code") == "81")["name_zh"].item()
    '香港特别行政区'
    """
    return _read("region.csv")


def org_types() -> pl.DataFrame:
    """The organisation types of §8 and §13 (enterprise 企业 ... government 政府部门).

    Examples
    --------
    >>> org_types()["id"].to_list()[:2]
    ['enterprise', 'university']
    """
    return _read("org_type.csv")


def raw_standards() -> pl.DataFrame:
    """The shipped catalogue exactly as in ``standards.csv`` (all Utf8)."""
    return _read("standard.csv")


def standards(*, today: date | None = None) -> pl.DataFrame:
    """The shipped standards catalogue with the derived warehouse columns.

    Parameters
    ----------
    today
        Reference date of the status rule (see :mod:`datasets.catalogue`);
        default ``date.today()``.

    Returns
    -------
    pl.DataFrame
        ``code, title_zh, title_en, category, published (Date), effective
        (Date), status, replaces, priority_area, code_year (Int16), source``.

    Examples
    --------
    >>> row = standards().filter(pl.col("code") == "GB/T 22239-2019")
    >>> row.select("category", "status", "code_year").row(0)
    ('GB/T', 'current', 2019)
    """
    return complete_catalogue(raw_standards(), today=today)
