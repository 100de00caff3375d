"""Number formats as people in each language read them."""

from __future__ import annotations


def format_count(value: int, lang: str) -> str:
    """Format a count with thousands separators.

    >>> format_count(1234567, "en")
    '1,234,567'
    """
    return f"{value:,}"


def format_money(amount_cny: float, lang: str) -> str:
    """Format an amount in yuan: 亿元/万元 in Chinese, M/bn CNY in English.

    >>> format_money(123_456_789, "zh")
    '1.23 亿元'
    >>> format_money(56_780, "zh")
    '5.68 万元'
    >>> format_money(123_456_789, "en")
    'CNY 123.5 M'
    """
    if lang == "zh":
        if abs(amount_cny) >= 1e8:
            return f"{amount_cny / 1e8:,.2f} 亿元"
        if abs(amount_cny) >= 1e4:
            return f"{amount_cny / 1e4:,.2f} 万元"
        return f"{amount_cny:,.2f} 元"
    if abs(amount_cny) >= 1e9:
        return f"CNY {amount_cny / 1e9:,.2f} bn"
    if abs(amount_cny) >= 1e6:
        return f"CNY {amount_cny / 1e6:,.1f} M"
    return f"CNY {amount_cny:,.2f}"
