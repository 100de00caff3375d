"""The Overview page's figures (metrics/overview.py) against counts made independently."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from metrics import overview


@pytest.fixture
def con(demo_warehouse: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    copy = tmp_path / "w.duckdb"
    shutil.copy(demo_warehouse, copy)
    con = duckdb.connect(str(copy))
    yield con
    con.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchall()[0][0]


def test_headline_counts_every_programme_even_one_without_sites(con) -> None:
    before = overview.headline(con, site_ids=None).programs
    assert before == _one(con, "select count(*) from pilot_program")
    con.execute("insert into pilot_program (program_id, name) values ('PP-NEW', '新试点项目')")
    assert overview.headline(con, site_ids=None).programs == before + 1


def test_a_pilot_site_sees_only_the_programme_of_its_own_site(con) -> None:
    site, program = con.execute(
        "select site_id, program_id from pilot_site order by site_id limit 1"
    ).fetchall()[0]
    figures = overview.headline(con, site_ids=[site])
    assert (figures.programs, figures.sites) == (1, 1)
    assert figures.feedback_rows == _one(
        con, f"select count(*) from feedback where site_id = '{site}'"
    )
    assert figures.committed_cny == 0 and figures.survey_rows == 0
    assert program is not None


def test_headline_money_and_awards_match_the_tables(con) -> None:
    figures = overview.headline(con, site_ids=None)
    committed = _one(con, "select sum(amount_cny) from funding where flow = 'committed'")
    assert figures.committed_cny == pytest.approx(float(committed))
    assert figures.awards == _one(
        con, "select count(*) from award_nomination where status = 'awarded'"
    )
    assert figures.standards == _one(con, "select count(*) from standard")


def test_unmapped_standards_form_one_row_without_a_name_in_any_language(con) -> None:
    frame = overview.by_priority_area(con, site_ids=None)
    unmapped = frame.filter(frame["area_id"].is_null())
    assert unmapped.height == 1
    assert unmapped["standards"][0] == _one(
        con, "select count(*) from standard where priority_area is null"
    )
    assert unmapped["name_zh"][0] is None and unmapped["name_en"][0] is None
    assert frame["standards"].sum() == _one(con, "select count(*) from standard")
    assert frame.filter(frame["area_id"].is_not_null()).height == _one(
        con, "select count(*) from priority_area"
    )
