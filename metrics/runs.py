"""Evaluation runs (SCORING.md §4): score, store the run and its results, read them back.

A run records the method, the weights, the full indicator config, Saaty's RI
table, the seed, the fingerprint of the data read, the code version, the
scope, the primary year, replicates, interval level and config version (as
columns; everything else in ``params`` JSON), who ran it and when, whether
it ranked on the shrunk estimate and the evidence thresholds; its results go
to ``score_result``, who is ranked with rank intervals and top-10
probabilities to ``score_rank`` (migration 007), and its survey reliability (Cronbach's α per
survey year, SCORING.md §3) to ``score_reliability``. Every exported score
carries its ``run_id``; :func:`read_run` gives back exactly the numbers that
were stored and :func:`read_run_reliability` the α shown beside them.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from datasets.messages import Message, NotFound, RefusedValue
from metrics.fingerprint import code_version
from metrics.ranking import RANK_SCHEMA
from metrics.request import ScoreRequest
from metrics.scores import RESULT_SCHEMA, ScoreOutcome, compute_scores
from metrics.weights import SAATY_RI

__all__ = [
    "RELIABILITY_SCHEMA",
    "list_runs",
    "read_run",
    "read_run_meta",
    "read_run_ranks",
    "read_run_reliability",
    "run_scoring",
    "store_run",
]

_RESULT_COLUMNS = ["run_id", *RESULT_SCHEMA]

#: Columns of ``score_reliability`` without ``run_id`` (migration 004).
RELIABILITY_SCHEMA: dict[str, pl.DataType] = {
    "survey_year": pl.Int32(),
    "n_respondents": pl.Int32(),
    "alpha": pl.Float64(),
    "warning": pl.Boolean(),
}
_RELIABILITY_COLUMNS = ["run_id", *RELIABILITY_SCHEMA]

_RUN_COLUMNS = (
    "run_id, method, weights, config, ri_table, seed, fingerprint, code_version, scope, params,"
    " primary_year, replicates, level, config_version, created_at, created_by,"
    " shrinkage, min_sites, min_responses, min_feedback_sites"
)
_RANK_COLUMNS = ["run_id", *RANK_SCHEMA]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _new_run_id(now: datetime) -> str:
    return f"run-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append ``frame`` to ``table`` (one of the run tables), matching columns by name."""
    if table not in ("score_result", "score_reliability", "score_rank"):
        msg = f"{table!r} is not a table of a scoring run"
        raise ValueError(msg)
    columns = ", ".join(frame.columns)
    con.register("_run_rows", frame.to_arrow())
    try:
        con.execute(f"insert into {table} ({columns}) select {columns} from _run_rows")
    finally:
        con.unregister("_run_rows")


