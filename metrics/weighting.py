"""Choosing the dimension weights of a run: AHP, entropy, equal or manual (SCORING.md §2).

The arithmetic is :mod:`metrics.weights`; this module decides which inputs
each method takes and records what was used, so a run can be explained.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from datasets.messages import Message, RefusedValue
from metrics.config import IndicatorConfig
from metrics.numbers import as_typed, is_number
from metrics.weights import SAATY_RI, ahp, entropy_weights, equal_weights, manual_weights

__all__ = ["METHODS", "WeightChoice", "choose_weights"]

METHODS: tuple[str, ...] = ("ahp", "entropy", "equal", "manual")


@dataclass(frozen=True)
class WeightChoice:
    """The weights of a run, by dimension id, and how they were obtained."""

    method: str
    weights: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)

    def vector(self, config: IndicatorConfig) -> list[float]:
        """The weights in ``config.dimension_ids`` order."""
        return [self.weights[d] for d in config.dimension_ids]


def _fail(en: str, zh: str) -> RefusedValue:
    return RefusedValue(Message(zh, en))


def choose_weights(
    method: str,
    *,
    config: IndicatorConfig,
    weights: Mapping[str, float] | Sequence[Sequence[float]] | None = None,
    dimension_matrix: np.ndarray | None = None,
    matrix_rows: Sequence[str] = (),
) -> WeightChoice:
    """Dimension weights for ``method``.

    Parameters
    ----------
    method
        ``"ahp"`` (default of the platform): ``weights`` is ``None`` for the
        config's pairwise matrix or a replacement matrix in
        ``config.dimension_ids`` order; CR ≥ 0.10 is refused.
        ``"entropy"``: from ``dimension_matrix`` (standards × dimensions, no
        missing values) with the config's explicit normalisation.
        ``"equal"``: 1/n each. ``"manual"``: ``weights`` maps every dimension
        id to a weight ≥ 0, summing to 1.
    config
        The indicator system.
    weights
        See ``method``.
    dimension_matrix, matrix_rows
        For ``"entropy"``: the matrix and the standard codes of its rows.

    Examples
    --------
    >>> from metrics.config import default_config
    >>> choose_weights("equal", config=default_config()).weights
    {'A': 0.25, 'B': 0.25, 'C': 0.25, 'D': 0.25}
    """
    dims = config.dimension_ids
    if method not in METHODS:
        en = f"unknown weighting method {method!r}; use one of {METHODS}"
        zh = f"未知的赋权方法 {method!r}"
        raise _fail(en, zh)
    if method == "ahp":
        matrix = config.ahp_matrix if weights is None else weights
        if isinstance(matrix, Mapping):
            en = "ahp takes a pairwise comparison matrix, not named weights"
            zh = "层次分析法需要判断矩阵"
            raise _fail(en, zh)
        result = ahp(matrix)
        if result.n != len(dims):
            en = f"the AHP matrix must be {len(dims)} × {len(dims)} (dimensions {dims})"
            zh = f"判断矩阵必须为 {len(dims)} 阶（维度 {dims}）"
            raise _fail(en, zh)
        result.require_consistent()
        return WeightChoice(
            "ahp",
            dict(zip(dims, result.weights, strict=True)),
            {
                "matrix": [list(map(float, row)) for row in matrix],
                "lambda_max": result.lambda_max,
                "ci": result.ci,
                "cr": result.cr,
                "ri": result.ri,
                "ri_table": list(SAATY_RI),
            },
        )
    if method == "manual":
        if not isinstance(weights, Mapping):
            en = f"manual weights must name every dimension {dims}, e.g. A=0.3,B=0.3,C=0.2,D=0.2"
            zh = f"手工权重必须给出每个维度 {dims} 的权重"
            raise _fail(en, zh)
        missing = [d for d in dims if d not in weights]
        unknown = [k for k in weights if k not in dims]
        if missing or unknown:
            en = f"manual weights: missing dimensions {missing}, unknown {unknown}"
            zh = f"手工权重缺少维度 {missing} 或包含未知维度 {unknown}"
            raise _fail(en, zh)
        typed = [f"{d}={as_typed(weights[d])}" for d in dims if not is_number(weights[d])]
        if typed:
            en = (
                f"manual weights must be numbers, got {', '.join(typed)}; "
                "type e.g. A=0.3,B=0.3,C=0.2,D=0.2"
            )
            zh = f"手工权重必须是数字，{', '.join(typed)} 不是数字"
            raise _fail(en, zh)
        values = manual_weights([weights[d] for d in dims])
        return WeightChoice(
            "manual", dict(zip(dims, values, strict=True)), {"typed": dict(weights)}
        )
    if weights is not None:
        en = f"method {method!r} takes no weights"
        zh = f"赋权方法 {method!r} 不接受输入权重"
        raise _fail(en, zh)
    if method == "equal":
        return WeightChoice("equal", dict(zip(dims, equal_weights(len(dims)), strict=True)), {})
    if dimension_matrix is None or len(dimension_matrix) < 2:
        en = (
            "entropy weights need at least 2 standards with sufficient evidence and every "
            "dimension scored"
        )
        zh = "熵权法至少需要 2 个证据充分且各维度均有得分的标准"
        raise _fail(en, zh)
    values = entropy_weights(dimension_matrix, normalise=config.entropy_normalise)
    return WeightChoice(
        "entropy",
        dict(zip(dims, values, strict=True)),
        {
            "normalise": config.entropy_normalise or "none",
            "n_rows": int(len(dimension_matrix)),
            "rows": list(matrix_rows),
        },
    )
