"""The indicator system as data: a versioned TOML file, validated on load.

SCORING.md §1 keeps the indicator tree in an editable, versioned config. The
shipped default is ``metrics/indicator_config/default.toml``; an evaluator
may pass another file (or the mapping stored with an earlier run). Loading
checks everything a run depends on and refuses, in English and Chinese,
an unknown indicator or measure, a dimension without indicators or without
an AHP judgement, bad weights, and thresholds that cannot work.

An indicator takes its value from *measures*, the only per-unit values the
SQL under ``metrics/sql/`` computes (:data:`metrics.measures.MEASURES`,
re-exported here); which measures feed which indicator, and which
indicators form which dimension, is the config's.
"""

from __future__ import annotations

import copy
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from metrics.ahp import AhpResult, ahp
from metrics.measures import MEASURES, Measure

__all__ = [
    "MEASURES",
    "ConfigError",
    "Dimension",
    "GradeBand",
    "Indicator",
    "IndicatorConfig",
    "Measure",
    "Stage",
    "default_config",
    "load_config",
]


class ConfigError(ValueError):
    """An indicator config that cannot be used; the message is in English and Chinese."""


_LIFECYCLE_DATES = ("approved", "draft", "consultation", "review", "approval", "published")
_ENTROPY_NORMALISE = {"none": None, "minmax": "minmax", "sum": "sum"}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
_TOP_LEVEL = {
    "schema",
    "version",
    "name_zh",
    "name_en",
    "dimensions",
    "indicators",
    "weights",
    "grades",
    "evidence",
    "age",
    "bootstrap",
    "lifecycle",
}


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


