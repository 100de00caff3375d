"""Derived fields of the standards catalogue: category, status, year and area.

The shipped catalogue (``reference/standard.csv``, a copy of the shared
``standards.csv``) and any catalogue uploaded later give code, titles,
dates, a Chinese status and the editions replaced. This module derives the
rest of the warehouse ``standard`` row.

Status rule (documented here because the source often leaves it blank):

1. 现行 -> ``current``; 即将实施 -> ``upcoming`` (as the source said).
2. 废止 -> ``superseded`` when another catalogue row replaces it, else
   ``withdrawn``.
3. Blank -> ``upcoming`` if the effective date is after ``today``; else
   ``superseded`` if another row that is already in force replaces it;
   else ``current``.

"Another row replaces it" means that row lists the code in ``replaces``, or
is a later edition with the same prefix and number (``GB/T 19713-2025``
replaces ``GB/T 19713-2005`` even where the source did not say so). For
rule 3 the replacing edition must be in force (its effective date is
unknown or not after ``today``): an old edition stays current until the
new one takes effect.

``code_year`` is the year in the code (the approval year), the year used
when a row has no dates.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from datasets.normalise.codes import code_expr, code_prefix_expr, code_year_expr
from datasets.priority_mapping import map_priority_area

#: Chinese (and already canonical) catalogue statuses -> canonical.
STATUS_WORDS: dict[str, str] = {
    "现行": "current",
    "即将实施": "upcoming",
    "废止": "withdrawn",
    "current": "current",
    "upcoming": "upcoming",
    "withdrawn": "withdrawn",
    "superseded": "superseded",
}

#: Columns of the warehouse ``standard`` table except provenance, in order.
STANDARD_COLUMNS: tuple[str, ...] = (
    "code", "title_zh", "title_en", "category", "published", "effective", "status",
    "replaces", "priority_area", "code_year", "source",
)  # fmt: skip

#: Columns of the catalogue as published (``standards.csv``); missing ones are blank.
RAW_COLUMNS: tuple[str, ...] = (
    "code", "title_zh", "title_en", "published", "effective", "status", "replaces", "source",
)  # fmt: skip

_REPLACES_SEPARATORS = r"[;；,，、]"


def fill_code_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill a blank ``category`` and ``code_year`` from the canonical ``code``.

    A column the frame lacks is added. This is the one place the catalogue's
    code-derived fields are computed: the shipped catalogue and every
    catalogue upload (``SourceSpec.complete`` of ``standard``) use it.

    Examples
    --------
    >>> f = pl.DataFrame({"code": ["GB/T 22239-2019", "YD/T 2699-2014"], "category": [None, "行业"]})
    >>> fill_code_fields(f).rows()
    [('GB/T 22239-2019', 'GB/T', 2019), ('YD/T 2699-2014', '行业', 2014)]
    """
    absent = [
        pl.lit(None, dtype).alias(name)
        for name, dtype in (("category", pl.Utf8), ("code_year", pl.Int16))
        if name not in frame.columns
    ]
    return frame.with_columns(absent).with_columns(
        pl.coalesce(pl.col("category"), code_prefix_expr(pl.col("code"))).alias("category"),
        pl.coalesce(pl.col("code_year"), code_year_expr(pl.col("code"))).alias("code_year"),
    )


def _normalise_replaces(frame: pl.DataFrame) -> pl.DataFrame:
    """Normalise each code of ``replaces`` and join them with ``'; '``."""
    exploded = (
        frame.select(
            pl.col("code"),
            pl.col("replaces").str.replace_all(_REPLACES_SEPARATORS, ";").str.split(";"),
        )
        .explode("replaces")
        .with_columns(pl.col("replaces").str.strip_chars())
        .filter(pl.col("replaces").str.len_chars() > 0)
        .with_columns(pl.coalesce(code_expr(pl.col("replaces")), pl.col("replaces")).alias("old"))
    )
    return exploded.select("code", "old")


