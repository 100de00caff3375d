"""Province-level regions: code, six-digit division code, Chinese or English name -> GB/T 2260 code.

Accepted: the two-digit code (``11``, also ``11.0`` from a number column),
a six-digit administrative division code whose first two digits are a
province (``110000``, ``110105``), the
full Chinese name (``北京市``, ``广西壮族自治区``), the short name (``北京``,
``内蒙古``, ``广西``), and English names with or without "Province",
"Municipality", "Autonomous Region" or "SAR" (``Inner Mongolia``,
``Tibet``, ``Xizang``, ``Hong Kong``, ``Macau``).
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from datasets.normalise.apply import Parsed, parse_scalar, parse_series
from datasets.normalise.width import folded_expr
from datasets.reference_data import regions

_ZH_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
_EN_SUFFIXES = (
    r"(province|municipality|autonomous region|special administrative region|sar|shi|sheng)$"
)
_EN_EXTRA = {
    "tibet": "54", "xizang": "54", "inner mongolia": "15", "nei mongol": "15", "neimenggu": "15",
    "macau": "82", "macao": "82", "hongkong": "81", "hong kong": "81", "taiwan": "71",
    "guangxi zhuang": "45", "ningxia hui": "64", "xinjiang uygur": "65", "xinjiang uyghur": "65",
}  # fmt: skip


def _fold_en(text: str) -> str:
    words = re.sub(r"[^a-z ]", " ", text.lower())
    words = " ".join(words.split())
    words = re.sub(_EN_SUFFIXES, "", words).strip()
    return words.replace(" ", "")


@cache
def region_words() -> dict[str, str]:
    """Every accepted region word (folded) -> two-digit code."""
    words: dict[str, str] = {}
    for code, name_zh, name_en in regions().iter_rows():
        words[code] = code
        words[name_zh] = code
        short = name_zh
        for suffix in _ZH_SUFFIXES:
            if short.endswith(suffix) and len(short) > len(suffix) + 1:
                short = short.removesuffix(suffix)
                break
        words[short] = code
        words[_fold_en(name_en)] = code
    for name, code in _EN_EXTRA.items():
        words[_fold_en(name)] = code
    return words


def region_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised region normaliser: two-digit code, or null when unknown."""
    words = region_words()
    text = folded_expr(expr)
    # A code column saved from a float column (pandas, SPSS) reads 11.0 or 110000.0.
    text = text.str.replace(r"^(\d{2}|\d{6})\.0+$", "$1")
    six_digit = text.str.extract(r"^(\d{2})\d{4}$", 1)
    english = (
        text.str.to_lowercase()
        .str.replace_all(r"[^a-z ]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.replace(_EN_SUFFIXES, "")
        .str.replace_all(" ", "")
    )
    known_codes = sorted(set(words.values()))
    return pl.coalesce(
        text.replace_strict(words, default=None, return_dtype=pl.Utf8),
        pl.when(six_digit.is_in(known_codes)).then(six_digit),
        pl.when(english.str.len_chars() > 0).then(
            english.replace_strict(words, default=None, return_dtype=pl.Utf8)
        ),
    )


def normalise_regions(values: pl.Series) -> Parsed:
    """Normalise a Series of regions; see :func:`region_expr`."""
    return parse_series(values, region_expr)


def normalise_region(value: str | None) -> str | None:
    """Normalise one region to its two-digit code.

    Examples
    --------
    >>> [normalise_region(v) for v in ("北京", "北京市", "11", "110000", "内蒙古", "广西壮族自治区")]
    ['11', '11', '11', '11', '15', '45']
    >>> [normalise_region(v) for v in ("Inner Mongolia", "Hong Kong SAR", "Guangdong Province", "Macau")]
    ['15', '81', '44', '82']
    >>> normalise_region("火星") is None
    True
    """
    return parse_scalar(value, region_expr)
