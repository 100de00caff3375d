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

The checks live in two modules beside this one: :mod:`metrics.config_reading`
reads each value with its type checked, :mod:`metrics.config_sections` reads
each section into its dataclass (re-exported here).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from metrics.ahp import AhpResult
from metrics.config_reading import ConfigError, fail, number, table, text
from metrics.config_sections import (
    Dimension,
    GradeBand,
    Indicator,
    Stage,
    read_ahp,
    read_entropy_normalise,
    read_grades,
    read_stages,
    read_tree,
    storable,
)
from metrics.measures import MEASURES, Measure
from metrics.numbers import as_typed, is_number

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

#: Sites below which feedback is not ranked unshrunk, when a config omits it (SCORING.md §3).
DEFAULT_MIN_FEEDBACK_SITES = 3

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
    min_feedback_sites: int
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


def _validate(raw: Any) -> IndicatorConfig:
    if not isinstance(raw, Mapping):
        en = f"the config must be a table, got {as_typed(raw)}"
        zh = "配置必须是表"
        raise fail(en, zh)
    unknown = sorted(str(k) for k in set(raw) - _TOP_LEVEL)
    if unknown:
        en = f"unknown top-level keys {unknown}"
        zh = f"未知的配置项 {unknown}"
        raise fail(en, zh)
    schema = raw.get("schema")
    if not is_number(schema) or schema != 1:
        en = f"schema must be 1, got {as_typed(schema)}"
        zh = "schema 必须为 1"
        raise fail(en, zh)
    version = text(raw, "version")
    if not version:
        en = "version is required (change it whenever the tree changes)"
        zh = "必须填写 version"
        raise fail(en, zh)
    source = storable(raw)
    dimensions, indicators = read_tree(raw)
    matrix, ahp_result = read_ahp(raw, tuple(d.id for d in dimensions))
    normalise = read_entropy_normalise(raw)
    evidence = table(raw, "evidence")
    age = table(raw, "age")
    boot = table(raw, "bootstrap")
    min_sites = int(number(evidence, "min_sites", "evidence", integer=True))
    min_responses = int(number(evidence, "min_responses", "evidence", integer=True))
    min_feedback_sites = (
        int(number(evidence, "min_feedback_sites", "evidence", integer=True))
        if "min_feedback_sites" in evidence
        else DEFAULT_MIN_FEEDBACK_SITES
    )
    full, zero = float(number(age, "full_years", "age")), float(number(age, "zero_years", "age"))
    replicates = int(number(boot, "replicates", "bootstrap", integer=True))
    seed = int(number(boot, "seed", "bootstrap", integer=True))
    level = float(number(boot, "level", "bootstrap"))
    if (
        min_sites < 0
        or min_responses < 0
        or min_feedback_sites < 0
        or not 0 <= full < zero
        or replicates < 0
        or seed < 0
    ):
        en = "evidence thresholds, replicates and seed must be ≥ 0 and 0 ≤ age.full_years < age.zero_years"
        zh = "证据阈值、重抽样次数和随机种子不能为负，且 0 ≤ full_years < zero_years"
        raise fail(en, zh)
    if not 0 < level < 1:
        en = f"bootstrap.level must be between 0 and 1, got {level}"
        zh = "置信水平必须在 0 与 1 之间"
        raise fail(en, zh)
    cycle, stages = read_stages(raw)
    return IndicatorConfig(
        version=version,
        name_zh=text(raw, "name_zh"),
        name_en=text(raw, "name_en"),
        dimensions=dimensions,
        indicators=indicators,
        ahp_matrix=matrix,
        ahp=ahp_result,
        entropy_normalise=normalise,
        grades=read_grades(raw),
        min_sites=min_sites,
        min_responses=min_responses,
        min_feedback_sites=min_feedback_sites,
        age_full_years=full,
        age_zero_years=zero,
        replicates=replicates,
        seed=seed,
        level=level,
        cycle_days=cycle,
        stages=stages,
        source=source,
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
    (('A', 'B', 'C', 'D'), 13, '2026.1')
    """
    if isinstance(source, IndicatorConfig):
        return source
    if source is None:
        shipped = resources.files("metrics") / "indicator_config" / "default.toml"
        return _validate(tomllib.loads(shipped.read_text("utf-8")))
    if isinstance(source, Mapping):
        return _validate(source)
    path = Path(source)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        en = f"cannot read {path}: {exc}"
        zh = f"无法读取配置文件 {path}"
        raise fail(en, zh) from exc
    return _validate(raw)


def default_config() -> IndicatorConfig:
    """The shipped default indicator system (SCORING.md §1)."""
    return load_config(None)