def store_run(con: duckdb.DuckDBPyConnection, outcome: ScoreOutcome, *, created_by: str) -> str:
    """Write ``outcome`` as a new run in one transaction and return its ``run_id``.

    Parameters
    ----------
    con
        Read-write connection on a warehouse at schema version 7 or later.
    outcome
        What :func:`metrics.scores.compute_scores` returned.
    created_by
        Who ran the scoring (SCORING.md §4); must not be blank.

    Returns
    -------
    str
        The new ``run_id`` (``run-<UTC time>-<8 hex>``).

    Raises
    ------
    ValueError
        ``created_by`` is blank. Nothing is written when any insert fails.
    """
    if not created_by or not created_by.strip():
        msg = Message("必须注明评价运行人", "created_by must name who ran the scoring")
        raise RefusedValue(msg)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    run_id = _new_run_id(now)
    results = outcome.results.with_columns(pl.lit(run_id).alias("run_id")).select(_RESULT_COLUMNS)
    reliability = outcome.reliability.select(
        pl.lit(run_id).alias("run_id"),
        *[pl.col(c).cast(t) for c, t in RELIABILITY_SCHEMA.items()],
    )
    ranks = outcome.ranks.with_columns(pl.lit(run_id).alias("run_id")).select(_RANK_COLUMNS)
    cfg = outcome.config
    con.execute("begin transaction")
    try:
        con.execute(
            f"insert into score_run ({_RUN_COLUMNS})"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                outcome.primary_year,
                outcome.replicates,
                outcome.level,
                outcome.config.version,
                now,
                created_by,
                outcome.shrinkage,
                cfg.min_sites,
                cfg.min_responses,
                cfg.min_feedback_sites,
            ],
        )
        _insert_frame(con, "score_result", results)
        _insert_frame(con, "score_rank", ranks)
        _insert_frame(con, "score_reliability", reliability)
        con.execute(
            "insert into audit_log (actor, action, detail) values (?, 'score_run', ?)",
            [created_by, _json({"run_id": run_id, "method": outcome.weights.method})],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return run_id


def run_scoring(con: duckdb.DuckDBPyConnection, request: ScoreRequest, *, created_by: str) -> str:
    """Score as ``request`` says and store the run in the warehouse; return its ``run_id``.

    The request always names its scope (``Scope.everything()`` for the whole
    programme), and the caller says who runs it. Two runs on unchanged data
    with the same request have the same fingerprint and the same results.

    Raises
    ------
    ValueError
        Unknown method, inconsistent AHP judgements (CR ≥ 0.10), manual
        weights not summing to 1, too few standards for entropy weights.
    metrics.config.ConfigError
        An invalid indicator config.
    """
    return store_run(con, compute_scores(con, request), created_by=created_by)


def _require_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    found = con.execute("select count(*) from score_run where run_id = ?", [run_id]).fetchall()
    if not found[0][0]:
        msg = Message(
            f"数据仓库中没有评价运行 {run_id!r}", f"no scoring run {run_id!r} in this warehouse"
        )
        raise NotFound(msg)


def read_run(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """The stored results of a run, in the order and types they were computed.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> _ = con.execute("create table score_run (run_id varchar)")
    >>> read_run(con, "nope")
    Traceback (most recent call last):
    ...
    datasets.messages.NotFound: 数据仓库中没有评价运行 'nope' / no scoring run 'nope' in this warehouse
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


def _run_rows(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    table: str,
    schema: dict[str, pl.DataType],
    order: str,
) -> pl.DataFrame:
    """The rows of one run in a run table (names chosen in this module), typed."""
    if table not in ("score_rank", "score_reliability"):
        msg = Message(
            f"{table!r} 不是评价运行的数据表", f"{table!r} is not a table of a scoring run"
        )
        raise RefusedValue(msg)
    _require_run(con, run_id)
    frame = con.sql(
        f"select {', '.join(schema)} from {table} where run_id = $run_id order by {order}",
        params={"run_id": run_id},
    ).pl()
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def read_run_ranks(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """Who is ranked, why not, rank, 95 % rank interval and top-10 probability, as stored.

    Returns
    -------
    polars.DataFrame
        :data:`metrics.ranking.RANK_SCHEMA` columns by year and standard code;
        empty for a run stored before migration 007.

    Raises
    ------
    LookupError
        No run ``run_id`` in the warehouse.
    """
    return _run_rows(con, run_id, "score_rank", RANK_SCHEMA, "year, standard_code")


def read_run_reliability(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """Cronbach's α per survey year as stored with a run (SCORING.md §3).

    Returns
    -------
    polars.DataFrame
        ``survey_year, n_respondents, alpha, warning``, by survey year;
        ``alpha`` is null where it could not be computed, ``warning`` true
        when α < 0.7 or null. Empty for a run whose scope had no survey rows.

    Raises
    ------
    LookupError
        No run ``run_id`` in the warehouse.
    """
    return _run_rows(con, run_id, "score_reliability", RELIABILITY_SCHEMA, "survey_year")


def read_run_meta(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The record of a run, with its JSON fields parsed.

    Returns
    -------
    dict
        Every column of ``score_run`` (``weights``, ``config``, ``ri_table``,
        ``scope`` and ``params`` parsed from JSON; ``primary_year``,
        ``replicates``, ``level``, ``config_version``, ``shrinkage``,
        ``min_sites``, ``min_responses``, ``min_feedback_sites`` as stored,
        null for runs stored before they existed) and
        ``reliability``: the rows of :func:`read_run_reliability` as dicts.

    Raises
    ------
    LookupError
        No run ``run_id`` in the warehouse.
    """
    _require_run(con, run_id)
    # every column there is: a warehouse not yet at version 7 lacks the newest
    frame = con.sql(
        "select * from score_run where run_id = $run_id", params={"run_id": run_id}
    ).pl()
    meta = {column: None for column in _RUN_COLUMNS.replace(" ", "").split(",")}
    meta.update(frame.to_dicts()[0])
    for key in ("weights", "config", "ri_table", "scope", "params"):
        if meta[key] is not None:
            meta[key] = json.loads(meta[key])
    meta["reliability"] = read_run_reliability(con, run_id).to_dicts()
    return meta


def list_runs(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every run, newest first: id, method, primary year, fingerprint, code version, who, when."""
    return con.sql(
        "select run_id, method, primary_year, fingerprint, code_version, seed, scope,"
        " created_at, created_by from score_run order by created_at desc, run_id desc"
    ).pl()
