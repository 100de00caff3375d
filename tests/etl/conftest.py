"""Fixtures shared by the ingest tests: a small warehouse, built once per module, copied per test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.warehouse import connect
from tests.etl.fixtures.warehouse import build, copy_of


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue, programme P1 and sites S001..S004 (see fixtures/warehouse.py)."""
    return build(tmp_path_factory.mktemp("ingest") / "template.duckdb")


@pytest.fixture
def con(built: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection on this test's own copy of :func:`built`."""
    con = connect(copy_of(built, tmp_path / "w.duckdb"))
    yield con
    con.close()
