"""The Overview page, run with Streamlit's AppTest in both languages."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import catalogue
from tests.app.signing import APP, REAL_PASSWORD, add_user, on_sign_in_page, sign_in


def _run(
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    lang: str | None = None,
    password: str = "demo",
) -> AppTest:
    """Open the app on ``db`` and, where it asks, sign in as the ministry account."""
    monkeypatch.setenv("STDEVAL_DB", str(db))
    if lang:
        monkeypatch.setenv("STDEVAL_LANG", lang)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    if on_sign_in_page(at):
        sign_in(at, "ministry", password)
    return at


def _metric(at: AppTest, label: str) -> str:
    for metric in at.metric:
        if metric.label == label:
            return metric.value
    msg = f"no metric labelled {label!r}: {[m.label for m in at.metric]}"
    raise AssertionError(msg)


def test_overview_shows_headline_figures_in_chinese_by_default(
    monkeypatch: pytest.MonkeyPatch, demo_warehouse: Path
) -> None:
    # Same configuration as the app's cached connection (DuckDB shares one
    # instance per file within a process and refuses a different mode).
    con = duckdb.connect(str(demo_warehouse))
    # Only approved submissions count (the default of the approval workflow).
    feedback, surveys, last_sites = con.execute(
        "with approved as (select f.* from feedback f join submission s using (site_id, period)"
        "  where s.status = 'approved')"
        " select (select count(*) from approved), (select count(*) from survey),"
        " (select count(distinct site_id) from approved where left(period, 4) ="
        "  (select max(y) from (select max(left(period, 4)) as y from approved"
        "   union all select max(survey_year)::varchar from survey"
        "   union all select max(fiscal_year)::varchar from funding)))"
    ).fetchall()[0]
    con.close()
    at = _run(monkeypatch, demo_warehouse)
    zh = catalogue("zh")
    assert at.title[0].value == zh["overview.title"]
    assert _metric(at, zh["home.feedback_total"]) == f"{feedback:,}"
    assert _metric(at, zh["home.survey_total"]) == f"{surveys:,}"
    assert _metric(at, zh["home.sites_reporting"]) == f"{last_sites:,}"
    assert any(zh["common.demo_notice"] in w.value for w in at.warning)
    # feedback over time and the priority areas (no score run in this warehouse)
    assert len(at.get("plotly_chart")) == 2


def test_language_switch_shows_the_page_in_english(
    monkeypatch: pytest.MonkeyPatch, demo_warehouse: Path
) -> None:
    at = _run(monkeypatch, demo_warehouse)
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    en = catalogue("en")
    assert at.title[0].value == en["overview.title"]
    assert _metric(at, en["overview.committed"]).startswith("CNY")
    assert any(en["common.demo_notice"] in w.value for w in at.warning)


def test_stdeval_lang_makes_english_the_default(
    monkeypatch: pytest.MonkeyPatch, demo_warehouse: Path
) -> None:
    at = _run(monkeypatch, demo_warehouse, lang="en")
    assert at.title[0].value == catalogue("en")["overview.title"]


def test_a_missing_warehouse_is_explained_not_crashed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = _run(monkeypatch, tmp_path / "absent.duckdb")
    assert at.error and "stdeval demo" in at.error[0].value


def test_a_file_that_is_not_a_warehouse_is_explained_not_crashed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    csv = tmp_path / "feedback.csv"
    csv.write_text("site_id,period\nS001,2024-Q1\n", "utf-8")
    at = _run(monkeypatch, csv, lang="en")
    assert at.error and "is not a stdeval warehouse" in at.error[0].value
    assert csv.read_text("utf-8").startswith("site_id")


def test_an_empty_warehouse_shows_zeros_and_no_demo_notice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from etl.warehouse import init_warehouse

    path = tmp_path / "empty.duckdb"
    init_warehouse(path)
    add_user(path, "ministry", "ministry")
    at = _run(monkeypatch, path, password=REAL_PASSWORD)
    zh = catalogue("zh")
    assert not at.metric
    assert not any(zh["common.demo_notice"] in w.value for w in at.warning)
    assert any(zh["overview.no_feedback"] in i.value for i in at.info)


def test_a_warehouse_held_by_another_process_is_explained_with_a_retry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from etl.warehouse import init_warehouse

    path = tmp_path / "held.duckdb"
    init_warehouse(path)
    add_user(path, "ministry", "ministry")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(120)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr("app.connection.BUSY_WAIT_SECONDS", 1.0)
        at = _run(monkeypatch, path, lang="en")
        en = catalogue("en")
        assert at.warning and "in use by another process" in at.warning[0].value
        assert at.button[0].label == en["app.retry"]
    finally:
        holder.kill()
        holder.wait()
    # Once the other process lets go, a retry shows the page.
    at.button[0].click().run()
    sign_in(at, "ministry", REAL_PASSWORD)
    assert not at.exception and not at.warning
    assert at.title[0].value == catalogue("en")["overview.title"]


def test_a_zero_byte_or_damaged_warehouse_is_explained_not_crashed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "touched.duckdb"
    empty.touch()
    at = _run(monkeypatch, empty, lang="en")
    assert at.error and "stdeval demo" in at.error[0].value
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"\x00" * 8 + b"DUCK" + b"\xff" * 5000)
    at = _run(monkeypatch, damaged, lang="en")
    assert at.error and "cannot be opened" in at.error[0].value
