"""Two stored runs side by side: which standards moved, by how much, and why.

Why is read from the run records: a different data fingerprint means the
data changed; different dimension weights mean the weights changed (the
method, the config or the thresholds may have changed too, and are named).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from metrics.runs import read_run, read_run_meta, read_run_ranks

__all__ = ["RunComparison", "compare_runs"]

_SETTINGS = ("method", "shrinkage", "min_sites", "min_responses", "min_feedback_sites", "seed")


@dataclass(frozen=True)
class RunComparison:
    """What :func:`compare_runs` found.

    Attributes
    ----------
    moves
        ``standard_code, score_a, score_b, delta, rank_a, rank_b, rank_shift``
        (``rank_shift`` = rank in A − rank in B: positive moved up), every
        standard with a composite in either run, largest absolute change first.
    year
        The year key compared.
    data_changed
        The fingerprints differ: the runs read different data.
    weights_changed
        The dimension weights differ (beyond 1e-9).
    changed_settings
        The names of the other settings that differ (method, thresholds, …).
    """

    moves: pl.DataFrame
    year: str
    data_changed: bool
    weights_changed: bool
    changed_settings: tuple[str, ...]


def _composite(cur: duckdb.DuckDBPyConnection, run_id: str, year: str, tag: str) -> pl.DataFrame:
    scores = read_run(cur, run_id).filter(
        (pl.col("year") == year) & (pl.col("level") == "composite") & (pl.col("item") == "score")
    )
    ranks = read_run_ranks(cur, run_id).filter(pl.col("year") == year)
    return scores.join(ranks, on=["standard_code", "year"], how="left").select(
        "standard_code", pl.col("value").alias(f"score_{tag}"), pl.col("rank").alias(f"rank_{tag}")
    )


def _weights_differ(a: dict[str, float], b: dict[str, float]) -> bool:
    return set(a) != set(b) or any(abs(float(a[k]) - float(b[k])) > 1e-9 for k in a)


def compare_runs(
    cur: duckdb.DuckDBPyConnection, run_a: str, run_b: str, *, year: str | None = None
) -> RunComparison:
    """Compare the composite scores and ranks of runs ``run_a`` (before) and ``run_b`` (after).

    Parameters
    ----------
    cur
        A connection or cursor on the warehouse (only read).
    run_a, run_b
        Two stored runs.
    year
        Year key to compare; default the runs' primary year when they share
        one, else ``'overall'``.

    Raises
    ------
    datasets.messages.NotFound
        Either run is not in the warehouse.
    """
    meta_a, meta_b = read_run_meta(cur, run_a), read_run_meta(cur, run_b)
    if year is None:
        same = meta_a["primary_year"] == meta_b["primary_year"]
        year = str(meta_a["primary_year"]) if same and meta_a["primary_year"] else "overall"
    moves = (
        _composite(cur, run_a, year, "a")
        .join(_composite(cur, run_b, year, "b"), on="standard_code", how="full", coalesce=True)
        .with_columns(
            (pl.col("score_b") - pl.col("score_a")).alias("delta"),
            (pl.col("rank_a") - pl.col("rank_b")).alias("rank_shift"),
        )
        .select("standard_code", "score_a", "score_b", "delta", "rank_a", "rank_b", "rank_shift")
        .sort([pl.col("delta").abs(), "standard_code"], descending=[True, False], nulls_last=True)
    )
    config_changed = meta_a["config"] != meta_b["config"]
    settings = tuple(k for k in _SETTINGS if meta_a.get(k) != meta_b.get(k))
    return RunComparison(
        moves=moves,
        year=year,
        data_changed=meta_a["fingerprint"] != meta_b["fingerprint"],
        weights_changed=_weights_differ(meta_a["weights"], meta_b["weights"]),
        changed_settings=settings + (("config",) if config_changed else ()),
    )