def _replaced(pairs: pl.DataFrame, frame: pl.DataFrame, today: date) -> pl.DataFrame:
    """Return code -> (replaced by any row, replaced by a row in force)."""
    base = frame.select(
        "code",
        pl.col("code").str.replace(r"-\d{4}$", "").alias("edition_of"),
        code_year_expr(pl.col("code")).alias("year"),
        "effective",
        "status_given",
    )
    implicit = (
        base.join(base, on="edition_of", suffix="_new")
        .filter(pl.col("year_new") > pl.col("year"))
        .select(pl.col("code_new").alias("code"), pl.col("code").alias("old"))
    )
    links = pl.concat([pairs, implicit]).unique()
    in_force = (pl.col("effective").is_null() | (pl.col("effective") <= pl.lit(today))) & (
        pl.col("status_given").fill_null("") != "upcoming"
    )
    return (
        links.join(base.select("code", "effective", "status_given"), on="code", how="inner")
        .group_by("old")
        .agg(
            pl.lit(True).alias("replaced"),
            in_force.any().alias("replaced_in_force"),
        )
        .rename({"old": "code"})
    )


def complete_catalogue(raw: pl.DataFrame, *, today: date | None = None) -> pl.DataFrame:
    """Derive the warehouse ``standard`` columns from a catalogue as published.

    Parameters
    ----------
    raw
        All-Utf8 frame with ``code, title_zh, title_en, published, effective,
        status, replaces, source`` (the shape of ``standards.csv``).
    today
        Reference date for the status rule; default ``date.today()``.

    Returns
    -------
    pl.DataFrame
        Columns :data:`STANDARD_COLUMNS`; dates as Date, ``code_year`` Int16.

    Raises
    ------
    ValueError
        If a code cannot be read or a status word is unknown.

    Examples
    --------
    >>> raw = pl.DataFrame({"code": ["GB/T 1-2010", "GB/T 1-2020"], "title_zh": [None, None],
    ...     "title_en": [None, None], "published": [None, None], "effective": [None, "2020-05-01"],
    ...     "status": [None, None], "replaces": [None, None], "source": ["s", "s"]})
    >>> complete_catalogue(raw, today=date(2024, 1, 1))["status"].to_list()
    ['superseded', 'current']
    """
    today = today or date.today()
    raw = raw.select(
        (pl.col(c) if c in raw.columns else pl.lit(None)).cast(pl.Utf8).alias(c)
        for c in RAW_COLUMNS
    )
    frame = raw.with_columns(
        code_expr(pl.col("code")).alias("code"),
        pl.col("code").alias("code_given"),
        pl.col("published").str.strip_chars().str.to_date("%Y-%m-%d", strict=False),
        pl.col("effective").str.strip_chars().str.to_date("%Y-%m-%d", strict=False),
        pl.col("status")
        .str.strip_chars()
        .replace_strict(STATUS_WORDS, default=None)
        .alias("status_given"),
    )
    bad_codes = frame.filter(pl.col("code").is_null())["code_given"].to_list()
    if bad_codes:
        msg = f"catalogue codes that cannot be read: {bad_codes}; write them like GB/T 22239-2019"
        raise ValueError(msg)
    unknown_status = raw.filter(
        pl.col("status").str.strip_chars().fill_null("").str.len_chars().gt(0)
        & frame["status_given"].is_null()
    )["status"].to_list()
    if unknown_status:
        msg = f"unknown catalogue status {sorted(set(unknown_status))}; use 现行, 即将实施 or 废止"
        raise ValueError(msg)

    pairs = _normalise_replaces(frame)
    replaced = _replaced(pairs, frame, today)
    replaces_text = pairs.group_by("code", maintain_order=True).agg(
        pl.col("old").str.join("; ").alias("replaces_norm")
    )
    frame = (
        frame.join(replaced, on="code", how="left")
        .join(replaces_text, on="code", how="left")
        .with_columns(pl.col("replaced", "replaced_in_force").fill_null(False))
    )
    status = (
        pl.when(pl.col("status_given") == "withdrawn")
        .then(pl.when(pl.col("replaced")).then(pl.lit("superseded")).otherwise(pl.lit("withdrawn")))
        .when(pl.col("status_given").is_not_null())
        .then(pl.col("status_given"))
        .when(pl.col("effective") > pl.lit(today))
        .then(pl.lit("upcoming"))
        .when(pl.col("replaced_in_force"))
        .then(pl.lit("superseded"))
        .otherwise(pl.lit("current"))
    )
    areas = [
        map_priority_area(zh, en)
        for zh, en in zip(frame["title_zh"].to_list(), frame["title_en"].to_list(), strict=True)
    ]
    return fill_code_fields(
        frame.with_columns(
            status.alias("status"),
            pl.col("replaces_norm").alias("replaces"),
            pl.Series("priority_area", areas, dtype=pl.Utf8),
            *(pl.col(c).str.strip_chars().replace("", None) for c in ("title_zh", "title_en")),
        )
    ).select(STANDARD_COLUMNS)
