"""The measures: the only per-unit values the indicator SQL computes (SCORING.md §1).

An indicator of the config takes the mean of its measures that are present;
which measures feed which indicator is the config's (:mod:`metrics.config`),
what each measure *is* is fixed here and in the SQL under ``metrics/sql/``.
:data:`MEASURES` is also the whitelist of unit columns the scoring reads.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MEASURES", "Measure"]


@dataclass(frozen=True)
class Measure:
    """One value the indicator SQL computes per site or respondent.

    Attributes
    ----------
    name
        ``source.question`` as the config names it (``"survey.q_useful"``).
    source
        ``"feedback"``, ``"survey"`` or ``"standard"``.
    column
        The unit column in ``score_feedback_units.sql`` or
        ``score_survey_units.sql`` (for the ``"ratio"`` and ``"age"`` kinds
        only a label: they are computed from other columns).
    scale
        Values there are integers and a ``"mean"`` measure is
        ``Σ value / (scale · n)``, so sums are exact whatever order they are
        added in (Likert x as x − 1 with scale 4; coverage in 1/100 % with
        scale 10,000; adoption full 2, partial 1 with scale 2).
    kind
        ``"mean"``, ``"ratio"`` (incident reduction) or ``"age"``.

    Examples
    --------
    >>> m = MEASURES["survey.adoption"]
    >>> (m.column, m.scale, m.kind)
    ('sv_adoption', 2, 'mean')
    """

    name: str
    source: str
    column: str
    scale: int
    kind: str = "mean"


def _likert(source: str, question: str, prefix: str) -> Measure:
    # Likert x is stored as x − 1, so (x − 1)/4 is the rule of SCORING.md §1.
    return Measure(f"{source}.{question}", source, f"{prefix}_{question}", 4)


_FEEDBACK_LIKERT = ("applicability", "operability", "clarity", "benefit", "satisfaction")
_SURVEY_LIKERT = ("q_useful", "q_usable", "q_current", "q_consistent", "q_testable", "q_satisfied")

#: Every measure an indicator may use (the whitelist of SQL columns).
MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        *(_likert("feedback", q, "fb") for q in _FEEDBACK_LIKERT),
        Measure("feedback.coverage", "feedback", "fb_coverage", 10_000),
        Measure("feedback.completed", "feedback", "fb_completed", 1),
        Measure("feedback.incident_reduction", "feedback", "fb_incidents", 1, "ratio"),
        *(_likert("survey", q, "sv") for q in _SURVEY_LIKERT),
        Measure("survey.aware", "survey", "sv_aware", 1),
        Measure("survey.adoption", "survey", "sv_adoption", 2),
        Measure("standard.age", "standard", "age", 1, "age"),
    )
}
