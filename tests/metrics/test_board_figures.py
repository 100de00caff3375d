"""Dashboard figures within filters and access scope, checked against independent SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from datasets.access import Access
from metrics import board, board_records, board_standard
from metrics.filters import Filters, query_in_view


@pytest.fixture(scope="module")
def cur(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(demo_warehouse))
    yield con
    con.close()


def test_filters_refuse_a_year_range_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="swap the ends"):
        Filters(year_from=2025, year_to=2023)


def test_a_read_without_an_access_scope_is_refused(cur: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(TypeError, match="Access"):
        query_in_view(cur, "board_by_region", filters=Filters(), scope=None)  # type: ignore[arg-type]


def test_region_and_year_filters_match_independent_sql(cur: duckdb.DuckDBPyConnection) -> None:
    f = Filters(year_from=2022, year_to=2023, region_codes=("44", "11"))
    frame = board.headline_by_year(cur, filters=f, scope=Access.everything())
    expected = cur.execute(
        "select cast(left(period, 4) as integer) y, count(*) from feedback f"
        " join pilot_site p using (site_id) where p.region_code in ('44', '11')"
        " and left(period, 4) in ('2022', '2023') group by y order by y"
    ).fetchall()
    assert frame.select("year", "feedback_rows").rows() == expected


def test_a_pilot_site_sees_only_its_own_feedback_and_no_programme_money(
    cur: duckdb.DuckDBPyConnection,
) -> None:
    site, rows = cur.execute(
        "select site_id, count(*) from feedback group by site_id order by 2 desc limit 1"
    ).fetchall()[0]
    mine = Access.for_sites([site])
    frame = board.headline_by_year(cur, filters=Filters(), scope=mine)
    assert int(frame["feedback_rows"].sum()) == rows
    assert frame["committed_cny"].sum() == 0 and frame["survey_rows"].sum() == 0
    assert board_records.award_rows(cur, filters=Filters(), scope=mine, run_id=None).is_empty()
    assert board_records.funding_rows(cur, filters=Filters(), scope=mine).is_empty()


def test_priority_area_money_adds_up_to_money_recorded_against_standards(
    cur: duckdb.DuckDBPyConnection,
) -> None:
    areas = board.by_priority_area(cur, filters=Filters(), scope=Access.everything())
    total = cur.execute(
        "select sum(amount_cny)::double from funding where flow = 'disbursed'"
        " and standard_code in (select code from standard)"
    ).fetchall()[0][0]
    assert areas["disbursed_cny"].sum() == pytest.approx(total or 0.0)


def test_every_region_is_listed_even_without_data(cur: duckdb.DuckDBPyConnection) -> None:
    regions = board.by_region(cur, filters=Filters(), scope=Access.everything())
    assert regions.height == cur.execute("select count(*) from region").fetchall()[0][0] == 34


def test_feedback_themes_group_texts_by_shared_segmented_words() -> None:
    rows = pl.DataFrame(
        {
            "kind": ["problem", "problem", "problem", "suggestion"],
            "text": ["测评方法可操作性不强", "条款缺乏可操作性", "实施成本较高", "细化测评方法"],
            "n": [3, 2, 1, 4],
        }
    )
    themes = board_standard.comment_themes(rows)
    problems = dict(themes.filter(pl.col("kind") == "problem").select("theme", "comments").rows())
    assert problems["可操作性"] == 5  # two different texts share the word
    assert "测评" in problems and "标准" not in problems
    suggestion = themes.filter(pl.col("kind") == "suggestion")
    assert set(suggestion["theme"]) >= {"细化", "测评"}
