"""The dashboard's one staging of rows within filters and scope (metrics/sql/in_view.sql)."""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from datasets.access import Access
from etl.stored_settings import set_counts_unapproved
from etl.warehouse import connect
from metrics.filters import Filters
from metrics.queries import sql_text

SQL = resources.files("metrics") / "sql"


@pytest.fixture(scope="module")
def cur(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> duckdb.DuckDBPyConnection:
    # A copy: this process may hold the shared demo warehouse read-write
    # already (the app's cached connection), and DuckDB refuses a second mode.
    copy = tmp_path_factory.mktemp("staging") / "demo.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    con = duckdb.connect(str(copy), read_only=True)
    yield con
    con.close()


def _staged(cur: duckdb.DuckDBPyConnection, select: str, filters: Filters, scope: Access) -> list:
    sql = f"with\n{sql_text('in_view')}\n{select}"
    params = {**filters.to_params(), **scope.to_params()}
    return cur.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).fetchall()


def test_staged_feedback_is_the_feedback_of_sites_in_scope_within_years_and_area(
    cur: duckdb.DuckDBPyConnection,
) -> None:
    site, area = cur.execute(
        "select f.site_id, s.priority_area from feedback f join standard s on s.code ="
        " f.standard_code group by all order by count(*) desc limit 1"
    ).fetchall()[0]
    other = cur.execute(
        "select site_id from pilot_site where site_id <> ? order by site_id limit 1", [site]
    ).fetchall()[0][0]
    filters = Filters(year_from=2022, year_to=2024, priority_area=area)
    scope = Access.for_sites([site, other])
    staged = _staged(
        cur,
        "select site_id, standard_code, period from feedback_in_view order by all",
        filters,
        scope,
    )
    expected = cur.execute(
        "select f.site_id, f.standard_code, f.period from feedback f"
        " join standard s on s.code = f.standard_code"
        " where f.site_id in (?, ?) and s.priority_area = ?"
        " and left(f.period, 4) between '2022' and '2024' order by all",
        [site, other, area],
    ).fetchall()
    assert staged == expected and staged


def test_a_site_scope_stages_no_survey_and_no_money(cur: duckdb.DuckDBPyConnection) -> None:
    site = cur.execute("select site_id from pilot_site order by site_id limit 1").fetchall()[0][0]
    counts = _staged(
        cur,
        "select (select count(*) from survey_in_view), (select count(*) from funding_in_view)",
        Filters(),
        Access.for_sites([site]),
    )
    everything = _staged(
        cur,
        "select (select count(*) from survey_in_view), (select count(*) from funding_in_view)",
        Filters(),
        Access.everything(),
    )
    assert counts == [(0, 0)]
    assert (
        everything
        == cur.execute(
            "select (select count(*) from survey), (select count(*) from funding)"
        ).fetchall()
    )


def test_the_dashboard_reads_the_counted_feedback_in_one_place_only() -> None:
    # The approval workflow: the dashboard reads the view of the feedback that
    # counts, in this one place; a board query reading `feedback` itself would
    # count unapproved rows.
    def reads(table: str) -> dict[str, int]:
        pattern = rf"\b(?:from|join)\s+{table}\b"
        found = {
            path.name: len(re.findall(pattern, path.read_text("utf-8")))
            for path in map(Path, map(str, SQL.iterdir()))
            if path.name.startswith("board_") or path.name == "in_view.sql"
        }
        return {name: n for name, n in found.items() if n}

    assert reads("counted_feedback") == {"in_view.sql": 1}
    assert reads("feedback") == {}


def test_the_dashboard_counts_approved_submissions_unless_the_setting_says_otherwise(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    con = connect(copy)
    try:
        total, approved = con.execute(
            "select count(*), count(*) filter (where s.status = 'approved') from feedback f"
            " left join submission s using (site_id, period)"
        ).fetchall()[0]
        assert 0 < approved < total  # the demo leaves some submissions waiting
        staged = "select count(*) from feedback_in_view"
        assert _staged(con, staged, Filters(), Access.everything()) == [(approved,)]
        set_counts_unapproved(con, True, actor="test")
        assert _staged(con, staged, Filters(), Access.everything()) == [(total,)]
    finally:
        con.close()
