"""What a scoring run is asked to do: one frozen, typed request object.

:func:`metrics.scores.compute_scores` and :func:`metrics.runs.run_scoring`
both take a :class:`ScoreRequest`, so the settings of a run are written
down once, can be passed around and compared, and a new setting is added
in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from metrics.config import IndicatorConfig
from metrics.scope import Scope

__all__ = ["ScoreRequest"]


@dataclass(frozen=True)
class ScoreRequest:
    """The settings of one scoring (SCORING.md §2–§4).

    Parameters
    ----------
    scope
        Which rows to read; always explicit (``Scope.everything()`` for the
        whole programme).
    method, weights
        Weighting of the dimensions, see :func:`metrics.weighting.choose_weights`
        (``"ahp"``, ``"entropy"``, ``"equal"`` or ``"manual"``; ``weights`` a
        mapping for manual weights or a pairwise matrix for AHP).
    config
        Indicator system: ``None`` for the shipped default, a TOML path, a
        mapping or an :class:`~metrics.config.IndicatorConfig`.
    seed, replicates, level
        Bootstrap settings; ``None`` takes the config's (1,000 replicates,
        95 %). ``replicates=0`` gives no intervals and no rank uncertainty.
    shrinkage
        Rank on the shrunk (hierarchical, empirical-Bayes) estimate, the
        default of SCORING.md §3; ``False`` ranks on the raw estimate. Both
        estimates and their intervals are stored either way.
    population_shares
        Org-type population shares: post-stratify the survey answers.

    Examples
    --------
    >>> request = ScoreRequest(scope=Scope(year=2024), method="equal", replicates=0)
    >>> request.shrinkage, request.replicates
    (True, 0)
    >>> request.replace(shrinkage=False).shrinkage
    False
    """

    scope: Scope
    method: str = "ahp"
    weights: Mapping[str, float] | Sequence[Sequence[float]] | None = None
    config: IndicatorConfig | str | Path | Mapping[str, Any] | None = None
    seed: int | None = None
    replicates: int | None = None
    level: float | None = None
    shrinkage: bool = True
    population_shares: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.scope, Scope):
            msg = (
                f"a scoring request needs a Scope, got {type(self.scope).__name__}; pass "
                "Scope.everything() for the whole programme / 评价请求必须给出范围 Scope，"
                "全部数据请用 Scope.everything()"
            )
            raise TypeError(msg)

    def replace(self, **changes: Any) -> ScoreRequest:
        """A copy with some settings changed (the request itself is frozen)."""
        return replace(self, **changes)
