"""The sections of an indicator config, each read, checked and turned into data.

:func:`metrics.config.load_config` reads a config section by section with
the functions here: the indicator tree, the AHP judgements, the entropy
normalisation, the grade bands and the lifecycle stages. Every value is read
through :mod:`metrics.config_reading`, so a misshapen one is refused with a
:class:`~metrics.config_reading.ConfigError` naming its key; the rules
between values (an indicator in two dimensions, grades out of order, CR ≥
0.10) are checked here, in English and Chinese.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from metrics.ahp import AhpResult, ahp
from metrics.config_reading import (
    fail,
    key_name,
    number,
    number_rows,
    table,
    table_list,
    text,
    text_list,
)
from metrics.measures import MEASURES
from metrics.numbers import as_typed

__all__ = [
    "Dimension",
    "GradeBand",
    "Indicator",
    "Stage",
    "read_ahp",
    "read_entropy_normalise",
    "read_grades",
    "read_stages",
    "read_tree",
    "storable",
]

_LIFECYCLE_DATES = ("approved", "draft", "consultation", "review", "approval", "published")
_ENTROPY_NORMALISE = {"none": None, "minmax": "minmax", "sum": "sum"}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


@dataclass(frozen=True)
class Dimension:
    """A first-level dimension (A 技术内容 …) and its indicators, in order."""

    id: str
    name_zh: str
    name_en: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    """A second-level indicator: the mean of its measures that are present."""

    id: str
    dimension: str
    name_zh: str
    name_en: str
    measures: tuple[str, ...]


@dataclass(frozen=True)
class GradeBand:
    """A grade reached by scores ≥ ``min`` (and below the next band up)."""

    grade: str
    min: float
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Stage:
    """A standard-making stage from one lifecycle date to the next, and its limit."""

    stage: str
    name_zh: str
    start: str
    end: str
    months: int


def read_tree(raw: Mapping[str, Any]) -> tuple[tuple[Dimension, ...], tuple[Indicator, ...]]:
    """The dimensions and their indicators, in config order (``[dimensions]``, ``[indicators]``)."""
    dims_raw = table(raw, "dimensions")
    inds_raw = table(raw, "indicators")
    if not dims_raw:
        en = "no dimensions are defined"
        zh = "未定义任何一级指标（维度）"
        raise fail(en, zh)
    owner: dict[str, str] = {}
    dimensions: list[Dimension] = []
    for dim_id, body in dims_raw.items():
        if not isinstance(dim_id, str) or not _ID.match(dim_id) or not isinstance(body, Mapping):
            en = (
                f"bad dimension [dimensions.{dim_id}]: the id must be a letter then letters, "
                f"digits or _, and the body a table, got {as_typed(body)}"
            )
            zh = f"维度 [dimensions.{dim_id}] 定义无效"
            raise fail(en, zh)
        where = key_name("dimensions", dim_id)
        listed = text_list(body, "indicators", where)
        if not listed:
            en = f"dimension {dim_id} has no indicators"
            zh = f"维度 {dim_id} 没有二级指标"
            raise fail(en, zh)
        for ind in listed:
            if ind not in inds_raw:
                en = (
                    f"dimension {dim_id} lists unknown indicator {ind!r}; define [indicators.{ind}]"
                )
                zh = f"维度 {dim_id} 引用了未定义的指标 {ind!r}"
                raise fail(en, zh)
            if ind in owner:
                en = f"indicator {ind} is listed under both {owner[ind]} and {dim_id}"
                zh = f"指标 {ind} 同时属于维度 {owner[ind]} 和 {dim_id}"
                raise fail(en, zh)
            owner[ind] = dim_id
        name_zh, name_en = text(body, "name_zh", where), text(body, "name_en", where)
        dimensions.append(Dimension(dim_id, name_zh, name_en, tuple(listed)))
    for ind_id, body in inds_raw.items():
        if ind_id not in owner:
            en = f"indicator {ind_id} belongs to no dimension (missing dimension)"
            zh = f"指标 {ind_id} 未归入任何维度"
            raise fail(en, zh)
        if not _ID.match(ind_id) or not isinstance(body, Mapping):
            en = (
                f"bad indicator [indicators.{ind_id}]: the body must be a table, "
                f"got {as_typed(body)}"
            )
            zh = f"指标 [indicators.{ind_id}] 定义无效"
            raise fail(en, zh)
        measures = text_list(body, "measures", key_name("indicators", ind_id))
        if not measures or len(set(measures)) != len(measures):
            en = f"indicator {ind_id} needs a list of distinct measures"
            zh = f"指标 {ind_id} 必须列出不重复的取值来源"
            raise fail(en, zh)
        for m in measures:
            if m not in MEASURES:
                en = f"indicator {ind_id} uses unknown measure {m!r}; known: {', '.join(MEASURES)}"
                zh = f"指标 {ind_id} 使用了未知的取值来源 {m!r}"
                raise fail(en, zh)
    indicators = [
        Indicator(
            ind_id,
            dim.id,
            text(inds_raw[ind_id], "name_zh", key_name("indicators", ind_id)),
            text(inds_raw[ind_id], "name_en", key_name("indicators", ind_id)),
            tuple(inds_raw[ind_id]["measures"]),
        )
        for dim in dimensions
        for ind_id in dim.indicators
    ]
    return tuple(dimensions), tuple(indicators)


def read_ahp(
    raw: Mapping[str, Any], dim_ids: tuple[str, ...]
) -> tuple[tuple[tuple[float, ...], ...], AhpResult]:
    """The AHP matrix of ``[weights.ahp]`` in ``dim_ids`` order, and its result (CR < 0.10)."""
    ahp_table = table(table(raw, "weights"), "ahp", "weights")
    order = text_list(ahp_table, "order", "weights.ahp")
    for dim in dim_ids:
        if dim not in order:
            en = f"dimension {dim} is missing from weights.ahp.order (missing dimension)"
            zh = f"AHP 判断矩阵缺少维度 {dim}"
            raise fail(en, zh)
    for dim in order:
        if dim not in dim_ids or order.count(dim) > 1:
            en = f"weights.ahp.order names unknown or repeated dimension {dim!r}"
            zh = f"AHP 判断矩阵包含未知或重复的维度 {dim!r}"
            raise fail(en, zh)
    rows = number_rows(ahp_table, "matrix", "weights.ahp")
    try:
        if len(rows) != len(order) or any(len(r) != len(order) for r in rows):
            msg = f"it must be {len(order)} × {len(order)} like weights.ahp.order"
            raise ValueError(msg)
        # Reorder to the config's dimension order so weights line up with dimension_ids.
        pos = [order.index(d) for d in dim_ids]
        ordered = tuple(tuple(rows[i][j] for j in pos) for i in pos)
        result = ahp(ordered)
        result.require_consistent()
    except ValueError as exc:
        en = f"bad weights in weights.ahp.matrix: {exc}"
        zh = "AHP 判断矩阵无效"
        raise fail(en, zh) from exc
    return ordered, result


def read_entropy_normalise(raw: Mapping[str, Any]) -> str | None:
    """``weights.entropy.normalise`` as :func:`metrics.weights.entropy_weights` takes it."""
    weights = table(raw, "weights")
    entropy = table(weights, "entropy", "weights") if "entropy" in weights else {}
    normalise = entropy.get("normalise", "none")
    if not isinstance(normalise, str) or normalise not in _ENTROPY_NORMALISE:
        en = (
            f"weights.entropy.normalise must be one of {list(_ENTROPY_NORMALISE)}, "
            f"got {as_typed(normalise)}"
        )
        zh = "熵权法标准化方式无效"
        raise fail(en, zh)
    return _ENTROPY_NORMALISE[normalise]


def read_grades(raw: Mapping[str, Any]) -> tuple[GradeBand, ...]:
    """The ``[[grades]]`` bands, highest first, the last starting at 0."""
    bands_raw = table_list(raw, "grades")
    if not bands_raw:
        en = "[[grades]] must list at least one band"
        zh = "必须至少定义一个等级"
        raise fail(en, zh)
    bands = tuple(
        GradeBand(
            text(b, "grade", key_name("grades", k)),
            float(number(b, "min", key_name("grades", k))),
            text(b, "name_zh", key_name("grades", k)),
            text(b, "name_en", key_name("grades", k)),
        )
        for k, b in enumerate(bands_raw)
    )
    mins = [b.min for b in bands]
    letters = [b.grade for b in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        en = "grade minimums must strictly decrease, highest first"
        zh = "等级下限必须从高到低严格递减"
        raise fail(en, zh)
    if mins[-1] > 0 or len(set(letters)) != len(letters) or not all(letters):
        en = "the last grade must start at 0 and grade names must be distinct"
        zh = "最低等级下限必须为 0，且等级名称不能重复"
        raise fail(en, zh)
    return bands


def read_stages(raw: Mapping[str, Any]) -> tuple[int, tuple[Stage, ...]]:
    """``lifecycle.cycle_days`` and the ``[[lifecycle.stages]]`` with their limits."""
    lifecycle = table(raw, "lifecycle")
    cycle = int(number(lifecycle, "cycle_days", "lifecycle", integer=True))
    if cycle <= 0:
        en = "lifecycle.cycle_days must be positive"
        zh = "lifecycle.cycle_days 必须为正数"
        raise fail(en, zh)
    stages: list[Stage] = []
    for k, s in enumerate(table_list(lifecycle, "stages", "lifecycle", required=False)):
        where = key_name("lifecycle.stages", k)
        name = text(s, "stage", where)
        start, end = text(s, "start", where), text(s, "end", where)
        months = int(number(s, "months", where, integer=True))
        if start not in _LIFECYCLE_DATES or end not in _LIFECYCLE_DATES or months <= 0:
            en = f"lifecycle stage {name!r} needs start/end among {_LIFECYCLE_DATES} and months > 0"
            zh = f"生命周期阶段 {name!r} 的起止日期或期限无效"
            raise fail(en, zh)
        stages.append(Stage(name, text(s, "name_zh", where), start, end, months))
    return cycle, tuple(stages)


def storable(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``raw``, refused when it cannot be stored as JSON with a run."""
    # The config is stored as JSON with every run (SCORING.md §4): a value JSON
    # cannot hold (a TOML date or time, even under a key nobody reads) would
    # fail only when the run is saved, so it is refused here.
    try:
        json.dumps(raw, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        en = (
            f"the config holds a key or value that cannot be stored with a run as JSON "
            f"({exc}); keys must be text, and dates or times written as text"
        )
        zh = "配置中含有无法随评价运行保存为 JSON 的键或值（如 TOML 日期时间），请改写为文本"
        raise fail(en, zh) from exc
    return copy.deepcopy(dict(raw))
