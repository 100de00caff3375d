"""Fixtures of the app tests: a small real (not demo) warehouse with three pilot sites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import connect, init_warehouse


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
