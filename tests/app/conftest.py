"""Fixtures of the app tests: a small real (not demo) warehouse with three pilot sites,
the demo with a stored score run, and an empty warehouse."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import connect, init_warehouse
from tests.app.signing import add_user


@pytest.fixture(scope="session")
def _real_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("real") / "real.duckdb"
    init_warehouse(path)
    con = connect(path)
    con.execute("insert into pilot_program (program_id, name) values ('P1', 'pilot')")
    for site in ("S1", "S2", "S3"):
        con.execute(
            "insert into pilot_site (site_id, program_id, name) values (?, 'P1', ?)", [site, site]
        )
    con.close()
    return path


@pytest.fixture
def real_db(_real_template: Path, tmp_path: Path) -> Path:
    """A copy of a warehouse with reference data and sites S1–S3, and no account."""
    path = tmp_path / "real.duckdb"
    path.write_bytes(_real_template.read_bytes())
    return path


@pytest.fixture
def con(real_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to :func:`real_db`."""
    connection = connect(real_db)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def scored_demo_warehouse(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small demo warehouse with one score run stored (few replicates)."""
    from metrics.request import ScoreRequest
    from metrics.runs import run_scoring
    from metrics.scope import Scope

    path = tmp_path_factory.mktemp("scored") / "scored.duckdb"
    shutil.copyfile(demo_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        run_scoring(
            con, ScoreRequest(scope=Scope.everything(), replicates=50, seed=1), created_by="tests"
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with its schema and reference tables and no rows."""
    from etl.warehouse import init_warehouse

    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    init_warehouse(path)
    add_user(path, "ministry", "ministry")  # a real warehouse has no account until one is made
    return path
