"""Evaluation runs (SCORING.md §4): score, store the run and its results, read them back.

A run records the method, the weights, the full indicator config, Saaty's RI
table, the seed, the fingerprint of the data read, the code version, the
scope, the other parameters, who ran it and when; its results go to
``score_result``. Every exported score carries its ``run_id``, and
:func:`read_run` gives back exactly the numbers that were stored.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from metrics.config import IndicatorConfig
from metrics.fingerprint import code_version
from metrics.scope import Scope
from metrics.scores import RESULT_SCHEMA, ScoreOutcome, compute_scores
from metrics.weights import SAATY_RI

__all__ = ["list_runs", "read_run", "read_run_meta", "run_scoring", "store_run"]

_RESULT_COLUMNS = ["run_id", *RESULT_SCHEMA]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _new_run_id(now: datetime) -> str:
    return f"run-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def store_run(con: duckdb.DuckDBPyConnection, outcome: ScoreOutcome, *, created_by: str) -> str:
    """Write ``outcome`` as a new run in one transaction and return its ``run_id``."""
    if not created_by or not created_by.strip():
        msg = "created_by must name who ran the scoring / 必须注明评价运行人"
        raise ValueError(msg)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    run_id = _new_run_id(now)
    results = outcome.results.with_columns(pl.lit(run_id).alias("run_id")).select(_RESULT_COLUMNS)
    columns = ", ".join(_RESULT_COLUMNS)
    con.execute("begin transaction")
    try:
        con.execute(
            "insert into score_run (run_id, method, weights, config, ri_table, seed, fingerprint,"
            " code_version, scope, params, created_at, created_by)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                outcome.weights.method,
                _json(outcome.weights.weights),
                outcome.config.to_json(),
                _json(list(SAATY_RI)),
                outcome.seed,
                outcome.fingerprint,
                code_version(),
                outcome.scope.to_json(),
                _json(outcome.params),
                now,
                created_by,
            ],
        )
        con.register("_score_result_rows", results.to_arrow())
        try:
            con.execute(
                f"insert into score_result ({columns}) select {columns} from _score_result_rows"
            )
        finally:
            con.unregister("_score_result_rows")
        con.execute(
            "insert into audit_log (actor, action, detail) values (?, 'score_run', ?)",
            [created_by, _json({"run_id": run_id, "method": outcome.weights.method})],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return run_id


def run_scoring(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope,
    created_by: str,
    method: str = "ahp",
    weights: Mapping[str, float] | Sequence[Sequence[float]] | None = None,
    config: IndicatorConfig | str | Mapping[str, Any] | None = None,
    seed: int | None = None,
    replicates: int | None = None,
    level: float | None = None,
    shrinkage: bool = False,
    population_shares: Mapping[str, float] | None = None,
) -> str:
    """Score ``scope`` and store the run in the warehouse; return its ``run_id``.

    The caller always passes ``scope`` explicitly (``Scope.everything()`` for
    the whole programme) and says who runs it. Other parameters are those of
    :func:`metrics.scores.compute_scores`. Two runs on unchanged data with the
    same settings have the same fingerprint and the same results.

    Raises
    ------
    ValueError
        Unknown method, inconsistent AHP judgements (CR ≥ 0.10), manual
        weights not summing to 1, too few standards for entropy weights.
    metrics.config.ConfigError
        An invalid indicator config.
    """
    outcome = compute_scores(
        con,
        scope=scope,
        method=method,
        weights=weights,
        config=config,
        seed=seed,
        replicates=replicates,
        level=level,
        shrinkage=shrinkage,
        population_shares=population_shares,
    )
    return store_run(con, outcome, created_by=created_by)


def _require_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    found = con.execute("select count(*) from score_run where run_id = ?", [run_id]).fetchall()
    if not found[0][0]:
        msg = f"no scoring run {run_id!r} in this warehouse / 数据仓库中没有评价运行 {run_id!r}"
        raise LookupError(msg)


def read_run(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """The stored results of a run, in the order and types they were computed.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> _ = con.execute("create table score_run (run_id varchar)")
    >>> read_run(con, "nope")
    Traceback (most recent call last):
    ...
    LookupError: no scoring run 'nope' in this warehouse / 数据仓库中没有评价运行 'nope'
    """
    _require_run(con, run_id)
    columns = ", ".join(_RESULT_COLUMNS)
    frame = con.sql(
        f"select {columns} from score_result where run_id = $run_id"
        " order by standard_code, year, level, item",
        params={"run_id": run_id},
    ).pl()
    return frame.select(
        pl.col("run_id").cast(pl.String), *[pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items()]
    )


def read_run_meta(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The record of a run, with its JSON fields parsed (weights, config, scope, params)."""
    _require_run(con, run_id)
    frame = con.sql(
        "select run_id, method, weights, config, ri_table, seed, fingerprint, code_version,"
        " scope, params, created_at, created_by from score_run where run_id = $run_id",
        params={"run_id": run_id},
    ).pl()
    meta = frame.to_dicts()[0]
    for key in ("weights", "config", "ri_table", "scope", "params"):
        if meta[key] is not None:
            meta[key] = json.loads(meta[key])
    return meta


def list_runs(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every run, newest first: id, method, fingerprint, code version, who and when."""
    return con.sql(
        "select run_id, method, fingerprint, code_version, seed, scope, created_at, created_by"
        " from score_run order by created_at desc, run_id desc"
    ).pl()
