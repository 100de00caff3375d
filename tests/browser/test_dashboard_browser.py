"""Every dashboard page in chromium through the real app: filters in the URL, a detail, a tile, a download."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from app.i18n import catalogue
from app.nav import PAGES, READERS
from tests.browser.conftest import SCREENSHOTS, ServedApp, download, serve, sign_in, wait_for_run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scored_app(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedApp]:
    """The dashboard over a copy of the demo warehouse with a stored score run."""
    from metrics.request import ScoreRequest
    from metrics.runs import run_scoring
    from metrics.scope import Scope

    folder = tmp_path_factory.mktemp("scored-served")
    scored = folder / "scored-source.duckdb"
    shutil.copyfile(demo_warehouse, scored)
    con = duckdb.connect(str(scored))
    run_scoring(
        con, ScoreRequest(scope=Scope.everything(), replicates=50, seed=1), created_by="tests"
    )
    con.close()
    with serve(scored, folder) as app:
        yield app


def _signed_in(browser: object, app: ServedApp, height: int) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": height}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, app.url, "ministry")  # every dashboard page needs a signed-in reader
    yield page
    context.close()


@pytest.fixture()
def tall_page(browser: object, scored_app: ServedApp) -> Iterator[object]:
    """A ministry reader's page tall enough that a screenshot holds a whole dashboard page."""
    yield from _signed_in(browser, scored_app, 3600)


@pytest.fixture()
def page(browser: object, scored_app: ServedApp) -> Iterator[object]:
    """A ministry reader's page, 1400×1000, signed in through the real form."""
    yield from _signed_in(browser, scored_app, 1000)


def _open(page, url: str, title: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    wait_for_run(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_without_an_exception(scored_app, tall_page, lang: str) -> None:
    messages = catalogue(lang)
    SCREENSHOTS.mkdir(exist_ok=True)
    suffix = "?lang=English" if lang == "en" else ""
    for spec in (p for p in PAGES if p.roles == READERS):
        path = "" if spec.default else spec.key
        _open(tall_page, f"{scored_app.url}/{path}{suffix}", messages[f"{spec.key}.title"])
        tall_page.get_by_text(messages["common.demo_notice"]).wait_for(timeout=60_000)
        expect(tall_page.locator("[data-testid='stException']")).to_have_count(0)
        tall_page.wait_for_timeout(1500)  # let charts finish drawing for the screenshot
        tall_page.screenshot(path=str(SCREENSHOTS / f"dashboard-{spec.key}-{lang}.png"))


def test_a_copied_url_reproduces_the_filtered_view(scored_app, page, tmp_path: Path) -> None:
    zh = catalogue("zh")
    _open(page, f"{scored_app.url}/regions", zh["regions.title"])
    unfiltered = download(page, zh["tables.download_csv"], tmp_path / "all")
    side = page.locator("[data-testid='stSidebar']")
    side.locator("[data-testid='stSelectbox']").first.wait_for(timeout=60_000)
    side.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="个人信息保护").click()
    expect(page.get_by_text("当前筛选：重点领域 个人信息保护")).to_be_visible(timeout=60_000)
    page.wait_for_function("() => window.location.search.includes('area=')", timeout=60_000)
    wait_for_run(page)
    copied = page.url
    # The table as downloaded (its cells are drawn on a canvas, not as text).
    filtered = download(page, zh["tables.download_csv"], tmp_path / "page").read_bytes()
    assert filtered != unfiltered.read_bytes()  # the filter changed the table
    fresh = page.context.new_page()
    _open(fresh, copied, zh["regions.title"])
    expect(fresh.get_by_text("当前筛选：重点领域 个人信息保护")).to_be_visible(timeout=60_000)
    assert download(fresh, zh["tables.download_csv"], tmp_path / "copied").read_bytes() == filtered
    fresh.close()


def test_a_province_tile_filters_the_page(scored_app, page) -> None:
    zh = catalogue("zh")
    _open(page, f"{scored_app.url}/regions", zh["regions.title"])
    tiles = page.locator(".js-plotly-plot .scatterlayer .point")
    tiles.first.wait_for(timeout=60_000)
    # On a loaded machine plotly may still be laying out and miss the click:
    # click again only while the selection has not reached the URL.
    for _ in range(3):
        if "region=" in page.url:
            break
        tiles.first.click(force=True)
        try:
            page.wait_for_function("() => location.search.includes('region=')", timeout=15_000)
        except PlaywrightTimeoutError:
            wait_for_run(page)
    expect(page.get_by_text("当前筛选：地区")).to_be_visible(timeout=60_000)
    assert "region=" in page.url


def test_a_standard_opens_its_detail_and_a_table_downloads_as_csv(scored_app, tall_page) -> None:
    zh = catalogue("zh")
    _open(tall_page, f"{scored_app.url}/standards", zh["standards.title"])
    grid = tall_page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=60_000)
    # The first row's selection box. On a loaded machine the grid's canvas may
    # not take a click yet: click again only while the selection has not
    # reached the URL (a second click on a selected row would clear it).
    for _ in range(3):
        if "standard=" in tall_page.url:
            break
        box = grid.bounding_box()
        assert box is not None
        tall_page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        try:
            tall_page.wait_for_function(
                "() => location.search.includes('standard=')", timeout=10_000
            )
        except PlaywrightTimeoutError:
            wait_for_run(tall_page)
    expect(tall_page.get_by_text(zh["standards.themes_heading"])).to_be_visible(timeout=60_000)
    assert "standard=" in tall_page.url
    wait_for_run(tall_page)
    with tall_page.expect_download(timeout=120_000) as info:
        tall_page.get_by_role("button", name=zh["tables.download_csv"]).first.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith("\ufeff名次,标准号,标准名称".encode())
    assert data.count(b"\r\n") > 2
    tall_page.screenshot(path=str(SCREENSHOTS / "dashboard-standard-detail-zh.png"))