@dataclass(frozen=True)
class IndicatorConfig:
    """A validated indicator system; build it with :func:`load_config`."""

    version: str
    name_zh: str
    name_en: str
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    ahp_matrix: tuple[tuple[float, ...], ...]
    ahp: AhpResult
    entropy_normalise: str | None
    grades: tuple[GradeBand, ...]
    min_sites: int
    min_responses: int
    age_full_years: float
    age_zero_years: float
    replicates: int
    seed: int
    level: float
    cycle_days: int
    stages: tuple[Stage, ...]
    source: dict[str, Any] = field(repr=False, compare=False)

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        """Dimension ids in config order (the order of every weight vector)."""
        return tuple(d.id for d in self.dimensions)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Indicator ids, dimension by dimension."""
        return tuple(i.id for i in self.indicators)

    def to_json(self) -> str:
        """The config as canonical JSON (sorted keys), as stored with a run."""
        return json.dumps(self.source, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def grade(self, score: float | None) -> str | None:
        """The grade of a 0–100 score, or ``None`` for a missing score.

        Examples
        --------
        >>> cfg = default_config()
        >>> cfg.grade(85.0), cfg.grade(84.99), cfg.grade(59.9), cfg.grade(None)
        ('A', 'B', 'D', None)
        """
        if score is None or (isinstance(score, float) and math.isnan(score)):
            return None
        for band in self.grades:
            if score >= band.min:
                return band.grade
        return self.grades[-1].grade


def _fail(en: str, zh: str) -> ConfigError:
    return ConfigError(f"indicator config: {en} / 指标配置错误：{zh}")


def _table(raw: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        raise _fail(f"[{where}{key}] is missing or not a table", f"缺少 [{where}{key}] 表")
    return value


def _number(table: Mapping[str, Any], key: str, where: str, *, integer: bool = False) -> Any:
    value = table.get(key)
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok or not math.isfinite(float(value)):
        kind = "a whole number" if integer else "a number"
        raise _fail(f"{where}.{key} must be {kind}, got {value!r}", f"{where}.{key} 必须是数字")
    return value


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _fail(f"{where}.{key} must be text, got {value!r}", f"{where}.{key} 必须是文本")
    return value


def _dimensions(raw: Mapping[str, Any]) -> tuple[tuple[Dimension, ...], tuple[Indicator, ...]]:
    dims_raw = _table(raw, "dimensions", "")
    inds_raw = _table(raw, "indicators", "")
    if not dims_raw:
        raise _fail("no dimensions are defined", "未定义任何一级指标（维度）")
    owner: dict[str, str] = {}
    dimensions: list[Dimension] = []
    for dim_id, body in dims_raw.items():
        if not _ID.match(dim_id) or not isinstance(body, Mapping):
            raise _fail(f"bad dimension [{dim_id}]", f"维度 [{dim_id}] 定义无效")
        listed = body.get("indicators")
        if not isinstance(listed, list) or not listed:
            raise _fail(f"dimension {dim_id} has no indicators", f"维度 {dim_id} 没有二级指标")
        for ind in listed:
            if ind not in inds_raw:
                raise _fail(
                    f"dimension {dim_id} lists unknown indicator {ind!r}; define [indicators.{ind}]",
                    f"维度 {dim_id} 引用了未定义的指标 {ind!r}",
                )
            if ind in owner:
                raise _fail(
                    f"indicator {ind} is listed under both {owner[ind]} and {dim_id}",
                    f"指标 {ind} 同时属于维度 {owner[ind]} 和 {dim_id}",
                )
            owner[ind] = dim_id
        name_zh, name_en = _text(body, "name_zh", dim_id), _text(body, "name_en", dim_id)
        dimensions.append(Dimension(dim_id, name_zh, name_en, tuple(listed)))
    indicators: list[Indicator] = []
    for ind_id, body in inds_raw.items():
        if ind_id not in owner:
            raise _fail(
                f"indicator {ind_id} belongs to no dimension (missing dimension)",
                f"指标 {ind_id} 未归入任何维度",
            )
        if not _ID.match(ind_id) or not isinstance(body, Mapping):
            raise _fail(f"bad indicator [{ind_id}]", f"指标 [{ind_id}] 定义无效")
        measures = body.get("measures")
        if not isinstance(measures, list) or not measures or len(set(measures)) != len(measures):
            raise _fail(
                f"indicator {ind_id} needs a list of distinct measures",
                f"指标 {ind_id} 必须列出不重复的取值来源",
            )
        for m in measures:
            if m not in MEASURES:
                raise _fail(
                    f"indicator {ind_id} uses unknown measure {m!r}; known: {', '.join(MEASURES)}",
                    f"指标 {ind_id} 使用了未知的取值来源 {m!r}",
                )
    for dim in dimensions:
        for ind_id in dim.indicators:
            body = inds_raw[ind_id]
            indicators.append(
                Indicator(
                    ind_id,
                    dim.id,
                    _text(body, "name_zh", ind_id),
                    _text(body, "name_en", ind_id),
                    tuple(body["measures"]),
                )
            )
    return tuple(dimensions), tuple(indicators)


def _ahp(
    raw: Mapping[str, Any], dim_ids: tuple[str, ...]
) -> tuple[tuple[tuple[float, ...], ...], AhpResult]:
    table = _table(_table(raw, "weights", ""), "ahp", "weights.")
    order = table.get("order")
    if not isinstance(order, list):
        raise _fail(
            "weights.ahp.order must list the dimensions", "weights.ahp.order 必须列出各维度"
        )
    for dim in dim_ids:
        if dim not in order:
            raise _fail(
                f"dimension {dim} is missing from weights.ahp.order (missing dimension)",
                f"AHP 判断矩阵缺少维度 {dim}",
            )
    for dim in order:
        if dim not in dim_ids or order.count(dim) > 1:
            raise _fail(
                f"weights.ahp.order names unknown or repeated dimension {dim!r}",
                f"AHP 判断矩阵包含未知或重复的维度 {dim!r}",
            )
    matrix = table.get("matrix")
    try:
        rows = [[float(v) for v in row] for row in matrix]  # type: ignore[union-attr]
        if len(rows) != len(order) or any(len(r) != len(order) for r in rows):
            msg = f"it must be {len(order)} × {len(order)} like weights.ahp.order"
            raise ValueError(msg)
        # Reorder to the config's dimension order so weights line up with dimension_ids.
        pos = [order.index(d) for d in dim_ids]
        ordered = tuple(tuple(rows[i][j] for j in pos) for i in pos)
        result = ahp(ordered)
        result.require_consistent()
    except (TypeError, ValueError) as exc:
        raise _fail(f"bad weights in weights.ahp.matrix: {exc}", "AHP 判断矩阵无效") from exc
    return ordered, result


def _grades(raw: Mapping[str, Any]) -> tuple[GradeBand, ...]:
    bands_raw = raw.get("grades")
    if not isinstance(bands_raw, list) or not bands_raw:
        raise _fail("[[grades]] must list at least one band", "必须至少定义一个等级")
    bands = tuple(
        GradeBand(
            _text(b, "grade", "grades"),
            float(_number(b, "min", "grades")),
            _text(b, "name_zh", "grades"),
            _text(b, "name_en", "grades"),
        )
        for b in bands_raw
    )
    mins = [b.min for b in bands]
    letters = [b.grade for b in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise _fail(
            "grade minimums must strictly decrease, highest first", "等级下限必须从高到低严格递减"
        )
    if mins[-1] > 0 or len(set(letters)) != len(letters) or not all(letters):
        raise _fail(
            "the last grade must start at 0 and grade names must be distinct",
            "最低等级下限必须为 0，且等级名称不能重复",
        )
    return bands


def _stages(raw: Mapping[str, Any]) -> tuple[int, tuple[Stage, ...]]:
    table = _table(raw, "lifecycle", "")
    cycle = int(_number(table, "cycle_days", "lifecycle", integer=True))
    stages: list[Stage] = []
    for s in table.get("stages", []):
        start, end = _text(s, "start", "lifecycle.stages"), _text(s, "end", "lifecycle.stages")
        months = int(_number(s, "months", "lifecycle.stages", integer=True))
        if start not in _LIFECYCLE_DATES or end not in _LIFECYCLE_DATES or months <= 0:
            raise _fail(
                f"lifecycle stage {s.get('stage')!r} needs start/end among {_LIFECYCLE_DATES} "
                "and months > 0",
                f"生命周期阶段 {s.get('stage')!r} 的起止日期或期限无效",
            )
        stages.append(
            Stage(
                _text(s, "stage", "lifecycle.stages"),
                _text(s, "name_zh", "lifecycle.stages"),
                start,
                end,
                months,
            )
        )
    if cycle <= 0:
        raise _fail("lifecycle.cycle_days must be positive", "lifecycle.cycle_days 必须为正数")
    return cycle, tuple(stages)


def _validate(raw: Mapping[str, Any]) -> IndicatorConfig:
    unknown = sorted(set(raw) - _TOP_LEVEL)
    if unknown:
        raise _fail(f"unknown top-level keys {unknown}", f"未知的配置项 {unknown}")
    if raw.get("schema") != 1:
        raise _fail(f"schema must be 1, got {raw.get('schema')!r}", "schema 必须为 1")
    version = _text(raw, "version", "")
    if not version:
        raise _fail("version is required (change it whenever the tree changes)", "必须填写 version")
    dimensions, indicators = _dimensions(raw)
    matrix, ahp_result = _ahp(raw, tuple(d.id for d in dimensions))
    entropy = _table(raw["weights"], "entropy", "weights.") if "entropy" in raw["weights"] else {}
    normalise = entropy.get("normalise", "none")
    if normalise not in _ENTROPY_NORMALISE:
        raise _fail(
            f"weights.entropy.normalise must be one of {list(_ENTROPY_NORMALISE)}, got {normalise!r}",
            "熵权法标准化方式无效",
        )
    evidence = _table(raw, "evidence", "")
    age = _table(raw, "age", "")
    boot = _table(raw, "bootstrap", "")
    min_sites = int(_number(evidence, "min_sites", "evidence", integer=True))
    min_responses = int(_number(evidence, "min_responses", "evidence", integer=True))
    full, zero = float(_number(age, "full_years", "age")), float(_number(age, "zero_years", "age"))
    replicates = int(_number(boot, "replicates", "bootstrap", integer=True))
    seed = int(_number(boot, "seed", "bootstrap", integer=True))
    level = float(_number(boot, "level", "bootstrap"))
    if min_sites < 0 or min_responses < 0 or not 0 <= full < zero or replicates < 0 or seed < 0:
        raise _fail(
            "evidence thresholds, replicates and seed must be ≥ 0 and 0 ≤ age.full_years < age.zero_years",
            "证据阈值、重抽样次数和随机种子不能为负，且 0 ≤ full_years < zero_years",
        )
    if not 0 < level < 1:
        raise _fail(
            f"bootstrap.level must be between 0 and 1, got {level}", "置信水平必须在 0 与 1 之间"
        )
    cycle, stages = _stages(raw)
    return IndicatorConfig(
        version=version,
        name_zh=_text(raw, "name_zh", ""),
        name_en=_text(raw, "name_en", ""),
        dimensions=dimensions,
        indicators=indicators,
        ahp_matrix=matrix,
        ahp=ahp_result,
        entropy_normalise=_ENTROPY_NORMALISE[normalise],
        grades=_grades(raw),
        min_sites=min_sites,
        min_responses=min_responses,
        age_full_years=full,
        age_zero_years=zero,
        replicates=replicates,
        seed=seed,
        level=level,
        cycle_days=cycle,
        stages=stages,
        source=copy.deepcopy(dict(raw)),
    )


def load_config(
    source: str | Path | Mapping[str, Any] | IndicatorConfig | None = None,
) -> IndicatorConfig:
    """Load and validate an indicator config.

    Parameters
    ----------
    source
        ``None`` for the shipped default; a path to a TOML file; a mapping
        (a parsed TOML file, or ``json.loads`` of a run's stored config); or
        an :class:`IndicatorConfig`, returned as is.

    Raises
    ------
    ConfigError
        Unknown indicator or measure, missing dimension, bad weights or
        thresholds; the message says which, in English and Chinese.

    Examples
    --------
    >>> cfg = load_config()
    >>> cfg.dimension_ids, len(cfg.indicators), cfg.version
    (('A', 'B', 'C', 'D'), 13, '2025.1')
    """
    if isinstance(source, IndicatorConfig):
        return source
    if source is None:
        text = (resources.files("metrics") / "indicator_config" / "default.toml").read_text("utf-8")
        return _validate(tomllib.loads(text))
    if isinstance(source, Mapping):
        return _validate(source)
    path = Path(source)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _fail(f"cannot read {path}: {exc}", f"无法读取配置文件 {path}") from exc
    return _validate(raw)


def default_config() -> IndicatorConfig:
    """The shipped default indicator system (SCORING.md §1)."""
    return load_config(None)
