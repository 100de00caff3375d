"""Every dashboard page, run with AppTest in zh and en on the demo and an empty warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import catalogue
from app.nav import PAGES, READERS
from tests.app.signing import on_sign_in_page, password_of, sign_in

APP = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")

#: Charts and tables each page shows on the scored demo warehouse.
EXPECTED = {
    "overview": (3, 2),
    "standards": (2, 2),
    "areas": (1, 1),
    "regions": (1, 1),
    "funding": (3, 3),
    "awards": (1, 4),
    "lifecycle": (3, 3),
    "methodology": (0, 5),
}


def _page(
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    key: str,
    lang: str,
    query: dict[str, object] | None = None,
) -> AppTest:
    monkeypatch.setenv("STDEVAL_DB", str(db))
    monkeypatch.setenv("STDEVAL_LANG", lang)
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert on_sign_in_page(at), "every page needs a signed-in reader"
    sign_in(at, "ministry", password_of(db))
    if key != "overview":
        at.switch_page(f"views/{key}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    for metric in at.metric:
        if metric.label == label:
            return metric.value
    msg = f"no metric {label!r}: {[m.label for m in at.metric]}"
    raise AssertionError(msg)


def test_every_page_of_the_table_has_a_case_here() -> None:
    assert {p.key for p in PAGES if p.roles == READERS} == set(EXPECTED)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(EXPECTED))
def test_page_shows_its_charts_and_tables_on_the_demo_warehouse(
    monkeypatch: pytest.MonkeyPatch, scored_demo_warehouse: Path, key: str, lang: str
) -> None:
    at = _page(monkeypatch, scored_demo_warehouse, key, lang)
    messages = catalogue(lang)
    assert at.title[0].value == messages[f"{key}.title"]
    assert any(messages["common.demo_notice"] in w.value for w in at.warning)
    charts, tables = EXPECTED[key]
    assert len(at.get("plotly_chart")) >= charts
    assert len(at.dataframe) >= tables
    assert any(messages["filters.none"] == c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(EXPECTED))
def test_page_explains_an_empty_warehouse_instead_of_failing(
    monkeypatch: pytest.MonkeyPatch, empty_warehouse: Path, key: str, lang: str
) -> None:
    at = _page(monkeypatch, empty_warehouse, key, lang)
    messages = catalogue(lang)
    assert at.title[0].value == messages[f"{key}.title"]
    assert not any(messages["common.demo_notice"] in w.value for w in at.warning)
    helpful = {
        messages[k]
        for k in ("tables.no_run", "tables.no_rows", "overview.no_feedback", "funding.none",
                  "awards.none", "lifecycle.none")
    }  # fmt: skip
    shown = [i.value for i in at.info]
    if key not in ("areas", "regions"):  # these list every area / region, with zeros
        assert any(text in helpful for text in shown), shown


def test_a_region_in_the_url_changes_the_overview_as_independent_sql_says(
    monkeypatch: pytest.MonkeyPatch, scored_demo_warehouse: Path
) -> None:
    con = duckdb.connect(str(scored_demo_warehouse))
    rows = con.execute(
        "select count(*) filter (where p.region_code = '44'), count(*)"
        " from feedback f join pilot_site p using (site_id) where f.period like '2024-%'"
    ).fetchall()
    con.close()
    in_region, everywhere = rows[0]
    assert 0 < in_region < everywhere
    label = catalogue("en")["home.feedback_rows"]
    # A bound multiselect keeps the labels shown in the URL (Streamlit), so
    # the link also names its language.
    years = {"years": ["2023", "2024"], "lang": "English"}
    at = _page(monkeypatch, scored_demo_warehouse, "overview", "en", years)
    assert _metric(at, label) == f"{everywhere:,}"
    at = _page(
        monkeypatch, scored_demo_warehouse, "overview", "en", {**years, "region": ["Guangdong"]}
    )
    assert _metric(at, label) == f"{in_region:,}"
    caption = [c.value for c in at.caption if c.value.startswith("Filters on:")]
    assert caption and "2023–2024" in caption[0] and "Guangdong" in caption[0]


def test_a_standard_in_the_url_opens_its_detail(
    monkeypatch: pytest.MonkeyPatch, scored_demo_warehouse: Path
) -> None:
    con = duckdb.connect(str(scored_demo_warehouse))
    code = con.execute(
        "select standard_code from score_result where level = 'composite' and year = 'overall'"
        " and not insufficient order by n_responses desc limit 1"
    ).fetchall()[0][0]
    con.close()
    at = _page(monkeypatch, scored_demo_warehouse, "standards", "en", {"standard": code})
    assert at.header and at.header[0].value.startswith(code)
    en = catalogue("en")
    shown = {m.value for m in at.markdown}
    for key in ("standards.sites_heading", "standards.themes_heading"):
        assert f"**{en[key]}**" in shown
    # profile, history, ranking intervals and the funnel plot
    assert len(at.get("plotly_chart")) >= 4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_standard_titled_in_one_language_only_shows_that_title(
    monkeypatch: pytest.MonkeyPatch, scored_demo_warehouse: Path, lang: str
) -> None:
    con = duckdb.connect(str(scored_demo_warehouse))
    titles = {
        code: (zh, en)
        for code, zh, en in con.execute(
            "select code, title_zh, title_en from standard"
            " where code in (select standard_code from score_result)"
        ).fetchall()
    }
    con.close()
    own, other = (0, 1) if lang == "zh" else (1, 0)
    assert any(t[own] is None and t[other] for t in titles.values()), "no case in the demo"
    at = _page(monkeypatch, scored_demo_warehouse, "standards", lang)
    messages = catalogue(lang)
    code_col, title_col = messages["standards.col_code"], messages["standards.col_title"]
    checked = 0
    for frame in at.dataframe[:2]:  # the ranking and the standards listed apart
        shown = frame.value
        for code, title in zip(shown[code_col], shown[title_col], strict=True):
            expected = titles[code][own] or titles[code][other] or ""
            assert title == expected, code
            checked += titles[code][own] is None and expected != ""
    assert checked > 0
    apart = at.dataframe[1].value
    for column in ("col_rank", "col_rank_low", "col_rank_high", "col_p_top10"):
        assert messages[f"standards.{column}"] not in apart.columns  # they are not ranked
    assert (apart[messages["standards.col_excluded"]] != "").all()
