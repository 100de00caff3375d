"""Full-width to half-width text, and blank detection.

Chinese input methods often type full-width letters, digits and
punctuation (``ＧＢ／Ｔ　２２２３９－２０１９``). Unicode NFKC folds them to
their ASCII forms (and U+3000 and the non-breaking space U+00A0 to a
space); it is only applied to values that are codes, numbers, dates or
choices, never to free text. Invisible characters that text copied from
web pages, WeChat or Word carries along (zero-width space, BOM, word
joiner) are removed from such values wherever they sit: NFKC keeps them,
and ``GB/T\u200b22239-2019`` would otherwise be unreadable.
"""

from __future__ import annotations

import unicodedata

import polars as pl

#: Dashes users type between the number and the year of a code or in dates:
#: hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar,
#: minus sign, small and full-width hyphen-minus (the last two NFKC folds).
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_DASH_CLASS = "[" + DASHES + "]"
#: Invisible characters: BOM, zero-width space, non-joiner, joiner, word joiner.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_INVISIBLE_CLASS = "[" + INVISIBLE + "]"
_INVISIBLE_TABLE = dict.fromkeys(map(ord, INVISIBLE))
#: The full-width forms of ASCII (U+FF01–U+FF5E) and the ideographic space,
#: paired with what they stand for. Identifiers fold exactly these and
#: nothing else: NFKC would also make ``①`` a ``1`` and ``Ⅱ`` an ``II``,
#: turning distinct identifiers into one.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
ASCII_OF_FULL_WIDTH = "".join(chr(c) for c in range(0x21, 0x7F)) + " "


def half_width(value: str | None) -> str | None:
    """Fold full-width characters to half-width and strip surrounding spaces.

    Parameters
    ----------
    value
        Any text, or ``None``.

    Returns
    -------
    str or None
        The folded text (``None`` stays ``None``).

    Examples
    --------
    >>> half_width("ＧＢ／Ｔ　２２２３９－２０１９")
    'GB/T 22239-2019'
    >>> half_width("  （万元） ")
    '(万元)'
    >>> half_width("\u200bGB/T 35273-2020\u00a0")
    'GB/T 35273-2020'
    """
    if value is None:
        return None
    return unicodedata.normalize("NFKC", value.translate(_INVISIBLE_TABLE)).strip()


def half_width_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised :func:`half_width` over a Utf8 expression."""
    return expr.str.replace_all(_INVISIBLE_CLASS, "").str.normalize("NFKC").str.strip_chars()


def full_width_forms_expr(expr: pl.Expr) -> pl.Expr:
    """Fold only the full-width forms of ASCII (see :data:`FULL_WIDTH`), drop invisibles, strip.

    Examples
    --------
    >>> pl.select(full_width_forms_expr(pl.lit("　Ｓ０①\u200b"))).item()
    'S0①'
    """
    return (
        expr.str.replace_all(_INVISIBLE_CLASS, "")
        .str.replace_many(list(FULL_WIDTH), list(ASCII_OF_FULL_WIDTH))
        .str.strip_chars()
    )


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """The key under which two names are the same for a rule: widths, spaces and case folded.

    ``（北京）`` and ``(北京)``, ``国家 标准委`` and ``国家标准委`` compare equal;
    the names themselves are stored as typed.

    Examples
    --------
    >>> pl.select(name_key_expr(pl.lit("某某基金会（北京） ")) == name_key_expr(pl.lit("某某基金会(北京)"))).item()
    True
    """
    return half_width_expr(expr).str.replace_all(r"\s+", "").str.to_lowercase()


def unify_dashes_expr(expr: pl.Expr) -> pl.Expr:
    """Replace every dash variant in :data:`DASHES` by ``-``."""
    return expr.str.replace_all(_DASH_CLASS, "-")


def folded_expr(expr: pl.Expr) -> pl.Expr:
    """Half-width, dash-unified, stripped text with blank cells as null.

    This is the common first step of every non-text normaliser.
    """
    cleaned = unify_dashes_expr(half_width_expr(expr))
    return pl.when(cleaned.str.len_chars() > 0).then(cleaned).otherwise(None)


def is_blank_expr(expr: pl.Expr) -> pl.Expr:
    """True where a raw cell is null or only (full-width) whitespace."""
    return expr.is_null() | (half_width_expr(expr).str.len_chars() == 0)
