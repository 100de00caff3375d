"""Job kinds whose code lives above etl: registered in every process that may be the writer.

The queue (:mod:`etl.jobs`) knows how to run a file; a scoring run needs
``metrics``, which ``etl`` may not import, so the app layer registers it.
Both the command line and the dashboard call :func:`register_app_kinds`
before they queue or drain anything, so whichever process is the writer
can run a job queued by the other. The exports and backups to come add
their kinds here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from etl.inbox import InboxEntry
from etl.jobs import JobKind, register_kind
from etl.result import Progress
from metrics.config import ConfigError
from metrics.runs import store_run
from metrics.scope import Scope
from metrics.scores import ScoreOutcome, compute_scores, ranking
from metrics.topsis_view import topsis_ranking

SCORE = "score"


def score_summary(outcome: ScoreOutcome, run_id: str) -> dict[str, Any]:
    """The stored run in one JSON-ready dict (``stdeval score --json``)."""
    counts = outcome.summary()
    return {
        "run_id": run_id,
        "fingerprint": outcome.fingerprint,
        "method": outcome.weights.method,
        "weights": outcome.weights.weights,
        **counts,
        "year": outcome.primary_year,
        "seed": outcome.seed,
        "replicates": outcome.replicates,
        "level": outcome.level,
        "config_version": outcome.config.version,
        "cr": outcome.weights.details.get("cr"),
        "reliability": outcome.reliability.to_dicts(),
    }


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
        outcome = compute_scores(
            con,
            scope=Scope(year=p.get("year")),
            method=p.get("method", "ahp"),
            weights=p.get("weights"),
            config=p.get("config"),
            seed=p.get("seed"),
            replicates=p.get("replicates"),
            shrinkage=bool(p.get("shrinkage")),
            population_shares=p.get("population_shares"),
        )
        run_id = store_run(con, outcome, created_by=p.get("by") or entry.uploader)
    except (ConfigError, ValueError) as exc:
        return {"status": "refused", "rule": "score_config", "reason": str(exc)}
    topsis = topsis_ranking(
        outcome.results, weights=outcome.weights.weights, year=outcome.primary_year
    )
    if progress:
        progress("score", 1, 1)
    return {
        "status": "done",
        "summary": score_summary(outcome, run_id),
        "ranking": ranking(outcome.results, year=outcome.primary_year).to_dicts(),
        "topsis": topsis.to_dicts(),
    }


def register_app_kinds() -> None:
    """Register the app layer's job kinds (``score``) in this process."""
    register_kind(JobKind(SCORE, run=run_score))
