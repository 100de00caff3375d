"""The three kinds of user in one journey, in chromium, on one served demo warehouse.

A pilot site sends a messy GBK form and confirms it; the ministry's overview
does not count it yet (unapproved data does not count by default); the
evaluator approves it, runs scoring and downloads the run's XLSX; the
ministry then sees the new rows and the new run. Screenshots are kept as
artefacts (not committed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import fastexcel
import pytest
from playwright.sync_api import expect

from app.i18n import catalogue
from tests.app.portal_files import GOOD_ROWS, messy_feedback
from tests.browser.conftest import (
    SCREENSHOTS,
    ServedApp,
    download,
    metric_value,
    run_scoring,
    sign_in,
    wait_for_run,
)

pytestmark = pytest.mark.browser
ZH = catalogue("zh")


@pytest.fixture()
def new_page(browser: object) -> Iterator[Callable[[], object]]:
    """Open pages each in a context of its own (one per user); all closed after the test."""
    contexts: list[object] = []

    def open_page() -> object:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


def _feedback_total(page, app: ServedApp) -> int:
    page.goto(app.url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["overview.title"]).wait_for(timeout=60_000)
    wait_for_run(page)
    return metric_value(page, ZH["home.feedback_total"])


def _approve(page, app: ServedApp, key: str) -> None:
    """As the evaluator on Approvals: pick submission ``key`` ("SITE PERIOD") and approve it."""
    page.goto(f"{app.url}/approvals", wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["approvals.title"]).wait_for(timeout=60_000)
    page.get_by_role("combobox", name=ZH["approvals.pick"]).click()
    page.get_by_role("option", name=key, exact=True).click()
    button = page.get_by_role("button", name=ZH["approvals.do_approve"], exact=True)
    button.wait_for(timeout=60_000)
    wait_for_run(page)
    button.click()
    site, period = key.split(" ")
    done = ZH["approvals.done_approve"].format(site=site, period=period)
    page.get_by_text(done).first.wait_for(timeout=60_000)
    wait_for_run(page)


def test_a_form_sent_by_a_pilot_site_counts_once_approved_and_reaches_the_ministry(
    own_app: ServedApp, new_page, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    ministry = new_page()
    sign_in(ministry, own_app.url, "ministry")
    before = _feedback_total(ministry, own_app)

    # The pilot site: dry run, row errors, confirm, receipt.
    site = new_page()
    sign_in(site, own_app.url, "site-s00001")
    site.get_by_role("heading", name=ZH["portal.title"]).wait_for(timeout=60_000)
    upload = tmp_path / "反馈表.csv"
    upload.write_bytes(messy_feedback("S00001", "S00002"))
    site.locator("input[type=file]").set_input_files(str(upload))
    site.get_by_text(ZH["portal.dry_run_problems"].format(rejected=2, n=3)).wait_for(
        timeout=120_000
    )
    site.get_by_role("button", name=ZH["portal.confirm"]).click()
    loaded = site.get_by_text(ZH["portal.loaded"].format(n=GOOD_ROWS, rejected=2))
    loaded.first.wait_for(timeout=120_000)
    expect(loaded).to_have_count(1, timeout=120_000)  # the live rerun has redrawn the receipt
    wait_for_run(site)
    site.screenshot(path=str(SCREENSHOTS / "journey-site-receipt.png"), full_page=True)

    # Loaded but not approved: the ministry's figures do not count it yet.
    assert _feedback_total(ministry, own_app) == before

    # The evaluator approves both submissions the form made, then runs scoring.
    evaluator = new_page()
    sign_in(evaluator, own_app.url, "evaluator")
    for key in ("S00001 2026-Q1", "S00001 2026-Q3"):
        _approve(evaluator, own_app, key)
    evaluator.screenshot(path=str(SCREENSHOTS / "journey-approved.png"), full_page=True)
    run_id, _ = run_scoring(evaluator, own_app.url)
    evaluator.get_by_role("tab", name=ZH["workspace.tab_export"]).click()
    xlsx = download(evaluator, ZH["workspace.download_xlsx"], tmp_path)
    assert run_id in xlsx.name
    scores = fastexcel.read_excel(xlsx.read_bytes()).load_sheet("scores").to_polars()
    assert scores["run_id"].unique().to_list() == [run_id]

    # The ministry now counts the two approved rows and reads the new run.
    assert _feedback_total(ministry, own_app) == before + GOOD_ROWS
    ministry.screenshot(path=str(SCREENSHOTS / "journey-ministry-overview.png"), full_page=True)
    ministry.goto(f"{own_app.url}/methodology", wait_until="domcontentloaded")
    ministry.get_by_text(re.compile(re.escape(run_id))).first.wait_for(timeout=60_000)
    ministry.screenshot(path=str(SCREENSHOTS / "journey-ministry-methodology.png"), full_page=True)
