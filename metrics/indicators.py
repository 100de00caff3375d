"""Indicator values from the warehouse (SCORING.md §1), computed in SQL.

The scoring works on its own cursor of the caller's connection: it stores
the rows in scope and the per-site and per-respondent values as temporary
tables there (see :data:`metrics.queries.TEMP_TABLES`), so every later step
(indicator values, the fingerprint, the bootstrap) reads exactly the same
rows, and nothing is left behind on the caller's connection.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import polars as pl

from metrics.config import IndicatorConfig, load_config
from metrics.measures import MEASURES
from metrics.numbers import as_typed, is_number
from metrics.queries import TEMP_TABLES, materialise, query_frame
from metrics.scope import Scope

__all__ = [
    "ORG_TYPES",
    "ScoringData",
    "check_population_shares",
    "indicator_values",
    "scoring_cursor",
]

#: The org types of DATA_MODEL.md, the strata of post-stratification.
ORG_TYPES: tuple[str, ...] = (
    "enterprise",
    "university",
    "research_institute",
    "testing_body",
    "user",
    "government",
)


def check_population_shares(shares: Mapping[str, float] | None) -> dict[str, float] | None:
    """Validate population shares by org_type for post-stratification.

    Shares must be a mapping of known org types to numbers (not text,
    ``null`` or booleans), each ≥ 0, summing to 1 (within 1e-6).
    Respondents of an org type without a share (or with a null org_type)
    do not count in a post-stratified mean; org types without respondents
    for a standard are left out and the other shares renormalised.

    Raises
    ------
    ValueError
        Anything else; the message is in English and Chinese.

    Examples
    --------
    >>> check_population_shares({"enterprise": 0.5, "user": 0.5})
    {'enterprise': 0.5, 'user': 0.5}
    """
    if shares is None:
        return None
    if not isinstance(shares, Mapping):
        msg = (
            f"population shares must map org types to shares, e.g. enterprise=0.5,user=0.5; "
            f"got {as_typed(shares)} / 总体结构比例应为“单位类型=比例”，例如 enterprise=0.5,user=0.5"
        )
        raise ValueError(msg)
    typed = [f"{k}={as_typed(v)}" for k, v in shares.items() if not is_number(v)]
    if typed:
        msg = (
            f"population shares must be numbers, got {', '.join(typed)} / "
            f"总体结构比例必须是数字，{', '.join(typed)} 不是数字"
        )
        raise ValueError(msg)
    out = {str(k): float(v) for k, v in shares.items()}
    unknown = sorted(set(out) - set(ORG_TYPES))
    bad = [k for k, v in out.items() if not math.isfinite(v) or v < 0]
    if unknown or bad or not out or abs(math.fsum(out.values()) - 1.0) > 1e-6:
        msg = (
            f"population shares must give known org types {ORG_TYPES} shares ≥ 0 summing to 1; "
            f"got {out} / 总体结构比例必须对应已知单位类型、非负且合计为 1"
        )
        raise ValueError(msg)
    return dict(sorted(out.items()))


def _maps(config: IndicatorConfig, shares: dict[str, float] | None) -> dict[str, pl.DataFrame]:
    measures = [m for m in MEASURES.values() if m.kind == "mean"]
    return {
        "measure_map": pl.DataFrame(
            {
                "unit_column": [m.column for m in measures],
                "measure": [m.name for m in measures],
                "scale": [m.scale for m in measures],
            },
            schema={"unit_column": pl.String, "measure": pl.String, "scale": pl.Int64},
        ),
        "indicator_map": pl.DataFrame(
            {
                "indicator": [i.id for i in config.indicators for _ in i.measures],
                "measure": [m for i in config.indicators for m in i.measures],
            },
            schema={"indicator": pl.String, "measure": pl.String},
        ),
        "population_share": pl.DataFrame(
            {"org_type": list((shares or {}).keys()), "share": list((shares or {}).values())},
            schema={"org_type": pl.String, "share": pl.Float64},
        ),
    }


@contextmanager
def scoring_cursor(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    config: IndicatorConfig,
    population_shares: Mapping[str, float] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor holding the scope's rows and unit values as temporary tables.

    Parameters
    ----------
    con
        Connection on the warehouse; only read.
    scope
        The rows to read (always explicit, see :class:`metrics.scope.Scope`).
    config
        The indicator system (age thresholds are bound from it).
    population_shares
        Org-type shares for post-stratification, or ``None``.
    """
    shares = check_population_shares(population_shares)
    cur = con.cursor()
    try:
        for name, frame in _maps(config, shares).items():
            cur.register(name, frame.to_arrow())
        params = {
            **scope.to_params(),
            "with_overall": scope.year is None,
            "poststratify": shares is not None,
            "full_years": config.age_full_years,
            "zero_years": config.age_zero_years,
        }
        for table in TEMP_TABLES:
            materialise(cur, table, params)
        yield cur
    finally:
        cur.close()


@dataclass(frozen=True)
class ScoringData:
    """What the SQL gives the scoring: cells, measure and indicator values, units."""

    cells: pl.DataFrame
    measures: pl.DataFrame
    indicators: pl.DataFrame
    feedback_units: pl.DataFrame
    survey_units: pl.DataFrame
    n_standards: int


def read_scoring_data(cur: duckdb.DuckDBPyConnection) -> ScoringData:
    """Read the cells, values and units from a cursor made by :func:`scoring_cursor`."""
    count = cur.execute("select count(*) from scope_standard").fetchall()
    return ScoringData(
        cells=_table(cur, "score_cells"),
        measures=_table(cur, "score_measure_values"),
        indicators=query_frame(cur, "score_indicator_values"),
        feedback_units=_table(cur, "score_feedback_units"),
        survey_units=_table(cur, "score_survey_units"),
        n_standards=int(count[0][0]),
    )


def _table(cur: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    if name not in TEMP_TABLES:
        msg = f"{name!r} is not a scoring temporary table"
        raise ValueError(msg)
    return cur.sql(f"select * from {name}").pl()


def indicator_values(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    config: IndicatorConfig | None = None,
    population_shares: Mapping[str, float] | None = None,
) -> pl.DataFrame:
    """Indicator values per standard and year (and ``'overall'``), from SQL.

    Returns
    -------
    polars.DataFrame
        ``standard_code, year_key, indicator, value, n_measures``: one row per
        indicator that has a value; a missing indicator has no row.
    """
    cfg = load_config(config)
    with scoring_cursor(con, scope=scope, config=cfg, population_shares=population_shares) as cur:
        return query_frame(cur, "score_indicator_values")
