"""Shared fixtures: one small demo warehouse built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded demo warehouse (scale 0.05) with its demo accounts, built once, shared read-only."""
    from app.auth.demo_accounts import DEMO_PASSWORD, create_demo_accounts
    from etl.demo import build_demo
    from etl.warehouse import connect

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, scale=0.05, seed=7)
    con = connect(path)
    try:  # as `stdeval demo` does: one account per role, password "demo"
        create_demo_accounts(con, DEMO_PASSWORD, actor="tests")
    finally:
        con.close()
    return path


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's landing folder out of the developer's own ``var/``."""
    monkeypatch.setenv("STDEVAL_DATA_DIR", str(tmp_path_factory.mktemp("data")))
