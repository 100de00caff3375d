"""The tables of one stored scoring run, as exported: every one carries the ``run_id``.

:func:`run_results` is every stored result of the run (every level and year)
with the rank columns beside the composite rows: the one table of a CSV or
Parquet export. :func:`run_sheets` splits it by level and adds the context
a reader needs to check the numbers (weights, method and parameters, data
coverage, run metadata): the sheets of the XLSX export. No row caps.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from metrics.runs import read_run, read_run_meta, read_run_ranks

__all__ = ["RANK_COLUMNS", "SHEETS", "run_results", "run_sheets"]

#: The sheets of a run's workbook, in order.
SHEETS: tuple[str, ...] = (
    "scores",
    "indicators",
    "dimensions",
    "weights",
    "method and parameters",
    "data coverage",
    "run metadata",
)

#: The columns :func:`run_results` adds beside the composite rows.
RANK_COLUMNS: tuple[str, ...] = (
    "ranked", "exclusion_reason", "rank", "rank_low", "rank_high", "p_top10",
)  # fmt: skip

_META_KEYS = ("run_id", "fingerprint", "code_version", "created_at", "created_by", "config_version")
_PARAM_KEYS = (
    "method",
    "primary_year",
    "shrinkage",
    "seed",
    "replicates",
    "level",
    "min_sites",
    "min_responses",
    "min_feedback_sites",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _pairs(run_id: str, rows: list[tuple[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "run_id": [run_id] * len(rows),
            "key": [k for k, _ in rows],
            "value": [_text(v) for _, v in rows],
        },
        schema={"run_id": pl.String, "key": pl.String, "value": pl.String},
    )


def run_results(cur: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """Every result of the run, with rank, rank interval and P(top 10) on composite rows.

    Raises
    ------
    datasets.messages.NotFound
        No run ``run_id`` in the warehouse.
    """
    results = read_run(cur, run_id)
    ranks = read_run_ranks(cur, run_id).with_columns(
        pl.lit("composite").alias("level"), pl.lit("score").alias("item")
    )
    return results.join(
        ranks, on=["standard_code", "year", "level", "item"], how="left", maintain_order="left"
    )


def _coverage(run_id: str, composite: pl.DataFrame) -> pl.DataFrame:
    return (
        composite.group_by("year", maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("standards"),
            pl.col("value").is_not_null().sum().cast(pl.Int64).alias("scored"),
            pl.col("insufficient").fill_null(False).sum().cast(pl.Int64).alias("insufficient"),
            pl.col("partial").fill_null(False).sum().cast(pl.Int64).alias("partial"),
            pl.col("ranked").fill_null(False).sum().cast(pl.Int64).alias("ranked"),
            pl.col("n_sites").sum().cast(pl.Int64).alias("site_evidence"),
            pl.col("n_responses").sum().cast(pl.Int64).alias("survey_responses"),
        )
        .sort("year")
        .select(pl.lit(run_id).alias("run_id"), pl.all())
    )


def run_sheets(cur: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, pl.DataFrame]:
    """The sheets of :data:`SHEETS` for one run, each with a ``run_id`` column.

    Raises
    ------
    datasets.messages.NotFound
        No run ``run_id`` in the warehouse.
    """
    results = run_results(cur, run_id)
    meta = read_run_meta(cur, run_id)
    params = meta.get("params") or {}
    by_level = {
        level: results.filter(pl.col("level") == level).drop("level")
        for level in ("composite", "indicator", "dimension")
    }
    rank_columns = [c for c in results.columns if c in RANK_COLUMNS]
    weights = meta.get("weights") or {}
    details = params.get("weight_details") or {}
    return {
        "scores": by_level["composite"],
        "indicators": by_level["indicator"].drop(rank_columns),
        "dimensions": by_level["dimension"].drop(rank_columns),
        "weights": pl.DataFrame(
            {
                "run_id": [run_id] * len(weights),
                "dimension": list(weights),
                "weight": [float(w) for w in weights.values()],
            },
            schema={"run_id": pl.String, "dimension": pl.String, "weight": pl.Float64},
        ),
        "method and parameters": _pairs(
            run_id,
            [(k, meta.get(k)) for k in _PARAM_KEYS]
            + [(f"weights.{k}", v) for k, v in sorted(details.items())]
            + [("population_shares", params.get("population_shares")), ("scope", meta["scope"])],
        ),
        "data coverage": _coverage(run_id, results.filter(pl.col("level") == "composite")),
        "run metadata": _pairs(run_id, [(k, meta.get(k)) for k in _META_KEYS]),
    }
