"""The data version follows loads, approvals, settings and score runs; the province tile grid is complete."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from app.components.charts_board import TILES
from app.connection import data_version


def test_data_version_changes_after_a_score_run(demo_warehouse: Path, tmp_path: Path) -> None:
    from metrics.request import ScoreRequest
    from metrics.runs import run_scoring
    from metrics.scope import Scope

    path = tmp_path / "w.duckdb"
    shutil.copyfile(demo_warehouse, path)
    con = duckdb.connect(str(path))
    before = data_version(con)
    assert data_version(con) == before  # stable while nothing changes
    run_scoring(con, ScoreRequest(scope=Scope(year=2024), replicates=0), created_by="tests")
    assert data_version(con) != before
    con.close()


def test_data_version_changes_after_an_approval_and_after_the_setting_changes(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    from etl.stored_settings import set_counts_unapproved
    from etl.submissions import approve

    path = tmp_path / "w.duckdb"
    shutil.copyfile(demo_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        before = data_version(con)
        site, period = con.execute(
            "select site_id, period from submission where status = 'submitted' limit 1"
        ).fetchall()[0]
        approve(con, [(site, period)], actor="evaluator")
        approved = data_version(con)
        assert approved != before
        set_counts_unapproved(con, True, actor="admin")
        assert data_version(con) != approved
    finally:
        con.close()


def test_tile_grid_places_every_region_once(demo_warehouse: Path) -> None:
    con = duckdb.connect(str(demo_warehouse))
    codes = {r[0] for r in con.execute("select code from region").fetchall()}
    con.close()
    assert set(TILES) == codes
    assert len(set(TILES.values())) == len(TILES)


def test_the_process_wide_watcher_sees_a_new_score_run(
    demo_warehouse: Path, tmp_path: Path, monkeypatch
) -> None:
    import app.live as live
    from app.connection import cursor_on
    from metrics.request import ScoreRequest
    from metrics.runs import run_scoring
    from metrics.scope import Scope

    monkeypatch.setattr(live, "CHECK_SECONDS", 3600.0)  # only the explicit checks below
    path = tmp_path / "watched.duckdb"
    shutil.copyfile(demo_warehouse, path)
    watcher = live.ChangeWatcher(str(path))
    before = watcher.version
    assert not watcher.check()
    cur = cursor_on(str(path))
    run_scoring(cur, ScoreRequest(scope=Scope(year=2024), replicates=0), created_by="tests")
    cur.close()
    assert watcher.check()
    assert watcher.version != before and watcher.version.startswith(str(path))
