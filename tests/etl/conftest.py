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


@pytest.fixture
def env(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The environment of a ``stdeval`` command: its own warehouse copy and data folder, Chinese."""
    db = copy_of(built, tmp_path / "w.duckdb")
    monkeypatch.setenv("STDEVAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", "zh")
    return {"db": db, "dir": tmp_path}
