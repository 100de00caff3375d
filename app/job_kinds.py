"""Job kinds whose code lives above etl: registered in every process that may be the writer.

The queue (:mod:`etl.jobs`) knows how to run a file; a scoring run needs
``metrics``, which ``etl`` may not import, so the app layer registers it.
Both the command line and the dashboard call :func:`register_app_kinds`
before they queue or drain anything, so whichever process is the writer
can run a job queued by the other. The exports and backups to come add
their kinds here.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from datasets.messages import BilingualError, Message
from etl.inbox import InboxEntry
from etl.jobs import JobKind, register_kind
from etl.result import Progress
from etl.warehouse import load_reference_data
from metrics.config import ConfigError
from metrics.request import ScoreRequest
from metrics.runs import store_run
from metrics.scope import Scope
from metrics.scores import ScoreOutcome, compute_scores
from metrics.topsis_view import topsis_ranking

SCORE = "score"
INIT = "init"


def score_summary(outcome: ScoreOutcome, run_id: str) -> dict[str, Any]:
    """The stored run in one JSON-ready dict (``stdeval score --json``)."""
    counts = outcome.summary()
    return {
        "run_id": run_id,
        "fingerprint": outcome.fingerprint,
        "method": outcome.weights.method,
        "weights": outcome.weights.weights,
        **counts,
        "shrinkage": outcome.shrinkage,
        "year": outcome.primary_year,
        "seed": outcome.seed,
        "replicates": outcome.replicates,
        "level": outcome.level,
        "config_version": outcome.config.version,
        "cr": outcome.weights.details.get("cr"),
        "reliability": outcome.reliability.to_dicts(),
    }


def ranked_rows(outcome: ScoreOutcome) -> pl.DataFrame:
    """The primary year's standards with a composite: ranked first, then those listed apart.

    One row per standard: the composite ``value`` with its interval, grade
    and evidence, joined to its rank, 95 % rank interval, ``p_top10``,
    ``ranked`` and ``exclusion_reason`` (SCORING.md §3).
    """
    scores = outcome.results.filter(
        (pl.col("year") == outcome.primary_year)
        & (pl.col("level") == "composite")
        & (pl.col("item") == "score")
        & pl.col("value").is_not_null()
    )
    return scores.join(
        outcome.ranks.filter(pl.col("year") == outcome.primary_year).drop("year"),
        on="standard_code",
        how="left",
    ).sort(["ranked", "rank", "value"], descending=[True, False, True], nulls_last=True)


def _refusal(exc: Exception) -> dict[str, Any]:
    message = exc.message if isinstance(exc, BilingualError) else Message(str(exc), str(exc))
    return {"status": "refused", "rule": "score_config", "reason": message.to_json()}


def run_score(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    _landing: Path | None,
) -> dict[str, Any]:
    """Score every standard with ``entry.params``, store the run; return summary and rankings.

    A configuration the scoring refuses (weights, shares, config file) is
    answered ``refused`` with its bilingual reason, not retried.
    """
    p = entry.params
    if progress:
        progress("score", 0, 1)
    try:
        request = ScoreRequest(
            scope=Scope(year=p.get("year")),
            method=p.get("method", "ahp"),
            weights=p.get("weights"),
            config=p.get("config"),
            seed=p.get("seed"),
            replicates=p.get("replicates"),
            shrinkage=bool(p.get("shrinkage", True)),
            population_shares=p.get("population_shares"),
        )
        outcome = compute_scores(con, request)
        run_id = store_run(con, outcome, created_by=p.get("by") or entry.uploader)
    except (ConfigError, ValueError) as exc:
        return _refusal(exc)
    topsis = topsis_ranking(
        outcome.results, weights=outcome.weights.weights, year=outcome.primary_year
    )
    if progress:
        progress("score", 1, 1)
    return {
        "status": "done",
        "summary": score_summary(outcome, run_id),
        "ranking": ranked_rows(outcome).to_dicts(),
        "topsis": topsis.to_dicts(),
    }


def run_init(
    con: duckdb.DuckDBPyConnection,
    entry: InboxEntry,
    progress: Progress | None,
    _landing: Path | None,
) -> dict[str, Any]:
    """Bring the reference data of the held warehouse up to date (``stdeval init`` on it).

    The writer migrated the warehouse when it opened it, so this job applies
    no migration of its own.
    """
    if progress:
        progress("init", 0, 1)
    summary = load_reference_data(con, path=str(entry.params["path"]))
    if progress:
        progress("init", 1, 1)
    return {"status": "done", "summary": asdict(summary)}


def register_app_kinds() -> None:
    """Register the app layer's job kinds in this process.

    ``score``, ``export``, ``users`` (account commands), ``report`` (the
    report's page, printed by the command), ``init`` (reference data of a
    held warehouse) and ``approval`` (transitions of submissions).
    """
    from app.approval_job import APPROVAL, run_approval
    from app.auth.account_jobs import USERS, run_users
    from app.exports.export_job import EXPORT, run_export
    from app.exports.report_job import REPORT, run_report

    register_kind(JobKind(SCORE, run=run_score))
    register_kind(JobKind(EXPORT, run=run_export))
    register_kind(JobKind(USERS, run=run_users))
    register_kind(JobKind(REPORT, run=run_report))
    register_kind(JobKind(INIT, run=run_init))
    register_kind(JobKind(APPROVAL, run=run_approval))
