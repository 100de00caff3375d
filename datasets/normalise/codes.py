"""Standard codes: ``gb/t22239—2019`` -> ``GB/T 22239-2019``.

A code is a prefix (``GB`` mandatory, ``GB/T`` recommended, ``GB/Z``
guidance, an industry prefix such as ``YD/T``, or a local ``DB11/T``), a
number with optional part (``15843.1``) and the four-digit year of the
edition. Case, spacing, full-width characters and the dash before the
year (``-``, ``—``, ``–``, ``－``) are forgiven; the year is required
because a feedback row is about one edition.
"""

from __future__ import annotations

import polars as pl

from datasets.normalise.apply import Parsed, parse_scalar, parse_series
from datasets.normalise.width import folded_expr

_CODE_PATTERN = (
    r"^(?P<prefix>DB\s*\d{2}|[A-Z]{1,4})\s*(?:/\s*(?P<kind>[TZ]))?\s*"
    r"(?P<number>\d+(?:\.\d+)*)\s*-\s*(?P<year>\d{4})$"
)
#: The canonical form, for checks on typed frames.
CANONICAL_CODE_PATTERN = r"^(?:DB\d{2}|[A-Z]{1,4})(?:/[TZ])? \d+(?:\.\d+)*-\d{4}$"

#: Category of a code prefix (§6: mandatory standards only where security
#: demands it; no local standards in principle).
CATEGORY_KINDS = {"GB": "mandatory", "GB/T": "recommended", "GB/Z": "guidance"}


def code_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised standard-code normaliser: canonical code, or null if unreadable.

    Parameters
    ----------
    expr
        A Utf8 expression of codes as typed.

    Returns
    -------
    pl.Expr
        Utf8 canonical codes; null for blank or unreadable cells.
    """
    parts = folded_expr(expr).str.to_uppercase().str.extract_groups(_CODE_PATTERN)
    prefix = parts.struct.field("prefix").str.replace_all(r"\s+", "")
    kind = parts.struct.field("kind")
    head = (
        pl.when(kind.is_null()).then(prefix).otherwise(pl.concat_str([prefix, pl.lit("/"), kind]))
    )
    return pl.concat_str(
        [head, pl.lit(" "), parts.struct.field("number"), pl.lit("-"), parts.struct.field("year")]
    )


def normalise_codes(values: pl.Series) -> Parsed:
    """Normalise a Series of standard codes; see :func:`code_expr`.

    Examples
    --------
    >>> normalise_codes(pl.Series(["gb/t 22239—2019", "x", None])).values.to_list()
    ['GB/T 22239-2019', None, None]
    """
    return parse_series(values, code_expr)


def normalise_code(value: str | None) -> str | None:
    """Normalise one standard code; ``None`` when blank or unreadable.

    Examples
    --------
    >>> normalise_code("ＧＢ／Ｔ　２２２３９－２０１９")
    'GB/T 22239-2019'
    >>> normalise_code("GB/T22239-2019")
    'GB/T 22239-2019'
    >>> normalise_code("db 11 / t 1234 – 2020")
    'DB11/T 1234-2020'
    >>> normalise_code("ISO 27001") is None
    True
    """
    return parse_scalar(value, code_expr)


def code_prefix_expr(code: pl.Expr) -> pl.Expr:
    """The prefix (category) of a canonical code: ``GB``, ``GB/T``, ``YD/T``, ``DB11/T``."""
    return code.str.extract(r"^(\S+) ", 1)


def code_year_expr(code: pl.Expr) -> pl.Expr:
    """The edition year of a canonical code as Int16."""
    return code.str.extract(r"-(\d{4})$", 1).cast(pl.Int16)


def category_kind(category: str) -> str:
    """Return mandatory, recommended, guidance, local or industry for a category.

    Examples
    --------
    >>> [category_kind(c) for c in ("GB", "GB/T", "GB/Z", "YD/T", "DB31/T")]
    ['mandatory', 'recommended', 'guidance', 'industry', 'local']
    """
    if category.startswith("DB"):
        return "local"
    return CATEGORY_KINDS.get(category, "industry")


def is_local_expr(code: pl.Expr) -> pl.Expr:
    """True for a local (``DB..``) standard code (§6: flagged, not rejected)."""
    return code.str.starts_with("DB")
