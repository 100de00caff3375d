"""Warehouses for the dashboard's page tests: the demo with a stored score run, and an empty one."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="session")
def scored_demo_warehouse(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small demo warehouse with one score run stored (few replicates)."""
    from metrics.runs import run_scoring
    from metrics.scope import Scope

    path = tmp_path_factory.mktemp("scored") / "scored.duckdb"
    shutil.copyfile(demo_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        run_scoring(con, scope=Scope.everything(), created_by="tests", replicates=50, seed=1)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with its schema and reference tables and no rows."""
    from etl.warehouse import init_warehouse

    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    init_warehouse(path)
    return path
