"""As the demo evaluator in chromium: run scoring, download the run's XLSX and its PDF report."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import fastexcel
import pytest

from app.exports.run_tables import SHEETS
from app.i18n import catalogue
from tests.browser.conftest import SCREENSHOTS, ServedApp, serve, sign_in

pytestmark = pytest.mark.browser
ZH = catalogue("zh")


@pytest.fixture(scope="module")
def evaluator_app(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedApp]:
    """A dashboard of its own: this test adds a score run, which others must not see."""
    with serve(demo_warehouse, tmp_path_factory.mktemp("workspace")) as app:
        yield app


def _download(page, label: str, folder: Path) -> Path:
    """Click the download button ``label`` and save the file under its suggested name."""
    with page.expect_download(timeout=180_000) as download:
        page.get_by_role("button", name=label).filter(visible=True).first.click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def test_an_evaluator_runs_scoring_and_downloads_the_xlsx_and_the_pdf(
    evaluator_app: ServedApp, page, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, evaluator_app.url, "evaluator")
    page.goto(f"{evaluator_app.url}/workspace", wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["workspace.title"]).wait_for(timeout=60_000)
    replicates = page.get_by_label(ZH["workspace.replicates"])
    replicates.fill("0")
    replicates.press("Enter")
    page.wait_for_timeout(3000)  # the rerun of the new value ends before the click
    page.get_by_role("button", name=ZH["workspace.run"], exact=True).click()
    done = page.get_by_text(re.compile(r"已保存评价运行 run-\S+"))
    try:
        done.first.wait_for(timeout=180_000)
        # The stored run wakes every live session (app/live.py); that rerun keeps
        # this page, and the receipt stays through it.
        page.wait_for_timeout(3000)
        page.get_by_role("heading", name=ZH["workspace.title"]).wait_for(timeout=10_000)
        done.first.wait_for(timeout=10_000)
    finally:
        page.screenshot(path=str(SCREENSHOTS / "workspace-run.png"), full_page=True)
    shown = re.search(r"run-\S+", done.first.inner_text())

    # open the workspace again, where the newest run is the one to export
    page.goto(f"{evaluator_app.url}/workspace", wait_until="domcontentloaded")
    page.get_by_role("heading", name=ZH["workspace.title"]).wait_for(timeout=60_000)
    page.get_by_role("tab", name=ZH["workspace.tab_export"]).click()
    page.screenshot(path=str(SCREENSHOTS / "workspace-export-tab.png"), full_page=True)
    xlsx = _download(page, ZH["workspace.download_xlsx"], tmp_path)
    run_id = shown.group(0) if shown else re.search(r"run-[0-9T]+-[0-9a-f]+", xlsx.name).group(0)
    assert run_id in xlsx.name
    book = fastexcel.read_excel(xlsx.read_bytes())
    assert book.sheet_names == list(SHEETS)
    assert book.load_sheet("scores").to_polars()["run_id"].unique().to_list() == [run_id]

    pdf = _download(page, ZH["workspace.download_pdf"], tmp_path)
    assert run_id in pdf.name
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    assert run_id in text
    assert "评价指标体系" in text
    page.screenshot(path=str(SCREENSHOTS / "workspace-export.png"), full_page=True)
