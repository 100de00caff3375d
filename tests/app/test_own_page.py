"""My sites (我的试点) with AppTest: own feedback against the nation, checked by independent SQL;
no other site visible anywhere on the page, whatever the URL asks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import catalogue
from etl.warehouse import connect
from metrics.own_sites import MIN_OTHER_SITES
from tests.app.page_text import page_texts
from tests.app.signing import APP, sign_in

ZH = catalogue("zh")
SITE_ID = re.compile(r"S\d{5}")

# The benchmark as an independent query: national mean over every counted row of the
# standard; the share of the other sites whose mean is below the site's; how
# many other sites report.
BENCHMARK = """
with approved as (
    -- only approved submissions count (the default of the approval workflow)
    select f.* from feedback f join submission s using (site_id, period)
    where s.status = 'approved'
),
per_site as (
    select site_id, standard_code, avg(satisfaction) as mean from approved group by all
),
own as (select standard_code, mean from per_site where site_id = $site)
select o.standard_code,
       (select avg(satisfaction) from approved f where f.standard_code = o.standard_code),
       (select count(*) from per_site p where p.standard_code = o.standard_code
            and p.site_id <> $site),
       100.0 * (select count(*) from per_site p where p.standard_code = o.standard_code
            and p.site_id <> $site and p.mean < o.mean)
         / nullif((select count(*) from per_site p where p.standard_code = o.standard_code
            and p.site_id <> $site and p.mean is not null), 0)
from own o order by 1
"""


@pytest.fixture
def db(scored_demo_warehouse: Path, tmp_path: Path) -> Path:
    path = tmp_path / "own.duckdb"
    shutil.copyfile(scored_demo_warehouse, path)
    return path


def _own_page(
    monkeypatch: pytest.MonkeyPatch, db: Path, username: str, query: dict[str, str] | None = None
) -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", "zh")
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    sign_in(at, username)
    at.switch_page("views/own.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == ZH["own.title"]
    return at


def _sql(db: Path, sql: str, params: dict) -> list[tuple]:
    con = connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _feedback_table(at: AppTest):
    return next(d.value for d in at.dataframe if ZH["own.col_percentile"] in d.value.columns)


def test_the_national_mean_and_percentile_match_an_independent_query(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _own_page(monkeypatch, db, "site-s00001")
    shown = _feedback_table(at).set_index(ZH["own.col_code"])
    expected = _sql(db, BENCHMARK, {"site": "S00001"})
    assert sorted(shown.index) == [row[0] for row in expected]
    national = ZH["own.col_national"].format(measure=ZH["own.col_satisfaction"])
    for code, mean, others, percentile in expected:
        row = shown.loc[code]
        assert row[ZH["own.col_other_sites"]] == others
        if others >= MIN_OTHER_SITES:
            assert row[national] == pytest.approx(mean)
            assert row[ZH["own.col_percentile"]] == pytest.approx(percentile)
        else:  # withheld, and said so
            assert row[national] != row[national]  # NaN: no value shown
            assert row[ZH["own.col_percentile"]] != row[ZH["own.col_percentile"]]
            assert row[ZH["own.col_note"]] == ZH["own.withheld"].format(min=MIN_OTHER_SITES)
    withheld = sum(1 for row in expected if row[2] < MIN_OTHER_SITES)
    assert withheld and withheld < len(expected)  # the demo has both kinds
    message = ZH["own.suppressed"].format(n=withheld, min=MIN_OTHER_SITES)
    assert message in [i.value for i in at.info]
    assert len(at.get("plotly_chart")) == 2  # own against the nation; the scores


@pytest.mark.parametrize(
    ("username", "own", "query"),
    [
        ("site-s00001", {"S00001"}, None),
        ("site-s00001", {"S00001"}, {"site": "S00002", "site_id": "S00002", "sites": "S00002"}),
        ("site-s00003", {"S00003", "S00004"}, {"site": "S00001"}),
    ],
)
def test_no_other_site_id_or_name_appears_anywhere_on_the_page(
    monkeypatch: pytest.MonkeyPatch, db: Path, username: str, own: set[str], query
) -> None:
    at = _own_page(monkeypatch, db, username, query)
    texts = page_texts(at)
    seen = {match for text in texts for match in SITE_ID.findall(text)}
    assert seen == own  # the page shows its own sites, and only those
    others = _sql(db, "select name from pilot_site where not list_contains($own, site_id)",
                  {"own": sorted(own)})  # fmt: skip
    names = [name for (name,) in others]
    assert names
    assert not [n for n in names if any(n in text for text in texts)]
    table = _feedback_table(at)
    assert set(table[ZH["own.col_site"]]) == own
    # The run's scores are those of the standards the sites report on, nothing else.
    scores = next(d.value for d in at.dataframe if ZH["own.col_score"] in d.value.columns)
    assert set(scores[ZH["own.col_code"]]) <= set(table[ZH["own.col_code"]])


def test_a_site_without_feedback_gets_a_helpful_empty_page(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _own_page(monkeypatch, db, "site-s00001")
    at.selectbox(key="own_year").set_value("2019").run()  # before the demo's first period
    assert not at.exception
    assert ZH["own.empty"] in [i.value for i in at.info]
    assert not at.dataframe and not at.get("plotly_chart")
