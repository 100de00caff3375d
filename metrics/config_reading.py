"""Typed reads from a parsed indicator config, each refusing a misshapen value.

A TOML file (or the JSON stored with a run) can put any type at any key:
``grades = [1]``, ``stages = 1``, ``indicators = [["D1"]]``, ``min = true``.
The section parsers of :mod:`metrics.config` read every value through the
functions here, which check the type first and raise :class:`ConfigError`
naming the key (``grades[1].min``, ``dimensions.A.indicators``) and what it
should be, in English and Chinese, instead of letting an AttributeError or
TypeError escape from deep inside the validation.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from datasets.messages import BilingualError, Message
from metrics.numbers import as_typed, is_number

__all__ = [
    "ConfigError",
    "fail",
    "key_name",
    "number",
    "number_rows",
    "table",
    "table_list",
    "text",
    "text_list",
]


class ConfigError(BilingualError, ValueError):
    """An indicator config that cannot be used; the message is in Chinese and English."""


def fail(en: str, zh: str) -> ConfigError:
    """The error for a config problem, carrying both languages until it is shown.

    Examples
    --------
    >>> err = fail("version is required", "必须填写 version")
    >>> err.text("en")
    'indicator config: version is required'
    >>> str(err)
    '指标配置错误：必须填写 version / indicator config: version is required'
    """
    return ConfigError(Message(f"指标配置错误：{zh}", f"indicator config: {en}"))


def key_name(where: str, key: str | int) -> str:
    """The dotted name of ``key`` inside ``where``; a list index in brackets.

    Examples
    --------
    >>> key_name("", "grades"), key_name("grades", 0), key_name("grades[0]", "min")
    ('grades', 'grades[0]', 'grades[0].min')
    """
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def table(raw: Mapping[str, Any], key: str, where: str = "") -> Mapping[str, Any]:
    """The table ``raw[key]``; refused when missing or not a table."""
    value = raw.get(key)
    if not isinstance(value, Mapping):
        name = key_name(where, key)
        en = f"[{name}] is missing or not a table, got {as_typed(value)}"
        zh = f"缺少 [{name}] 表，或其不是表"
        raise fail(en, zh)
    return value


def table_list(
    raw: Mapping[str, Any], key: str, where: str = "", *, required: bool = True
) -> list[Mapping[str, Any]]:
    """The array of tables ``raw[key]`` (TOML ``[[key]]``); ``[]`` when optional and absent."""
    name = key_name(where, key)
    if key not in raw and not required:
        return []
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        en = f"{name} must be a list of tables ([[{name}]] in TOML), got {as_typed(value)}"
        zh = f"{name} 必须是表的列表（TOML 中写作 [[{name}]]）"
        raise fail(en, zh)
    return value


def number(
    raw: Mapping[str, Any], key: str, where: str = "", *, integer: bool = False
) -> int | float:
    """The finite number ``raw[key]`` (a whole number when ``integer``); never a boolean."""
    value = raw.get(key)
    if isinstance(value, numbers.Integral):
        # TOML integers are 64-bit, and the seed is stored as BIGINT with a run.
        ok = is_number(value) and abs(value) < 2**63
    else:
        ok = not integer and is_number(value) and math.isfinite(value)
    if not ok:
        name = key_name(where, key)
        kind, kind_zh = ("a whole number", "整数") if integer else ("a number", "数字")
        en = f"{name} must be {kind}, got {as_typed(value)}"
        zh = f"{name} 必须是{kind_zh}"
        raise fail(en, zh)
    return value  # type: ignore[return-value]


def text(raw: Mapping[str, Any], key: str, where: str = "") -> str:
    """The text ``raw[key]``, ``""`` when absent."""
    value = raw.get(key, "")
    if not isinstance(value, str):
        name = key_name(where, key)
        en = f"{name} must be text, got {as_typed(value)}"
        zh = f"{name} 必须是文本"
        raise fail(en, zh)
    return value


def text_list(raw: Mapping[str, Any], key: str, where: str = "") -> list[str]:
    """The list of texts ``raw[key]`` (ids), possibly empty; refused when absent."""
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        name = key_name(where, key)
        en = (
            f'{name} must be a list of ids written as text, e.g. ["A1", "A2"], '
            f"got {as_typed(value)}"
        )
        zh = f'{name} 必须是文本编号的列表，例如 ["A1", "A2"]'
        raise fail(en, zh)
    return value


def number_rows(raw: Mapping[str, Any], key: str, where: str = "") -> list[list[float]]:
    """The matrix ``raw[key]``: a list of rows, each a list of numbers (not text or booleans)."""
    value = raw.get(key)
    name = key_name(where, key)
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        en = f"{name} must be a list of rows, each a list of numbers, got {as_typed(value)}"
        zh = f"{name} 必须是由数字行组成的列表"
        raise fail(en, zh)
    for i, row in enumerate(value):
        for j, cell in enumerate(row):
            if not is_number(cell):
                en = f"{name} row {i + 1}, column {j + 1} is {as_typed(cell)}, not a number"
                zh = f"{name} 第 {i + 1} 行第 {j + 1} 列 {as_typed(cell)} 不是数字"
                raise fail(en, zh)
    return [[float(cell) for cell in row] for row in value]
