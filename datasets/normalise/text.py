"""Free text, identifiers and lists of standard codes.

Free text (problems, suggestions, names) is kept as typed: only the
surrounding whitespace is stripped and a blank cell becomes null. Text
that looks like a spreadsheet formula (``=HYPERLINK(...)``) stays plain
text; exports neutralise it when they write CSV (ARCHITECTURE.md).

Identifiers (site, programme, response, record, nomination, judge and
project ids, plan numbers) are folded to half-width: a Chinese input
method types ``Ｓ００１`` for ``S001``, and DATA_MODEL.md counts full-width
digits as digits. Nothing else changes: case, inner spaces and dashes
stay as typed, since ``s001`` or ``S-001`` may be another id.
"""

from __future__ import annotations

import polars as pl

from datasets.normalise.apply import Parsed, parse_scalar, parse_series
from datasets.normalise.codes import code_expr
from datasets.normalise.width import INVISIBLE, full_width_forms_expr

#: Separators between codes in a list cell (DATA_MODEL.md: ; ； , or 、).
CODE_SEPARATORS = r"[;；,，、]"


def text_expr(expr: pl.Expr) -> pl.Expr:
    """Strip surrounding whitespace and invisible characters (U+3000, NBSP, BOM, ZWSP); blank -> null."""
    stripped = expr.str.strip_chars(" \t\r\n\u3000\u00a0" + INVISIBLE)
    return pl.when(stripped.str.len_chars() > 0).then(stripped)


def normalise_text(value: str | None) -> str | None:
    """Normalise one free-text cell.

    Examples
    --------
    >>> normalise_text("  =HYPERLINK(\\"http://x\\")  ")
    '=HYPERLINK("http://x")'
    >>> normalise_text("\\u3000") is None
    True
    """
    return parse_scalar(value, text_expr)


#: A number as Excel shows a long one in General format (``2.02405E+11``):
#: its last digits are lost, so as an identifier it is unreadable.
SCIENTIFIC = r"^[+-]?\d+(?:\.\d+)?[Ee][+-]\d+$"


def identifier_expr(expr: pl.Expr) -> pl.Expr:
    """Fold the full-width forms in an identifier (``Ｓ００１`` -> ``S001``), strip it; blank -> null.

    An identifier in scientific notation (``2.02405E+11``, what Excel makes
    of a twelve-digit id) is unreadable (null): six respondents would
    otherwise merge into one.

    Only the full-width forms of ASCII and the ideographic space change
    (:func:`~datasets.normalise.width.full_width_forms_expr`); ``①`` or
    ``Ⅱ`` stay as typed, so distinct identifiers never merge. Invisible
    characters (BOM, zero-width space) are removed wherever they sit; case
    and inner characters are kept. Migration 006 folds stored identifiers
    the same way.
    """
    folded = full_width_forms_expr(expr)
    return pl.when((folded.str.len_chars() > 0) & ~folded.str.contains(SCIENTIFIC)).then(folded)


def normalise_identifiers(values: pl.Series) -> Parsed:
    """Normalise a Series of identifiers; see :func:`identifier_expr`."""
    return parse_series(values, identifier_expr)


def normalise_identifier(value: str | None) -> str | None:
    """Normalise one identifier.

    Examples
    --------
    >>> normalise_identifier("　Ｓ００１ ")
    'S001'
    >>> normalise_identifier("ｐ－２０２４／ａ")
    'p-2024/a'
    >>> normalise_identifier("试点\u200b单位 Ａ")
    '试点单位 A'
    >>> normalise_identifier("\u3000") is None
    True
    >>> normalise_identifier("项目①-Ⅱ")
    '项目①-Ⅱ'
    >>> normalise_identifier("2.02405E+11") is None
    True

    """
    return parse_scalar(value, identifier_expr)


def code_list_expr(expr: pl.Expr) -> pl.Expr:
    """Normalise a list of codes to ``'; '``-joined canonical codes.

    Null when the cell is blank or when any listed code is unreadable (so
    the whole cell is reported rather than a code silently dropped).
    Repeated codes are kept once, in their first position.
    """
    parts = expr.str.replace_all(CODE_SEPARATORS, ";").str.split(";")
    cleaned = parts.list.eval(
        pl.element().filter(pl.element().str.strip_chars().str.len_chars() > 0)
    )
    normalised = cleaned.list.eval(code_expr(pl.element()))
    ok = normalised.list.eval(pl.element().is_not_null()).list.all() & (normalised.list.len() > 0)
    joined = normalised.list.unique(maintain_order=True).list.join("; ")
    return pl.when(ok).then(joined)


def normalise_code_lists(values: pl.Series) -> Parsed:
    """Normalise a Series of code lists; see :func:`code_list_expr`."""
    return parse_series(values, code_list_expr)


def normalise_code_list(value: str | None) -> str | None:
    """Normalise one list of codes.

    Examples
    --------
    >>> normalise_code_list("GB/T22239-2019；gb/t 35273—2020、GB/T 22239-2019")
    'GB/T 22239-2019; GB/T 35273-2020'
    >>> normalise_code_list("GB/T 22239-2019, rubbish") is None
    True
    """
    return parse_scalar(value, code_list_expr)
