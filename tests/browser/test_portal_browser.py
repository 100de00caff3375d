"""As a demo pilot site in chromium: download the template, upload a messy GBK file, read the
row errors, confirm, see the receipt. Screenshots are kept as artefacts (not committed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import fastexcel
import pytest
from playwright.sync_api import expect

from app.i18n import catalogue
from datasets.sources import get_source
from tests.app.portal_files import GOOD_ROWS, messy_feedback
from tests.browser.conftest import SCREENSHOTS, ServedApp, download, sign_in, wait_for_run

pytestmark = pytest.mark.browser
ZH = catalogue("zh")


def _screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own frame, so the window is made tall."""
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_a_pilot_site_downloads_the_template_uploads_a_messy_file_confirms_and_gets_a_receipt(
    own_app: ServedApp, page, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, own_app.url, "site-s00001")
    page.get_by_role("heading", name=ZH["portal.title"]).wait_for(timeout=60_000)

    template = download(page, ZH["portal.template_xlsx"], tmp_path)
    assert template.name == "feedback-template-zh.xlsx"
    headers = fastexcel.read_excel(template.read_bytes()).load_sheet(0).to_polars().columns
    assert list(headers) == [c.header_zh for c in get_source("feedback").columns]

    data = messy_feedback("S00001", "S00002")
    upload = tmp_path / "反馈表.csv"
    upload.write_bytes(data)
    page.locator("input[type=file]").set_input_files(str(upload))
    problems = ZH["portal.dry_run_problems"].format(rejected=2, n=3)
    page.get_by_text(problems).wait_for(timeout=120_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    wait_for_run(page)
    _screenshot(page, "portal-dry-run.png")
    # The grid draws on a canvas: its cells are read through the problems CSV.
    problems_csv = download(page, ZH["portal.problems_csv"], tmp_path).read_text("utf-8-sig")
    assert "site_not_allowed" in problems_csv and "likert_range" in problems_csv
    assert "只能上传本单位试点单位的数据" in problems_csv

    page.get_by_role("button", name=ZH["portal.confirm"]).click()
    loaded = ZH["portal.loaded"].format(n=GOOD_ROWS, rejected=2)
    page.get_by_text(loaded).first.wait_for(timeout=120_000)
    # The confirm's run and the live rerun it causes each draw the receipt, one
    # slot apart: until the rerun ends the page may hold both.
    expect(page.get_by_text(loaded)).to_have_count(1, timeout=120_000)
    wait_for_run(page)
    expect(page.get_by_role("heading", name=ZH["portal.receipt_title"])).to_be_visible()
    _screenshot(page, "portal-receipt.png")
    receipt = download(page, ZH["portal.receipt_txt"], tmp_path).read_text("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    assert f"{ZH['portal.receipt_sha256']}: {sha}" in receipt
    assert f"{ZH['portal.receipt_status']}: {ZH['portal.status_loaded']}" in receipt
    assert f"{ZH['portal.count_loaded']}: {GOOD_ROWS}" in receipt

    page.goto(f"{own_app.url}/own", wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["own.title"]).wait_for(timeout=60_000)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)
    wait_for_run(page)  # the second chart (scores) draws too
    _screenshot(page, "portal-own-sites.png")
