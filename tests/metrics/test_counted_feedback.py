"""Only approved feedback counts in a score run by default; the warehouse setting can count all."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.stored_settings import set_counts_unapproved
from etl.submissions import reopen
from metrics.request import ScoreRequest
from metrics.scope import Scope
from metrics.scores import ScoreOutcome, compute_scores
from tests.metrics.tiny_warehouse import CODES, Y, build_tiny_warehouse

# Y's only feedback is S1's report of 2024-Q2 (tiny_warehouse.FEEDBACK).
Y_SUBMISSION = ("S1", "2024-Q2")


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(build_tiny_warehouse(tmp_path / "tiny.duckdb")))
    yield connection
    connection.close()


def score(con: duckdb.DuckDBPyConnection) -> ScoreOutcome:
    request = ScoreRequest(
        scope=Scope(standard_codes=CODES), method="equal", replicates=0, shrinkage=False
    )
    return compute_scores(con, request)


def y_feedback(outcome: ScoreOutcome) -> pl.DataFrame:
    """Y's 2024 dimension A (applicability, from feedback only for Y) and its feedback sites."""
    return outcome.results.filter(
        (pl.col("standard_code") == Y)
        & (pl.col("year") == "2024")
        & (pl.col("level") == "dimension")
        & (pl.col("item") == "A")
        & pl.col("value").is_not_null()
    )


def test_an_unapproved_submission_gives_no_feedback_evidence_unless_the_setting_counts_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    approved = score(con)
    assert y_feedback(approved).height == 1  # approved: the applicability answer counts

    reopen(con, [Y_SUBMISSION], actor="evaluator", reason="site corrects its form")
    unapproved = score(con)
    assert y_feedback(unapproved).is_empty()
    y_rows = unapproved.results.filter(
        (pl.col("standard_code") == Y) & pl.col("value").is_not_null()
    )
    assert y_rows.filter(pl.col("level") == "composite").is_empty()
    assert unapproved.fingerprint != approved.fingerprint

    set_counts_unapproved(con, True, actor="admin")
    counted = score(con)
    assert y_feedback(counted)["value"].to_list() == y_feedback(approved)["value"].to_list()
    assert counted.fingerprint == approved.fingerprint  # the same rows count again
    assert counted.fingerprint != unapproved.fingerprint
