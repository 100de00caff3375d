"""As the demo evaluator in chromium: run scoring, download the run's XLSX and its PDF report."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlparse

import fastexcel
import pytest
from playwright.sync_api import expect

from app.exports.run_tables import SHEETS
from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, ServedApp, download, run_scoring, sign_in

pytestmark = pytest.mark.browser
ZH = catalogue("zh")


def test_an_evaluator_runs_scoring_and_downloads_the_xlsx_and_the_pdf(
    own_app: ServedApp, page, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, own_app.url, "evaluator")
    run_id, done = run_scoring(page, own_app.url)
    # The stored run woke every live session (app/live.py) once the click's run
    # had ended; that rerun keeps the evaluator on the workspace, with the
    # receipt, and runs no scoring again.
    assert urlparse(page.url).path.rstrip("/").endswith("/workspace"), page.url
    expect(page.get_by_role("heading", name=ZH["overview.title"])).to_have_count(0)
    expect(page.get_by_role("heading", name=ZH["workspace.title"])).to_be_visible()
    assert run_id in done.inner_text()
    page.get_by_role("tab", name=ZH["workspace.tab_export"]).click()
    page.screenshot(path=str(SCREENSHOTS / "workspace-export-tab.png"), full_page=True)
    xlsx = download(page, ZH["workspace.download_xlsx"], tmp_path)
    assert run_id in xlsx.name
    book = fastexcel.read_excel(xlsx.read_bytes())
    assert book.sheet_names == list(SHEETS)
    assert book.load_sheet("scores").to_polars()["run_id"].unique().to_list() == [run_id]

    pdf = download(page, ZH["workspace.download_pdf"], tmp_path)
    assert run_id in pdf.name
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    assert run_id in text
    assert "评价指标体系" in text
    page.screenshot(path=str(SCREENSHOTS / "workspace-export.png"), full_page=True)

    # the click stored one run and the live rerun fired no second one: the
    # demo warehouse had none, so there is still nothing to compare
    page.get_by_role("tab", name=ZH["workspace.tab_compare"]).click()
    page.get_by_text(ZH["workspace.compare_need_two"]).wait_for(timeout=60_000)
